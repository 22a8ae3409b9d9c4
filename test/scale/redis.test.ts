/**
 * Two instances on one Redis (REDIS_URL; docs/DEPLOY.md, 'Many instances'): the general rate limit and the sign-in failure
 * limit count across both, and Redis going away costs the limits their sharing, never a request.
 */
import { PGlite } from '@electric-sql/pglite';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type DatabaseHandle, usePglite } from '../../src/db/client.ts';
import { redisWritePositions } from '../../src/db/replicas.ts';
import { type App, buildApp } from '../../src/http/app.ts';
import { Api, PASSWORD, profile, signUp } from '../helpers/api.ts';
import { TEST_SECRET } from '../helpers/app.ts';
import { expectKeepsTheLater } from '../helpers/positions.ts';
import { type RedisServer, redisBin, startRedis } from '../helpers/redis.ts';

const bin = redisBin();
if (!bin)
  console.warn('redis: no redis-server binary (apt-get install redis-server; .ci/run installs it): the shared-limit tests did not run');

const RATE_LIMIT = 20;
const LOGIN_FAILURES = 3;
const SIGNUPS = 6;
let redis: RedisServer;
let database: DatabaseHandle;
let instances: App[] = [];

beforeAll(async () => {
  if (!bin) return;
  redis = await startRedis(bin);
  database = await usePglite(await PGlite.create());
  const config = loadConfig({
    NODE_ENV: 'test',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    REDIS_URL: redis.url,
    RATE_LIMIT_MAX: String(RATE_LIMIT),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: String(LOGIN_FAILURES),
    SIGNUP_MAX_PER_ADDRESS: String(SIGNUPS),
  });
  // Two instances of the service; they share the database, and Redis for everything kept between requests.
  instances = await Promise.all(
    [1, 2].map(async () => {
      const app = await buildApp({ config, database, jwtSecret: TEST_SECRET });
      await app.ready();
      return app;
    }),
  );
}, 120_000);
afterAll(async () => {
  await Promise.all(instances.map((app) => app.close()));
  await database?.close();
  await redis?.stop();
});

let addresses = 0;
/** Anonymous calls from one new client address, alternating between the instances. */
async function fromOneAddress(count: number): Promise<number[]> {
  const remoteAddress = `203.0.113.${++addresses}`;
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await instances[i % 2]!.inject({ url: '/health', remoteAddress })).statusCode);
  return statuses;
}

const login = (app: App, email: string, password: string) => new Api(app).post('/api/v1/auth/login', { email, password });

describe.skipIf(!bin)('two instances on one Redis', () => {
  it('share the rate limit: the calls of one address across both are counted once', async () => {
    const statuses = await fromOneAddress(RATE_LIMIT + 6);
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE_LIMIT);
    expect(statuses.slice(RATE_LIMIT)).toEqual(Array(6).fill(429));
  });

  it('share the sign-in failure limit: failures on either instance lock the account on both', async () => {
    const [a, b] = instances as [App, App];
    const { user } = await signUp(a);
    expect((await login(a, user.email, 'wrong-password-1')).status).toBe(401);
    expect((await login(b, user.email, 'wrong-password-2')).status).toBe(401);
    expect((await login(a, user.email, 'wrong-password-3')).status).toBe(401);
    // Only one failure happened on b itself: the count it sees is the shared one.
    const locked = await login(b, user.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('too_many_login_failures');
    expect((await a.inject('/health/ready')).json()).toMatchObject({ status: 'ready', redis: 'available' });
  });

  it('share the sign-in failure limit under parallel guessing: at most the limit of guesses are checked across both', async () => {
    const { user } = await signUp(instances[0]!);
    // 60 guesses at once, alternating between the instances, each from its own address (below the
    // general rate limit), the right password among them.
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        instances[i % 2]!.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: user.email, password: i === 40 ? PASSWORD : `guess-${i}` },
          remoteAddress: `198.51.100.${i + 1}`,
        }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401 || s === 200)).toHaveLength(LOGIN_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(60 - LOGIN_FAILURES);
  });

  it('share the sign-up limit: sign-ups from one address across both are counted once', async () => {
    const remoteAddress = '203.0.113.200';
    const responses = await Promise.all(
      Array.from({ length: SIGNUPS + 4 }, (_, i) =>
        instances[i % 2]!.inject({ method: 'POST', url: '/api/v1/users', payload: profile(), remoteAddress }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(SIGNUPS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  });

  it('share write positions (read-your-writes), keeping the later of two', async () => {
    const redisClient = new Redis(redis.url);
    try {
      await expectKeepsTheLater(redisWritePositions(redisClient, 'test:wal:'));
    } finally {
      redisClient.disconnect();
    }
  });

  it('keep serving while Redis is down, limiting per instance, and share again once it is back', async () => {
    const [a, b] = instances as [App, App];
    const { user } = await signUp(a);
    await redis.stop();

    const statuses = await fromOneAddress(RATE_LIMIT + 6);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE_LIMIT + 6); // fail open: not limited
    const ready = await a.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', redis: 'unavailable' });
    // Sign-in failures fall back to this instance's own count: a still locks the account after the limit.
    for (let i = 0; i < LOGIN_FAILURES; i++) expect((await login(a, user.email, `wrong-${i}`)).status).toBe(401);
    expect((await login(a, user.email, PASSWORD)).status).toBe(429);
    expect((await login(b, user.email, PASSWORD)).status).toBe(200);

    await redis.start();
    // Both instances reconnect by themselves.
    await vi.waitFor(
      async () => {
        for (const app of [a, b]) expect((await app.inject('/health/ready')).json().redis).toBe('available');
      },
      { timeout: 10_000, interval: 100 },
    );
    const shared = await fromOneAddress(RATE_LIMIT + 2);
    expect(shared.filter((s) => s === 200)).toHaveLength(RATE_LIMIT);
  });
});
