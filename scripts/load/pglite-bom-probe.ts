/**
 * `npx tsx scripts/load/pglite-bom-probe.ts [params|mixed|plain] [queries] [rounds]`: what giving
 * PGlite's leading byte order marks back (src/db/pglite-text.ts) costs a read. Two embedded databases
 * with the same 5,000 rows, one with the shim and one without, both with the service's prepared
 * statements (src/db/pglite-statements.ts), run the same reads through drizzle in rounds of rotating
 * order; prints the median CPU µs a query of each. `params`: a reusable query with a parameter (the
 * service's path); `mixed`: half of them in a transaction; `plain`: a query without parameters
 * (PGlite's own path). docs/PERFORMANCE.md, "PGlite's byte order marks".
 */
import { PGlite } from '@electric-sql/pglite';
import { desc, eq, sql } from 'drizzle-orm';
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/pglite';
import type { Database } from '../../src/db/client.ts';
import { withPreparedStatements } from '../../src/db/pglite-statements.ts';
import { keepByteOrderMarks } from '../../src/db/pglite-text.ts';
import { reusable } from '../../src/db/prepared.ts';

const mode = process.argv[2] ?? 'params';
const queries = Number(process.argv[3] ?? 3000);
const rounds = Number(process.argv[4] ?? 12);
if (!['params', 'mixed', 'plain'].includes(mode) || !(queries > 0) || !(rounds > 0)) {
  console.error('pglite-bom-probe: [params|mixed|plain] [queries a round] [rounds]');
  process.exit(2);
}

const notes = pgTable('notes', {
  id: integer('id').primaryKey(),
  owner: integer('owner').notNull(),
  note: text('note'),
  at: timestamp('at', { withTimezone: true }).notNull(),
});
const list = reusable('notes_of_owner', (db) =>
  db
    .select()
    .from(notes)
    .where(eq(notes.owner, sql.placeholder('owner')))
    .orderBy(desc(notes.at))
    .limit(20),
);

async function open(withShim: boolean): Promise<{ pg: PGlite; db: Database }> {
  const pg = await PGlite.create();
  if (withShim) keepByteOrderMarks(pg);
  const db = drizzle(await withPreparedStatements(pg)) as unknown as Database;
  await pg.exec(`
    create table notes (id int primary key, owner int not null, note text, at timestamptz not null);
    create index on notes (owner, at);
    insert into notes select i, i % 50, repeat('note text ', 5) || i, now() - i * interval '1 hour' from generate_series(1, 5000) i;`);
  return { pg, db };
}

async function read(db: Database, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    if (mode === 'params') await list(db).execute({ owner: i % 50 });
    else if (mode === 'plain') await db.execute(sql`select * from notes where owner = 7 order by at desc limit 20`);
    else if (i % 2 === 0) await list(db).execute({ owner: i % 50 });
    else
      await db.transaction(async (tx) => {
        await list(tx).execute({ owner: i % 50 });
      });
  }
}

const variants = [
  ['with', await open(true)],
  ['without', await open(false)],
] as const;
for (const [, { db }] of variants) await read(db, 500);
const cpu: Record<string, number[]> = { with: [], without: [] };
for (let round = 0; round < rounds; round++) {
  for (const [name, { db }] of round % 2 === 0 ? variants : [...variants].reverse()) {
    const start = process.cpuUsage();
    await read(db, queries);
    const used = process.cpuUsage(start);
    cpu[name]!.push((used.user + used.system) / queries);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const [withShim, without] = [median(cpu.with!), median(cpu.without!)];
console.log(
  `${mode}: ${withShim.toFixed(1)} µs CPU a query with the shim, ${without.toFixed(1)} without (${((withShim / without - 1) * 100).toFixed(1)} %), medians of ${rounds} rounds of ${queries}`,
);
for (const [, { pg }] of variants) await pg.close();
