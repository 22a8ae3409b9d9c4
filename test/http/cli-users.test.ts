/**
 * The `recomp` command as a process (src/cli/main.ts run by tsx): `users` and `check` on the database
 * of the project, an embedded data folder on disk (pglite) or the test PostgreSQL server (postgres).
 * What each account task does is in admin-users.test.ts; here, the command line around it: arguments,
 * standard input, exit statuses and the configuration it reads.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { openEmbedded } from '../../src/db/client.ts';
import { Api, expectProblem, PASSWORD, signUp } from '../helpers/api.ts';
import { appOn, createTestApp, databaseKind, TEST_SECRET, type TestApp } from '../helpers/app.ts';
import { navy } from '../helpers/people.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const APP_ENV = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' };

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `recomp <args>` with only the given environment (and PATH), feeding `input` to its standard input. */
function recomp(args: string[], env: Record<string, string>, input = ''): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', JWT_SECRET: TEST_SECRET, ...APP_ENV, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const embedded = databaseKind() === 'pglite';
let dataDir: string;
let env: Record<string, string>;
let email: string;
/** On PostgreSQL the app stays open beside the command; the embedded folder is the command's alone while it runs. */
let pgApp: TestApp | null = null;

/** The app on the command's database, for as long as `use` runs. */
async function withApp<T>(use: (t: TestApp) => Promise<T>): Promise<T> {
  if (pgApp) return use(pgApp);
  const t = await appOn(await openEmbedded(dataDir), { env: APP_ENV });
  try {
    return await use(t);
  } finally {
    await t.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'recomp-cli-'));
  if (embedded) {
    env = { RECOMP_DATA_DIR: dataDir };
  } else {
    pgApp = await createTestApp({ env: APP_ENV });
    env = { RECOMP_DATA_DIR: dataDir, DATABASE_URL: inject('postgresUrl') };
  }
  // The embedded folder is created and migrated as the service's first start would.
  email = await withApp(async (t) => {
    const person = await signUp(t.app, { full_name: 'Cli Person' });
    expect((await person.api.post('/api/v1/measurements', navy())).status).toBe(201);
    return person.user.email as string;
  });
});
afterAll(async () => {
  await pgApp?.close();
  await rm(dataDir, { recursive: true, force: true });
});

// Each command is a Node.js process compiling the sources and opening the database: seconds each on a busy machine.
describe('recomp on the command line', { timeout: 180_000 }, () => {
  it('explains itself with --help and refuses bad arguments with exit 2', async () => {
    const help = await recomp(['users', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('reset-password [options] <email>');
    expect(help.stdout).toContain('Examples:');

    const missing = await recomp(['users', 'show'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'email'");

    // Without a terminal to ask at, a deletion needs --yes.
    const unconfirmed = await recomp(['users', 'delete', email], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('pass --yes');
  });

  if (embedded) {
    it('refuses a data folder that holds no database, and leaves it without one (exit 1)', async () => {
      const empty = await mkdtemp(path.join(tmpdir(), 'recomp-cli-empty-'));
      try {
        for (const args of [['users', 'list'], ['status']]) {
          const outcome = await recomp(args, { RECOMP_DATA_DIR: empty });
          expect(outcome.code, outcome.stderr).toBe(1);
          expect(outcome.stderr).toContain(`there is no database in ${empty}`);
        }
        expect(await readdir(empty)).toEqual([]);
      } finally {
        await rm(empty, { recursive: true, force: true });
      }
    });
  }

  it('lists, shows, resets a password from standard input and disables, with the effects on sign-in', async () => {
    const listed = await recomp(['users', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${email} +Cli Person .* no +1 +0`, 'm'));

    const shown = await recomp(['users', 'show', email.toUpperCase()], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^measurements: +1$/m);

    const unknown = await recomp(['users', 'show', 'nobody@example.com'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('recomp: no account with the email nobody@example.com\n');

    const newPassword = 'chosen on the command line';
    const reset = await recomp(['users', 'reset-password', email, '--stdin'], env, `${newPassword}\nignored second line\n`);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).not.toContain(newPassword);

    const disabled = await recomp(['users', 'disable', email], env);
    expect(disabled.code, disabled.stderr).toBe(0);

    await withApp(async (t) => {
      const api = new Api(t.app);
      expectProblem(await api.post('/api/v1/auth/login', { email, password: PASSWORD }), 401);
      // Only the new password hears that the account is disabled.
      const refused = await api.post('/api/v1/auth/login', { email, password: newPassword });
      expectProblem(refused, 401);
      expect(refused.body.code).toBe('account_disabled');
    });
  });

  it('check: every line ok on a healthy setup (exit 0)', async () => {
    const healthy = await recomp(['check'], env);
    expect(healthy.code, healthy.stdout + healthy.stderr).toBe(0);
    expect(healthy.stdout).toMatch(/^ok {4}configuration: loaded/m);
    expect(healthy.stdout).toMatch(embedded ? /^ok {4}database: embedded, in /m : /^ok {4}database: PostgreSQL at postgres:\/\//m);
    expect(healthy.stdout).toMatch(/^ok {4}database answers: yes, (PGlite|PostgreSQL) \d+/m);
    expect(healthy.stdout).toMatch(/^ok {4}migrations: all \d+ migrations applied$/m);
    if (embedded) expect(healthy.stdout).toMatch(/^ok {4}embedded lock: free/m);
    expect(healthy.stdout).toMatch(/^ok {4}JWT secret: JWT_SECRET is set$/m);
  });

  it('check: a database that does not answer fails its line (exit 1), and the other lines are still made', async () => {
    const down = await recomp(['check'], { RECOMP_DATA_DIR: dataDir, DATABASE_URL: 'postgres://recomp:hunter2@127.0.0.1:1/recomp' });
    expect(down.code).toBe(1);
    expect(down.stdout).toContain('ok    database: PostgreSQL at postgres://recomp:****@127.0.0.1:1/recomp');
    expect(down.stdout).not.toContain('hunter2');
    expect(down.stdout).toMatch(/^fail {2}database answers: no: /m);
    expect(down.stdout).toMatch(/^ok {4}JWT secret: /m);
    expect(down.stderr).toContain('some checks failed');
  });
});
