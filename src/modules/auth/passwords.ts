/**
 * argon2id password hashing on libuv's thread pool, so the event loop stays free (bcrypt at cost 12
 * blocking it is what sank the earlier implementation's latency).
 */
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import type { Config } from '../../config.ts';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Always does the work of one verification, even for an unknown account (no timing oracle). */
  verify(storedHash: string | null, password: string): Promise<boolean>;
  /** Hashes and verifications started and not finished: running on, or queued for, the thread pool. */
  inFlight(): number;
}

export function createPasswordHasher(params: Config['argon2']): PasswordHasher {
  // Algorithm.Argon2id; the package's enum is a `const enum`, which isolated modules cannot read.
  const options = { algorithm: 2 as Algorithm, ...params };
  // A hash of a random password, made once: verifying against it costs what a real check costs.
  let dummy: Promise<string> | null = null;
  const dummyHash = () => (dummy ??= hash(crypto.randomUUID(), options));
  let inFlight = 0;
  const counted = async <T>(work: () => Promise<T>): Promise<T> => {
    inFlight += 1;
    try {
      return await work();
    } finally {
      inFlight -= 1;
    }
  };
  return {
    hash: (password) => counted(() => hash(password, options)),
    verify: (storedHash, password) => counted(async () => {
      if (storedHash === null) {
        await verify(await dummyHash(), password).catch(() => false);
        return false;
      }
      return verify(storedHash, password).catch(() => false);
    }),
    inFlight: () => inFlight,
  };
}
