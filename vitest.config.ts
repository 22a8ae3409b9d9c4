import { defineConfig } from 'vitest/config';

/**
 * Domain units run once; the HTTP suites run against the embedded PGlite always, and against a real
 * PostgreSQL server too when TEST_DATABASE_URL names one (each run creates and drops its own database).
 */
const http = { include: ['test/http/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/domain/**/*.test.ts', 'test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { ...http, name: 'pglite', globalSetup: ['test/setup/pglite.ts'], env: { RECOMP_TEST_DB: 'pglite' } } },
      // Stops and restarts its own PostgreSQL and its own server process: runs alone, one file at a time.
      { test: { name: 'faults', include: ['test/faults/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } },
      ...(process.env.TEST_DATABASE_URL
        ? [{ test: { ...http, name: 'postgres', globalSetup: ['test/setup/postgres.ts'], env: { RECOMP_TEST_DB: 'postgres' } } }]
        : []),
    ],
  },
});
