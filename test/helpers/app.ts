/** Builds the real app on a real database for one test file: PGlite from the migrated dump, or PostgreSQL. */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type DatabaseHandle, openPostgres, usePglite } from '../../src/db/client.ts';
import type { ScheduledBackups } from '../../src/core/context.ts';
import { buildApp, type App } from '../../src/http/app.ts';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256!!';

export const databaseKind = () => (process.env.RECOMP_TEST_DB === 'postgres' ? 'postgres' : 'pglite');

export async function openTestDatabase(): Promise<DatabaseHandle> {
  if (databaseKind() === 'postgres') return openPostgres(inject('postgresUrl'), { poolSize: 10 });
  const dump = await readFile(inject('pgliteDump'));
  return usePglite(await PGlite.create({ loadDataDir: new Blob([dump]) }));
}

export interface TestApp {
  app: App;
  database: DatabaseHandle;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  now?: () => Date;
  /** The built web app to serve instead of web/dist (a copy a test changed). */
  webRoot?: string;
  /** The backup schedule whose state /health/ready and /metrics show. */
  backups?: ScheduledBackups;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  return appOn(await openTestDatabase(), options);
}

/** The app on a database the test opened itself (through PgBouncer, with replicas, ...); closing it closes both. */
export async function appOn(database: DatabaseHandle, options: TestAppOptions = {}): Promise<TestApp> {
  // Cheap argon2 parameters keep hundreds of registrations fast; one test checks the defaults. The
  // suites register hundreds of people from one address: the sign-up limit is off unless a test sets it.
  const config = loadConfig({
    NODE_ENV: 'test',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    SIGNUP_MAX_PER_ADDRESS: '0',
    ...options.env,
  });
  const app = await buildApp({
    config,
    database,
    jwtSecret: TEST_SECRET,
    ...(options.now ? { now: options.now } : {}),
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    ...(options.backups ? { backups: options.backups } : {}),
  });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
