import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../../src/modules/auth/passwords.ts';

const cheap = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const ticks = async (n: number) => { for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve)); };

describe('password hasher', () => {
  it('runs at most `concurrency` hashes at once; the rest wait their turn and all finish', async () => {
    const hasher = createPasswordHasher({ ...cheap, concurrency: 1 });
    const pending = ['a', 'b', 'c', 'd'].map((password) => hasher.hash(`password-${password}`));
    await ticks(1);
    expect(hasher.inFlight()).toBe(4);
    expect(hasher.waiting()).toBe(3);
    let mostRunning = 0;
    const watching = (async () => {
      while (hasher.inFlight() > 0) { mostRunning = Math.max(mostRunning, hasher.inFlight() - hasher.waiting()); await ticks(1); }
    })();
    const hashes = await Promise.all(pending);
    await watching;
    expect(mostRunning).toBe(1);
    expect(new Set(hashes).size).toBe(4);
    expect(hasher.inFlight()).toBe(0);
    expect(await hasher.verify(hashes[2]!, 'password-c')).toBe(true);
    expect(await hasher.verify(hashes[2]!, 'password-d')).toBe(false);
  });

  it('lets as many run as it is allowed', async () => {
    const hasher = createPasswordHasher({ ...cheap, concurrency: 3 });
    const pending = [1, 2, 3, 4, 5].map((n) => hasher.hash(`password-${n}`));
    await ticks(1);
    expect(hasher.waiting()).toBe(2);
    await Promise.all(pending);
    expect(hasher.waiting()).toBe(0);
  });

  it('verifies unknown accounts against a dummy hash, through the same turns', async () => {
    const hasher = createPasswordHasher({ ...cheap, concurrency: 1 });
    const results = await Promise.all([hasher.verify(null, 'x'), hasher.verify('not a hash', 'x')]);
    expect(results).toEqual([false, false]);
    expect(hasher.inFlight()).toBe(0);
  });
});
