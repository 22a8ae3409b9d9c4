import { type Algorithm, hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import type { PasswordHasher } from '../../src/core/context.ts';
import type { AppError } from '../../src/core/errors.ts';
import { createPasswordHasher } from '../../src/modules/auth/passwords.ts';

const cheap = { memoryCost: 1024, timeCost: 1, parallelism: 1, maxWaiting: 100 };
// The calls are queued as they are made: right after them, the counts are exact.
const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** Waits for every hash in flight, noting the most that ran at once (sampled every turn of the loop). */
async function mostRunningUntilDone(hasher: PasswordHasher, pending: Promise<unknown>[]): Promise<number> {
  let most = 0;
  const watching = (async () => {
    while (hasher.inFlight() > 0) {
      most = Math.max(most, hasher.inFlight() - hasher.waiting());
      await ticks(1);
    }
  })();
  await Promise.all(pending);
  await watching;
  return most;
}

describe('password hasher', () => {
  it('runs at most `concurrency` hashes at once; the rest wait their turn and all finish', async () => {
    const hasher = createPasswordHasher({ ...cheap, concurrency: 1 }, 1);
    const pending = ['a', 'b', 'c', 'd'].map((password) => hasher.hash(`password-${password}`));
    expect(hasher.inFlight()).toBe(4);
    expect(hasher.waiting()).toBe(3);
    expect(await mostRunningUntilDone(hasher, pending)).toBe(1);
    const hashes = await Promise.all(pending);
    expect(new Set(hashes).size).toBe(4);
    expect(hasher.inFlight()).toBe(0);
    expect(await hasher.verify(hashes[2]!, 'password-c')).toBe(true);
    expect(await hasher.verify(hashes[2]!, 'password-d')).toBe(false);
  });

  it('runs as many as there are cores while two or more wait, then one at a time again', async () => {
    const hasher = createPasswordHasher({ ...cheap, concurrency: 1 }, 3);
    // One waiting: still one at a time.
    const pair = [hasher.hash('p1'), hasher.hash('p2')];
    expect(hasher.waiting()).toBe(1);
    expect(await mostRunningUntilDone(hasher, pair)).toBe(1);
    // A burst: the cores' worth run together until the queue is empty.
    const burst = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => hasher.hash(`password-${n}`));
    expect(await mostRunningUntilDone(hasher, burst)).toBe(3);
    // Back to one at a time.
    const after = [hasher.hash('q1'), hasher.hash('q2')];
    expect(hasher.waiting()).toBe(1);
    expect(await mostRunningUntilDone(hasher, after)).toBe(1);
  });

  it('lets as many run as it is allowed', async () => {
    const hasher = createPasswordHasher({ ...cheap, concurrency: 3 }, 2);
    const pending = [1, 2, 3, 4].map((n) => hasher.hash(`password-${n}`));
    expect(hasher.waiting()).toBe(1);
    expect(await mostRunningUntilDone(hasher, pending)).toBe(3);
    expect(hasher.waiting()).toBe(0);
  });

  it('refuses at once with 503 and Retry-After when `maxWaiting` are already waiting', async () => {
    const hasher = createPasswordHasher({ ...cheap, concurrency: 1, maxWaiting: 2 }, 1);
    const admitted = [hasher.hash('a1'), hasher.hash('a2'), hasher.hash('a3')];
    expect(hasher.waiting()).toBe(2);
    // 'unavailable' with a retry time: 503 with Retry-After on the wire (src/http/errors.ts).
    const refusal = await hasher.hash('a4').catch((error: unknown) => error);
    expect(refusal).toMatchObject({ kind: 'unavailable', code: 'password_queue_full' });
    expect(Number.isInteger((refusal as AppError).details.retryAfterSeconds)).toBe(true);
    expect((refusal as AppError).details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await expect(hasher.verify(null, 'a5')).rejects.toMatchObject({ kind: 'unavailable' });
    expect(hasher.inFlight()).toBe(3);
    await Promise.all(admitted);
    // Room again once the queue has drained.
    expect(await hasher.verify(await hasher.hash('b1'), 'b1')).toBe(true);
  });

  it('lets verifications (sign-ins) go before waiting hashes (sign-ups)', async () => {
    const hasher = createPasswordHasher({ ...cheap, concurrency: 1 }, 1);
    const stored = await hasher.hash('signed-up-earlier');
    const finished: string[] = [];
    const note = (name: string) => (value: unknown) => {
      finished.push(name);
      return value;
    };
    const pending = [
      ...[1, 2, 3, 4].map((n) => hasher.hash(`flood-${n}`).then(note(`hash-${n}`))),
      hasher.verify(stored, 'signed-up-earlier').then(note('verify')),
    ];
    await Promise.all(pending);
    // hash-1 was running already; the verification went next, ahead of the three waiting hashes.
    expect(finished).toEqual(['hash-1', 'verify', 'hash-2', 'hash-3', 'hash-4']);
  });

  it('verifies unknown accounts against a dummy hash, through the same turns', async () => {
    const hasher = createPasswordHasher({ ...cheap, concurrency: 1 });
    const results = await Promise.all([hasher.verify(null, 'x'), hasher.verify('not a hash', 'x')]);
    expect(results).toEqual([false, false]);
    expect(hasher.inFlight()).toBe(0);
  });

  it('asks for a rehash exactly when a stored hash was made with other parameters or another algorithm', async () => {
    const hasher = createPasswordHasher({ ...cheap, concurrency: 1 });
    expect(hasher.needsRehash(await hasher.hash('secret'))).toBe(false);
    const made = (options: Partial<typeof cheap> & { algorithm?: number }) =>
      hash('secret', { ...cheap, algorithm: 2 as Algorithm, ...options } as Parameters<typeof hash>[1]);
    expect(hasher.needsRehash(await made({}))).toBe(false);
    expect(hasher.needsRehash(await made({ memoryCost: 2048 }))).toBe(true);
    expect(hasher.needsRehash(await made({ timeCost: 2 }))).toBe(true);
    expect(hasher.needsRehash(await made({ parallelism: 2 }))).toBe(true);
    // argon2i (1) and argon2d (0), same parameters.
    expect(hasher.needsRehash(await made({ algorithm: 1 }))).toBe(true);
    expect(hasher.needsRehash(await made({ algorithm: 0 }))).toBe(true);
    // m=1024 is a prefix of m=10240: the whole parameter list is compared, not a prefix of it.
    expect(createPasswordHasher({ ...cheap, memoryCost: 10_240, concurrency: 1 }).needsRehash(await made({}))).toBe(true);
    expect(hasher.needsRehash('$2b$12$abcdefghijklmnopqrstuu5f3XyJ3m6yG5a8Y5Y3n5bZ1t5wz1E2m')).toBe(true);
  });
});
