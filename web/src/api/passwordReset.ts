/** The password reset by mail (docs/SECURITY.md, 'Password reset'), and what the service offers before sign-in. */
import { api } from './client.ts';
import { saveTokens } from './tokens.ts';
import type { AuthOptions, TokenPair } from './types.ts';

let options: Promise<AuthOptions> | null = null;

/** What the service offers before sign-in, asked once per page load; nothing is offered while it cannot be asked. */
export function authOptions(): Promise<AuthOptions> {
  options ??= api<AuthOptions>('GET', '/auth/options', { auth: false }).catch(() => {
    options = null;
    return { password_reset: false };
  });
  return options;
}

export async function requestPasswordReset(email: string): Promise<void> {
  await api('POST', '/auth/password-reset', { body: { email }, auth: false });
}

/** Sets the new password with the link's token; the service answers with a new sign-in, kept here. */
export async function confirmPasswordReset(token: string, newPassword: string): Promise<void> {
  saveTokens(await api<TokenPair>('POST', '/auth/password-reset/confirm', { body: { token, new_password: newPassword }, auth: false }));
}
