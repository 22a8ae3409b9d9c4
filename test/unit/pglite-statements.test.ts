/** The embedded database's prepared-statement path answers exactly as PGlite's own query does. */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPreparedStatements } from '../../src/db/pglite-statements.ts';

let plain: PGlite;
let fast: PGlite;

beforeAll(async () => {
  plain = await PGlite.create();
  fast = await withPreparedStatements(plain);
  await plain.exec(`
    create table t (id serial primary key, n numeric(5,2), at timestamptz, doc jsonb, note text, ok boolean);
    create unique index t_note on t (note);
  `);
});
afterAll(async () => {
  await plain.close();
});

const rowsAs = { rowMode: 'array' as const };

describe('PGlite with named prepared statements', () => {
  it('returns the same rows, fields and counts as a plain query, in both row modes', async () => {
    const insert = 'insert into t (n, at, doc, note, ok) values ($1, $2, $3, $4, $5) returning *';
    const a = await fast.query(insert, [12.34, '2026-01-02T03:04:05.678Z', JSON.stringify({ k: [1, 2] }), 'first', true]);
    const b = await plain.query(insert, [12.34, '2026-01-02T03:04:05.678Z', JSON.stringify({ k: [1, 2] }), 'second', false]);
    expect(a.fields).toEqual(b.fields);
    expect(a.affectedRows).toBe(1);
    expect({ ...(a.rows[0] as object), id: 0, note: '', ok: null }).toEqual({ ...(b.rows[0] as object), id: 0, note: '', ok: null });
    await fast.query(insert, [null, null, null, 'third', null]);
    const select = 'select n, at, doc, note, ok from t where id >= $1 order by id';
    for (let i = 0; i < 3; i++) expect(await fast.query(select, [1], rowsAs)).toEqual(await plain.query(select, [1], rowsAs));
    expect(await fast.query(select, [1])).toEqual(await plain.query(select, [1]));
  });

  it("applies a query's own parsers over the defaults, as drizzle passes them, run after run", async () => {
    // drizzle hands the same options object to every run of a query (timestamps and dates as text).
    const options = {
      rowMode: 'array' as const,
      parsers: { 1184: (value: string) => `raw ${value}`, 1700: (value: string) => `numeric ${value}` },
    };
    const select = 'select n, at, doc, note from t where note = $1';
    const first = await fast.query(select, ['first'], options);
    expect(first).toEqual(await plain.query(select, ['first'], options));
    expect(first.rows[0]).toEqual(['numeric 12.34', expect.stringMatching(/^raw 2026-01-02 03:04:05\.678\+00/), { k: [1, 2] }, 'first']);
    expect(await fast.query(select, ['first'], options)).toEqual(first);
    // Without parsers of its own, the defaults (a Date for timestamptz).
    expect((await fast.query<{ at: unknown }>(select, ['first'])).rows[0]!.at).toBeInstanceOf(Date);
  });

  it('reports database errors with their code and the query, and keeps working after one', async () => {
    const insert = 'insert into t (note) values ($1)';
    await fast.query(insert, ['dup']);
    await expect(fast.query(insert, ['dup'])).rejects.toMatchObject({ code: '23505', query: insert });
    await expect(fast.query('select nope from t where id = $1', [1])).rejects.toMatchObject({ code: '42703' });
    expect((await fast.query<{ n: number }>('select count(*)::int as n from t where note = $1', ['dup'])).rows).toEqual([{ n: 1 }]);
  });

  it('runs inside transactions, which commit or roll back as a whole', async () => {
    const insert = 'insert into t (note) values ($1)';
    await fast.transaction(async (tx) => {
      await tx.query(insert, ['kept']);
    });
    await expect(
      fast.transaction(async (tx) => {
        await tx.query(insert, ['rolled back']);
        await tx.query(insert, ['kept']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const notes = await fast.query<{ note: string }>('select note from t where note = any($1) order by note', [['kept', 'rolled back']]);
    expect(notes.rows).toEqual([{ note: 'kept' }]);
  });

  it('serialises concurrent queries and transactions as PGlite does', async () => {
    const insert = 'insert into t (note) values ($1)';
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 4 === 0
          ? fast.transaction(async (tx) => {
              await tx.query(insert, [`tx ${i}`]);
              await tx.query(insert, [`tx ${i} b`]);
            })
          : fast.query(insert, [`q ${i}`]),
      ),
    );
    const { rows } = await fast.query<{ n: number }>('select count(*)::int as n from t where note like $1 or note like $2', [
      'tx %',
      'q %',
    ]);
    expect(rows).toEqual([{ n: 25 }]);
  });
});
