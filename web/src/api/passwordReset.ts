/** The password reset by mail (docs/SECURITY.md, 'Password reset'). */
import { api } from './client.ts';
import { saveTokens } from './tokens.ts';
import type { TokenPair } from './types.ts';

export async function requestPasswordReset(email: string): Promise<void> {
  await api('POST', '/auth/password-reset', { body: { email }, auth: false });
}

/** Sets the new password with the link's token; the service answers with a new sign-in, kept here. */
export async function confirmPasswordReset(token: string, newPassword: string): Promise<void> {
  saveTokens(await api<TokenPair>('POST', '/auth/password-reset/confirm', { body: { token, new_password: newPassword }, auth: false }));
}
