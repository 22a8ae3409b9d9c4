/**
 * Fixed-window counters (failed sign-ins per account and per address). The in-process store suits
 * one instance; a deployment of several instances plugs a shared store behind the same interface.
 */
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
