/** The in-process allowance store: all or none, never past a limit, never below zero, windows that end. */
import { describe, expect, it } from 'vitest';
import { memoryCounterStore } from '../../src/infra/counters.ts';

describe('memory counter store', () => {
  it('takes a unit of every allowance or of none, refusing once any limit is used up', async () => {
    let clock = 1_000;
    const store = memoryCounterStore(100, () => clock);
    const both = [
      { key: 'a', limit: 2, windowMs: 60_000 },
      { key: 'b', limit: 5, windowMs: 30_000 },
    ];
    expect(await store.take(both)).toEqual({ granted: true });
    expect(await store.take(both)).toEqual({ granted: true });
    // `a` is used up: refused until a's window ends, and `b` was not touched by the refusal.
    clock += 10_000;
    expect(await store.take(both)).toEqual({ granted: false, retryAfterMs: 50_000 });
    for (let i = 0; i < 3; i++) expect(await store.take([both[1]!])).toEqual({ granted: true });
    expect(await store.take([both[1]!])).toEqual({ granted: false, retryAfterMs: 20_000 });
    // Windows end: both open again.
    clock += 60_000;
    expect(await store.take(both)).toEqual({ granted: true });
  });

  it('gives units back, never below zero and never into an ended window', async () => {
    let clock = 0;
    const store = memoryCounterStore(100, () => clock);
    const one = [{ key: 'k', limit: 1, windowMs: 1_000 }];
    expect(await store.take(one)).toEqual({ granted: true });
    expect((await store.take(one)).granted).toBe(false);
    await store.giveBack(['k']);
    await store.giveBack(['k', 'never-taken']);
    expect(await store.take(one)).toEqual({ granted: true });
    expect((await store.take(one)).granted).toBe(false);
    clock = 5_000;
    await store.giveBack(['k']);
    expect(await store.take(one)).toEqual({ granted: true });
    expect((await store.take(one)).granted).toBe(false);
  });
});
