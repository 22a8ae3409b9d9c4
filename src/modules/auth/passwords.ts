/**
 * argon2id password hashing on libuv's thread pool, so the event loop stays free (bcrypt at cost 12
 * blocking it is what sank the earlier implementation's latency).
 *
 * At most `concurrency` hashes run at once (by default one fewer than the cores); the rest wait
 * their turn here. On 2 cores, two hashes at once left the event loop and the database one core
 * between them and every request waited; one at a time, the journey's p95 fell by a quarter
 * (docs/PERFORMANCE.md, change 17).
 */
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';
import type { Config } from '../../config.ts';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Always does the work of one verification, even for an unknown account (no timing oracle). */
  verify(storedHash: string | null, password: string): Promise<boolean>;
  /** Hashes and verifications started and not finished: running, or waiting for their turn. */
  inFlight(): number;
  /** Of those, the ones waiting for their turn. */
  waiting(): number;
}

export function createPasswordHasher({ concurrency, ...params }: Config['argon2']): PasswordHasher {
  // Algorithm.Argon2id; the package's enum is a `const enum`, which isolated modules cannot read.
  const options = { algorithm: 2 as Algorithm, ...params };
  const limit = pLimit(concurrency);
  // A hash of a random password, made once: verifying against it costs what a real check costs.
  let dummy: Promise<string> | null = null;
  const dummyHash = () => (dummy ??= hash(crypto.randomUUID(), options));
  return {
    hash: (password) => limit(() => hash(password, options)),
    verify: (storedHash, password) => limit(async () => {
      if (storedHash === null) {
        await verify(await dummyHash(), password).catch(() => false);
        return false;
      }
      return verify(storedHash, password).catch(() => false);
    }),
    inFlight: () => limit.activeCount + limit.pendingCount,
    waiting: () => limit.pendingCount,
  };
}
