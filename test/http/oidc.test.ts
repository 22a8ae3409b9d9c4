/**
 * Single sign-on against a local OpenID Connect provider (test/helpers/oidc.ts): sign-in of a linked
 * account, first sign-ins (link by password, link by verified email, sign-up, refusal), and the
 * callbacks that must be refused (tampered state or nonce, a replay, a wrong issuer, another
 * browser), and the provider being down.
 */
import { createServer } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcLogins, userIdentities, users } from '../../src/db/schema.ts';
import type { App } from '../../src/http/app.ts';
import { Api, expectProblem as isProblem, PASSWORD, profile, type Response, uniqueEmail } from '../helpers/api.ts';
import { appOn, openTestDatabase, type TestApp } from '../helpers/app.ts';
import { startTestProvider, type TestProvider } from '../helpers/oidc.ts';

const PUBLIC_URL = 'http://recomp.test';

type Injected = Awaited<ReturnType<App['inject']>>;

/** A problem with this status and, when given, this code; from the Api client or a raw inject. */
function expectProblem(response: Response | Injected, status: number, code?: string) {
  const seen: Response =
    'statusCode' in response
      ? { status: response.statusCode, headers: response.headers, body: response.body === '' ? null : JSON.parse(response.body) }
      : response;
  isProblem(seen, status);
  if (code !== undefined) expect(seen.body.code).toBe(code);
}
const REDIRECT_URI = `${PUBLIC_URL}/api/v1/auth/oidc/callback`;

let provider: TestProvider;
let database: Awaited<ReturnType<typeof openTestDatabase>>;
/** Sign-up off, linking by verified email off: the defaults. */
let strict: TestApp;
/** OIDC_ALLOW_SIGNUP=true. */
let signups: TestApp;
/** OIDC_LINK_VERIFIED_EMAIL=true. */
let trusting: TestApp;
/** No single sign-on. */
let plain: TestApp;

beforeAll(async () => {
  provider = await startTestProvider([REDIRECT_URI]);
  database = await openTestDatabase();
  strict = await appOn(database, { env: provider.env(PUBLIC_URL) });
  signups = await appOn(database, { env: provider.env(PUBLIC_URL, { OIDC_ALLOW_SIGNUP: 'true' }) });
  trusting = await appOn(database, { env: provider.env(PUBLIC_URL, { OIDC_LINK_VERIFIED_EMAIL: 'true' }) });
  plain = await appOn(database);
});

afterAll(async () => {
  // The apps share one database: close it once, with the last.
  await strict?.app.close();
  await signups?.app.close();
  await trusting?.app.close();
  await plain?.close();
  await provider?.close();
});

/** A provider account with a fresh sub and email. */
function person(overrides: { email?: string; email_verified?: boolean; name?: string } = {}) {
  const account = { sub: randomUUID(), email: uniqueEmail('sso'), email_verified: true, name: 'Sam Provider', ...overrides };
  provider.account(account);
  return account;
}

interface Callback {
  /** The callback's path and query, as the provider sent the browser back. */
  path: string;
  /** The browser-binding cookie /start set. */
  cookie: string;
}

/** /start, then the provider's login as `sub`, up to its redirect back to Recomp. */
async function throughProvider(app: App, sub: string): Promise<Callback> {
  provider.signInAs(sub);
  const start = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' });
  expect(start.statusCode, start.body).toBe(302);
  const setCookie = String(start.headers['set-cookie']);
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Lax/);
  const back = await provider.follow(String(start.headers.location), REDIRECT_URI);
  return { path: back.pathname + back.search, cookie: setCookie.split(';')[0]! };
}

const callback = (app: App, { path, cookie }: Callback) => app.inject({ method: 'GET', url: path, headers: { cookie } });

/** The code in the fragment of the callback's redirect to the web app. */
function codeOf(response: { statusCode: number; headers: Record<string, unknown>; body: string }): string {
  expect(response.statusCode, response.body).toBe(302);
  const location = new URL(String(response.headers.location));
  expect(location.origin + location.pathname).toBe(`${PUBLIC_URL}/sso`);
  expect(location.search).toBe('');
  const code = new URLSearchParams(location.hash.slice(1)).get('code');
  expect(code).toBeTruthy();
  return code!;
}

async function signInCode(app: App, sub: string): Promise<string> {
  return codeOf(await callback(app, await throughProvider(app, sub)));
}

const completeProfile = {
  date_of_birth: '1990-04-02',
  gender: 'female',
  height_cm: 168,
  preferred_calculation_method: 'navy',
  activity_level: 'moderately_active',
};

describe('single sign-on', () => {
  it('offers the provider on the options route, and nothing when it is not set up', async () => {
    expect((await new Api(strict.app).get('/api/v1/auth/options')).body).toEqual({
      password_reset: false,
      sso: { name: 'Test provider', start_url: `${PUBLIC_URL}/api/v1/auth/oidc/start` },
    });
    expect((await new Api(plain.app).get('/api/v1/auth/options')).body).toEqual({ password_reset: false, sso: null });
    expectProblem(await new Api(plain.app).get('/api/v1/auth/oidc/start'), 404, 'oidc_not_configured');
    expectProblem(await new Api(plain.app).post('/api/v1/auth/oidc/exchange', { code: 'x' }), 404, 'oidc_not_configured');
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce, and the configured redirect URI', async () => {
    const start = await strict.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start', headers: { host: 'evil.example' } });
    expect(start.statusCode).toBe(302);
    const url = new URL(String(start.headers.location));
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('scope')).toBe('openid email profile');
  });

  it('refuses a first sign-in when sign-up is off (403), and creates an account without a password when it is on', async () => {
    const stranger = person({ name: 'Robin Newcomer' });
    const refused = await new Api(strict.app).post('/api/v1/auth/oidc/exchange', { code: await signInCode(strict.app, stranger.sub) });
    expectProblem(refused, 403, 'oidc_signup_disabled');

    const code = await signInCode(signups.app, stranger.sub);
    const api = new Api(signups.app);
    expect((await api.post('/api/v1/auth/oidc/pending', { code })).body).toEqual({
      next: 'signup',
      email: stranger.email,
      full_name: 'Robin Newcomer',
      provider: 'Test provider',
    });
    expectProblem(await api.post('/api/v1/auth/oidc/exchange', { code }), 409, 'oidc_signup_required');
    expectProblem(await api.post('/api/v1/auth/oidc/signup', { code, ...completeProfile, date_of_birth: '2024-01-01' }), 422);
    const created = await api.post('/api/v1/auth/oidc/signup', { code, full_name: 'Robin Newcomer', ...completeProfile });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.token_type).toBe('bearer');
    const me = await api.withToken(created.body.access_token).get('/api/v1/users/me');
    expect(me.body).toMatchObject({ email: stranger.email, full_name: 'Robin Newcomer', height_cm: 168 });
    const [row] = await database.db.select().from(users).where(eq(users.email, stranger.email));
    expect(row!.passwordHash).toBeNull();
    // The code was used up.
    expectProblem(await api.post('/api/v1/auth/oidc/signup', { code, full_name: 'Again', ...completeProfile }), 400, 'oidc_code_invalid');

    // Password sign-in to it fails as any wrong password does, until a password is set.
    expectProblem(await api.post('/api/v1/auth/login', { email: stranger.email, password: PASSWORD }), 401);
    const owner = api.withToken(created.body.access_token);
    expect((await owner.post('/api/v1/users/me/password', { new_password: PASSWORD })).status).toBe(204);
    expectProblem(await owner.post('/api/v1/users/me/password', { new_password: 'another-password' }), 409, 'password_already_set');
    expect((await api.post('/api/v1/auth/login', { email: stranger.email, password: PASSWORD })).status).toBe(200);
  });

  it('signs a linked account in with the same token pair as a password sign-in, which refreshes and logs out', async () => {
    const linked = person();
    const first = await new Api(signups.app).post('/api/v1/auth/oidc/signup', {
      code: await signInCode(signups.app, linked.sub),
      full_name: 'Linked Person',
      ...completeProfile,
    });
    expect(first.status).toBe(200);

    const api = new Api(strict.app);
    const code = await signInCode(strict.app, linked.sub);
    expect((await api.post('/api/v1/auth/oidc/pending', { code })).body.next).toBe('sign_in');
    const tokens = await api.post('/api/v1/auth/oidc/exchange', { code });
    expect(tokens.status).toBe(200);
    expect(Object.keys(tokens.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expectProblem(await api.post('/api/v1/auth/oidc/exchange', { code }), 400, 'oidc_code_invalid');

    const refreshed = await api.post('/api/v1/auth/refresh', { refresh_token: tokens.body.refresh_token });
    expect(refreshed.status).toBe(200);
    const me = await api.withToken(refreshed.body.access_token).get('/api/v1/users/me');
    expect(me.body.email).toBe(linked.email);
    expect((await api.withToken(refreshed.body.access_token).post('/api/v1/auth/logout')).status).toBe(204);
    expectProblem(await api.post('/api/v1/auth/refresh', { refresh_token: refreshed.body.refresh_token }), 401);

    // Linked by (issuer, sub): a new email at the provider still signs into the same account.
    provider.account({ ...linked, email: uniqueEmail('moved') });
    const again = await api.post('/api/v1/auth/oidc/exchange', { code: await signInCode(strict.app, linked.sub) });
    expect((await api.withToken(again.body.access_token).get('/api/v1/users/me')).body.email).toBe(linked.email);
  });

  it('links an existing account only once its password is proven, through the sign-in limits', async () => {
    const registered = profile();
    const api = new Api(strict.app);
    expect((await api.post('/api/v1/users', registered)).status).toBe(201);
    const claimant = person({ email: registered.email, email_verified: true });

    const code = await signInCode(strict.app, claimant.sub);
    expect((await api.post('/api/v1/auth/oidc/pending', { code })).body).toMatchObject({ next: 'link', email: registered.email });
    expectProblem(await api.post('/api/v1/auth/oidc/exchange', { code }), 409, 'oidc_link_required');
    expectProblem(await api.post('/api/v1/auth/oidc/link', { code, password: 'not-the-password' }), 401);
    // Sign-up never takes over an account with the same email.
    expectProblem(await new Api(signups.app).post('/api/v1/auth/oidc/signup', { code, ...completeProfile }), 409, 'oidc_link_required');
    const linked = await api.post('/api/v1/auth/oidc/link', { code, password: PASSWORD });
    expect(linked.status).toBe(200);
    expect((await api.withToken(linked.body.access_token).get('/api/v1/users/me')).body.email).toBe(registered.email);
    expectProblem(await api.post('/api/v1/auth/oidc/link', { code, password: PASSWORD }), 400, 'oidc_code_invalid');

    const next = await api.post('/api/v1/auth/oidc/exchange', { code: await signInCode(strict.app, claimant.sub) });
    expect(next.status).toBe(200);
  });

  it('refuses password guesses past the sign-in limit on linking (429)', async () => {
    const limited = await appOn(database, { env: provider.env(PUBLIC_URL, { LOGIN_MAX_FAILURES_PER_ACCOUNT: '2' }) });
    try {
      const registered = profile();
      const api = new Api(limited.app);
      expect((await api.post('/api/v1/users', registered)).status).toBe(201);
      const claimant = person({ email: registered.email });
      const code = await signInCode(limited.app, claimant.sub);
      expectProblem(await api.post('/api/v1/auth/oidc/link', { code, password: 'guess-1' }), 401);
      expectProblem(await api.post('/api/v1/auth/oidc/link', { code, password: 'guess-2' }), 401);
      expectProblem(await api.post('/api/v1/auth/oidc/link', { code, password: PASSWORD }), 429, 'too_many_login_failures');
    } finally {
      await limited.app.close();
    }
  });

  it('links by a verified email only when OIDC_LINK_VERIFIED_EMAIL is on', async () => {
    const registered = profile();
    const api = new Api(trusting.app);
    expect((await api.post('/api/v1/users', registered)).status).toBe(201);

    const unverified = person({ email: registered.email, email_verified: false });
    expectProblem(
      await api.post('/api/v1/auth/oidc/exchange', { code: await signInCode(trusting.app, unverified.sub) }),
      409,
      'oidc_link_required',
    );
    const verified = person({ email: registered.email, email_verified: true });
    expectProblem(
      await new Api(strict.app).post('/api/v1/auth/oidc/exchange', { code: await signInCode(strict.app, verified.sub) }),
      409,
      'oidc_link_required',
    );
    const tokens = await api.post('/api/v1/auth/oidc/exchange', { code: await signInCode(trusting.app, verified.sub) });
    expect(tokens.status).toBe(200);
    expect((await api.withToken(tokens.body.access_token).get('/api/v1/users/me')).body.email).toBe(registered.email);
    const [owner] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, registered.email));
    const identities = await database.db.select().from(userIdentities).where(eq(userIdentities.userId, owner!.id));
    expect(identities.map((i) => [i.issuer, i.subject])).toEqual([[provider.issuer, verified.sub]]);
  });

  it('signs up only with an email the provider gave and did not call unverified, within the sign-up limit', async () => {
    const api = new Api(signups.app);
    const unverified = person({ email_verified: false });
    expectProblem(
      await api.post('/api/v1/auth/oidc/signup', { code: await signInCode(signups.app, unverified.sub), ...completeProfile }),
      403,
      'oidc_email_unverified',
    );
    const nameless = { sub: randomUUID() };
    provider.account(nameless);
    const code = await signInCode(signups.app, nameless.sub);
    expectProblem(
      await api.post('/api/v1/auth/oidc/signup', { code, full_name: 'No Email', ...completeProfile }),
      403,
      'oidc_email_missing',
    );

    const limited = await appOn(database, { env: provider.env(PUBLIC_URL, { OIDC_ALLOW_SIGNUP: 'true', SIGNUP_MAX_PER_ADDRESS: '1' }) });
    try {
      const first = person();
      const second = person();
      const signUp = async (sub: string) =>
        new Api(limited.app).post('/api/v1/auth/oidc/signup', { code: await signInCode(limited.app, sub), ...completeProfile });
      expect((await signUp(first.sub)).status).toBe(200);
      expectProblem(await signUp(second.sub), 429, 'too_many_signups');
    } finally {
      await limited.app.close();
    }
  });

  it('refuses a disabled account', async () => {
    const someone = person();
    const created = await new Api(signups.app).post('/api/v1/auth/oidc/signup', {
      code: await signInCode(signups.app, someone.sub),
      full_name: 'Soon Disabled',
      ...completeProfile,
    });
    expect(created.status).toBe(200);
    await database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.email, someone.email));
    expectProblem(
      await new Api(strict.app).post('/api/v1/auth/oidc/exchange', { code: await signInCode(strict.app, someone.sub) }),
      401,
      'account_disabled',
    );
  });

  it('exports the linked provider accounts, and deleting the account removes them', async () => {
    const someone = person();
    const created = await new Api(signups.app).post('/api/v1/auth/oidc/signup', {
      code: await signInCode(signups.app, someone.sub),
      full_name: 'Leaving Soon',
      ...completeProfile,
    });
    const owner = new Api(signups.app, created.body.access_token);
    const exported = await owner.get('/api/v1/users/me/export');
    expect(exported.status).toBe(200);
    expect(exported.body.sign_in_providers).toEqual([{ issuer: provider.issuer, subject: someone.sub, linked_at: expect.any(String) }]);
    expect((await owner.post('/api/v1/users/me/password', { new_password: PASSWORD })).status).toBe(204);
    expect((await owner.request('DELETE', '/api/v1/users/me', { password: PASSWORD })).status).toBe(204);
    expect(await database.db.select().from(userIdentities).where(eq(userIdentities.subject, someone.sub))).toEqual([]);
  });
});

describe('single sign-on refuses a bad callback with 4xx', () => {
  it('a tampered state (to a browser: the web app shows the refusal)', async () => {
    const someone = person();
    const back = await throughProvider(strict.app, someone.sub);
    const tampered = back.path.replace(/state=[^&]+/, 'state=tampered-state-value');
    expectProblem(await callback(strict.app, { ...back, path: tampered }), 400, 'oidc_callback_invalid');
    const page = await strict.app.inject({ method: 'GET', url: tampered, headers: { cookie: back.cookie, accept: 'text/html,*/*' } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe(`${PUBLIC_URL}/sso#error=oidc_callback_invalid`);
  });

  it('a tampered nonce', async () => {
    const someone = person();
    const back = await throughProvider(strict.app, someone.sub);
    // The stored nonce no longer matches the one in the ID token, as when a token is substituted.
    const state = new URL(back.path, PUBLIC_URL).searchParams.get('state')!;
    await database.db
      .update(oidcLogins)
      .set({ nonce: 'another-nonce' })
      .where(eq(oidcLogins.stateHash, createHash('sha256').update(state).digest('hex')));
    expectProblem(await callback(strict.app, back), 400, 'oidc_callback_invalid');
  });

  it('a replayed callback, and a code exchanged twice', async () => {
    const someone = person();
    const back = await throughProvider(strict.app, someone.sub);
    const first = await callback(strict.app, back);
    expect(first.statusCode).toBe(302);
    expectProblem(await callback(strict.app, back), 400, 'oidc_callback_invalid');
    expectProblem(await new Api(strict.app).post('/api/v1/auth/oidc/exchange', { code: 'made-up-code' }), 400, 'oidc_code_invalid');
  });

  it('a callback naming another issuer', async () => {
    const someone = person();
    const back = await throughProvider(strict.app, someone.sub);
    const wrong = back.path.replace(/iss=[^&]+/, `iss=${encodeURIComponent('https://issuer.example')}`);
    expect(wrong).not.toBe(back.path);
    expectProblem(await callback(strict.app, { ...back, path: wrong }), 400, 'oidc_callback_invalid');
  });

  it('a callback in a browser that did not begin the sign-in (login CSRF)', async () => {
    const someone = person();
    const back = await throughProvider(strict.app, someone.sub);
    expectProblem(await callback(strict.app, { ...back, cookie: 'recomp_oidc=someone-elses' }), 400, 'oidc_callback_invalid');
    expectProblem(await strict.app.inject({ method: 'GET', url: back.path }), 400, 'oidc_callback_invalid');
  });

  it('an error from the provider, and a callback without state', async () => {
    expectProblem(await strict.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/callback?error=access_denied' }), 400);
    expectProblem(
      await new Api(strict.app).post('/api/v1/auth/oidc/link', { code: 'made-up-code', password: PASSWORD }),
      400,
      'oidc_code_invalid',
    );
  });
});

describe('single sign-on while the provider is down', () => {
  it('answers 503 and finds the provider once it is back', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const issuer = `http://127.0.0.1:${port}`;
    const down = await appOn(database, { env: { ...provider.env(PUBLIC_URL), OIDC_ISSUER: issuer } });
    let later: TestProvider | null = null;
    try {
      const refused = await new Api(down.app).get('/api/v1/auth/oidc/start');
      expectProblem(refused, 503, 'oidc_unavailable');
      expect(refused.headers['retry-after']).toBeDefined();
      later = await startTestProvider([REDIRECT_URI], port);
      const start = await down.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' });
      expect(start.statusCode).toBe(302);
      expect(String(start.headers.location)).toMatch(new RegExp(`^${issuer}/`));
    } finally {
      await down.app.close();
      await later?.close();
    }
  });
});
