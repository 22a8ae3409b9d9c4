/**
 * The database goes away under load (docs/SECURITY.md, "Faults"): requests fail fast with 503 problem
 * details, /health/ready turns 503, the service recovers by itself when the database is back, and
 * every request answered 2xx before the outage is still there afterwards.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type DatabaseHandle, openPostgres } from '../../src/db/client.ts';
import { type App, buildApp } from '../../src/http/app.ts';
import { daysFrom, type Session, signUp } from '../helpers/api.ts';
import { TEST_SECRET } from '../helpers/app.ts';
import { type Cluster, createCluster, postgresBin } from '../helpers/cluster.ts';
import { navy } from '../helpers/people.ts';

const bin = postgresBin();
if (!bin) console.warn('database-outage: no PostgreSQL binaries under /usr/lib/postgresql; .ci/run installs them');

const CONNECT_TIMEOUT_S = 2;
const RESPONSE_TIMEOUT_MS = 2000;
let cluster: Cluster;
let database: DatabaseHandle;
let app: App;

beforeAll(async () => {
  if (!bin) return;
  cluster = await createCluster(bin);
  database = await openPostgres(cluster.url, { poolSize: 8, connectTimeoutSeconds: CONNECT_TIMEOUT_S, statementTimeoutMs: 2000 });
  const config = loadConfig({
    NODE_ENV: 'test',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    SESSION_CHECK_SECONDS: '0',
    RESPONSE_TIMEOUT_MS: String(RESPONSE_TIMEOUT_MS),
  });
  app = await buildApp({ config, database, jwtSecret: TEST_SECRET });
  await app.ready();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
  await cluster?.destroy();
});

interface Outcome {
  status: number;
  ms: number;
  code?: string;
  id?: string;
  phase: string;
}

describe.skipIf(!bin)('database outage', () => {
  it('fails fast with 503 during the outage, recovers without a restart and loses nothing acknowledged', async () => {
    const person: Session = await signUp(app);
    const outcomes: Outcome[] = [];
    let phase = 'before';
    let running = true;
    const worker = async () => {
      for (let i = 0; running && i < 100_000; i++) {
        const started = performance.now();
        const response = await person.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-1) }));
        outcomes.push({
          status: response.status,
          ms: performance.now() - started,
          code: response.body?.code,
          id: response.body?.id,
          phase,
        });
        // A client backing off after a failure, as a real one would: pacing, not waiting for a state.
        if (response.status !== 201) await new Promise((r) => setTimeout(r, 20));
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    const ready = async () => (await person.api.get('/health/ready')).status;
    const answered = (phase: string, status?: number) =>
      outcomes.filter((o) => o.phase === phase && (status === undefined || o.status === status)).length;
    const waitFor = (condition: () => unknown) => vi.waitFor(condition, { timeout: 30_000, interval: 20 });

    await waitFor(() => expect(answered('before', 201)).toBeGreaterThan(5));
    phase = 'outage';
    await cluster.stop('immediate');
    // Requests keep coming during the outage, and readiness says so.
    await waitFor(async () => {
      expect(answered('outage')).toBeGreaterThan(5);
      expect(await ready()).toBe(503);
    });

    await cluster.start();
    phase = 'recovering';
    await waitFor(async () => expect(await ready()).toBe(200));
    phase = 'after';
    await waitFor(() => expect(answered('after', 201)).toBeGreaterThan(5));
    running = false;
    await Promise.all(workers);

    const during = outcomes.filter((o) => o.phase === 'outage');
    const failures = outcomes.filter((o) => o.status !== 201);
    console.log(
      `outage test: ${outcomes.length} requests, ${outcomes.filter((o) => o.status === 201).length} created, ${failures.length} refused (${[...new Set(failures.map((f) => `${f.status} ${f.code}`))].join(', ')}), slowest ${Math.round(Math.max(...outcomes.map((o) => o.ms)))} ms`,
    );
    expect(outcomes.filter((o) => o.phase === 'before' && o.status === 201).length).toBeGreaterThan(5);
    expect(during.length).toBeGreaterThan(5);
    // Every failure is a clean 503 problem, and none waited past the response deadline (plus slack).
    for (const failure of failures) {
      expect(failure.status, JSON.stringify(failure)).toBe(503);
      expect(['database_unavailable', 'response_timeout']).toContain(failure.code);
    }
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(RESPONSE_TIMEOUT_MS + 1000);
    expect(outcomes.filter((o) => o.phase === 'after' && o.status === 201).length).toBeGreaterThan(5);

    // Nothing acknowledged was lost. (A write that timed out may still have committed: its outcome
    // was unknown to the client, so there can be more rows than acknowledgements, never fewer.)
    const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => o.id!);
    const listed = await person.api.get('/api/v1/measurements?limit=1');
    expect(listed.body.total).toBeGreaterThanOrEqual(acknowledged.length);
    for (const id of acknowledged.slice(0, 200)) expect((await person.api.get(`/api/v1/measurements/${id}`)).status).toBe(200);
  }, 120_000);
});
