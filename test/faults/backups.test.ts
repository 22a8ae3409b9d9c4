/**
 * The service's own backups and upgrade checks as a real process, the build in dist/ as `npm start`
 * runs it (docs/DEPLOY.md, "Scheduled backups", "Upgrades"): killed with SIGKILL in the middle of a
 * backup, it leaves no file under a backup's name, and after a restart the next backup is whole;
 * started on a database a newer release migrated, it refuses to run and says why.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openEmbedded } from '../../src/db/client.ts';
import { codeSchema } from '../../src/db/schema-version.ts';
import { readSnapshotFile } from '../helpers/backup.ts';
import { freePort } from '../helpers/cluster.ts';
import { startArguments, startServerProcess } from '../helpers/server-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Enough rows (about 70 MB of JSON) that a backup takes seconds, long enough to be killed in. */
const ROWS = 100_000;
const BACKUP = /^recomp-\d{8}T\d{6}Z\.ndjson\.gz$/;
const PARTIAL = /^\.recomp-\d{8}T\d{6}Z\.ndjson\.gz\.partial-/;

const children: ChildProcess[] = [];
let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'recomp-backup-faults-'));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(folder, { recursive: true, force: true });
});

const environment = (dataDir: string, backupDir: string) => ({
  ...process.env,
  NODE_ENV: 'test',
  RECOMP_DATA_DIR: dataDir,
  DATABASE_URL: '',
  BACKUP_DIR: backupDir,
  LOG_LEVEL: 'info',
  HOST: '127.0.0.1',
});

function spawnService(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, startArguments(), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('scheduled backups', () => {
  it('a service killed mid-backup leaves no file under a backup name, and its next start writes a whole one', async () => {
    const dataDir = await mkdtemp(path.join(folder, 'data-'));
    const backupDir = path.join(folder, 'backups');
    const seeded = await openEmbedded(dataDir);
    await seeded.raw('write', async (query) => {
      const [person] = await query(
        `INSERT INTO users (email, password_hash, full_name, date_of_birth, gender, height_cm, preferred_calculation_method, activity_level)
         VALUES ('many@example.com', 'x', 'Many', '1990-01-01', 'female', 165, 'navy', 'sedentary') RETURNING id`,
      );
      await query(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response_body)
         SELECT $1, 'key-' || g, md5(g::text), 200, repeat(md5(g::text), 20) FROM generate_series(1, ${ROWS}) g`,
        [person!.id],
      );
    });
    await seeded.close();

    // The first backup is due at start (the folder has none): killed as soon as its file is under way.
    const first = spawnService({ ...environment(dataDir, backupDir), PORT: String(await freePort()) });
    await vi.waitFor(
      async () => {
        if (first.child.exitCode !== null) throw new Error(`the service exited: ${first.output()}`);
        expect((await readdir(backupDir).catch(() => [])).some((name) => PARTIAL.test(name))).toBe(true);
      },
      { timeout: 60_000, interval: 20 },
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const left = await readdir(backupDir);
    expect(left.filter((name) => BACKUP.test(name))).toEqual([]);
    expect(left.filter((name) => PARTIAL.test(name)).length).toBeGreaterThan(0);

    // Left long enough to be a stopped writer's (a younger one could be another instance's under way).
    const longAgo = new Date(Date.now() - 11 * 60_000);
    for (const name of left) await utimes(path.join(backupDir, name), longAgo, longAgo);
    // The killed service's lock on the data folder counts as stale once 10 s old (src/db/client.ts);
    // aged now rather than waited for, or the restart could find it fresh and refuse.
    await utimes(path.join(dataDir, 'pgdata.lock'), longAgo, longAgo);

    const port = await freePort();
    const second = await startServerProcess(
      startArguments(),
      { ...environment(dataDir, backupDir), PORT: String(port) },
      async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200,
      children,
      120_000,
    );
    await vi.waitFor(async () => expect((await readdir(backupDir)).filter((name) => BACKUP.test(name))).toHaveLength(1), {
      timeout: 120_000,
      interval: 250,
    });
    const names = await readdir(backupDir);
    expect(names.filter((name) => PARTIAL.test(name))).toEqual([]);
    const { header } = await readSnapshotFile(path.join(backupDir, names.find((name) => BACKUP.test(name))!));
    expect(header.tables.find((table) => table.name === 'idempotency_keys')?.rows).toBe(ROWS);
    expect(header.tables.find((table) => table.name === 'users')?.rows).toBe(1);
    const health = (await (await fetch(`http://127.0.0.1:${port}/health/ready`)).json()) as { backups: { last_success_at: string } };
    expect(health.backups.last_success_at).toEqual(expect.any(String));

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});

describe('an upgrade gone back', () => {
  it('refuses to start on a database a newer release migrated, naming both schema versions', async () => {
    const dataDir = await mkdtemp(path.join(folder, 'data-'));
    const database = await openEmbedded(dataDir);
    await database.raw('write', (query) =>
      query(
        `INSERT INTO drizzle.__drizzle_migrations (hash, created_at) SELECT 'newer', max(created_at) + 1000 FROM drizzle.__drizzle_migrations`,
      ),
    );
    await database.close();

    const service = spawnService({ ...environment(dataDir, path.join(folder, 'unused')), PORT: String(await freePort()) });
    expect(await service.exited).toBe(1);
    const known = codeSchema().version;
    expect(service.output()).toContain(
      `cannot open the database: the database has schema version ${known + 1}, migrated by a newer release of Recomp`,
    );
    expect(service.output()).toContain(`this release knows schema version ${known}`);
  });
});
