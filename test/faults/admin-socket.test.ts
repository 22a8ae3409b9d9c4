/**
 * The `recomp` command against a running service on the embedded database (docs/DEPLOY.md, 'Running
 * commands against a running service'): the service holds the database, so the command sends its
 * task to the service's socket in the data folder (src/admin/socket.ts). Both are the build in dist/
 * (test/setup/build.ts), as `npm start` and `npx recomp` run them.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbedded } from '../../src/db/client.ts';
import { freePort } from '../helpers/cluster.ts';
import { profile } from '../helpers/api.ts';
import { type ServerProcess, startArguments, startServerProcess } from '../helpers/server-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');

const children: ChildProcess[] = [];
let dataDir: string;
let socket: string;
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

const environment = () => ({ ...process.env, NODE_ENV: 'test', RECOMP_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info' });

/** `recomp <args>` from the build, as a person at a terminal runs it. */
function recomp(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: environment() }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** One request line sent to the socket as it is, and the reply lines until the service closes the connection. */
function ask(line: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const connection = connect(socket);
    let received = '';
    connection.setEncoding('utf8');
    connection.on('connect', () => connection.write(line));
    connection.on('data', (chunk) => {
      received += chunk;
    });
    connection.on('error', reject);
    connection.on('close', () =>
      resolve(
        received
          .split('\n')
          .filter(Boolean)
          .map((reply) => JSON.parse(reply)),
      ),
    );
  });
}

async function startService(): Promise<ServerProcess & { base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = await startServerProcess(
    startArguments(),
    { ...environment(), PORT: String(port), HOST: '127.0.0.1' },
    async () => (await fetch(`${base}/health/ready`)).status === 200,
    children,
  );
  return { ...service, base };
}

const migrationsKnown = async () =>
  (JSON.parse(await readFile(path.join(ROOT, 'drizzle/meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'recomp-socket-'));
  socket = path.join(dataDir, 'recomp.sock');
});

describe('recomp against a running service', () => {
  it('opens the database itself when a socket file is left by a service that was killed', async () => {
    // A process that listens on the socket and is killed leaves the file behind, as a killed service would.
    const killed = spawn(process.execPath, [
      '-e',
      "require('node:net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))",
      socket,
    ]);
    children.push(killed);
    await new Promise((resolve) => killed.once('exit', resolve));
    expect((await stat(socket)).isSocket()).toBe(true);
    // A folder the service had created its database in (recomp refuses a folder without one).
    await (await openEmbedded(dataDir, { migrate: false })).close();

    const result = await recomp('status');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      `database: embedded (PGlite) in ${dataDir}\nmigrations: 0 of ${await migrationsKnown()} migrations applied, ${await migrationsKnown()} pending\naccounts: 0\n`,
    );
  });

  it('asks the running service, which replaced the stale socket with its own, private to its user, and removes it when it stops', async () => {
    const service = await startService();
    expect((await stat(socket)).mode & 0o777).toBe(0o600);
    expect(
      (
        await fetch(`${service.base}/api/v1/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(profile()),
        })
      ).status,
    ).toBe(201);

    const result = await recomp('status');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('recomp: the service is running: asking it to run "status"\n');
    const known = await migrationsKnown();
    expect(result.stdout).toBe(`database: embedded (PGlite) in ${dataDir}\nmigrations: all ${known} migrations applied\naccounts: 1\n`);
    expect(service.output()).toContain('running an administration task for the recomp command');

    // A bad request is answered with an error and changes nothing; the service serves on.
    expect(await ask('not json\n')).toEqual([{ error: 'the request is not JSON', exitCode: 2 }]);
    expect(await ask('["status"]\n')).toEqual([{ error: 'the request must be {"task": "<name>", "args": {…}}', exitCode: 2 }]);
    expect(await ask('{"task":"drop-everything"}\n')).toEqual([{ error: 'unknown task "drop-everything"', exitCode: 2 }]);
    expect(await ask('{"task":"restore","args":{"file":"x"}}\n')).toEqual([
      { error: '"restore" cannot run while the service runs: stop the service first', exitCode: 1 },
    ]);
    expect(await ask('{"task":"status"}\n')).toEqual([
      { print: `database: embedded (PGlite) in ${dataDir}` },
      { print: `migrations: all ${known} migrations applied` },
      { print: 'accounts: 1' },
      { done: true },
    ]);
    // A command that goes away before its task has finished.
    for (let i = 0; i < 5; i++) {
      const gone = connect(socket, () => {
        gone.write('{"task":"status","args":{}}\n');
        gone.destroy();
      });
      gone.on('error', () => {});
    }
    expect((await fetch(`${service.base}/health/ready`)).status).toBe(200);
    expect((await recomp('status')).stdout).toContain('accounts: 1');

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    await expect(stat(socket)).rejects.toMatchObject({ code: 'ENOENT' });
    // Stopped: the command opens the database itself again.
    expect(await recomp('status')).toMatchObject({ code: 0, stderr: '' });
  });
});
