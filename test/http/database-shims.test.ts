/**
 * The effects of the shims in src/db on the database under test (PGlite, or PostgreSQL through
 * postgres.js): a reusable query runs as a named prepared statement (src/db/prepared.ts with
 * src/db/client.ts or src/db/pglite-statements.ts), and a transaction's statements, the first sent
 * together with BEGIN, run on one connection in one transaction (src/db/transactions.ts). What they
 * rely on in the dependencies: test/unit/db-shims.test.ts.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { reusable } from '../../src/db/prepared.ts';
import { users } from '../../src/db/schema.ts';
import { openTestDatabase } from '../helpers/app.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

/** drizzle's execute gives postgres.js's rows as an array, PGlite's in `rows`. */
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

const nobody = '00000000-0000-4000-8000-000000000000';

it('runs a reusable query as one named prepared statement on the connection it runs on', async () => {
  const build = (db: Parameters<Parameters<typeof reusable>[1]>[0]) =>
    db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.id, sql.placeholder('id')));
  const find = reusable('shim_effect_user', build);
  const text = build(database.db).toSQL().sql;
  // Prepared statements belong to a connection: asked on the transaction's.
  const names = await database.db.transaction(async (tx) => {
    expect(await find(tx).execute({ id: nobody })).toEqual([]);
    expect(await find(tx).execute({ id: nobody })).toEqual([]);
    return rowsOf<{ name: string }>(await tx.execute(sql`select name from pg_prepared_statements where statement = ${text}`)).map(
      (row) => row.name,
    );
  });
  expect(names, `${database.kind}: the query did not run as one named prepared statement`).toEqual([expect.stringMatching(/^\S+$/)]);
});

it("runs a transaction's statements, the first sent with BEGIN, on one connection in one transaction", async () => {
  const seen = await database.db.transaction(async (tx) => {
    const read = async () =>
      rowsOf<{ pid: number; xid: string }>(await tx.execute(sql`select pg_backend_pid() as pid, txid_current()::text as xid`))[0]!;
    // Outside a transaction every txid_current() would take a new transaction id.
    const [first, second] = await Promise.all([read(), read()]);
    return [first, second, await read()];
  });
  expect(new Set(seen.map((row) => `${row.pid}/${row.xid}`)).size, JSON.stringify(seen)).toBe(1);
});
