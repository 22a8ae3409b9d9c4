/**
 * Brute-force protection for sign-in: failures are counted per account and per client address in
 * a fixed window; past either limit the attempt is refused with 429 before any password is checked.
 * Successes are never counted, so the load journeys (all successful) never meet it, and failures
 * against one account do not lock out another.
 */
import type { Config } from '../../config.ts';
import { HttpError } from '../../http/problem.ts';
import type { CounterStore } from '../../infra/counters.ts';

export interface LoginLimiter {
  /** Throws 429 when the account or the address has used up its failures. */
  check(email: string, address: string): Promise<void>;
  recordFailure(email: string, address: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

export function createLoginLimiter(store: CounterStore, limits: Config['loginLimit'], now: () => number = Date.now): LoginLimiter {
  const accountKey = (email: string) => `login:account:${email.toLowerCase()}`;
  const addressKey = (address: string) => `login:address:${address}`;
  return {
    async check(email, address) {
      const [account, origin] = await Promise.all([store.peek(accountKey(email)), store.peek(addressKey(address))]);
      const blocked = [
        account && account.count >= limits.perAccount ? account : null,
        origin && origin.count >= limits.perAddress ? origin : null,
      ].filter((w) => w !== null);
      if (blocked.length === 0) return;
      const retryAfter = Math.max(1, Math.ceil((Math.max(...blocked.map((w) => w.resetAt)) - now()) / 1000));
      throw new HttpError(429, `Too many failed sign-in attempts; try again in ${retryAfter} seconds`, {
        code: 'too_many_login_failures', headers: { 'retry-after': String(retryAfter) },
      });
    },
    async recordFailure(email, address) {
      await Promise.all([store.increment(accountKey(email), limits.windowMs), store.increment(addressKey(address), limits.windowMs)]);
    },
    async recordSuccess(email) {
      await store.reset(accountKey(email));
    },
  };
}
