/**
 * The shared store of a deployment of several instances (REDIS_URL): rate-limit and sign-in
 * counters, and the write positions of read-your-writes. Redis is an aid, not a dependency: while it
 * is down, commands fail at once (no offline queue, a short timeout) and every user of it falls back
 * to what one instance can do alone; the connection keeps retrying, and the state changes are logged.
 */
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

export interface SharedRedis {
  client: Redis;
  /** Whether Redis answers a PING now (within the command timeout). */
  available(): Promise<boolean>;
  close(): Promise<void>;
}

const COMMAND_TIMEOUT_MS = 500;
const CONNECT_WAIT_MS = 2000;

export async function connectRedis(url: string, log: FastifyBaseLogger): Promise<SharedRedis> {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_WAIT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: error }, 'Redis is unavailable: rate and sign-in limits count per instance until it is back');
  });
  client.on('ready', () => {
    if (down) log.info('Redis is available again');
    down = false;
  });
  // Start without it rather than not at all; wait a little so a healthy start begins shared.
  await Promise.race([once(client, 'ready'), new Promise((r) => setTimeout(r, CONNECT_WAIT_MS).unref())]).catch(() => {});
  return {
    client,
    available: () =>
      client.ping().then(
        () => true,
        () => false,
      ),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
