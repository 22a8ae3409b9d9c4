/**
 * The account tasks of `recomp users` (src/admin/users.ts), run in-process on the test app's own
 * database, and their effects seen through the API (docs/SECURITY.md, "Disabled accounts" and
 * "Administering accounts"). The command line around them: cli-users.test.ts.
 */
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminError, type AdminContext } from '../../src/admin/context.ts';
import { tasks, type TaskArgs, type TaskName } from '../../src/admin/tasks.ts';
import { loadConfig } from '../../src/config.ts';
import { usePglite } from '../../src/db/client.ts';
import { measurements, refreshTokens, users } from '../../src/db/schema.ts';
import { Api, expectProblem, PASSWORD, type Session, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { navy } from '../helpers/people.ts';

// The session check asks the database on every request (no few seconds' trust), so what a task
// changes shows at the next request; forgetSessions, which drops that trust inside a service, is
// checked by what the tasks call it with.
const ENV = { SESSION_CHECK_SECONDS: '0' };
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: ENV });
});
afterAll(async () => {
  await t.close();
});

interface Run {
  output: string[];
  forgotten: string[];
}

async function run<N extends TaskName>(name: N, args: TaskArgs<N>, database = t.database): Promise<Run> {
  const result: Run = { output: [], forgotten: [] };
  const ctx: AdminContext = {
    config: loadConfig({ NODE_ENV: 'test', ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', ...ENV }),
    database,
    print: (line) => result.output.push(line),
    forgetSessions: (userId) => result.forgotten.push(userId),
  };
  await (tasks[name] as (ctx: AdminContext, args: TaskArgs<N>) => Promise<void>)(ctx, args);
  return result;
}

async function refused(promise: Promise<unknown>): Promise<AdminError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdminError);
  return error as AdminError;
}

const login = (email: string, password: string) => new Api(t.app).post('/api/v1/auth/login', { email, password });
const refresh = (token: string) => new Api(t.app).post('/api/v1/auth/refresh', { refresh_token: token });

/** The person's access and refresh tokens from before no longer work, and the password no longer signs in. */
async function expectSignedOut(person: Session, password = PASSWORD) {
  expectProblem(await person.api.get('/api/v1/users/me'), 401);
  expectProblem(await refresh(person.tokens.refresh_token), 401);
  expectProblem(await login(person.user.email, password), 401);
}

describe('users list and show', () => {
  it('lists every account with its data counts, and shows one by its email in any case, never its password hash', async () => {
    const ana = await signUp(t.app, { full_name: 'Ana Admin' });
    const bo = await signUp(t.app);
    expect((await ana.api.post('/api/v1/measurements', navy())).status).toBe(201);

    const listed = JSON.parse((await run('users.list', { json: true })).output.join('\n')) as {
      email: string;
      full_name: string;
      last_sign_in_at: string | null;
      disabled_at: string | null;
      live_sign_ins: number;
      data: Record<string, number>;
    }[];
    const anaListed = listed.find((a) => a.email === ana.user.email)!;
    expect(anaListed).toMatchObject({ full_name: 'Ana Admin', disabled_at: null, live_sign_ins: 1 });
    expect(anaListed.data).toEqual({ measurements: 1, goals: 0, weigh_ins: 0, intake_days: 0, imports: 0 });
    expect(Date.parse(anaListed.last_sign_in_at!)).not.toBeNaN();
    expect(listed.find((a) => a.email === bo.user.email)!.data.measurements).toBe(0);

    const table = (await run('users.list', {})).output;
    expect(table[0]).toMatch(/^EMAIL +NAME +CREATED +LAST SIGN-IN +DISABLED +MEASUREMENTS/);
    expect(table.find((line) => line.startsWith(ana.user.email))).toMatch(/Ana Admin .* no +1 +0/);

    const shown = (await run('users.show', { email: ana.user.email.toUpperCase() })).output.join('\n');
    expect(shown).toContain(`email:         ${ana.user.email}`);
    expect(shown).toMatch(/measurements: +1/);
    expect(shown).not.toMatch(/argon2|password/i);
    expect(JSON.stringify(listed)).not.toMatch(/argon2/);
  });

  it('an unknown email fails (exit 1) naming it', async () => {
    const error = await refused(run('users.show', { email: 'nobody@example.com' }));
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe('no account with the email nobody@example.com');
    expect((await refused(run('users.disable', { email: 'nobody@example.com' }))).exitCode).toBe(1);
  });
});

describe('users reset-password', () => {
  it('prints a one-time password that signs in; the old password and every earlier token stop working', async () => {
    const person = await signUp(t.app);
    const other = await new Api(t.app).post('/api/v1/auth/login', { email: person.user.email, password: PASSWORD });
    const { output, forgotten } = await run('users.reset-password', { email: person.user.email });
    expect(forgotten).toEqual([person.user.id]);
    expect(output[0]).toBe(`The password of ${person.user.email} was reset; 2 sign-in(s) ended.`);
    const password = /^One-time password: (\S+)$/.exec(output[1]!)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    await expectSignedOut(person);
    expectProblem(await refresh(other.body.refresh_token), 401);
    const signedIn = await login(person.user.email, password!);
    expect(signedIn.status).toBe(200);
    expect((await new Api(t.app).withToken(signedIn.body.access_token).get('/api/v1/users/me')).status).toBe(200);
  });

  it('takes the password given (from standard input), under the API rules for a password', async () => {
    const person = await signUp(t.app);
    const tooShort = await refused(run('users.reset-password', { email: person.user.email, password: 'seven77' }));
    expect(tooShort.exitCode).toBe(2);
    expect(tooShort.message).toBe('the password must be 8 to 128 characters long (got 7)');
    expect((await refused(run('users.reset-password', { email: person.user.email, password: 'x'.repeat(129) }))).exitCode).toBe(2);
    // Refused: nothing changed.
    expect((await person.api.get('/api/v1/users/me')).status).toBe(200);

    const chosen = 'a new passphrase ✓';
    const { output } = await run('users.reset-password', { email: person.user.email, password: chosen });
    expect(output.join('\n')).not.toContain(chosen);
    await expectSignedOut(person);
    expect((await login(person.user.email, chosen)).status).toBe(200);
  });
});

describe('users disable and enable', () => {
  it('a disabled account cannot sign in (401 account_disabled, only with the right password) and its tokens stop working', async () => {
    const person = await signUp(t.app);
    const { output, forgotten } = await run('users.disable', { email: person.user.email });
    expect(output).toEqual([`${person.user.email} is disabled: it cannot sign in, and its 1 sign-in(s) ended.`]);
    expect(forgotten).toEqual([person.user.id]);

    const signIn = await login(person.user.email, PASSWORD);
    expectProblem(signIn, 401);
    expect(signIn.body.code).toBe('account_disabled');
    expect(signIn.headers['www-authenticate']).toBe('Bearer');
    // A wrong password hears what it hears for any account: nothing about this one being disabled.
    const guessed = await login(person.user.email, 'not the password');
    expectProblem(guessed, 401);
    expect(guessed.body.code).toBe('unauthorized');
    expect(guessed.body.detail).toBe((await login('nobody-here@example.com', 'not the password')).body.detail);

    const refreshed = await refresh(person.tokens.refresh_token);
    expectProblem(refreshed, 401);
    expect(refreshed.body.code).toBe('account_disabled');
    expectProblem(await person.api.get('/api/v1/users/me'), 401);

    expect((await run('users.disable', { email: person.user.email })).output[0]).toMatch(/was already disabled \(since /);
    expect((await run('users.show', { email: person.user.email })).output.join('\n')).toMatch(/disabled: +since \d{4}-/);

    expect((await run('users.enable', { email: person.user.email })).output).toEqual([
      `${person.user.email} is enabled: it can sign in again.`,
    ]);
    const again = await login(person.user.email, PASSWORD);
    expect(again.status).toBe(200);
    expect((await new Api(t.app).withToken(again.body.access_token).get('/api/v1/users/me')).status).toBe(200);
    expect((await run('users.enable', { email: person.user.email })).output[0]).toBe(
      `${person.user.email} was not disabled; nothing changed.`,
    );
  });

  it('a sign-in that was live when the account became disabled cannot be renewed', async () => {
    // As when a refresh races the disable: the flag is set, the sign-in not yet ended.
    const person = await signUp(t.app);
    await t.database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, person.user.id));
    const refreshed = await refresh(person.tokens.refresh_token);
    expectProblem(refreshed, 401);
    expect(refreshed.body.code).toBe('account_disabled');
    const tokens = await t.database.db.select().from(refreshTokens).where(eq(refreshTokens.userId, person.user.id));
    expect(tokens).toHaveLength(1);
  });
});

describe('users delete', () => {
  it("removes the person's data as the API's deletion does, and nobody else's", async () => {
    const gone = await signUp(t.app);
    const kept = await signUp(t.app);
    for (const session of [gone, kept]) expect((await session.api.post('/api/v1/measurements', navy())).status).toBe(201);
    const keptExport = (await kept.api.get('/api/v1/users/me/export')).body;

    const { output, forgotten } = await run('users.delete', { email: gone.user.email });
    expect(output).toEqual([
      `Deleted ${gone.user.email} and all its data: 1 measurement(s), 0 goal(s), 0 weigh-in(s), 0 intake day(s), 0 import(s).`,
    ]);
    expect(forgotten).toEqual([gone.user.id]);
    await expectSignedOut(gone);
    expect(await t.database.db.select().from(measurements).where(eq(measurements.userId, gone.user.id))).toEqual([]);
    expect(await t.database.db.select().from(refreshTokens).where(eq(refreshTokens.userId, gone.user.id))).toEqual([]);
    expect((await refused(run('users.show', { email: gone.user.email }))).message).toBe(`no account with the email ${gone.user.email}`);

    const { exported_at: _at, ...before } = keptExport;
    const { exported_at: _now, ...after } = (await kept.api.get('/api/v1/users/me/export')).body;
    expect(after).toEqual(before);
    // The email is free again.
    expect((await signUp(t.app, { email: gone.user.email })).user.email).toBe(gone.user.email);
  });
});

describe('the schema the tasks need', () => {
  it('refuses a database whose migrations are pending, saying how to apply them', async () => {
    const empty = await usePglite(new PGlite(), undefined, { migrate: false });
    try {
      const error = await refused(run('users.list', {}, empty));
      expect(error.exitCode).toBe(1);
      expect(error.message).toMatch(
        /^the database is not at this version's schema \(0 of \d+ migrations applied, \d+ pending\): start the service once, or run `npm run db:migrate`/,
      );
      const { output } = await run('check.database', {}, empty);
      expect(output[1]).toMatch(/^warn {2}migrations: 0 of \d+ migrations applied, \d+ pending: the service applies them at its start/);
    } finally {
      await empty.close();
    }
  });

  it('the database check says it answers and has every migration', async () => {
    const { output } = await run('check.database', {});
    expect(output[0]).toMatch(/^ok {4}database answers: yes, (PGlite|PostgreSQL) \d+/);
    expect(output[1]).toMatch(/^ok {4}migrations: all \d+ migrations applied$/);
  });
});
