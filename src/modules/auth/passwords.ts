/**
 * argon2id password hashing on libuv's thread pool, so the event loop stays free (bcrypt at cost 12
 * blocking the event loop would hold every other request for the length of a hash).
 *
 * At most `concurrency` hashes run at once (by default one fewer than the cores) while they keep
 * up; the rest wait their turn here. On 2 cores, two hashes at once left the event loop and the
 * database one core between them and every request waited. When hashes queue up (two or more
 * waiting), as many run as there are cores until the queue is empty again, so a burst of sign-ups
 * is served at the machine's rate rather than one core's (docs/PERFORMANCE.md).
 *
 * The queue is bounded (`maxWaiting`): past it a hash is refused at once with 503 and Retry-After
 * instead of waiting behind a flood, and verifications (people signing in) go before new hashes
 * (sign-ups, password changes), so a flood of sign-ups does not make everyone else's sign-in slow.
 */
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import type { Config } from '../../config.ts';
import type { PasswordHasher } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';

type Lane = 'verify' | 'hash';

export function createPasswordHasher(
  { concurrency, maxWaiting, ...params }: Config['argon2'],
  cores = availableParallelism(),
): PasswordHasher {
  // Algorithm.Argon2id; the package's enum is a `const enum`, which isolated modules cannot read.
  const options = { algorithm: 2 as Algorithm, ...params };
  const widest = Math.max(concurrency, cores);
  const lanes: Record<Lane, (() => void)[]> = { verify: [], hash: [] };
  let running = 0;
  // A moving average of one hash's duration, for Retry-After.
  let averageMs = 50;
  const waitingCount = () => lanes.verify.length + lanes.hash.length;
  const startNext = () => {
    // Two or more waiting: as many at once as there are cores; otherwise `concurrency`.
    while (running < (waitingCount() >= 2 ? widest : concurrency)) {
      const start = lanes.verify.shift() ?? lanes.hash.shift();
      if (start === undefined) return;
      running++;
      start();
    }
  };
  const inTurn = <T>(lane: Lane, work: () => Promise<T>): Promise<T> => {
    if (waitingCount() >= maxWaiting) {
      const retryAfter = Math.max(1, Math.ceil((waitingCount() * averageMs) / widest / 1000));
      return Promise.reject(
        new AppError('unavailable', 'password_queue_full', 'The service is busy checking passwords; retry shortly', {
          retryAfterSeconds: retryAfter,
        }),
      );
    }
    return new Promise<T>((resolve, reject) => {
      lanes[lane].push(() => {
        const began = performance.now();
        // The turn is handed on before the caller hears of the result, so a caller that goes on to
        // hash again queues behind those already waiting.
        const finish = () => {
          averageMs = averageMs * 0.9 + (performance.now() - began) * 0.1;
          running--;
          startNext();
        };
        work().then(
          (value) => {
            finish();
            resolve(value);
          },
          (error: unknown) => {
            finish();
            reject(error);
          },
        );
      });
      startNext();
    });
  };
  // The PHC string's head a hash made now starts with: $argon2id$v=19$m=…,t=…,p=…$
  const current = `$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`;
  // A hash of a random password, made once: verifying against it costs what a real check costs.
  let dummy: Promise<string> | null = null;
  const dummyHash = () => (dummy ??= hash(crypto.randomUUID(), options));
  return {
    hash: (password) => inTurn('hash', () => hash(password, options)),
    verify: (storedHash, password) =>
      inTurn('verify', async () => {
        if (storedHash === null) {
          await verify(await dummyHash(), password).catch(() => false);
          return false;
        }
        return verify(storedHash, password).catch(() => false);
      }),
    needsRehash: (storedHash) => !storedHash.startsWith(current),
    inFlight: () => running + waitingCount(),
    waiting: waitingCount,
  };
}
