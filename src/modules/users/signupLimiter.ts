/**
 * Sign-ups per client address in a fixed window. Each registration costs a password hash, so a
 * script registering hundreds of accounts from one address would take the hashing capacity that
 * everyone's sign-in needs; past the limit it gets 429 before any hash. Every attempt that gets as
 * far as hashing counts, including one refused because the address is taken. Changes of the sign-in
 * email draw on the same allowance: both answer 409 for an address that is taken, and the
 * allowance is what keeps that from being a fast way to learn who has an account.
 */
import type { Config } from '../../config.ts';
import type { SignupLimiter } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { CounterStore } from '../../infra/counters.ts';

export function createSignupLimiter(store: CounterStore, limits: Config['signupLimit']): SignupLimiter {
  return {
    async take(address) {
      if (limits.perAddress === 0) return;
      const reservation = await store.take([{ key: `signup:address:${address}`, limit: limits.perAddress, windowMs: limits.windowMs }]);
      if (reservation.granted) return;
      const retryAfter = Math.max(1, Math.ceil(reservation.retryAfterMs / 1000));
      throw new AppError(
        'too_many_requests',
        'too_many_signups',
        `Too many sign-ups from this address; try again in ${retryAfter} seconds`,
        {
          retryAfterSeconds: retryAfter,
        },
      );
    },
  };
}
