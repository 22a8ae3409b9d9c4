/**
 * The shims in src/db that reach into drizzle-orm, postgres.js and PGlite (src/db/dependency-check.ts):
 * for each, what it relies on, with the shape it expects, and its effect, so that an upgrade that
 * moves something fails here with a message naming the dependency and what moved. On a real
 * PostgreSQL the same effects are checked by test/http/database-shims.test.ts and, through
 * PgBouncer, test/scale/pooling.test.ts.
 */
import { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type DatabaseHandle, usePglite } from '../../src/db/client.ts';
import { withPreparedStatements } from '../../src/db/pglite-statements.ts';
import { keepByteOrderMarks } from '../../src/db/pglite-text.ts';
import { reusable } from '../../src/db/prepared.ts';
import { TRANSACTION_POOLING, withOwnTransactions } from '../../src/db/transactions.ts';

const probe = pgTable('shim_probe', { id: integer('id').primaryKey(), note: text('note') });
const BOM = '\ufeff';

/** A call a postgres.js stand-in received: on which handle, what. */
interface Call {
  on: string;
  query: string;
  params?: unknown[];
  options?: Record<string, unknown>;
}

/**
 * Just enough of a postgres.js client for drizzle's postgres-js driver, recording what drizzle calls
 * on which handle: `unsafe` for every query, `begin` for a transaction, `savepoint` for a nested one.
 */
function recordingClient(on: string, calls: Call[]): postgres.Sql {
  const answer = () => Object.assign(Promise.resolve(Object.assign([], { count: 0 })), { values: () => Promise.resolve([]) });
  const handle = {
    options: { parsers: {}, serializers: {} },
    unsafe: (query: string, params?: unknown[], options?: Record<string, unknown>) => {
      calls.push({ on, query, ...(params ? { params } : {}), ...(options ? { options } : {}) });
      return answer();
    },
    begin: async (body: (tx: postgres.Sql) => unknown) => {
      calls.push({ on, query: 'begin' });
      return body(recordingClient(`${on} tx`, calls));
    },
    savepoint: async (body: (tx: postgres.Sql) => unknown) => {
      calls.push({ on, query: 'savepoint' });
      return body(recordingClient(`${on} savepoint`, calls));
    },
  };
  return handle as unknown as postgres.Sql;
}

describe('drizzle-orm, as src/db/prepared.ts and src/db/client.ts use it', () => {
  const find = reusable('shim_probe_find', (db) =>
    db
      .select({ id: probe.id })
      .from(probe)
      .where(eq(probe.note, sql.placeholder('note'))),
  );

  it("runs a prepared query on its own `client` field, read when it runs, so a view of it runs on a transaction's handle", async () => {
    const calls: Call[] = [];
    const db = drizzlePostgres(recordingClient('pool', calls)) as unknown as Database;
    const query = find(db);
    expect(find(db), 'reusable() builds a query once').toBe(query);
    expect(Object.hasOwn(query, 'client'), 'drizzle-orm: PostgresJsPreparedQuery has no own `client` (src/db/prepared.ts)').toBe(true);
    await query.execute({ note: 'a' });
    await db.transaction(async (tx) => {
      const view = find(tx);
      expect(Object.getPrototypeOf(view), 'inside a transaction reusable() gives a view of the same query').toBe(query);
      await view.execute({ note: 'b' });
      await tx.transaction(async (inner) => {
        await find(inner).execute({ note: 'c' });
      });
    });
    const text = calls[0]!.query;
    expect(text).toMatch(/^select "id" from "shim_probe" where "shim_probe"\."note" = \$1$/);
    // `begin` for a transaction (replaced by src/db/transactions.ts), `savepoint` for a nested one,
    // `unsafe(text, params, { prepare })` for every query (src/db/client.ts makes them all named).
    expect(
      calls,
      'drizzle-orm: the postgres-js driver no longer calls begin / savepoint / unsafe(text, params, { prepare }) as src/db/transactions.ts and src/db/client.ts expect',
    ).toEqual([
      { on: 'pool', query: text, params: ['a'], options: { prepare: true } },
      { on: 'pool', query: 'begin' },
      { on: 'pool tx', query: text, params: ['b'], options: { prepare: true } },
      { on: 'pool tx', query: 'savepoint' },
      { on: 'pool tx savepoint', query: text, params: ['c'], options: { prepare: true } },
    ]);
  });

  it('refuses, naming drizzle-orm, a database whose session moved', () => {
    expect(() => find({} as Database)).toThrow(
      /src\/db\/prepared\.ts does not fit the installed drizzle-orm: a database or transaction has no session\.client/,
    );
  });
});

describe('postgres.js, as src/db/transactions.ts and src/db/client.ts use it', () => {
  // postgres.js connects on the first query only: nothing here reaches a server.
  const client = postgres('postgres://recomp@127.0.0.1:9/none', { max: 2, onnotice: () => {}, ...TRANSACTION_POOLING });
  afterAll(() => client.end({ timeout: 0 }));

  it('has the members the shims call, and takes the transaction-pooling settings under their names', () => {
    expect(() => withOwnTransactions(client)).not.toThrow();
    expect(typeof client.unsafe('begin').execute, 'postgres: a query has no execute() (src/db/transactions.ts writes BEGIN with it)').toBe(
      'function',
    );
    // A renamed option would be dropped silently and its default used: pipelining back on, say.
    const options = client.options as unknown as Record<string, unknown>;
    expect(
      Object.fromEntries(Object.keys(TRANSACTION_POOLING).map((key) => [key, options[key]])),
      'postgres: an option of TRANSACTION_POOLING is not taken under its name',
    ).toEqual(TRANSACTION_POOLING);
  });

  it('refuses, naming postgres, a client without what the shim calls', () => {
    expect(() => withOwnTransactions({ begin: () => {} } as unknown as postgres.Sql)).toThrow(
      /src\/db\/transactions\.ts does not fit the installed postgres: sql\.reserve is missing/,
    );
  });

  it("runs a transaction on one reserved connection: BEGIN written with the body's first statement, then COMMIT, then released", async () => {
    const calls: string[] = [];
    let released = 0;
    let begun: () => void = () => {};
    const reserved = {
      // BEGIN is answered only once the body's first statement has been written behind it.
      unsafe: (query: string) => {
        calls.push(query);
        const done =
          query === 'begin'
            ? new Promise<void>((resolve) => {
                begun = resolve;
              })
            : Promise.resolve();
        return Object.assign(
          done.then(() => []),
          { execute: () => done.then(() => []) },
        );
      },
      release: () => {
        released++;
      },
    };
    const pool = {
      begin: () => {
        throw new Error("the pool's own begin ran");
      },
      reserve: async () => reserved,
      unsafe: () => {
        throw new Error('a statement ran on the pool');
      },
    };
    const result = await withOwnTransactions(pool as unknown as postgres.Sql).begin(async (tx) => {
      const first = tx.unsafe('select 1');
      begun();
      await first;
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toEqual(['begin', 'select 1', 'commit']);
    expect(released).toBe(1);
  });
});

describe('PGlite, as src/db/pglite-statements.ts and src/db/pglite-text.ts use it', () => {
  let plain: PGlite;
  let handle: DatabaseHandle;
  let pg: PGlite;

  beforeAll(async () => {
    plain = await PGlite.create();
    pg = await PGlite.create();
    handle = await usePglite(pg);
    await pg.exec('create table shim_probe (id int primary key, note text)');
  }, 60_000);
  afterAll(async () => {
    await plain.close();
    await handle.close();
  });

  it('answers execProtocol with the parsed messages and the raw reply, which keepByteOrderMarks reads', async () => {
    const { protocol } = await import('@electric-sql/pglite');
    const result = await plain.execProtocol(protocol.serialize.query('select 1 as one'));
    expect(Array.isArray(result.messages), '@electric-sql/pglite: execProtocol() gives no messages[]').toBe(true);
    expect(result.data, '@electric-sql/pglite: execProtocol() gives no raw reply in data').toBeInstanceOf(Uint8Array);
    // The reply starts with RowDescription ('T'), as PostgreSQL's protocol has it.
    expect(String.fromCharCode(result.data[0]!)).toBe('T');
  });

  it('runs its own queries through execProtocolStream, which keepByteOrderMarks replaces', async () => {
    const db = await PGlite.create();
    try {
      let streamed = 0;
      const original = db.execProtocolStream.bind(db);
      db.execProtocolStream = (...args) => {
        streamed++;
        return original(...args);
      };
      await db.query('select $1::text as t', ['x']);
      await db.exec('select 1');
      expect(
        streamed,
        '@electric-sql/pglite: query() and exec() no longer go through execProtocolStream; src/db/pglite-text.ts restores nothing on them',
      ).toBeGreaterThanOrEqual(2);
    } finally {
      await db.close();
    }
  });

  it('still drops a leading byte order mark by itself (when it stops, src/db/pglite-text.ts can go)', async () => {
    const { rows } = await plain.query<{ t: string }>('select $1::text as t', [`${BOM}name`]);
    expect(rows[0]!.t, '@electric-sql/pglite now keeps a leading U+FEFF: remove keepByteOrderMarks (src/db/pglite-text.ts)').toBe('name');
  });

  it("gives a leading byte order mark back through the service's database, on every path", async () => {
    await handle.db.insert(probe).values({ id: 1, note: `${BOM}name` });
    const notes = [
      // drizzle with a parameter: src/db/pglite-statements.ts's named statements (execProtocol).
      (await handle.db.select({ note: probe.note }).from(probe).where(eq(probe.id, 1)))[0]!.note,
      // Without parameters: PGlite's own query (execProtocolStream).
      ((await handle.db.execute(sql`select note from shim_probe where id = 1`)) as unknown as { rows: { note: string }[] }).rows[0]!.note,
      (await pg.query<{ note: string }>('select note from shim_probe where id = 1')).rows[0]!.note,
      // In a transaction.
      await handle.db.transaction(async (tx) => (await tx.select({ note: probe.note }).from(probe).where(eq(probe.id, 1)))[0]!.note),
    ];
    expect(notes).toEqual(Array(4).fill(`${BOM}name`));
  });

  it('runs a reusable query as one named statement, prepared once, inside a transaction too', async () => {
    const find = reusable('shim_probe_named', (db) =>
      db
        .select({ id: probe.id })
        .from(probe)
        .where(eq(probe.note, sql.placeholder('note'))),
    );
    const text = handle.db
      .select({ id: probe.id })
      .from(probe)
      .where(eq(probe.note, sql.placeholder('note')))
      .toSQL().sql;
    const statements = async () =>
      (await pg.query<{ name: string }>('select name from pg_prepared_statements where statement = $1', [text])).rows.map((r) => r.name);
    await find(handle.db).execute({ note: 'x' });
    await find(handle.db).execute({ note: 'y' });
    const named = await statements();
    expect(named, 'src/db/pglite-statements.ts: the query did not run as one named prepared statement').toEqual([
      expect.stringMatching(/^recomp_\d+$/),
    ]);
    // Inside a transaction the view runs on the transaction: its insert is seen, then rolled back.
    const rolledBack = new Error('roll back');
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.insert(probe).values({ id: 2, note: 'inside' });
        expect(await find(tx).execute({ note: 'inside' })).toEqual([{ id: 2 }]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await find(handle.db).execute({ note: 'inside' })).toEqual([]);
    expect(await statements()).toEqual(named);
  });

  it('refuses, naming @electric-sql/pglite, an instance without what the shims call', async () => {
    const without = (name: string) =>
      new Proxy(plain, { get: (target, property) => (property === name ? undefined : (Reflect.get(target, property, target) as unknown)) });
    await expect(withPreparedStatements(without('_runExclusiveQuery'))).rejects.toThrow(
      /src\/db\/pglite-statements\.ts does not fit the installed @electric-sql\/pglite: PGlite\._runExclusiveQuery is missing/,
    );
    expect(() => keepByteOrderMarks(without('execProtocolStream'))).toThrow(
      /src\/db\/pglite-text\.ts does not fit the installed @electric-sql\/pglite: PGlite\.execProtocolStream is missing/,
    );
  });
});
