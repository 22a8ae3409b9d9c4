/** What any store of write positions (src/db/replicas.ts) must do, whatever keeps them. */
import { expect } from 'vitest';
import type { WritePositions } from '../../src/db/replicas.ts';

/** Positions near 2^53 bytes, where a store comparing doubles would start to round. */
export async function expectKeepsTheLater(positions: WritePositions, high = 9_007_199_254_000n) {
  await positions.remember('u1', high, 60_000);
  await positions.remember('u1', 4000n, 60_000);
  expect(await positions.recall('u1')).toBe(high);
  await positions.remember('u1', high + 1n, 60_000);
  expect(await positions.recall('u1')).toBe(high + 1n);
  expect(await positions.recall('u2')).toBeNull();
}
