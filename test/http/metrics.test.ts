/**
 * Operations (README.md, 'Configuration': METRICS_PORT): Prometheus metrics on the main port or on METRICS_PORT alone, labelled by
 * route pattern; and the request id in every log line of its request.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { Api, signUp } from '../helpers/api.ts';
import { createTestApp, databaseKind, openTestDatabase, TEST_SECRET, type TestApp } from '../helpers/app.ts';
import { navy } from '../helpers/people.ts';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(async () => {
  await test.close();
});

/** The value of one sample line, e.g. `http_responses_total{method="GET",...} 3`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `) ? wanted.every((w) => l.includes(w)) : false));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('metrics', () => {
  it('serves per-route latency histograms and status counts by route pattern, with pool, argon2 and process metrics', async () => {
    const person = await signUp(test.app);
    const created = await person.api.post('/api/v1/measurements', navy());
    expect(created.status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await person.api.get(`/api/v1/measurements/${created.body.id}`)).status).toBe(200);
    expect((await person.api.get('/api/v1/measurements/00000000-0000-4000-8000-000000000000')).status).toBe(404);

    // Several at once, so that the pool opens more than the one connection the scrape then uses.
    await Promise.all(Array.from({ length: 6 }, () => person.api.get('/api/v1/measurements')));

    const response = await test.app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    const route = '/api/v1/measurements/:measurement_id';
    expect(sample(text, 'http_responses_total', { method: 'GET', route, status_code: '200' })).toBe(3);
    expect(sample(text, 'http_responses_total', { method: 'GET', route, status_code: '404' })).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route, status_code: '200' })).toBe(3);
    expect(sample(text, 'http_request_duration_seconds_bucket', { method: 'GET', route, status_code: '200', le: '+Inf' })).toBe(3);
    expect(text).not.toContain(created.body.id);
    expect(sample(text, 'http_responses_total', { method: 'POST', route: '/api/v1/users', status_code: '201' })).toBe(1);
    expect(sample(text, 'recomp_argon2_in_flight')).toBe(0);
    expect(sample(text, 'recomp_argon2_waiting')).toBe(0);
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    if (databaseKind() === 'postgres') {
      expect(sample(text, 'recomp_db_pool_size')).toBe(10);
      // The pool's own connections as the server sees them; the one that asked is not counted.
      const idle = sample(text, 'recomp_db_pool_connections', { state: 'idle' }) ?? 0;
      const active = sample(text, 'recomp_db_pool_connections', { state: 'active' }) ?? 0;
      expect(idle + active).toBeGreaterThanOrEqual(1);
      expect(idle + active).toBeLessThanOrEqual(9);
    }
  });

  it('labels a URL no route matches as unmatched, not by its path', async () => {
    await test.app.inject('/no/such/path/12345');
    const text = (await test.app.inject('/metrics')).body;
    expect(text).not.toContain('12345');
    expect(sample(text, 'http_responses_total', { route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(1);
  });

  it('with METRICS_PORT serves them there only', async () => {
    const database = await openTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', METRICS_PORT: '0' });
    const app = await buildApp({ config, database, jwtSecret: TEST_SECRET });
    try {
      await app.ready();
      expect((await app.inject('/health')).statusCode).toBe(200);
      expect((await app.inject('/metrics')).statusCode).toBe(404);
      const address = app.metricsAddress();
      expect(address?.address).toBe('127.0.0.1');
      const response = await fetch(`http://127.0.0.1:${address!.port}/metrics`);
      expect(response.status).toBe(200);
      expect(sample(await response.text(), 'http_responses_total', { route: '/health', status_code: '200' })).toBe(1);
      expect((await fetch(`http://127.0.0.1:${address!.port}/`)).status).toBe(404);
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe('request ids', () => {
  it("puts the caller's X-Request-Id, or a generated one, on the response and in every log line of the request", async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, next) {
        lines.push(JSON.parse(String(chunk)));
        next();
      },
    });
    const database = await openTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' });
    const app = await buildApp({ config, database, jwtSecret: TEST_SECRET, logger: pino({ level: 'debug' }, sink) });
    try {
      await app.ready();
      // A refused sign-in logs more than the request line; each of its lines carries the id.
      const given = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-request-id': 'trace-7f3a.1' },
        payload: { email: 'nobody@example.com', password: 'wrong-password' },
      });
      expect(given.statusCode).toBe(401);
      expect(given.headers['x-request-id']).toBe('trace-7f3a.1');
      const tooLong = await app.inject({ url: '/health', headers: { 'x-request-id': 'x'.repeat(129) } });
      const generated = tooLong.headers['x-request-id'] as string;
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      await new Api(app).get('/health');

      const ofGiven = lines.filter((l) => l.reqId === 'trace-7f3a.1');
      expect(ofGiven.length).toBeGreaterThanOrEqual(1);
      expect(lines.filter((l) => l.url === '/api/v1/auth/login').every((l) => l.reqId === 'trace-7f3a.1')).toBe(true);
      expect(lines.filter((l) => l.msg === 'request').map((l) => l.reqId)).toEqual([
        'trace-7f3a.1',
        generated,
        expect.stringMatching(/^[0-9a-f-]{36}$/),
      ]);
    } finally {
      await app.close();
      await database.close();
    }
  });
});
