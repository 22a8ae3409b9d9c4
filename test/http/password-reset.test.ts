import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox, passwordResetTokens, users } from '../../src/db/schema.ts';
import { Api, expectProblem, PASSWORD, signUp, uniqueEmail } from '../helpers/api.ts';
import { appOn, createTestApp, type TestApp } from '../helpers/app.ts';
import { openOwnDatabase, resetToken, type SmtpSink, startSmtpSink, TEST_PUBLIC_URL } from '../helpers/smtp.ts';

// Password reset by mail (docs/SECURITY.md, 'Password reset').

let clock: Date | null = null;
const now = () => clock ?? new Date();
const MINUTE = 60_000;
const NEW_PASSWORD = 'A-new-password-42';

let sink: SmtpSink;
let t: TestApp;
let api: Api;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await appOn(await openOwnDatabase(), {
    now,
    env: { ...sink.env, MAIL_POLL_SECONDS: '0.2', PASSWORD_RESET_MAX_PER_ADDRESS: '0', PASSWORD_RESET_MAX_PER_ACCOUNT: '0' },
  });
  api = new Api(t.app);
});
afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

/** Asks for a reset of `email` and returns the token of the mail that arrives (the `after`-th to that address). */
async function requestToken(email: string, after = 0): Promise<string> {
  const response = await api.post('/api/v1/auth/password-reset', { email });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return resetToken(await sink.mailTo(email, { after }));
}

const login = (email: string, password: string) => api.post('/api/v1/auth/login', { email, password });

async function outboxRowsTo(email: string): Promise<number> {
  const [row] = await t.database.db.select({ n: count() }).from(mailOutbox).where(eq(mailOutbox.recipient, email.toLowerCase()));
  return row!.n;
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('password reset', () => {
  it('the options say a password can be reset', async () => {
    const response = await api.get('/api/v1/auth/options');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ password_reset: true, sso: null });
  });

  it('mails a link whose token sets a new password, ends every sign-in and signs in anew', async () => {
    const email = uniqueEmail('reset');
    const before = await signUp(t.app, { email });
    const requested = await api.post('/api/v1/auth/password-reset', { email: email.toUpperCase() });
    expect(requested.status).toBe(202);
    expect(requested.body).toEqual({ detail: 'If an account exists for that address, a link to set a new password is on its way' });

    const mail = await sink.mailTo(email);
    expect(mail.from).toBe('recomp@example.com');
    expect(mail.subject).toBe('Set a new password for Recomp');
    const token = resetToken(mail);
    expect(mail.text).toContain(`${TEST_PUBLIC_URL}/reset-password#token=${token}`);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(mail.html).toContain(`<a href="${TEST_PUBLIC_URL}/reset-password#token=${token}">`);
    // Only the token's SHA-256 is stored.
    const stored = await t.database.db.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, before.user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(token);
    expect(stored[0]!.expiresAt.getTime() - stored[0]!.createdAt.getTime()).toBe(30 * MINUTE);

    const confirmed = await api.post('/api/v1/auth/password-reset/confirm', { token, new_password: NEW_PASSWORD });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ token_type: 'bearer', access_token: expect.any(String), refresh_token: expect.any(String) });
    expect((await api.withToken(confirmed.body.access_token).get('/api/v1/users/me')).body.email).toBe(email);

    expectProblem(await login(email, PASSWORD), 401);
    expect((await login(email, NEW_PASSWORD)).status).toBe(200);
    // The sign-in from before the reset has ended: its refresh and its access token are refused.
    expectProblem(await api.post('/api/v1/auth/refresh', { refresh_token: before.tokens.refresh_token }), 401);
    expectProblem(await before.api.get('/api/v1/users/me'), 401);
  });

  it('a token works once', async () => {
    const email = uniqueEmail('reset-once');
    await signUp(t.app, { email });
    const token = await requestToken(email);
    expect((await api.post('/api/v1/auth/password-reset/confirm', { token, new_password: NEW_PASSWORD })).status).toBe(200);
    const again = await api.post('/api/v1/auth/password-reset/confirm', { token, new_password: `${NEW_PASSWORD}-2` });
    expectProblem(again, 400);
    expect(again.body.code).toBe('invalid_reset_token');
    expect((await login(email, NEW_PASSWORD)).status).toBe(200);
  });

  it('a token expires after 30 minutes, and a later request does not extend it', async () => {
    const email = uniqueEmail('reset-expiry');
    await signUp(t.app, { email });
    const start = Date.now();
    try {
      clock = new Date(start);
      const first = await requestToken(email);
      clock = new Date(start + 20 * MINUTE);
      const second = await requestToken(email, 1);
      expect(second).not.toBe(first);
      clock = new Date(start + 30 * MINUTE + 1000);
      const expired = await api.post('/api/v1/auth/password-reset/confirm', { token: first, new_password: NEW_PASSWORD });
      expectProblem(expired, 400);
      expect(expired.body.code).toBe('invalid_reset_token');
      expect((await login(email, PASSWORD)).status).toBe(200);
      // The second link, made 20 minutes later, still works; the first one's use made nothing of it.
      expect((await api.post('/api/v1/auth/password-reset/confirm', { token: second, new_password: NEW_PASSWORD })).status).toBe(200);
    } finally {
      clock = null;
    }
  });

  it('setting a password with one link ends the account’s other links', async () => {
    const email = uniqueEmail('reset-others');
    await signUp(t.app, { email });
    const first = await requestToken(email);
    const second = await requestToken(email, 1);
    expect((await api.post('/api/v1/auth/password-reset/confirm', { token: second, new_password: NEW_PASSWORD })).status).toBe(200);
    const refused = await api.post('/api/v1/auth/password-reset/confirm', { token: first, new_password: `${NEW_PASSWORD}-2` });
    expectProblem(refused, 400);
    expect(refused.body.code).toBe('invalid_reset_token');
  });

  it('an unknown or malformed token gets the same refusal', async () => {
    for (const token of ['A'.repeat(43), 'not a token', 'x']) {
      const response = await api.post('/api/v1/auth/password-reset/confirm', { token, new_password: NEW_PASSWORD });
      expectProblem(response, 400);
      expect(response.body.code).toBe('invalid_reset_token');
    }
  });

  it('the new password follows the registration rules', async () => {
    const response = await api.post('/api/v1/auth/password-reset/confirm', { token: 'A'.repeat(43), new_password: 'short' });
    expectProblem(response, 422);
  });

  it('an address without an account gets the same answer, no mail, and leaves nothing stored', async () => {
    const unknown = uniqueEmail('reset-nobody');
    const known = uniqueEmail('reset-somebody');
    await signUp(t.app, { email: known });
    const response = await api.post('/api/v1/auth/password-reset', { email: unknown });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ detail: 'If an account exists for that address, a link to set a new password is on its way' });
    await requestToken(known);
    await waitFor(async () => (await outboxRowsTo(unknown)) === 0, 'the unknown address to be dropped');
    expect(sink.mailsTo(unknown)).toEqual([]);
  });

  it('a disabled account gets no mail and cannot use a link it had', async () => {
    const email = uniqueEmail('reset-disabled');
    const person = await signUp(t.app, { email });
    const token = await requestToken(email);
    await t.database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, person.user.id));
    const refused = await api.post('/api/v1/auth/password-reset/confirm', { token, new_password: NEW_PASSWORD });
    expectProblem(refused, 400);
    expect(refused.body.code).toBe('invalid_reset_token');

    expect((await api.post('/api/v1/auth/password-reset', { email })).status).toBe(202);
    await waitFor(async () => (await outboxRowsTo(email)) === 1, 'the request for the disabled account to be dropped');
    expect(sink.mailsTo(email)).toHaveLength(1);
  });

  it('an account deleted takes its mails in the outbox with it', async () => {
    const email = uniqueEmail('reset-deleted');
    const person = await signUp(t.app, { email });
    await requestToken(email);
    await waitFor(async () => (await outboxRowsTo(email)) === 1, 'the sent mail to be kept as history');
    const deleted = await person.api.request('DELETE', '/api/v1/users/me', { password: PASSWORD });
    expect(deleted.status).toBe(204);
    expect(await outboxRowsTo(email)).toBe(0);
  });
});

describe('password-reset limits', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await appOn(await openOwnDatabase(), {
      env: { ...sink.env, PASSWORD_RESET_MAX_PER_ADDRESS: '4', PASSWORD_RESET_MAX_PER_ACCOUNT: '2', PASSWORD_RESET_WINDOW_MINUTES: '10' },
    });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('counts requests per target address and per client address, then answers 429 with Retry-After', async () => {
    const client = new Api(limited.app);
    const email = uniqueEmail('reset-limit');
    for (let i = 0; i < 2; i++) expect((await client.post('/api/v1/auth/password-reset', { email })).status).toBe(202);
    const perAccount = await client.post('/api/v1/auth/password-reset', { email: email.toUpperCase() });
    expectProblem(perAccount, 429);
    expect(perAccount.body.code).toBe('too_many_password_resets');
    expect(Number(perAccount.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(perAccount.headers['retry-after'])).toBeLessThanOrEqual(600);

    for (let i = 0; i < 2; i++)
      expect((await client.post('/api/v1/auth/password-reset', { email: uniqueEmail('reset-limit') })).status).toBe(202);
    const perAddress = await client.post('/api/v1/auth/password-reset', { email: uniqueEmail('reset-limit') });
    expectProblem(perAddress, 429);
    expect(perAddress.body.code).toBe('too_many_password_resets');
  });
});

describe('without mail', () => {
  let off: TestApp;
  beforeAll(async () => {
    off = await createTestApp();
  });
  afterAll(async () => {
    await off?.close();
  });

  it('says a password cannot be reset and answers 501', async () => {
    const client = new Api(off.app);
    expect((await client.get('/api/v1/auth/options')).body).toEqual({ password_reset: false, sso: null });
    for (const [url, body] of [
      ['/api/v1/auth/password-reset', { email: uniqueEmail('reset-off') }],
      ['/api/v1/auth/password-reset/confirm', { token: 'A'.repeat(43), new_password: NEW_PASSWORD }],
    ] as const) {
      const response = await client.post(url, body);
      expectProblem(response, 501);
      expect(response.body.code).toBe('mail_disabled');
    }
  });
});
