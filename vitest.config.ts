import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * The domain, components and tooling suites run once; the HTTP suites run against the embedded PGlite
 * always, and against a real PostgreSQL server too when TEST_DATABASE_URL names one (each run
 * creates and drops its own database). CONTRIBUTING.md, "Run the tests", lists the projects.
 */
const http = { include: ['test/http/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 };

// The browser tests drive Debian's Chromium (.ci/run installs it); without it they are skipped, loudly.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = existsSync(chromium);
if (!browser)
  console.log(`[e2e] SKIPPED: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH) — the browser tests did not run`);

export default defineConfig({
  test: {
    projects: [
      // The formulas and product rules (src/domain): pure functions, no database, no files, no processes.
      { test: { name: 'domain', include: ['test/domain/**/*.test.ts'], testTimeout: 30_000 } },
      // The service's parts one at a time, without HTTP: some on an embedded PGlite (starting one takes seconds
      // on a busy machine, hence the hook timeout), some build into a temporary folder.
      { test: { name: 'components', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      // The load scripts and the deploy files, read and played against stand-ins.
      { test: { name: 'tooling', include: ['test/scripts/**/*.test.ts', 'test/deploy/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { ...http, name: 'pglite', globalSetup: ['test/setup/pglite.ts'], env: { RECOMP_TEST_DB: 'pglite' } } },
      // Stops and restarts its own PostgreSQL and its own server process (built first): runs alone, one file at a time.
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          globalSetup: ['test/setup/build.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      // Many instances (docs/DEPLOY.md): their own PostgreSQL (and replica), PgBouncer and Redis servers on loopback.
      { test: { name: 'scale', include: ['test/scale/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } },
      // The web app's own logic (web/test/), without a browser.
      { test: { name: 'web', include: ['web/test/**/*.test.ts'] } },
      // The web app in real Chromium against the real service on PGlite (test/e2e/).
      ...(browser
        ? [
            {
              test: {
                name: 'e2e',
                include: ['test/e2e/**/*.test.ts'],
                globalSetup: ['test/setup/pglite.ts', 'test/e2e/setup.ts'],
                env: { RECOMP_TEST_DB: 'pglite', CHROMIUM_PATH: chromium },
                testTimeout: 120_000,
                hookTimeout: 120_000,
                fileParallelism: false,
                expect: { poll: { timeout: 15_000 } },
              },
            },
          ]
        : []),
      ...(process.env.TEST_DATABASE_URL
        ? [{ test: { ...http, name: 'postgres', globalSetup: ['test/setup/postgres.ts'], env: { RECOMP_TEST_DB: 'postgres' } } }]
        : []),
    ],
  },
});
