/** Vite builds the web app from web/ into web/dist (`npm run build:web`); `npm run dev` and `npm run dev:web` serve it with the API proxied. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const API = process.env.RECOMP_API_URL ?? 'http://127.0.0.1:8000';

/** The brand's colours, as web/src/styles.css names them (--primary and --bg). */
const THEME_COLOR = '#0f5f59';
const BACKGROUND_COLOR = '#f4f6f5';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Hashed file names under assets/ are what the server marks immutable (src/http/web.ts).
    assetsDir: 'assets',
    chunkSizeWarningLimit: 400,
  },
  plugins: [
    // The installable app (docs/DESIGN.md, 'The installable app'): our own worker, web/src/sw.ts, built
    // into dist/sw.js with the list of files to precache injected; web/src/pwa.ts registers it.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      // Precached: the shell and the hashed bundles (sw.js itself never), the manifest and its icons
      // (which the plugin adds), and the home-screen icon iOS reads from index.html.
      injectManifest: { globPatterns: ['**/*.{html,js,css}'] },
      includeAssets: ['apple-touch-icon.png'],
      manifest: {
        id: '/',
        name: 'Recomp',
        short_name: 'Recomp',
        description: 'Track your body fat, steer your cut or bulk, and log your weight and food every day.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: THEME_COLOR,
        background_color: BACKGROUND_COLOR,
        // Drawn from favicon.svg by scripts/web-icons.ts.
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
    }),
  ],
  server: { proxy: { '/api': API, '/health': API } },
});
