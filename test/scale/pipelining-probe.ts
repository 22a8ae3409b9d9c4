/**
 * The measurement behind src/db/transactions.ts (docs/DEPLOY.md): a throwaway PostgreSQL and
 * PgBouncer in transaction mode with 4 server connections; 200 concurrent callers send 20,000 plain
 * queries, pipelined pairs and transactions over 20 postgres.js connections, with postgres.js's
 * defaults (`old`) and with the service's transaction-mode settings (`new`). Prints how many
 * finished, failed or got a wrong answer within 30 s.
 *   npx tsx test/scale/pipelining-probe.ts [old,new]
 */
import postgres from 'postgres';
import { TRANSACTION_POOLING, withOwnTransactions } from '../../src/db/transactions.ts';
import { createCluster, postgresBin } from '../helpers/cluster.ts';
import { pgbouncerBin, startPgBouncer } from '../helpers/pgbouncer.ts';

const [bin, bouncerBin] = [postgresBin(), pgbouncerBin()];
if (!bin || !bouncerBin) throw new Error('needs PostgreSQL and PgBouncer (apt-get install postgresql pgbouncer)');
const cluster = await createCluster(bin);
const bouncer = await startPgBouncer(bouncerBin, cluster, { poolMode: 'transaction', serverConnections: 4 });
try {
  for (const mode of (process.argv[2] ?? 'old,new').split(',')) {
    const raw = postgres(bouncer.url('postgres'), {
      max: 20,
      onnotice: () => {},
      ...(mode === 'new' ? TRANSACTION_POOLING : { prepare: false }),
    });
    const sql = mode === 'new' ? withOwnTransactions(raw) : raw;
    let ok = 0;
    let failed = 0;
    let wrong = 0;
    const errors = new Map<string, number>();
    const started = Date.now();
    const one = async (i: number) => {
      try {
        let right: boolean;
        if (i % 5 === 0) right = (await sql`select ${i}::int as v`)[0]?.v === i;
        else if (i % 5 === 1) right = (await sql`select 7 as v`)[0]?.v === 7;
        else if (i % 5 === 2) {
          const rows = await sql.begin(async (tx) => {
            await tx`select 1`;
            return tx`select ${i}::int as v`;
          });
          right = rows[0]?.v === i;
        } else if (i % 5 === 3) {
          // Queries of one transaction sent together: all in the same server transaction.
          const [v, a, b] = await sql.begin((tx) => [
            tx`select ${i}::int as v`,
            tx`select txid_current() as t`,
            tx`select txid_current() as t`,
          ]);
          right = v[0]?.v === i && a[0]?.t === b[0]?.t;
        } else {
          const [a, b] = await Promise.all([sql`select ${i}::int as v`, sql`select now() as t`]);
          right = a[0]?.v === i && b[0]?.t instanceof Date;
        }
        if (right) ok++;
        else wrong++;
      } catch (error) {
        failed++;
        const message = String((error as Error).message).slice(0, 80);
        errors.set(message, (errors.get(message) ?? 0) + 1);
      }
    };
    const work = Array.from({ length: 20_000 }, (_, i) => i);
    await Promise.race([
      Promise.all(
        Array.from({ length: 200 }, async () => {
          while (work.length > 0) await one(work.pop() as number);
        }),
      ),
      // The probe's window: how many of the calls finish within 30 s (the rest hang).
      new Promise((resolve) => setTimeout(resolve, 30_000)),
    ]);
    console.log(`${mode}: ok ${ok}, failed ${failed}, wrong ${wrong}, not finished ${work.length}, in ${Date.now() - started} ms`, [
      ...errors,
    ]);
    await raw.end({ timeout: 1 });
  }
} finally {
  await bouncer.stop();
  await cluster.destroy();
}
