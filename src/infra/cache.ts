/**
 * An LRU cache bounded by its number of entries that takes memory only as it fills. lru-cache's
 * `max` allocates its index and TTL arrays for `max` entries up front: the four 50,000–100,000
 * entry caches of a service held about 7 MB of heap from the start, whatever the traffic. Bounded
 * by `maxSize` with every entry of size 1, the same limit holds and the arrays grow with use
 * (docs/PERFORMANCE.md, "Memory of the embedded database").
 */
import { LRUCache } from 'lru-cache';

export function growingCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(
  maxEntries: number,
  options: { ttl?: number; ttlAutopurge?: boolean } = {},
): LRUCache<K, V> {
  return new LRUCache<K, V>({ ...options, maxSize: maxEntries, sizeCalculation: () => 1 });
}
