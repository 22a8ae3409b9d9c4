/**
 * The sign-in's tokens, kept in localStorage so a reload (or another tab) stays signed in.
 *
 * Refresh tokens rotate on every use and a reused one revokes the whole sign-in (docs/DESIGN.md, 'Tokens and sign-ins'), so
 * refreshes are serialized: one at a time in this tab (a shared promise) and across tabs (a Web
 * Lock), and inside the lock we re-read storage — if another tab already rotated the pair, we use
 * its new access token instead of spending the old refresh token a second time.
 */
import { ApiError, readProblem } from './problem.ts';
import type { TokenPair } from './types.ts';

const STORAGE_KEY = 'recomp.session';
/** Refresh this long before the access token expires rather than let a request fail first. */
const EXPIRY_MARGIN_MS = 30_000;

export interface StoredTokens {
  access: string;
  refresh: string;
  accessExpiresAt: number;
}

export function loadTokens(): StoredTokens | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<StoredTokens>;
    if (typeof value.access !== 'string' || typeof value.refresh !== 'string' || typeof value.accessExpiresAt !== 'number') return null;
    return value as StoredTokens;
  } catch {
    return null;
  }
}

export function saveTokens(pair: TokenPair): StoredTokens {
  const tokens = { access: pair.access_token, refresh: pair.refresh_token, accessExpiresAt: Date.now() + pair.expires_in * 1000 };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  return tokens;
}

export function clearTokens() {
  localStorage.removeItem(STORAGE_KEY);
}

export const isFresh = (tokens: StoredTokens) => tokens.accessExpiresAt - EXPIRY_MARGIN_MS > Date.now();

async function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? locks.request('recomp-token-refresh', work) : work();
}

let inFlight: Promise<StoredTokens | null> | null = null;

/**
 * A fresh access token, refreshing when `stale` (the access token that just failed or expired) is
 * still the stored one. Resolves to null when the sign-in is over (no tokens, or the refresh was
 * refused with 401); throws an ApiError with the problem when the refresh failed otherwise (429,
 * 5xx), and fetch's TypeError when the API could not be reached.
 */
export function refreshTokens(stale: string | null): Promise<StoredTokens | null> {
  inFlight ??= exclusively(async () => {
    const stored = loadTokens();
    if (!stored) return null;
    if (stored.access !== stale && isFresh(stored)) return stored;
    const response = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ refresh_token: stored.refresh }),
    });
    if (response.ok) return saveTokens((await response.json()) as TokenPair);
    // 401: the refresh token expired or was revoked. Anything else (429, 5xx) is not the end of
    // the sign-in: keep the tokens and let the caller report the failure as the API worded it.
    if (response.status === 401) {
      clearTokens();
      return null;
    }
    throw new ApiError(await readProblem(response));
  }).finally(() => {
    inFlight = null;
  });
  return inFlight;
}
