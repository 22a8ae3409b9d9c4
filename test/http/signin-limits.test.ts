/**
 * The sign-in and sign-up limits under concurrency: guesses sent all at once get no more password
 * checks than the limit allows, a flood of sign-ups from one address is cut off with 429, and a full
 * password-hash queue answers 503 at once instead of making everyone wait.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem, PASSWORD, profile, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const ACCOUNT_FAILURES = 10;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: String(ACCOUNT_FAILURES), LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } });
});
afterAll(async () => {
  await t.close();
});

let addresses = 0;
const nextAddress = () => `198.18.${Math.floor(++addresses / 250)}.${addresses % 250}`;

const login = (app: TestApp['app'], email: string, password: string, remoteAddress: string) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });

/** Sends every password at once (each from its own address) and returns the statuses in order. */
async function guessAtOnce(app: TestApp['app'], email: string, passwords: string[]): Promise<number[]> {
  const responses = await Promise.all(passwords.map((password) => login(app, email, password, nextAddress())));
  return responses.map((r) => r.statusCode);
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe('sign-in lockout under parallel guessing', () => {
  it('checks at most the limit of 40 guesses sent at once, the right password 26th among them', async () => {
    const { user } = await signUp(t.app);
    const passwords = Array.from({ length: 40 }, (_, i) => (i === 25 ? PASSWORD : `wrong-guess-${i}`));
    const statuses = await guessAtOnce(t.app, user.email, passwords);
    // Every answer is a checked password (401, or 200 for the right one) or a refusal without a check.
    expect(count(statuses, 401) + count(statuses, 200) + count(statuses, 429)).toBe(40);
    expect(count(statuses, 401) + count(statuses, 200)).toBe(ACCOUNT_FAILURES);
    // The right password was not among the first ten checked: the account is locked, it included.
    expect(statuses[25]).toBe(429);
    expect((await login(t.app, user.email, PASSWORD, nextAddress())).statusCode).toBe(429);
  });

  it('checks exactly the failures left, of a burst of 200', async () => {
    const { user } = await signUp(t.app);
    for (let i = 0; i < 2; i++) expect((await login(t.app, user.email, `early-${i}`, nextAddress())).statusCode).toBe(401);
    const statuses = await guessAtOnce(
      t.app,
      user.email,
      Array.from({ length: 200 }, (_, i) => `burst-${i}`),
    );
    expect(count(statuses, 401)).toBe(ACCOUNT_FAILURES - 2);
    expect(count(statuses, 429)).toBe(200 - (ACCOUNT_FAILURES - 2));
  });

  it("does not count a right password, nor let it wipe the window's earlier failures", async () => {
    const { user } = await signUp(t.app);
    for (let i = 0; i < ACCOUNT_FAILURES - 1; i++)
      expect((await login(t.app, user.email, `nope-${i}`, nextAddress())).statusCode).toBe(401);
    // Right passwords use up nothing (while one is being checked it holds the last unit, so these go one by one).
    for (let i = 0; i < 5; i++) expect((await login(t.app, user.email, PASSWORD, nextAddress())).statusCode).toBe(200);
    expect((await login(t.app, user.email, 'last-wrong-one', nextAddress())).statusCode).toBe(401);
    const locked = await login(t.app, user.email, PASSWORD, nextAddress());
    expectProblem({ status: locked.statusCode, body: locked.json(), headers: locked.headers }, 429);
    expect(locked.json().code).toBe('too_many_login_failures');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits confirmations of the password (change password) the same way, at once', async () => {
    const { api } = await signUp(t.app);
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api.put('/api/v1/users/me/password', {
          current_password: `not-it-${i}`,
          new_password: 'A-new-passphrase-9',
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(count(statuses, 403)).toBe(ACCOUNT_FAILURES);
    expect(count(statuses, 429)).toBe(30 - ACCOUNT_FAILURES);
  });

  it('limits guesses per address across accounts, at once', async () => {
    const limited = await createTestApp({ env: { LOGIN_MAX_FAILURES_PER_ADDRESS: '7' } });
    try {
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => login(limited.app, `nobody-${i}@example.com`, 'WrongPassword1', '192.0.2.77')),
      );
      const statuses = responses.map((r) => r.statusCode);
      expect(count(statuses, 401)).toBe(7);
      expect(count(statuses, 429)).toBe(23);
    } finally {
      await limited.close();
    }
  });
});

describe('sign-up floods', () => {
  it('limits sign-ups per address with 429 and Retry-After; other addresses go on', async () => {
    const limited = await createTestApp({ env: { SIGNUP_MAX_PER_ADDRESS: '5', SIGNUP_WINDOW_MINUTES: '60' } });
    try {
      const register = (remoteAddress: string, body = profile()) =>
        limited.app.inject({ method: 'POST', url: '/api/v1/users', payload: body, remoteAddress });
      // An address already taken costs a hash too, and counts.
      const taken = profile();
      expect((await register('203.0.113.90', taken)).statusCode).toBe(201);
      expect((await register('203.0.113.90', taken)).statusCode).toBe(409);
      const bodies = Array.from({ length: 12 }, () => profile());
      const flood = await Promise.all(bodies.map((body) => register('203.0.113.90', body)));
      const statuses = flood.map((r) => r.statusCode);
      expect(count(statuses, 201)).toBe(3);
      expect(count(statuses, 429)).toBe(9);
      const refused = flood.find((r) => r.statusCode === 429)!;
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ status: 429, code: 'too_many_signups' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
      expect((await register('203.0.113.91')).statusCode).toBe(201);
      // A refused sign-up left nothing behind: its email can be registered from elsewhere.
      expect((await register('203.0.113.92', bodies[statuses.indexOf(429)])).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it('counts changes of the sign-in email against the same allowance', async () => {
    const limited = await createTestApp({ env: { SIGNUP_MAX_PER_ADDRESS: '3' } });
    try {
      const { api, user } = await signUp(limited.app);
      const other = await signUp(limited.app);
      const change = (newEmail: string) =>
        limited.app.inject({
          method: 'PUT',
          url: '/api/v1/users/me/email',
          payload: { password: PASSWORD, new_email: newEmail },
          headers: { authorization: `Bearer ${api.token}` },
          remoteAddress: '203.0.113.95',
        });
      expect((await change(other.user.email)).statusCode).toBe(409);
      expect((await change(`moved-${user.email}`)).statusCode).toBe(200);
      expect((await change(other.user.email)).statusCode).toBe(409);
      const refused = await change(`again-${user.email}`);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().code).toBe('too_many_signups');
    } finally {
      await limited.close();
    }
  });

  it('answers 503 with Retry-After at once when the password-hash queue is full, never 500', async () => {
    // The default argon2 cost (several ms a hash) so the burst arrives while hashes are still running.
    const busy = await createTestApp({
      env: { ARGON2_MEMORY_KIB: '', ARGON2_TIME_COST: '', ARGON2_CONCURRENCY: '1', ARGON2_MAX_WAITING: '2' },
    });
    try {
      const responses = await Promise.all(Array.from({ length: 20 }, () => new Api(busy.app).post('/api/v1/users', profile())));
      const statuses = responses.map((r) => r.status);
      expect(count(statuses, 201) + count(statuses, 503)).toBe(20);
      expect(count(statuses, 503)).toBeGreaterThan(0);
      const refused = responses.find((r) => r.status === 503)!;
      expectProblem(refused, 503);
      expect(refused.body.code).toBe('password_queue_full');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Once the burst is through, sign-ups work again.
      expect((await new Api(busy.app).post('/api/v1/users', profile())).status).toBe(201);
    } finally {
      await busy.close();
    }
  });
});
