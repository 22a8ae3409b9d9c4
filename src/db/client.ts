/**
 * Opens the database: a PostgreSQL server through postgres.js when DATABASE_URL is set, otherwise
 * the embedded PGlite in the data folder. Both run the same drizzle schema, migrations and queries.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import lockfile from 'proper-lockfile';
import { withPreparedStatements } from './pglite-statements.ts';
import { checkReusable } from './prepared.ts';
import { keepByteOrderMarks } from './pglite-text.ts';
import { TRANSACTION_POOLING, withOwnTransactions } from './transactions.ts';
import * as schema from './schema.ts';
import { migrationsFolder, type RawQuery, refuseNewerSchema } from './schema-version.ts';

import type { Database } from './database.ts';

export type { Database, Executor } from './database.ts';
export type { RawQuery } from './schema-version.ts';

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Runs a trivial query; rejects when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * PostgreSQL's connection pool (for /metrics): its size, and (session pooling) its connections'
   * states as the server sees them. (Counting the queries holding or awaiting a connection, through
   * a proxy on every query, cost 0.11 ms of CPU a request in the steady benchmark — a seventh of the
   * service's time — so use is read from the server when metrics are scraped: docs/PERFORMANCE.md.)
   */
  pool?: { size: number; sessions?: () => Promise<Record<string, number>> };
  /**
   * Runs `body` in one transaction on one connection, its statements as raw SQL (the backup and
   * the restore, src/admin/backup/): `snapshot` is REPEATABLE READ and read-only, `write` the
   * default read-write. Committed when `body` resolves, rolled back when it throws. On PGlite it
   * holds the database for its whole length: every other query waits (docs/DEPLOY.md, "Backups and upgrades").
   */
  raw<T>(mode: 'snapshot' | 'write', body: (query: RawQuery) => Promise<T>): Promise<T>;
}

const SNAPSHOT = 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY';

type PoolMode = 'session' | 'transaction';

export interface PostgresOptions {
  poolSize: number;
  /**
   * `session` (default): a connection is ours for its lifetime, so queries run as named prepared
   * statements and statement_timeout is set when it opens. `transaction` (PgBouncer in transaction
   * mode hands each transaction to any server connection): neither, since a statement prepared on
   * one server connection is unknown on the next, and PgBouncer refuses startup settings it does
   * not track (set statement_timeout on the role instead: docs/DEPLOY.md); and no pipelining
   * (transactions.ts).
   */
  poolMode?: PoolMode;
  /** Where to run the migrations first (best a direct connection); false: do not. Default: `url`. */
  migrate?: string | false;
  /** A server that does not answer fails the request after this long instead of hanging it. */
  connectTimeoutSeconds?: number;
  /** The server cancels any statement running longer (statement_timeout). */
  statementTimeoutMs?: number;
}

/**
 * A connection URL as postgres.js takes it. libpq's `host` parameter (`postgres://user@localhost:5432/db?host=/var/run/postgresql`,
 * the usual way to name a Unix-socket directory) becomes postgres.js's `host` option, which
 * connects to `<dir>/.s.PGSQL.<port>` when it is a path; left in the URL, postgres.js would send
 * it to the server as a setting, which the server refuses. (Measured against loopback TCP on one
 * 2-core machine: the same throughput and CPU a request; docs/PERFORMANCE.md.)
 */
export function postgresTarget(url: string): { url: string; options: { host?: string } } {
  const parsed = new URL(url);
  const host = parsed.searchParams.get('host');
  if (host === null || host === '') return { url, options: {} };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), options: { host } };
}

export async function openPostgres(url: string, options: PostgresOptions): Promise<DatabaseHandle> {
  const connectTimeoutSeconds = options.connectTimeoutSeconds ?? 5;
  if (options.migrate !== false) await migrateDatabase(options.migrate ?? url, { connectTimeoutSeconds });
  const session = (options.poolMode ?? 'session') === 'session';
  const target = postgresTarget(url);
  // Names this pool's server sessions, so that /metrics can count them in pg_stat_activity.
  const applicationName = `recomp ${process.pid} ${randomBytes(4).toString('hex')}`;
  const client = postgres(target.url, {
    ...target.options,
    max: options.poolSize,
    onnotice: () => {},
    connect_timeout: connectTimeoutSeconds,
    ...(session
      ? { connection: { statement_timeout: options.statementTimeoutMs ?? 5000, application_name: applicationName } }
      : TRANSACTION_POOLING),
  });
  // Transactions on a reserved connection, BEGIN sent with their first statements (transactions.ts).
  const db = drizzlePostgres(session ? withOwnTransactions(preparedStatements(client), preparedStatements) : withOwnTransactions(client), {
    schema,
  });
  checkReusable(db as unknown as Database);
  return {
    db: db as unknown as Database,
    kind: 'postgres',
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.end({ timeout: 5 }),
    pool: {
      size: options.poolSize,
      // Behind a transaction pooler a server session serves any client: PgBouncer's SHOW POOLS tells instead.
      ...(session ? { sessions: () => poolSessions(client, applicationName) } : {}),
    },
    // Unprepared: its statements (DDL, cursors, a table's name in the text) run once each.
    raw: <T>(mode: 'snapshot' | 'write', body: (query: RawQuery) => Promise<T>) =>
      withOwnTransactions(client).begin(async (tx) => {
        if (mode === 'snapshot') await tx.unsafe(SNAPSHOT);
        return body(async (text, params) => [...(await tx.unsafe(text, params as postgres.ParameterOrJSON<never>[]))]);
      }) as Promise<T>,
  };
}

/**
 * The pool's open connections by their state on the server (active, idle, idle in transaction),
 * from pg_stat_activity: one query when /metrics is read, nothing per request. The connection
 * asking is left out.
 */
async function poolSessions(client: postgres.Sql, applicationName: string): Promise<Record<string, number>> {
  const rows = await client<{ state: string | null; n: number }[]>`
    SELECT state, count(*)::int AS n FROM pg_stat_activity
    WHERE application_name = ${applicationName} AND pid <> pg_backend_pid() GROUP BY state`;
  return Object.fromEntries(rows.map((row) => [row.state ?? 'unknown', row.n]));
}

/** One number for every Recomp deployment: instances sharing a database take turns migrating it. */
const MIGRATION_LOCK = 0x7265636f6d70; // "recomp"

/**
 * Applies the pending migrations in one transaction holding an advisory lock, so instances
 * starting together (or an init job and an instance) take turns: the next finds them applied and
 * does nothing. The lock is transaction-scoped, so it is released at commit or rollback even
 * through PgBouncer in transaction mode (a session lock there could outlive us on a server
 * connection and block every later start). drizzle's migrator opens its own transaction, which
 * becomes a savepoint inside ours; it runs every pending migration in that one transaction anyway.
 */
export async function migrateDatabase(url: string, options: { connectTimeoutSeconds?: number } = {}): Promise<void> {
  const target = postgresTarget(url);
  const client = postgres(target.url, {
    ...target.options,
    max: 1,
    onnotice: () => {},
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    prepare: false,
  });
  try {
    await client.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      await refuseNewerSchema((text, params) => tx.unsafe(text, params as never[]));
      await migratePostgres(drizzlePostgres(beginAsSavepoint(tx, client)), { migrationsFolder });
    });
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * A transaction handle on which `begin` opens a savepoint, for code that wants to begin its own;
 * with its client's options, which drizzle reads (the handle has none of its own).
 */
function beginAsSavepoint(tx: postgres.TransactionSql, client: postgres.Sql): postgres.Sql {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property === 'begin') return (body: (sql: postgres.TransactionSql) => unknown) => target.savepoint(body);
      if (property === 'options') return client.options;
      return Reflect.get(target, property, receiver);
    },
  }) as unknown as postgres.Sql;
}

/**
 * drizzle hands postgres.js every query with `prepare: false`. postgres.js then sends a
 * parameterised query in two round trips (Parse/Describe to learn the parameter types, then
 * Bind/Execute) and the server parses and plans it every time. As named prepared statements,
 * cached per connection by their text, a query costs one round trip after its first use; that
 * halved the database round trips per request (docs/PERFORMANCE.md). drizzle's query texts have
 * placeholders for every value, so the statements per connection stay few. Behind a pooler in
 * transaction mode (PgBouncer), DATABASE_POOL_MODE=transaction leaves this out.
 */
function preparedStatements<S extends postgres.Sql | postgres.TransactionSql>(sql: S): S {
  return new Proxy(sql, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'unsafe') {
        return (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, params, { ...options, prepare: true });
      }
      // A savepoint runs on its own handle: wrap that one too (a transaction's handle is wrapped by withOwnTransactions).
      if (property === 'savepoint' && typeof value === 'function') {
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: postgres.Sql) => unknown;
          return (value as (...a: unknown[]) => unknown).call(target, ...args, (tx: postgres.Sql) => body(preparedStatements(tx)));
        };
      }
      return value;
    },
  });
}

/**
 * Wraps an open PGlite instance (tests hand in one restored from a dump) and applies migrations,
 * unless `migrate` is false (the `recomp` command: a task that needs the current schema checks it).
 */
export async function usePglite(
  client: PGlite,
  release: () => Promise<void> = async () => {},
  options: { migrate?: boolean } = {},
): Promise<DatabaseHandle> {
  // Loaded only for the embedded database: a service on PostgreSQL never needs it (about 20 MB of RSS).
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  keepByteOrderMarks(client);
  const db = drizzlePglite(await withPreparedStatements(client), { schema });
  checkReusable(db as unknown as Database);
  const handle: DatabaseHandle = {
    db: db as unknown as Database,
    kind: 'pglite',
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      await client.close();
      await release();
    },
    // The client without the prepared statements' shim: these statements run once each.
    raw: (mode, body) =>
      client.transaction(async (tx) => {
        if (mode === 'snapshot') await tx.query(SNAPSHOT);
        return body(async (text, params) => (await tx.query<Record<string, unknown>>(text, params)).rows);
      }),
  };
  if (options.migrate !== false) await migrateEmbedded(handle);
  return handle;
}

/**
 * Applies the pending migrations to an embedded database (one opened with `migrate: false` first, to
 * be looked at: src/admin/upgrade.ts), after refusing one a newer release migrated (schema-version.ts).
 */
export async function migrateEmbedded(database: DatabaseHandle): Promise<void> {
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  await database.raw('snapshot', refuseNewerSchema);
  await migrate(database.db as unknown as Parameters<typeof migrate>[0], { migrationsFolder });
}

/**
 * A new data folder is made (PostgreSQL's initdb) by a process of its own. PGlite runs initdb in a
 * second WebAssembly instance whose memory the service would otherwise keep for good: about 40 MB of
 * RSS idle, and a peak of 1.1 GB while it runs (docs/PERFORMANCE.md, "Memory of the embedded
 * database"). The child resolves the package as this module does: from the repository (or image) root.
 */
async function createInChildProcess(pgdata: string): Promise<void> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const create = "import { PGlite } from '@electric-sql/pglite'; await (await PGlite.create(process.argv[1])).close();";
  await new Promise<void>((resolve, reject) => {
    // Liftoff only, as the service runs it: without, V8's optimising compiler peaks at about 500 MB here.
    execFile(process.execPath, ['--liftoff-only', '--input-type=module', '-e', create, pgdata], { cwd: root }, (error, _stdout, stderr) =>
      error ? reject(new Error(`could not create the embedded database in ${pgdata}: ${stderr.trim() || error.message}`)) : resolve(),
    );
  });
}

/**
 * PGlite has no lock of its own: a second process opening the same folder would corrupt it. The
 * service holds an exclusive lock on the folder for as long as it runs.
 */
export async function openEmbedded(dataDir: string, options: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
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
    if (!existsSync(path.join(pgdata, 'PG_VERSION'))) await createInChildProcess(pgdata);
    const { PGlite } = await import('@electric-sql/pglite');
    // PostgreSQL's shared memory lives in PGlite's WebAssembly memory and is all written at start:
    // its default 128 MB of page cache was 122 MB of the service's RSS. 16 MB holds the whole
    // database of the 500 load-test people (7 MB); other pages come from the operating system's
    // cache. PGlite runs one backend, so the structures sized by max_connections (locks, backend
    // slots, asynchronous I/O handles) are sized for 5 instead of 100: shared memory 24 → 21 MB
    // (docs/PERFORMANCE.md, "Memory of the embedded database").
    const client = await PGlite.create(pgdata, {
      startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'max_connections=5'],
    });
    return await usePglite(client, release, options);
  } catch (error) {
    await release();
    throw error;
  }
}
