/**
 * Knip finds unused files, exports and dependencies (`npm run lint:dead`, part of `npm run lint`).
 * It runs twice: over everything, tests included, and with --production over only what the service
 * and the web app run (the patterns marked `!`), so that an export only tests still call (a
 * superseded rule kept alive by its own tests) is reported too.
 */
import type { KnipConfig } from 'knip';

const production = process.argv.includes('--production') || process.argv.includes('-p');

const config: KnipConfig = {
  entry: [
    'src/server.ts!',
    // What production runs is compiled first (`npm run build` into dist/), so knip, reading
    // package.json's scripts, sees only the build: the service's other entry is named here, the
    // migrations (`npm run db:migrate`: a compose step, a Kubernetes Job).
    'src/migrate.ts!',
    // The `recomp` command (package.json "bin", compiled like the service).
    'src/cli/main.ts!',
    // Run by package.json scripts and .ci/ (tsx, node), some by hand (scripts/cluster/, scripts/load/).
    'scripts/**/*.{ts,cjs}!',
    // Run by k6, outside Node (docs/PERFORMANCE.md); test/scripts/journey.test.ts plays it.
    'scripts/performance_test_k6.js',
    'test/**/*.test.ts',
    'web/test/**/*.test.ts',
    // vitest.config.ts has the projects whose global setups these are only when PostgreSQL or Chromium is there.
    'test/{setup/*,e2e/setup}.ts',
    // Tools run by hand with `npx tsx` (docs/SCIENCE.md 11, docs/DEPLOY.md).
    'test/support/convergenceReport.ts',
    'test/scale/pipelining-probe.ts',
    // The service worker, which vite-plugin-pwa builds into web/dist/sw.js (web/vite.config.ts).
    'web/src/sw.ts!',
  ],
  project: [
    'src/**/*.ts!',
    'scripts/**/*.{ts,cjs,js}!',
    'web/src/**/*.{ts,tsx}!',
    'web/*.ts!',
    'test/**/*.ts',
    'web/test/**/*.ts',
    '*.{ts,js}',
  ],
  // Production mode does not count the tests, so every export a test reaches besides the service
  // (siriBodyFat, macroKcal) would be reported: there only exports that no production code uses count.
  ignoreExportsUsedInFile: production,
  // The web app's Vite config is in web/ (`vite build web`, `vite web` and scripts/dev.ts load it there); its
  // index.html names the browser entry, web/src/main.tsx.
  vite: { config: ['web/vite.config.ts'] },
  ignoreDependencies: [
    // k6's modules come with the k6 binary, not from npm (scripts/performance_test_k6.js).
    'k6',
    // The production install (`npm ci --omit=dev` in the Dockerfile) applies patches/ by running
    // the postinstall script, which production mode does not read.
    ...(production ? ['patch-package'] : []),
  ],
  // openapi-typescript writes every root of the document (`components`, `operations`, ...); the web
  // app names only what it uses, through `paths` (web/src/api/types.ts).
  ignoreIssues: {
    'web/src/api/generated/openapi.ts': ['types'],
  },
  // util-linux's runuser, which scripts/load/bench-infra.ts runs to start PostgreSQL as its own user.
  ignoreBinaries: ['runuser'],
};

export default config;
