/** Vite builds the web app from web/ into web/dist (`npm run build:web`); `npm run dev` and `npm run dev:web` serve it with the API proxied. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const API = process.env.RECOMP_API_URL ?? 'http://127.0.0.1:8000';

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
  server: { proxy: { '/api': API, '/health': API } },
});
