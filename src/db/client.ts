/**
 * Opens the database: a PostgreSQL server through postgres.js when DATABASE_URL is set, otherwise
 * the embedded PGlite in the data folder. Both run the same drizzle schema, migrations and queries.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import lockfile from 'proper-lockfile';
import * as schema from './schema.ts';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle or the database itself: repositories accept either. */
export type Executor = Parameters<Parameters<Database['transaction']>[0]>[0] | Database;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Runs a trivial query; rejects when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface PostgresOptions {
  poolSize: number;
  /** A server that does not answer fails the request after this long instead of hanging it. */
  connectTimeoutSeconds?: number;
  /** The server cancels any statement running longer (statement_timeout). */
  statementTimeoutMs?: number;
}

export async function openPostgres(url: string, options: PostgresOptions): Promise<DatabaseHandle> {
  const client = postgres(url, {
    max: options.poolSize,
    onnotice: () => {},
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    connection: { statement_timeout: options.statementTimeoutMs ?? 5000 },
  });
  const db = drizzlePostgres(client, { schema });
  try {
    await migratePostgres(db, { migrationsFolder });
  } catch (error) {
    await client.end({ timeout: 1 });
    throw error;
  }
  return {
    db: db as unknown as Database,
    kind: 'postgres',
    ping: async () => { await db.execute(sql`select 1`); },
    close: () => client.end({ timeout: 5 }),
  };
}

/** Wraps an open PGlite instance (tests hand in one restored from a dump) and applies migrations. */
export async function usePglite(client: PGlite, release: () => Promise<void> = async () => {}): Promise<DatabaseHandle> {
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    ping: async () => { await db.execute(sql`select 1`); },
    close: async () => {
      await client.close();
      await release();
    },
  };
}

/**
 * PGlite has no lock of its own: a second process opening the same folder would corrupt it. The
 * service holds an exclusive lock on the folder for as long as it runs.
 */
export async function openEmbedded(dataDir: string): Promise<DatabaseHandle> {
  const pgdata = path.join(dataDir, 'pgdata');
  await mkdir(pgdata, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(pgdata, {
      lockfilePath: path.join(dataDir, 'pgdata.lock'),
      stale: 10_000,
      retries: { retries: 3, minTimeout: 1000, maxTimeout: 4000 },
      onCompromised: (error) => {
        // Another process took the lock: continuing could corrupt the database.
        console.error(`lost the lock on ${pgdata}: ${error.message}`);
        process.exit(1);
      },
    });
  } catch (error) {
    throw new Error(
      `the embedded database in ${pgdata} is in use by another process (${(error as Error).message}); ` +
      'stop it first, or set RECOMP_DATA_DIR to another folder',
      { cause: error },
    );
  }
  try {
    const client = await PGlite.create(pgdata);
    return await usePglite(client, release);
  } catch (error) {
    await release();
    throw error;
  }
}
