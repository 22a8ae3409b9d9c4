/**
 * Every call to the API goes through `api()`: it adds the access token, refreshes it when it has
 * expired (once, then retries), and turns every error into an ApiError carrying the problem
 * details (RFC 9457) so forms can show each message next to its field.
 */
import { reached, unreachable } from '../offline/connection.ts';
import { readThrough } from '../offline/reads.ts';
import { ApiError, readProblem, UNREACHABLE } from './problem.ts';
import { clearTokens, isFresh, loadTokens, refreshTokens, saveTokens } from './tokens.ts';
import type { TokenPair } from './types.ts';

export { ApiError } from './problem.ts';

/** Thrown when the sign-in is over; the app sends the person to Sign in. */
export class SessionExpired extends ApiError {
  override name = 'SessionExpired';
  constructor() {
    super({ status: 401, detail: 'Your session has ended. Please sign in again.', code: 'session_expired' });
  }
}

let sessionExpiredListener: () => void = () => {};
export function onSessionExpired(listener: () => void) {
  sessionExpiredListener = listener;
}

/** `idempotencyKey`: sent as Idempotency-Key, so a retry of a creating POST replays its first answer. */
interface Options {
  body?: unknown;
  auth?: boolean;
  signal?: AbortSignal;
  idempotencyKey?: string;
}

async function send(method: string, path: string, options: Options, accessToken: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  try {
    const response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    reached();
    return response;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    unreachable();
    throw new ApiError(UNREACHABLE);
  }
}

async function accessToken(stale: string | null): Promise<string> {
  let tokens;
  try {
    tokens = await refreshTokens(stale);
  } catch (error) {
    // A refused refresh (429, 5xx) carries its problem; anything else means no answer came.
    if (error instanceof ApiError) throw error;
    unreachable();
    throw new ApiError(UNREACHABLE);
  }
  if (!tokens) {
    sessionExpiredListener();
    throw new SessionExpired();
  }
  return tokens.access;
}

/**
 * A call to the API and its JSON answer. A signed-in read is kept on the device and answered from
 * there when the service cannot be reached (offline/reads.ts).
 */
export function api<T>(method: string, path: string, options: Options = {}): Promise<T> {
  if (method === 'GET' && (options.auth ?? true)) return readThrough(path, () => answer<T>(method, path, options));
  return answer<T>(method, path, options);
}

async function answer<T>(method: string, path: string, options: Options): Promise<T> {
  const response = await call(method, path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A file the API sends (an export): its content and the name the server suggests for it. */
export async function apiFile(path: string): Promise<{ blob: Blob; filename: string | null }> {
  const response = await call('GET', path, {});
  const disposition = response.headers.get('content-disposition') ?? '';
  return { blob: await response.blob(), filename: /filename="([^"]+)"/.exec(disposition)?.[1] ?? null };
}

/** Sends the request with a fresh access token; an answer that is not ok throws. */
function call(method: string, path: string, options: Options): Promise<Response> {
  return authorized((token) => send(method, path, options, token), options.auth ?? true);
}

/**
 * Sends a request with `attempt` and a fresh access token (refreshed once on a 401, then sent again),
 * the one sign-in logic for fetch here and the upload's XMLHttpRequest (upload.ts). `attempt` gives
 * the answer as a Response, and throws an ApiError when none came. An answer that is not ok throws.
 */
export async function authorized(attempt: (accessToken: string | null) => Promise<Response>, auth = true): Promise<Response> {
  let token: string | null = null;
  if (auth) {
    const stored = loadTokens();
    if (!stored) {
      sessionExpiredListener();
      throw new SessionExpired();
    }
    token = isFresh(stored) ? stored.access : await accessToken(stored.access);
  }
  let response = await attempt(token);
  if (auth && response.status === 401) {
    token = await accessToken(token);
    response = await attempt(token);
    if (response.status === 401) {
      clearTokens();
      sessionExpiredListener();
      throw new SessionExpired();
    }
  }
  if (!response.ok) throw new ApiError(await readProblem(response));
  return response;
}

export async function signIn(email: string, password: string): Promise<void> {
  const pair = await api<TokenPair>('POST', '/auth/login', { body: { email, password }, auth: false });
  saveTokens(pair);
}

/** Ends the sign-in on the server (its refresh tokens stop working) and forgets the tokens here. */
export async function signOut(): Promise<void> {
  const stored = loadTokens();
  if (stored) {
    try {
      const tokens = isFresh(stored) ? stored : await refreshTokens(stored.access);
      if (tokens) await send('POST', '/auth/logout', {}, tokens.access);
    } catch {
      // Signing out here matters more than telling the server; the refresh token expires anyway.
    }
  }
  clearTokens();
}

export const hasStoredSession = () => loadTokens() !== null;
