/**
 * Resuming a sign-in, refreshing tokens, idempotency keys and form drafts, without a browser: the
 * API is a fake fetch, the storages are in memory.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// session.ts reads localStorage when it is imported: the storages exist before any import runs.
const { MemoryStorage } = await vi.hoisted(async () => {
  const { MemoryStorage } = await import('./memoryStorage.ts');
  Object.assign(globalThis, { localStorage: new MemoryStorage(), sessionStorage: new MemoryStorage() });
  return { MemoryStorage };
});

import { api, ApiError, SessionExpired } from '../src/api/client.ts';
import { newIdempotencyKey, SubmissionKey } from '../src/api/idempotency.ts';
import { createMeasurement, logProgress } from '../src/api/queries.ts';
import { loadTokens } from '../src/api/tokens.ts';
import { clearDraft, loadDraft, saveDraft } from '../src/drafts.ts';
import { endSession, resumeSession, sessionStore } from '../src/session.ts';

const USER = {
  id: 'u1',
  email: 'ana@example.com',
  full_name: 'Ana',
  date_of_birth: '1990-01-01',
  gender: 'female',
  height_cm: 165,
  preferred_calculation_method: 'navy',
  activity_level: 'sedentary',
  units: 'metric',
};
const PAIR = { access_token: 'new-access', refresh_token: 'new-refresh', token_type: 'bearer', expires_in: 900 };

type Answer = Response | 'network';
/** The fake API: an answer (or a network failure) per "METHOD /path", and every request it saw. */
let answers: Record<string, Answer | (() => Answer)>;
let requests: { route: string; headers: Record<string, string> }[];

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const problem = (status: number, detail: string, code?: string) => json(status, { status, title: 'x', detail, ...(code ? { code } : {}) });

function storeTokens(accessExpiresAt: number) {
  localStorage.setItem('recomp.session', JSON.stringify({ access: 'old-access', refresh: 'old-refresh', accessExpiresAt }));
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  answers = {};
  requests = [];
  sessionStore.set({ status: 'loading' });
  // A navigator without Web Locks (as in some browsers and Node.js versions): tokens.ts then serializes refreshes in this tab only.
  vi.stubGlobal('navigator', {});
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const route = `${init.method ?? 'GET'} ${url.replace(/^\/api\/v1/, '')}`;
    requests.push({ route, headers: { ...(init.headers as Record<string, string>) } });
    const found = answers[route];
    const answer = typeof found === 'function' ? found() : found;
    if (!answer || answer === 'network') throw new TypeError('Failed to fetch');
    return answer;
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('resuming a stored sign-in at start', () => {
  it('signs in with the stored tokens', async () => {
    storeTokens(Date.now() + 600_000);
    answers['GET /users/me'] = json(200, USER);
    await resumeSession();
    expect(sessionStore.get()).toEqual({ status: 'signedIn', user: USER });
  });

  it('takes the units from the account over the ones this browser had, and remembers them for the next start', async () => {
    storeTokens(Date.now() + 600_000);
    localStorage.setItem('recomp.units', 'metric');
    answers['GET /users/me'] = json(200, { ...USER, units: 'imperial' });
    await resumeSession();
    expect(localStorage.getItem('recomp.units')).toBe('imperial');
  });

  it('keeps a rate-limited person signed in: the problem and a retry, not Sign in', async () => {
    storeTokens(Date.now() + 600_000);
    answers['GET /users/me'] = problem(429, 'Rate limit exceeded, retry in 1 minute', 'rate_limited');
    await resumeSession();
    expect(sessionStore.get()).toEqual({ status: 'unavailable', message: 'Rate limit exceeded, retry in 1 minute' });
    expect(loadTokens()?.refresh).toBe('old-refresh');
    // Try again, once the API answers.
    answers['GET /users/me'] = json(200, USER);
    await resumeSession();
    expect(sessionStore.get()).toEqual({ status: 'signedIn', user: USER });
  });

  it('keeps a person signed in through an outage (a 503 without problem details)', async () => {
    storeTokens(Date.now() + 600_000);
    answers['GET /users/me'] = new Response('Service Unavailable', { status: 503 });
    await resumeSession();
    expect(sessionStore.get()).toEqual({ status: 'unavailable', message: 'Something went wrong (503). Please try again.' });
    expect(loadTokens()).not.toBeNull();
  });

  it('keeps a person signed in when the API cannot be reached', async () => {
    storeTokens(Date.now() + 600_000);
    answers['GET /users/me'] = 'network';
    await resumeSession();
    expect(sessionStore.get()).toMatchObject({ status: 'unavailable', message: expect.stringMatching(/cannot be reached/) });
  });

  it('signs out only when the sign-in is really over (the refresh is refused with 401)', async () => {
    storeTokens(0);
    answers['POST /auth/refresh'] = problem(401, 'Invalid refresh token');
    await resumeSession();
    expect(sessionStore.get()).toEqual({ status: 'signedOut' });
    expect(loadTokens()).toBeNull();
  });
});

describe('a refresh that fails', () => {
  it('reports a 429 as the API worded it, not as a lost connection, and keeps the tokens', async () => {
    storeTokens(0);
    answers['POST /auth/refresh'] = () => problem(429, 'Rate limit exceeded, retry in 30 seconds', 'rate_limited');
    const error = await api('GET', '/users/me').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(SessionExpired);
    expect((error as ApiError).status).toBe(429);
    expect((error as ApiError).message).toBe('Rate limit exceeded, retry in 30 seconds');
    expect(loadTokens()?.refresh).toBe('old-refresh');
    await resumeSession();
    expect(sessionStore.get()).toEqual({ status: 'unavailable', message: 'Rate limit exceeded, retry in 30 seconds' });
  });

  it('reports a 5xx with its status', async () => {
    storeTokens(0);
    answers['POST /auth/refresh'] = new Response('Bad Gateway', { status: 502 });
    const error = await api('GET', '/users/me').catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(502);
    expect((error as ApiError).message).toBe('Something went wrong (502). Please try again.');
  });

  it('still reports no answer as unreachable, and a 401 as the end of the sign-in', async () => {
    storeTokens(0);
    answers['POST /auth/refresh'] = 'network';
    const unreachable = await api('GET', '/users/me').catch((e: unknown) => e);
    expect((unreachable as ApiError).status).toBe(0);
    expect((unreachable as ApiError).message).toMatch(/cannot be reached/);
    answers['POST /auth/refresh'] = problem(401, 'Invalid refresh token');
    await expect(api('GET', '/users/me')).rejects.toBeInstanceOf(SessionExpired);
  });

  it('uses the refreshed token when the refresh succeeds', async () => {
    storeTokens(0);
    answers['POST /auth/refresh'] = json(200, PAIR);
    answers['GET /users/me'] = json(200, USER);
    await resumeSession();
    expect(sessionStore.get()).toEqual({ status: 'signedIn', user: USER });
    expect(requests.at(-1)?.headers.authorization).toBe('Bearer new-access');
  });
});

describe('idempotency keys', () => {
  it('are sent as Idempotency-Key on the creating POSTs', async () => {
    storeTokens(Date.now() + 600_000);
    answers['POST /measurements'] = json(201, { id: 'm1' });
    answers['POST /goals/g1/progress'] = json(201, { id: 'p1' });
    await createMeasurement({ weight_kg: 80 }, 'key-1');
    await logProgress('g1', 'm1', null, 'key-2');
    expect(requests.map((r) => r.headers['idempotency-key'])).toEqual(['key-1', 'key-2']);
  });

  it('stay the same across retries of one body while the outcome is unknown', () => {
    const submission = new SubmissionKey();
    const first = submission.for({ weight_kg: 80 });
    submission.settle(new ApiError({ status: 0, detail: 'no answer' }));
    expect(submission.for({ weight_kg: 80 })).toBe(first);
    submission.settle(new ApiError({ status: 503, detail: 'outage' }));
    expect(submission.for({ weight_kg: 80 })).toBe(first);
    submission.settle(new ApiError({ status: 409, detail: 'still running', code: 'idempotency_key_in_use' }));
    expect(submission.for({ weight_kg: 80 })).toBe(first);
  });

  it('change with the body, after a success, and after a refusal the server would replay for a day', () => {
    const submission = new SubmissionKey();
    const first = submission.for({ weight_kg: 80 });
    const changed = submission.for({ weight_kg: 81 });
    expect(changed).not.toBe(first);
    submission.settle();
    const afterSuccess = submission.for({ weight_kg: 81 });
    expect(afterSuccess).not.toBe(changed);
    submission.settle(new ApiError({ status: 409, detail: 'You already have an active goal', code: 'active_goal_exists' }));
    expect(submission.for({ weight_kg: 81 })).not.toBe(afterSuccess);
  });

  it('are UUIDs even where crypto.randomUUID is missing (plain http on a LAN address)', () => {
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => bytes.fill(0xab) });
    expect(newIdempotencyKey()).toBe('abababab-abab-4bab-abab-abababababab');
  });

  it('read "still in use" in plain words', async () => {
    storeTokens(Date.now() + 600_000);
    answers['POST /measurements'] = problem(409, 'A request with this Idempotency-Key is still being processed', 'idempotency_key_in_use');
    await expect(createMeasurement({ weight_kg: 80 }, 'key-1')).rejects.toThrow(
      'Your previous attempt is still being saved: wait a moment and try again.',
    );
  });
});

describe('form drafts', () => {
  it('come back only for the person who typed them', () => {
    saveDraft('progress', 'u1', { weight: '80' });
    const any = (value: unknown): value is { weight: string } => typeof value === 'object' && value !== null;
    expect(loadDraft('progress', 'u1', any)).toEqual({ weight: '80' });
    expect(loadDraft('progress', 'someone-else', any)).toBeNull();
    expect(loadDraft('progress', 'u1', (_value): _value is never => false)).toBeNull();
    clearDraft('progress');
    expect(loadDraft('progress', 'u1', any)).toBeNull();
  });

  it('are forgotten on sign-out', async () => {
    storeTokens(Date.now() + 600_000);
    answers['POST /auth/logout'] = new Response(null, { status: 204 });
    saveDraft('measurement', 'u1', { weight: '80' });
    saveDraft('progress', 'u1', { weight: '80' });
    await endSession();
    expect(sessionStorage.length).toBe(0);
    expect(sessionStore.get()).toEqual({ status: 'signedOut' });
  });

  it('never fail the form when storage is unavailable', () => {
    vi.stubGlobal(
      'sessionStorage',
      Object.assign(new MemoryStorage(), {
        setItem: () => {
          throw new Error('QuotaExceededError');
        },
      }),
    );
    expect(() => saveDraft('progress', 'u1', { weight: '80' })).not.toThrow();
    expect(loadDraft('progress', 'u1', (_value): _value is unknown => true)).toBeNull();
  });
});
