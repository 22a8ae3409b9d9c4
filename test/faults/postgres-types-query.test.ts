/**
 * postgres.js asks each new connection for the server's array types before its first query, and
 * drops that query's promise: when it fails (cancelled by a statement timeout, or the database going
 * away mid-handshake, as in database-outage.test.ts) the rejection reached no one, and Node exits on
 * an unhandled rejection. The patch in patches/ (README there) catches it; this checks the
 * failure stays with the connection.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, createCluster, postgresBin } from '../helpers/cluster.ts';

const bin = postgresBin();
if (!bin) console.warn('postgres-types-query: no PostgreSQL binaries under /usr/lib/postgresql; .ci/run installs them');

let cluster: Cluster;
beforeAll(async () => {
  if (bin) cluster = await createCluster(bin);
}, 120_000);
afterAll(async () => {
  await cluster?.destroy();
});

describe.skipIf(!bin)('the types query of a new connection', () => {
  it('fails that connection’s queries, never the process, when it is cancelled', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    const outcomes: string[] = [];
    try {
      // A 1 ms statement timeout cancels the catalog query (a join over pg_type) before it ends.
      const sql = postgres(cluster.url, { max: 1, onnotice: () => {}, connection: { statement_timeout: 1 } });
      for (let i = 0; i < 5; i++) {
        outcomes.push(
          await sql`select 1 as one`.then(
            () => 'answered',
            (error: { code?: string }) => `refused ${error.code}`,
          ),
        );
      }
      await sql.end({ timeout: 5 });
      // Let any dropped promise settle before looking.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', record);
    }
    expect(unhandled).toEqual([]);
    // Each query was answered or refused on its own terms.
    expect(outcomes).toHaveLength(5);
    for (const outcome of outcomes) expect(outcome).toMatch(/^(answered|refused \w+)$/);
  });
});
