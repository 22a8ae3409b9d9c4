/**
 * `npm start`'s command (package.json) as a real process, on the build in dist/ (test/setup/build.ts):
 * it runs the compiled JavaScript, sizes libuv's thread pool to the cores when UV_THREADPOOL_SIZE is
 * unset (and keeps a value that is set: src/thread-pool.ts), finds the migrations and PGlite's
 * WebAssembly from dist/, and stops with exit 0 on SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../helpers/cluster.ts';
import { PASSWORD, profile } from '../helpers/api.ts';
import { startArguments, startServerProcess } from '../helpers/server-process.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function start(env: Record<string, string>) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'recomp-start-'));
  dirs.push(dataDir);
  const port = await freePort();
  const inherited = { ...process.env };
  delete inherited.UV_THREADPOOL_SIZE;
  const base = `http://127.0.0.1:${port}`;
  const server = await startServerProcess(
    startArguments(),
    {
      ...inherited,
      NODE_ENV: 'test',
      RECOMP_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
      ...env,
    },
    async () => (await fetch(`${base}/health/ready`)).status === 200,
    children,
  );
  // The log line may reach us just after the first answer does.
  const line = await vi.waitFor(
    () => {
      const found = server
        .output()
        .split('\n')
        .find((text) => text.includes('"Recomp is ready"'));
      if (found === undefined) throw new Error(`no "Recomp is ready" line in: ${server.output()}`);
      return found;
    },
    { timeout: 5000, interval: 50 },
  );
  const ready = JSON.parse(line) as Record<string, unknown>;
  return { ...server, base, ready };
}

/** The threads of libuv's pool in a running process: libuv names them, and starts them all at once. */
async function poolThreads(pid: number): Promise<number> {
  const tasks = await readdir(`/proc/${pid}/task`);
  const names = await Promise.all(tasks.map((task) => readFile(`/proc/${pid}/task/${task}/comm`, 'utf8').catch(() => '')));
  return names.filter((name) => name.trim() === 'libuv-worker').length;
}

const post = (base: string, url: string, body: unknown) =>
  fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('npm start', () => {
  it('runs the compiled service with the thread pool sized to the cores, and stops cleanly on SIGTERM', async () => {
    const service = await start({});
    expect(service.ready).toMatchObject({ database: 'pglite', compiled: true, threadPoolSize: availableParallelism() });
    // The migrations ran and the password hashing works: register and sign in.
    const person = profile();
    expect((await post(service.base, '/api/v1/users', person)).status).toBe(201);
    const login = await post(service.base, '/api/v1/auth/login', { email: person.email, password: PASSWORD });
    expect(login.status).toBe(200);
    // The hashes ran on the pool: one thread per core (Node's default is 4).
    expect(await poolThreads(service.child.pid!)).toBe(availableParallelism());
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });

  it('keeps a thread pool size that is set', async () => {
    const service = await start({ UV_THREADPOOL_SIZE: '3' });
    expect(service.ready).toMatchObject({ compiled: true, threadPoolSize: 3 });
    expect((await post(service.base, '/api/v1/users', profile())).status).toBe(201);
    expect(await poolThreads(service.child.pid!)).toBe(3);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });
});
