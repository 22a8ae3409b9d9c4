/** What the service offers before sign-in: a password reset by mail, single sign-on (GET /auth/options). */
import { api } from './client.ts';
import type { AuthOptions } from './types.ts';

let options: Promise<AuthOptions> | null = null;

/** Asked once per page load; while it cannot be asked nothing is offered, and it is asked again next time. */
export function authOptions(): Promise<AuthOptions> {
  options ??= api<AuthOptions>('GET', '/auth/options', { auth: false }).catch((): AuthOptions => {
    options = null;
    return { password_reset: false, sso: null };
  });
  return options;
}
