/**
 * An instance that stops mid-import (docs/DESIGN.md, 'Imports'; docs/DEPLOY.md, 'Imports'): the
 * real server process, on a real PostgreSQL, is killed (SIGKILL: no chance to tidy up) while its job
 * reads a big file. The next instance to run marks the import failed with `interrupted`, removes the
 * file the killed one left in the spool, and nothing of the file was stored. An instance stopped
 * gracefully (SIGTERM) marks its own imports so, and empties its spool, before it exits.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PASSWORD, profile } from '../helpers/api.ts';
import { type Cluster, createCluster, freePort, postgresBin } from '../helpers/cluster.ts';
import { startArguments, startServerProcess } from '../helpers/server-process.ts';

const bin = postgresBin();
if (!bin) console.warn('import-restart: no PostgreSQL binaries under /usr/lib/postgresql; .ci/run installs them');

/** The shortest the setting allows: a job's heartbeat then moves every half second. */
const STALE_SECONDS = 3;
/** Rows enough that reading them takes seconds, long enough to be caught in the middle. */
const ROWS = 3_000_000;

const children: ChildProcess[] = [];
let cluster: Cluster;
let work: string;

beforeAll(async () => {
  if (!bin) return;
  cluster = await createCluster(bin);
  work = await mkdtemp(path.join(tmpdir(), 'recomp-import-restart-'));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await cluster?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

async function startServer(port: number) {
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_URL: cluster.url,
    SIGNUP_MAX_PER_ADDRESS: '0',
    IMPORT_SPOOL_DIR: path.join(work, 'spool'),
    IMPORT_STALE_SECONDS: String(STALE_SECONDS),
    JWT_SECRET: 'import-restart-test-secret-that-is-long-enough',
  };
  return startServerProcess(
    startArguments(),
    env,
    async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200,
    children,
  );
}

describe.skipIf(!bin)('an instance killed mid-import', () => {
  it('leaves the import to be marked failed (interrupted) by the next instance, which clears the spool; nothing of the file is stored; SIGTERM marks it at once', async () => {
    const port = await freePort();
    const first = await startServer(port);
    const base = `http://127.0.0.1:${port}`;
    const person = profile({ date_of_birth: '1950-01-01' });
    expect(
      (
        await fetch(`${base}/api/v1/users`, {
          method: 'POST',
          body: JSON.stringify(person),
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(201);
    const login = await (
      await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ email: person.email, password: PASSWORD }),
        headers: { 'content-type': 'application/json' },
      })
    ).json();
    const auth = { authorization: `Bearer ${login.access_token}` };

    const file = path.join(work, 'weights.csv');
    const lines = ['date,weight'];
    for (let i = 0; i < ROWS; i++)
      lines.push(`${1990 + (i % 30)}-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')},${(70 + (i % 50) / 10).toFixed(1)}`);
    await writeFile(file, `${lines.join('\n')}\n`);
    lines.length = 0;
    const started = await fetch(`${base}/api/v1/users/me/imports`, {
      method: 'POST',
      body: await readFile(file),
      headers: { ...auth, 'content-type': 'text/csv' },
    });
    expect(started.status).toBe(202);
    const { id } = await started.json();
    const job = async () => (await fetch(`${base}/api/v1/users/me/imports/${id}`, { headers: auth })).json();

    // Reading under way: the job has said how far it got, and has not finished.
    await vi.waitFor(
      async () => expect(await job()).toMatchObject({ status: 'running', progress: expect.toSatisfy((p: number) => p > 0) }),
      { timeout: 30_000, interval: 50 },
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await readdir(path.join(work, 'spool'))).toHaveLength(1);

    const second = await startServer(port);
    const after = await vi.waitFor(
      async () => {
        const now = await job();
        expect(now.status).toBe('failed');
        return now;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(after).toMatchObject({
      error: { code: 'interrupted', message: 'The service stopped during the import; import the file again' },
      finished_at: expect.any(String),
    });
    expect(after.progress).toBeLessThan(0.9);
    expect(after.report).toMatchObject({ days_done: 0, weights: { imported: 0 } });
    await vi.waitFor(async () => expect(await readdir(path.join(work, 'spool'))).toEqual([]), { timeout: 30_000, interval: 100 });
    const stored = await (await fetch(`${base}/api/v1/users/me/weights?from=2019-01-01&to=2019-12-31`, { headers: auth })).json();
    expect(stored.weights.filter((w: { weight_kg: number | null }) => w.weight_kg !== null)).toEqual([]);

    // Stopped gracefully mid-import, an instance marks its imports interrupted itself and empties its spool before it exits.
    const again = await fetch(`${base}/api/v1/users/me/imports`, {
      method: 'POST',
      body: await readFile(file),
      headers: { ...auth, 'content-type': 'text/csv' },
    });
    const { id: secondId } = await again.json();
    const secondJob = async () => (await fetch(`${base}/api/v1/users/me/imports/${secondId}`, { headers: auth })).json();
    await vi.waitFor(
      async () => expect(await secondJob()).toMatchObject({ status: 'running', progress: expect.toSatisfy((p: number) => p > 0) }),
      { timeout: 30_000, interval: 50 },
    );
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);
    const stoppedAt = Date.now();
    expect(await readdir(path.join(work, 'spool'))).toEqual([]);
    const third = await startServer(port);
    const marked = await secondJob();
    expect(marked).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
    expect(Date.parse(marked.finished_at)).toBeLessThanOrEqual(stoppedAt);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  });
});
