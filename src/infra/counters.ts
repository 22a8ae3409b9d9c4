/**
 * Fixed-window allowances (failed sign-ins per account and per address, sign-ups per address). The
 * in-process store suits one instance; with REDIS_URL the instances of a deployment share them in
 * Redis.
 *
 * A unit is taken before the costly work it guards (a password hash) and atomically with the check,
 * so concurrent requests can never take more units than the limit: N parallel attempts see N
 * distinct counts. Checking first and counting after the work lets every request of a burst pass
 * the check before any of them is counted.
 */
import type { Redis } from 'ioredis';
import { growingCache } from './cache.ts';

interface Allowance {
  key: string;
  limit: number;
  windowMs: number;
}

/** Granted, or refused with how long until the first blocking window ends. */
type Reservation = { granted: true } | { granted: false; retryAfterMs: number };

export interface CounterStore {
  /**
   * Takes one unit of every allowance, or none at all: refused when any of them has used up its
   * limit in its current window. A key's window opens (for its `windowMs`) with its first unit.
   */
  take(allowances: Allowance[]): Promise<Reservation>;
  /** Gives one unit back to each key (never below zero; an ended window stays ended). */
  giveBack(keys: string[]): Promise<void>;
}

interface Window {
  count: number;
  resetAt: number;
}

/** Bounded: under a flood of distinct keys the least recently used windows go first. */
export function memoryCounterStore(maxKeys = 100_000, now: () => number = Date.now): CounterStore {
  const windows = growingCache<string, Window>(maxKeys);
  const current = (key: string) => {
    const window = windows.get(key);
    if (window && window.resetAt <= now()) {
      windows.delete(key);
      return null;
    }
    return window ?? null;
  };
  return {
    // Synchronous between the reads and the writes, so atomic within the process.
    async take(allowances) {
      const at = now();
      const blocking = allowances
        .map((a) => ({ a, window: current(a.key) }))
        .filter(({ a, window }) => window !== null && window.count >= a.limit);
      if (blocking.length > 0) return { granted: false, retryAfterMs: Math.max(...blocking.map(({ window }) => window!.resetAt - at)) };
      for (const { key, windowMs } of allowances) {
        const window = current(key) ?? { count: 0, resetAt: at + windowMs };
        window.count += 1;
        windows.set(key, window);
      }
      return { granted: true };
    },
    async giveBack(keys) {
      for (const key of keys) {
        const window = current(key);
        if (window && window.count > 0) window.count -= 1;
      }
    },
  };
}

// KEYS: the counters; ARGV: a limit and a window (ms) per key. All or none, in one script, so the
// check and the increments cannot interleave with another instance's.
const TAKE = `local blocked = 0
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', key) or '0')
  if n >= tonumber(ARGV[2 * i - 1]) then blocked = math.max(blocked, redis.call('PTTL', key), 1) end
end
if blocked > 0 then return {0, blocked} end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[2 * i]) end
end
return {1, 0}`;
// DECR keeps the key's expiry; a key that has expired is not brought back.
const GIVE_BACK = `for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0`;

/**
 * Counters in Redis, shared by every instance. While Redis does not answer, the counting goes on in
 * `fallback` (this instance's memory): limits then hold per instance instead of across them, and
 * sign-in never fails because of Redis.
 */
export function redisCounterStore(redis: Redis, fallback: CounterStore, prefix = 'recomp:counter:'): CounterStore {
  const shared = async <T>(command: () => Promise<T>, alone: () => Promise<T>) => {
    try {
      return await command();
    } catch {
      return alone();
    }
  };
  return {
    take: (allowances) =>
      shared(
        async () => {
          const args = allowances.flatMap((a) => [a.limit, a.windowMs]);
          const [granted, ttl] = (await redis.eval(TAKE, allowances.length, ...allowances.map((a) => prefix + a.key), ...args)) as [
            number,
            number,
          ];
          return granted === 1 ? { granted: true } : { granted: false, retryAfterMs: ttl };
        },
        () => fallback.take(allowances),
      ),
    giveBack: (keys) =>
      shared(
        async () => {
          await redis.eval(GIVE_BACK, keys.length, ...keys.map((key) => prefix + key));
        },
        () => fallback.giveBack(keys),
      ),
  };
}
