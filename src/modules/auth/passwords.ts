/**
 * argon2id password hashing on libuv's thread pool, so the event loop stays free (bcrypt at cost 12
 * blocking it is what sank the earlier implementation's latency).
 *
 * At most `concurrency` hashes run at once (by default one fewer than the cores) while they keep
 * up; the rest wait their turn here. On 2 cores, two hashes at once left the event loop and the
 * database one core between them and every request waited. When hashes queue up (two or more
 * waiting), as many run as there are cores until the queue is empty again, so a burst of sign-ups
 * is served at the machine's rate rather than one core's (docs/PERFORMANCE.md, changes 17 and 18).
 */
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import type { Config } from '../../config.ts';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Always does the work of one verification, even for an unknown account (no timing oracle). */
  verify(storedHash: string | null, password: string): Promise<boolean>;
  /**
   * Whether a stored hash was made otherwise than a new one would be (another algorithm, version or
   * parameters): after a successful sign-in it is replaced, so a change of ARGON2_* reaches every
   * account that signs in (OWASP: upgrade the work factor on the next login).
   */
  needsRehash(storedHash: string): boolean;
  /** Hashes and verifications started and not finished: running, or waiting for their turn. */
  inFlight(): number;
  /** Of those, the ones waiting for their turn. */
  waiting(): number;
}

export function createPasswordHasher({ concurrency, ...params }: Config['argon2'], cores = availableParallelism()): PasswordHasher {
  // Algorithm.Argon2id; the package's enum is a `const enum`, which isolated modules cannot read.
  const options = { algorithm: 2 as Algorithm, ...params };
  const limit = pLimit(concurrency);
  const widest = Math.max(concurrency, cores);
  // Two or more waiting: widen; none waiting: back to `concurrency`; in between, as it is.
  const adjust = () => {
    const wanted = limit.pendingCount >= 2 ? widest : limit.pendingCount === 0 ? concurrency : limit.concurrency;
    if (wanted !== limit.concurrency) limit.concurrency = wanted;
  };
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const done = limit(work);
    adjust();
    void done.finally(adjust).catch(() => {});
    return done;
  };
  // The PHC string's head a hash made now starts with: $argon2id$v=19$m=…,t=…,p=…$
  const current = `$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`;
  // A hash of a random password, made once: verifying against it costs what a real check costs.
  let dummy: Promise<string> | null = null;
  const dummyHash = () => (dummy ??= hash(crypto.randomUUID(), options));
  return {
    hash: (password) => inTurn(() => hash(password, options)),
    verify: (storedHash, password) => inTurn(async () => {
      if (storedHash === null) {
        await verify(await dummyHash(), password).catch(() => false);
        return false;
      }
      return verify(storedHash, password).catch(() => false);
    }),
    needsRehash: (storedHash) => !storedHash.startsWith(current),
    inFlight: () => limit.activeCount + limit.pendingCount,
    waiting: () => limit.pendingCount,
  };
}
