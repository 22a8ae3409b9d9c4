/**
 * Many instances on one database (docs/DEPLOY.md, 'Many instances'): instances starting together migrate it once, under the
 * advisory lock, and the service works through PgBouncer in transaction mode, where consecutive
 * transactions of one client connection land on different server connections.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openPostgres } from '../../src/db/client.ts';
import { migrationsFolder } from '../../src/db/schema-version.ts';
import { TRANSACTION_POOLING, withOwnTransactions } from '../../src/db/transactions.ts';
import { daysFrom, signUp } from '../helpers/api.ts';
import { appOn, type TestApp } from '../helpers/app.ts';
import { type Cluster, createCluster, postgresBin } from '../helpers/cluster.ts';
import { type PgBouncer, pgbouncerBin, startPgBouncer } from '../helpers/pgbouncer.ts';
import { navy } from '../helpers/people.ts';

const bin = postgresBin();
const bouncerBin = pgbouncerBin();
if (!bin) console.warn('pooling: no PostgreSQL binaries under /usr/lib/postgresql; .ci/run installs them');
if (!bouncerBin) console.warn('pooling: no pgbouncer binary (apt-get install pgbouncer): the transaction-mode test did not run');

let cluster: Cluster;
let admin: postgres.Sql;

async function freshDatabase(name: string): Promise<string> {
  await admin.unsafe(`CREATE DATABASE ${name}`);
  return cluster.url.replace(/\/postgres$/, `/${name}`);
}

let journal: { entries: unknown[] };

/** Rows in drizzle's migration table, and users (the schema is there and empty). */
async function appliedMigrations(url: string): Promise<{ migrations: number; users: number }> {
  const direct = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await direct<{ migrations: number; users: number }[]>`
      SELECT (SELECT count(*)::int FROM drizzle.__drizzle_migrations) AS migrations, (SELECT count(*)::int FROM users) AS users`;
    return { migrations: row!.migrations, users: row!.users };
  } finally {
    await direct.end();
  }
}

beforeAll(async () => {
  journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  if (!bin) return;
  cluster = await createCluster(bin);
  admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
}, 120_000);
afterAll(async () => {
  await admin?.end();
  await cluster?.destroy();
});

/**
 * Commit, rollback, savepoints, an aborted statement and an array body on `database`'s
 * transactions (transactions.ts), and the same through `raw` wrapped by withOwnTransactions.
 */
async function checkTransactions(database: DatabaseHandle, test: TestApp, directUrl: string, raw: postgres.Sql) {
  const direct = postgres(directUrl, { max: 1, onnotice: () => {} });
  try {
    await direct`CREATE TABLE tx_probe (v int)`;
    const values = async () => (await direct<{ v: number }[]>`SELECT v FROM tx_probe ORDER BY v`).map((r) => r.v);
    const insert = (tx: Pick<DatabaseHandle['db'], 'execute'>, v: number) => tx.execute(sql`INSERT INTO tx_probe VALUES (${v})`);
    await expect(
      database.db.transaction(async (tx) => {
        await insert(tx, 1);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await database.db.transaction(async (tx) => {
      await insert(tx, 2);
      // Not visible outside before the commit.
      expect(await values()).toEqual([]);
      await expect(
        tx.transaction(async (inner) => {
          await insert(inner, 3);
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await tx.transaction(async (inner) => insert(inner, 4));
    });
    expect(await values()).toEqual([2, 4]);
    // A failing statement aborts the transaction; the connection goes back to the pool usable.
    await expect(
      database.db.transaction(async (tx) => {
        await insert(tx, 5);
        await tx.execute(sql`SELECT 1/0`);
      }),
    ).rejects.toMatchObject({ cause: { message: 'division by zero' } });
    // …also when it is the body's first statement, sent together with BEGIN.
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT 1/0`);
      }),
    ).rejects.toMatchObject({ cause: { message: 'division by zero' } });
    expect(await values()).toEqual([2, 4]);
    expect((await test.app.inject('/health/ready')).statusCode).toBe(200);

    // The body's first statements, sent with BEGIN, run in the transaction: one transaction id.
    const ids = await database.db.transaction(async (tx) => {
      const read = () => tx.execute(sql`SELECT txid_current()::text AS t`).then((rows) => (rows as unknown as { t: string }[])[0]!.t);
      const [first, second] = await Promise.all([read(), read()]);
      await insert(tx, 6);
      return [first, second, await read()];
    });
    expect(new Set(ids).size).toBe(1);
    expect(await values()).toEqual([2, 4, 6]);

    // As postgres.js's own begin: a body giving back an array of queries gets their results, all
    // run in the one transaction.
    const [a, b] = await withOwnTransactions(raw).begin((tx) => [tx`SELECT txid_current() AS t`, tx`SELECT txid_current() AS t`]);
    expect(a[0]?.t).toBeDefined();
    expect(b[0]?.t).toBe(a[0]?.t);
  } finally {
    await direct`DROP TABLE IF EXISTS tx_probe`;
    await direct.end();
  }
}

describe.skipIf(!bin)('migrations', () => {
  it('four instances starting at once on a fresh database all start, and each migration is applied once', async () => {
    const url = await freshDatabase('recomp_race');
    const handles = await Promise.all(Array.from({ length: 4 }, () => openPostgres(url, { poolSize: 1 })));
    await Promise.all(handles.map((h) => h.close()));
    expect(await appliedMigrations(url)).toEqual({ migrations: journal.entries.length, users: 0 });
  });
});

describe.skipIf(!bin)("a Unix socket named by libpq's host parameter", () => {
  it('migrates and serves through the socket, not TCP', async () => {
    await freshDatabase('recomp_socket');
    const url = `postgres://postgres@localhost:${cluster.port}/recomp_socket?host=${encodeURIComponent(cluster.socketDir)}`;
    const test = await appOn(await openPostgres(url, { poolSize: 2 }));
    try {
      const person = await signUp(test.app);
      expect((await person.api.post('/api/v1/measurements', navy())).status).toBe(201);
      expect(await appliedMigrations(cluster.url.replace(/\/postgres$/, '/recomp_socket'))).toEqual({
        migrations: journal.entries.length,
        users: 1,
      });
      // The server's address is null on a Unix-socket connection.
      const rows = (await test.database.db.execute(sql`select inet_server_addr()::text as addr`)) as unknown as { addr: string | null }[];
      expect([...rows]).toEqual([{ addr: null }]);
    } finally {
      await test.close();
    }
  });
});

describe.skipIf(!bin)('transactions in session mode (straight to PostgreSQL)', () => {
  it('commits, rolls back and nests them with BEGIN sent together with the first statements', async () => {
    const url = await freshDatabase('recomp_session_tx');
    const test = await appOn(await openPostgres(url, { poolSize: 2 }));
    const raw = postgres(url, { max: 2, onnotice: () => {} });
    try {
      await checkTransactions(test.database, test, url, raw);
    } finally {
      await raw.end();
      await test.close();
    }
  });
});

describe.skipIf(!bin || !bouncerBin)('PgBouncer in transaction mode', () => {
  let bouncer: PgBouncer;
  let database: DatabaseHandle;
  let test: TestApp;

  beforeAll(async () => {
    const direct = await freshDatabase('recomp_bouncer');
    // Two server connections for a pool of ten: the service's transactions share them.
    bouncer = await startPgBouncer(bouncerBin!, cluster, { poolMode: 'transaction', serverConnections: 2 });
    database = await openPostgres(bouncer.url('recomp_bouncer'), { poolSize: 10, poolMode: 'transaction', migrate: direct });
    test = await appOn(database);
  }, 120_000);
  afterAll(async () => {
    await test?.close();
    await bouncer?.stop();
  });

  it('serves concurrent users whose queries hop between server connections', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, () => signUp(test.app)));
    const statuses = await Promise.all(
      people.flatMap((person) =>
        Array.from({ length: 5 }, async (_, day) => {
          const created = await person.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-day), weight_kg: 90 - day / 2 }));
          const listed = await person.api.get('/api/v1/measurements');
          return [created.status, listed.status];
        }),
      ),
    );
    expect(statuses.flat().filter((s) => s >= 300)).toEqual([]);
    for (const person of people) {
      const listed = await person.api.get('/api/v1/measurements');
      expect(listed.body.measurements).toHaveLength(5);
    }
    expect((await test.app.inject('/health/ready')).statusCode).toBe(200);
  });

  it('never pipelines across a transaction boundary: a burst of mixed requests all complete', async () => {
    // /health/ready's `select 1` has no parameters, so postgres.js would pipeline the next query
    // behind it; PgBouncer hands the server connection on at its ReadyForQuery and the answer to the
    // pipelined query is lost: the request hangs until its 10 s deadline (503; transactions.ts).
    // 1,000 requests at once, most of them readiness checks, over 10 client and 2 server connections.
    const people = await Promise.all(Array.from({ length: 4 }, () => signUp(test.app)));
    const burst = Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const person = people[i % people.length]!;
        const reply =
          i % 4 !== 1 && i % 8 !== 2
            ? await test.app.inject('/health/ready')
            : i % 4 === 1
              ? await person.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-i), weight_kg: 80 + (i % 7) }))
              : await person.api.get('/api/v1/measurements?limit=5');
        return 'statusCode' in reply ? reply.statusCode : reply.status;
      }),
    );
    // A hang is what this catches: 30 s bounds the wait for answers that may never come.
    const outcome = await Promise.race([burst, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 30_000))]);
    expect(outcome).not.toBe('hung');
    expect((outcome as number[]).filter((status) => status >= 300)).toEqual([]);
  });

  it('commits, rolls back and nests transactions on the reserved connection', async () => {
    const raw = postgres(bouncer.url('recomp_bouncer'), { max: 2, onnotice: () => {}, ...TRANSACTION_POOLING });
    try {
      await checkTransactions(database, test, cluster.url.replace(/\/postgres$/, '/recomp_bouncer'), raw);
    } finally {
      await raw.end();
    }
  });

  it("migrates through PgBouncer too: the lock lives in the migration's transaction, so it is never left behind", async () => {
    await admin.unsafe('CREATE DATABASE recomp_via_bouncer');
    const url = bouncer.url('recomp_via_bouncer');
    // Three instances at once, then a fourth: a lock stranded on a server connection would hang it.
    const handles = await Promise.all(Array.from({ length: 3 }, () => openPostgres(url, { poolSize: 2, poolMode: 'transaction' })));
    handles.push(await openPostgres(url, { poolSize: 2, poolMode: 'transaction' }));
    await Promise.all(handles.map((h) => h.close()));
    expect(await appliedMigrations(cluster.url.replace(/\/postgres$/, '/recomp_via_bouncer'))).toEqual({
      migrations: journal.entries.length,
      users: 0,
    });
  });

  it('needs the pool mode: session mode through the same PgBouncer is refused at connect', async () => {
    // PgBouncer tracks no statement_timeout, so it refuses a connection that sets it at startup.
    const session = await openPostgres(bouncer.url('recomp_bouncer'), { poolSize: 10, migrate: false });
    try {
      const error = await session.ping().then(
        () => null,
        (e: Error) => e,
      );
      expect(String((error?.cause as Error | undefined)?.message)).toMatch(/unsupported startup parameter/);
    } finally {
      await session.close();
    }
  });
});
