/**
 * Single sign-on (docs/SECURITY.md, 'Single sign-on'): the service sends the browser back to /sso
 * with a one-time code in the fragment; these calls turn the code into the same token pair as a
 * password sign-in, after linking an account by its password or completing a profile when needed.
 */
import { api } from './client.ts';
import type { SsoPending, SsoSignupBody, TokenPair } from './types.ts';

export const pendingSignIn = (code: string) => api<SsoPending>('POST', '/auth/oidc/pending', { body: { code }, auth: false });
export const exchangeCode = (code: string) => api<TokenPair>('POST', '/auth/oidc/exchange', { body: { code }, auth: false });
export const linkAccount = (code: string, password: string) =>
  api<TokenPair>('POST', '/auth/oidc/link', { body: { code, password }, auth: false });
export const signUpWithProvider = (body: SsoSignupBody) => api<TokenPair>('POST', '/auth/oidc/signup', { body, auth: false });
