/**
 * Brute-force protection for password checks (sign-in, and the confirmations of password, email
 * change and account deletion): failures are counted per account and per client address in a fixed
 * window. Each check reserves its unit before the password is hashed, so however many guesses
 * arrive at once, at most the limit of them are ever verified per account (and per address) and
 * window; the rest get 429 without a hash. A right password gives its unit back, and so does a
 * check that could not be made (an error): only wrong passwords stay counted. A success does not
 * wipe the window's earlier failures, so an owner signing in never hands a guesser a new allowance.
 */
import type { Config } from '../../config.ts';
import type { LoginLimiter } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { CounterStore } from '../../infra/counters.ts';

export function createLoginLimiter(store: CounterStore, limits: Config['loginLimit']): LoginLimiter {
  return {
    async reserve(email, address) {
      const keys = [`login:account:${email.toLowerCase()}`, `login:address:${address}`];
      const reservation = await store.take([
        { key: keys[0]!, limit: limits.perAccount, windowMs: limits.windowMs },
        { key: keys[1]!, limit: limits.perAddress, windowMs: limits.windowMs },
      ]);
      if (!reservation.granted) {
        const retryAfter = Math.max(1, Math.ceil(reservation.retryAfterMs / 1000));
        throw new AppError(
          'too_many_requests',
          'too_many_login_failures',
          `Too many failed sign-in attempts; try again in ${retryAfter} seconds`,
          {
            retryAfterSeconds: retryAfter,
          },
        );
      }
      let given = false;
      return {
        async giveBack() {
          if (given) return;
          given = true;
          await store.giveBack(keys);
        },
      };
    },
  };
}

/**
 * Runs `check` under a reserved attempt. `check` answers false for a wrong password, which stays
 * counted; anything else (the password was right), or an error before an answer, gives it back.
 */
export async function checkPassword<T>(
  limiter: LoginLimiter,
  email: string,
  address: string,
  check: () => Promise<T | false>,
): Promise<T | false> {
  const attempt = await limiter.reserve(email, address);
  let outcome: T | false;
  try {
    outcome = await check();
  } catch (error) {
    await attempt.giveBack();
    throw error;
  }
  if (outcome !== false) await attempt.giveBack();
  return outcome;
}
