/**
 * buildApp connects to Redis before it registers the routes. When a registration fails the app is
 * never ready, so its close hooks never run: buildApp must close that connection itself, or an
 * embedder that catches the error and goes on keeps a Redis client open.
 */
import { PGlite } from '@electric-sql/pglite';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type DatabaseHandle, usePglite } from '../../src/db/client.ts';
import { buildApp } from '../../src/http/app.ts';
import { TEST_SECRET } from '../helpers/app.ts';
import { type RedisServer, redisBin, startRedis } from '../helpers/redis.ts';

// The last registration of buildApp fails.
vi.mock('../../src/http/web.ts', () => ({
  webApp: async () => {
    throw new Error('the web app could not be registered');
  },
}));

const bin = redisBin();
if (!bin)
  console.warn('redis: no redis-server binary (apt-get install redis-server; .ci/run installs it): the build-failure test did not run');

let redis: RedisServer;
let database: DatabaseHandle;
let observer: Redis;

beforeAll(async () => {
  if (!bin) return;
  redis = await startRedis(bin);
  database = await usePglite(await PGlite.create());
  observer = new Redis(redis.url);
}, 120_000);
afterAll(async () => {
  observer?.disconnect();
  await database?.close();
  await redis?.stop();
});

/** Clients connected to Redis, the observer itself included. */
const clients = async () =>
  String(await observer.client('LIST'))
    .trim()
    .split('\n').length;
/** Connections Redis has accepted since it started. */
const accepted = async () => Number(/total_connections_received:(\d+)/.exec(await observer.info('stats'))![1]);

describe.skipIf(!bin)('a registration that fails after Redis is connected', () => {
  it('rejects, and leaves no Redis connection open', async () => {
    expect(await clients()).toBe(1);
    const before = await accepted();
    const config = loadConfig({ NODE_ENV: 'test', ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', REDIS_URL: redis.url });
    await expect(buildApp({ config, database, jwtSecret: TEST_SECRET })).rejects.toThrow('the web app could not be registered');
    expect(await accepted()).toBeGreaterThan(before);
    await vi.waitFor(async () => expect(await clients()).toBe(1), { timeout: 5000 });
  });
});
