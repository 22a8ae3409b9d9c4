/**
 * Fixed-window counters (failed sign-ins per account and per address). The in-process store suits
 * one instance; with REDIS_URL the instances of a deployment share them in Redis.
 */
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface Window { count: number; resetAt: number }

export interface CounterStore {
  /** Adds one to `key` in its current window (opening one of `windowMs` if none) and returns it. */
  increment(key: string, windowMs: number): Promise<Window>;
  /** The current window of `key`, or null when it has none. */
  peek(key: string): Promise<Window | null>;
  reset(key: string): Promise<void>;
}

/** Bounded: under a flood of distinct keys the least recently used windows go first. */
export function memoryCounterStore(maxKeys = 100_000, now: () => number = Date.now): CounterStore {
  const windows = new LRUCache<string, Window>({ max: maxKeys });
  const current = (key: string) => {
    const window = windows.get(key);
    if (window && window.resetAt <= now()) {
      windows.delete(key);
      return null;
    }
    return window ?? null;
  };
  return {
    async increment(key, windowMs) {
      const window = current(key) ?? { count: 0, resetAt: now() + windowMs };
      window.count += 1;
      windows.set(key, window);
      return { ...window };
    },
    async peek(key) {
      const window = current(key);
      return window ? { ...window } : null;
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

// One round trip, atomic: the first increment of a window sets its expiry.
const INCREMENT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;
const PEEK = `local n = redis.call('GET', KEYS[1])
if not n then return nil end
return {tonumber(n), redis.call('PTTL', KEYS[1])}`;

/**
 * Counters in Redis, shared by every instance. While Redis does not answer, the counting goes on in
 * `fallback` (this instance's memory): limits then hold per instance instead of across them, and
 * sign-in never fails because of Redis.
 */
export function redisCounterStore(redis: Redis, fallback: CounterStore, prefix = 'recomp:counter:', now: () => number = Date.now): CounterStore {
  const shared = async <T>(command: () => Promise<T>, alone: () => Promise<T>) => {
    try {
      return await command();
    } catch {
      return alone();
    }
  };
  const window = (count: number, ttlMs: number): Window => ({ count, resetAt: now() + Math.max(ttlMs, 0) });
  return {
    increment: (key, windowMs) => shared(async () => {
      const [count, ttl] = await redis.eval(INCREMENT, 1, prefix + key, windowMs) as [number, number];
      return window(count, ttl);
    }, () => fallback.increment(key, windowMs)),
    peek: (key) => shared(async () => {
      const found = await redis.eval(PEEK, 1, prefix + key) as [number, number] | null;
      return found === null ? null : window(...found);
    }, () => fallback.peek(key)),
    reset: (key) => shared(async () => { await redis.del(prefix + key); }, () => fallback.reset(key)),
  };
}
