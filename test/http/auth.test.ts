import { eq } from 'drizzle-orm';
import { type Algorithm, hash } from '@node-rs/argon2';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem, PASSWORD, profile, signUp, uniqueEmail } from '../helpers/api.ts';
import { users } from '../../src/db/schema.ts';
import { replacePasswordHash } from '../../src/modules/users/repository.ts';
import { createTestApp, TEST_SECRET, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let anonymous: Api;
beforeAll(async () => {
  t = await createTestApp();
  anonymous = new Api(t.app);
});
afterAll(async () => {
  await t.close();
});

describe('registration', () => {
  it('creates a user, lower-cases the email and never returns the hash', async () => {
    const body = profile({ email: `Mixed.Case-${Date.now()}@Example.COM`, height_cm: 172.83749123 });
    const response = await anonymous.post('/api/v1/users', body);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      email: body.email.toLowerCase(),
      full_name: 'Test Person',
      date_of_birth: '1990-05-15',
      gender: 'male',
      height_cm: 172.84,
      preferred_calculation_method: 'navy',
      activity_level: 'moderately_active',
    });
    expect(response.body.created_at).toMatch(/Z$/);
    expect(JSON.stringify(response.body)).not.toMatch(/hash|password/i);
  });

  it('accepts extra_active and uppercase enums, and emits the canonical values', async () => {
    const response = await anonymous.post(
      '/api/v1/users',
      profile({ activity_level: 'extra_active', gender: 'FEMALE', preferred_calculation_method: '3_SITE' }),
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ activity_level: 'extremely_active', gender: 'female', preferred_calculation_method: '3_site' });
  });

  it('answers 409 for an email already registered, whatever its case', async () => {
    const email = uniqueEmail('dup');
    expect((await anonymous.post('/api/v1/users', profile({ email }))).status).toBe(201);
    const again = await anonymous.post('/api/v1/users', profile({ email: email.toUpperCase() }));
    expectProblem(again, 409);
    expect(again.body.detail).toMatch(/already registered/);
  });

  it('lets exactly one of two concurrent registrations of one email win', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all([1, 2, 3].map(() => anonymous.post('/api/v1/users', profile({ email }))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it.each([
    ['a short password', { password: 'short' }, 'body.password'],
    ['a password over 128 characters', { password: 'x'.repeat(129) }, 'body.password'],
    ['a bad email', { email: 'not-an-email' }, 'body.email'],
    ['a height below 120', { height_cm: 119.9 }, 'body.height_cm'],
    ['a height as a string', { height_cm: '175' }, 'body.height_cm'],
    ['an unknown activity level', { activity_level: 'couch' }, 'body.activity_level'],
    ['an impossible date', { date_of_birth: '1990-02-30' }, 'body.date_of_birth'],
    ['an age under 13', { date_of_birth: `${new Date().getUTCFullYear() - 12}-01-01` }, 'body.date_of_birth'],
    ['an age over 120', { date_of_birth: '1890-01-01' }, 'body.date_of_birth'],
    ['a blank name', { full_name: '   ' }, 'body.full_name'],
  ])('refuses %s with 422 naming the field', async (_label, overrides, field) => {
    const response = await anonymous.post('/api/v1/users', profile(overrides));
    expectProblem(response, 422);
    expect(response.body.errors).toContainEqual({ field, message: expect.any(String) });
  });

  it('reports a missing field as required', async () => {
    const { email: _omit, ...rest } = profile();
    const response = await anonymous.post('/api/v1/users', rest);
    expectProblem(response, 422);
    expect(response.body.errors).toEqual([{ field: 'body.email', message: 'Field required' }]);
  });
});

describe('login, refresh and logout', () => {
  it('signs in with the email in any case and returns a bearer token pair', async () => {
    const body = profile();
    await anonymous.post('/api/v1/users', body);
    const response = await anonymous.post('/api/v1/auth/login', { email: body.email.toUpperCase(), password: PASSWORD });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      token_type: 'bearer',
      expires_in: 1800,
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
  });

  it('gives the same 401 for a wrong password and an unknown email', async () => {
    const { user } = await signUp(t.app);
    const wrong = await anonymous.post('/api/v1/auth/login', { email: user.email, password: 'WrongPassword1' });
    const unknown = await anonymous.post('/api/v1/auth/login', { email: uniqueEmail('nobody'), password: 'WrongPassword1' });
    for (const response of [wrong, unknown]) {
      expectProblem(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('rotates refresh tokens and revokes the family when a rotated one is reused', async () => {
    const { tokens } = await signUp(t.app);
    const first = await anonymous.post('/api/v1/auth/refresh', { refresh_token: tokens.refresh_token });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);

    const reuse = await anonymous.post('/api/v1/auth/refresh', { refresh_token: tokens.refresh_token });
    expectProblem(reuse, 401);
    // The reuse revoked the whole family, including the token issued by the legitimate rotation.
    expectProblem(await anonymous.post('/api/v1/auth/refresh', { refresh_token: first.body.refresh_token }), 401);
  });

  it('lets only one of two concurrent uses of a refresh token succeed', async () => {
    const { tokens } = await signUp(t.app);
    const results = await Promise.all([1, 2].map(() => anonymous.post('/api/v1/auth/refresh', { refresh_token: tokens.refresh_token })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('refuses a refresh token used as an access token, and an access token used to refresh', async () => {
    const { tokens } = await signUp(t.app);
    expectProblem(await anonymous.withToken(tokens.refresh_token).get('/api/v1/users/me'), 401);
    expectProblem(await anonymous.post('/api/v1/auth/refresh', { refresh_token: tokens.access_token }), 401);
  });

  it('refuses expired, forged, malformed and missing tokens with 401 on every protected route group', async () => {
    const { user } = await signUp(t.app);
    const expired = createSigner({ key: TEST_SECRET, algorithm: 'HS256' })({
      sub: user.id,
      type: 'access',
      sid: user.id,
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    const forged = createSigner({ key: 'another-secret-that-is-long-enough-for-hs256', algorithm: 'HS256', expiresIn: 60_000 })({
      sub: user.id,
      type: 'access',
      sid: user.id,
    });
    const goalPath = `/api/v1/goals/${user.id}`;
    for (const url of [
      '/api/v1/users/me',
      '/api/v1/measurements',
      '/api/v1/goals',
      `${goalPath}/training-plan`,
      `${goalPath}/diet-plan`,
      `${goalPath}/trends`,
    ]) {
      for (const token of [expired, forged, 'invalid_token']) {
        const response = await anonymous.withToken(token).get(url);
        expectProblem(response, 401);
        expect(response.headers['www-authenticate']).toBe('Bearer');
      }
      expectProblem(await anonymous.get(url), 401);
      expectProblem(await anonymous.request('GET', url, undefined, { authorization: 'Basic abc' }), 401);
    }
  });

  it("logout revokes the sign-in's refresh tokens", async () => {
    const { api, tokens } = await signUp(t.app);
    const response = await api.post('/api/v1/auth/logout');
    expect(response.status).toBe(204);
    expectProblem(await anonymous.post('/api/v1/auth/refresh', { refresh_token: tokens.refresh_token }), 401);
  });
});

describe('changing the password', () => {
  const change = (api: Api, current_password: string, new_password: string) =>
    api.put('/api/v1/users/me/password', { current_password, new_password });
  const signIn = (email: string, password: string) => anonymous.post('/api/v1/auth/login', { email, password });

  it('takes the new password, keeps this sign-in and ends the others', async () => {
    const here = await signUp(t.app);
    const elsewhere = await signIn(here.user.email, PASSWORD);
    expect(elsewhere.status).toBe(200);
    const before = (await here.api.get('/api/v1/users/me')).body.updated_at;

    expect((await change(here.api, PASSWORD, 'A-new-passphrase-9')).status).toBe(204);
    expectProblem(await signIn(here.user.email, PASSWORD), 401);
    expect((await signIn(here.user.email, 'A-new-passphrase-9')).status).toBe(200);
    // This sign-in goes on: its access token and its refresh token.
    expect((await here.api.get('/api/v1/users/me')).body.updated_at).not.toBe(before);
    expect((await anonymous.post('/api/v1/auth/refresh', { refresh_token: here.tokens.refresh_token })).status).toBe(200);
    // The other one has ended: its access token and its refresh token are refused.
    expectProblem(await anonymous.withToken(elsewhere.body.access_token).get('/api/v1/users/me'), 401);
    expectProblem(await anonymous.post('/api/v1/auth/refresh', { refresh_token: elsewhere.body.refresh_token }), 401);
  });

  it('refuses a wrong current password with 403 and changes nothing', async () => {
    const { api, user } = await signUp(t.app);
    const response = await change(api, 'Not-the-password-1', 'A-new-passphrase-9');
    expectProblem(response, 403);
    expect(response.body.code).toBe('password_mismatch');
    expect((await signIn(user.email, PASSWORD)).status).toBe(200);
    expectProblem(await signIn(user.email, 'A-new-passphrase-9'), 401);
  });

  it('refuses a new password equal to the current one, or too short, with 422 on the field', async () => {
    const { api } = await signUp(t.app);
    const same = await change(api, PASSWORD, PASSWORD);
    expectProblem(same, 422);
    expect(same.body).toMatchObject({ code: 'password_unchanged', errors: [{ field: 'body.new_password' }] });
    const short = await change(api, PASSWORD, 'short');
    expectProblem(short, 422);
    expect(short.body.errors).toEqual([expect.objectContaining({ field: 'body.new_password' })]);
    expectProblem(await api.put('/api/v1/users/me/password', { new_password: 'A-new-passphrase-9' }), 422);
  });

  it('needs a signed-in user', async () => {
    expectProblem(await change(anonymous, PASSWORD, 'A-new-passphrase-9'), 401);
  });

  it('counts wrong current passwords towards the sign-in limit', async () => {
    const limited = await createTestApp({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '2' } });
    try {
      const { api } = await signUp(limited.app);
      for (let i = 0; i < 2; i++) expectProblem(await change(api, 'Not-the-password-1', 'A-new-passphrase-9'), 403);
      expectProblem(await change(api, PASSWORD, 'A-new-passphrase-9'), 429);
    } finally {
      await limited.close();
    }
  });
});

describe('changing the email', () => {
  const change = (api: Api, password: string, new_email: string) => api.put('/api/v1/users/me/email', { password, new_email });

  it('signs in with the new address (stored lower-cased) and no longer with the old one', async () => {
    const { api, user } = await signUp(t.app);
    const fresh = uniqueEmail('moved');
    const response = await change(api, PASSWORD, fresh.toUpperCase());
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: user.id, email: fresh });
    expect((await api.get('/api/v1/users/me')).body.email).toBe(fresh);
    expect((await anonymous.post('/api/v1/auth/login', { email: fresh, password: PASSWORD })).status).toBe(200);
    expectProblem(await anonymous.post('/api/v1/auth/login', { email: user.email, password: PASSWORD }), 401);
    // The old address is free again.
    expect((await anonymous.post('/api/v1/users', profile({ email: user.email }))).status).toBe(201);
  });

  it('refuses an address another account has (in any case) with 409, a wrong password with 403, the same one with 422', async () => {
    const { api, user } = await signUp(t.app);
    const other = await signUp(t.app);
    const taken = await change(api, PASSWORD, other.user.email.toUpperCase());
    expectProblem(taken, 409);
    expect(taken.body.code).toBe('email_taken');
    const wrong = await change(api, 'Not-the-password-1', uniqueEmail());
    expectProblem(wrong, 403);
    expect(wrong.body.code).toBe('password_mismatch');
    const same = await change(api, PASSWORD, user.email.toUpperCase());
    expectProblem(same, 422);
    expect(same.body).toMatchObject({ code: 'email_unchanged', errors: [{ field: 'body.new_email' }] });
    expectProblem(await change(api, PASSWORD, 'not an email'), 422);
    expectProblem(await change(anonymous, PASSWORD, uniqueEmail()), 401);
    expect((await api.get('/api/v1/users/me')).body.email).toBe(user.email);
  });
});

describe('the profile', () => {
  it('reads and updates the signed-in user', async () => {
    const { api, user } = await signUp(t.app);
    expect((await api.get('/api/v1/users/me')).body).toEqual(user);
    const updated = await api.patch('/api/v1/users/me', { full_name: 'New Name', height_cm: 180.456, activity_level: 'EXTRA_ACTIVE' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ full_name: 'New Name', height_cm: 180.46, activity_level: 'extremely_active', email: user.email });
    expectProblem(await api.patch('/api/v1/users/me', { height_cm: 300 }), 422);
    expectProblem(await api.patch('/api/v1/users/me', { date_of_birth: '2099-01-01' }), 422);
  });

  it('keeps the units preference on the account: metric by default, changed alone, read back on every request', async () => {
    const { api, user } = await signUp(t.app);
    expect(user.units).toBe('metric');
    const changed = await api.patch('/api/v1/users/me', { units: 'imperial' });
    expect(changed.status).toBe(200);
    // Only the preference moves: the profile and its metric values stay as they were.
    expect(changed.body).toEqual({ ...user, units: 'imperial', updated_at: changed.body.updated_at });
    expect((await api.get('/api/v1/users/me')).body.units).toBe('imperial');
    // A second session of the same person (another device) reads the same preference.
    const login = await new Api(t.app).post('/api/v1/auth/login', { email: user.email, password: PASSWORD });
    expect((await new Api(t.app, login.body.access_token).get('/api/v1/users/me')).body.units).toBe('imperial');
    // The preference travels with the other fields of a PATCH, and a registration may choose it.
    expect((await api.patch('/api/v1/users/me', { units: 'metric', full_name: 'Both Changed' })).body).toMatchObject({
      units: 'metric',
      full_name: 'Both Changed',
    });
    const chosen = await new Api(t.app).post('/api/v1/users', { ...profile(), units: 'imperial' });
    expect(chosen.status).toBe(201);
    expect(chosen.body.units).toBe('imperial');
  });

  it('refuses a units value that is not metric or imperial, and changes nothing', async () => {
    const { api } = await signUp(t.app);
    for (const units of ['METRIC', 'us', '', null, 1]) {
      const refused = await api.patch('/api/v1/users/me', { units });
      expectProblem(refused, 422);
      expect(refused.body.errors[0].field).toBe('body.units');
    }
    expectProblem(await new Api(t.app).post('/api/v1/users', { ...profile(), units: 'stones' }), 422);
    expect((await api.get('/api/v1/users/me')).body.units).toBe('metric');
  });
});

describe('password storage', () => {
  it('stores argon2id hashes at the OWASP parameters by default', async () => {
    const defaults = await createTestApp({ env: { ARGON2_MEMORY_KIB: '', ARGON2_TIME_COST: '' } });
    try {
      const body = profile();
      expect((await new Api(defaults.app).post('/api/v1/users', body)).status).toBe(201);
      const [row] = await defaults.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, body.email));
      expect(row!.hash).toMatch(/^\$argon2id\$v=19\$m=12288,t=3,p=1\$/);
      expect((await new Api(defaults.app).post('/api/v1/auth/login', { email: body.email, password: PASSWORD })).status).toBe(200);
      // A hash stored under the earlier default (m=19 MiB, t=2) still signs its user in: each hash keeps its parameters.
      const earlier = await hash(PASSWORD, { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
      expect(earlier).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await defaults.database.db.update(users).set({ passwordHash: earlier }).where(eq(users.email, body.email));
      const stored = async () =>
        (await defaults.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, body.email)))[0]!.hash;
      // A wrong password changes nothing.
      expect((await new Api(defaults.app).post('/api/v1/auth/login', { email: body.email, password: `${PASSWORD}x` })).status).toBe(401);
      expect(await stored()).toBe(earlier);
      // The right one signs in, and the hash is made again with today's parameters.
      expect((await new Api(defaults.app).post('/api/v1/auth/login', { email: body.email, password: PASSWORD })).status).toBe(200);
      const upgraded = await stored();
      expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=12288,t=3,p=1\$/);
      expect((await new Api(defaults.app).post('/api/v1/auth/login', { email: body.email, password: PASSWORD })).status).toBe(200);
      expect(await stored()).toBe(upgraded);
      expect((await new Api(defaults.app).post('/api/v1/auth/login', { email: body.email, password: `${PASSWORD}x` })).status).toBe(401);
    } finally {
      await defaults.close();
    }
  });

  it('never overwrites a hash that changed after it was verified', async () => {
    const body = profile();
    expect((await anonymous.post('/api/v1/users', body)).status).toBe(201);
    const [row] = await t.database.db.select({ id: users.id, hash: users.passwordHash }).from(users).where(eq(users.email, body.email));
    expect(await replacePasswordHash(t.database.db, row!.id, `${row!.hash}-not-this-one`, 'rehashed')).toBe(false);
    expect((await t.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, row!.id)))[0]!.hash).toBe(row!.hash);
    expect(await replacePasswordHash(t.database.db, row!.id, row!.hash!, 'rehashed')).toBe(true);
    expect((await t.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, row!.id)))[0]!.hash).toBe('rehashed');
  });
});
