import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBackup } from '../../src/admin/backup/write.ts';
import { signUp } from '../helpers/api.ts';
import { openPostgres } from '../../src/db/client.ts';
import { appOn, createTestApp, databaseKind, type TestApp } from '../helpers/app.ts';
import { createPostgresDatabase, dropPostgresDatabase, otherEngine, readSnapshotFile } from '../helpers/backup.ts';
import { navy } from '../helpers/people.ts';

// `recomp backup`, `restore` and `move` as a self-hoster runs them: a process with the service's
// environment (docs/DEPLOY.md, "Backups and upgrades").

const engine = databaseKind();
const root = path.resolve(import.meta.dirname, '../..');
let folder: string;
let source: TestApp;
let snapshot: string;
const databases: string[] = [];

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'recomp-cli-'));
  // A database of its own: the suites of a PostgreSQL run share theirs, and the counts below are this file's.
  if (engine === 'postgres') {
    const url = await createPostgresDatabase();
    databases.push(url);
    source = await appOn(await openPostgres(url, { poolSize: 4 }));
  } else {
    source = await createTestApp();
  }
  const { api } = await signUp(source.app);
  expect((await api.post('/api/v1/measurements', navy())).status).toBe(201);
  snapshot = path.join(folder, 'made-by-the-service.ndjson.gz');
  await writeBackup(source.database, snapshot);
});

afterAll(async () => {
  await source.close();
  for (const url of databases) await dropPostgresDatabase(url);
  await rm(folder, { recursive: true, force: true });
});

/** Configuration of a new, empty database of `kind`: a folder, or a database on the test server. */
async function configured(kind: typeof engine, name: string): Promise<Record<string, string>> {
  if (kind === 'pglite') return { RECOMP_DATA_DIR: path.join(folder, name) };
  const url = await createPostgresDatabase();
  databases.push(url);
  return { DATABASE_URL: url };
}

async function recomp(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DATABASE_|RECOMP_DATA_DIR|JWT_SECRET)/.test(name)));
  try {
    const { stdout, stderr } = await promisify(execFile)(
      path.join(root, 'node_modules/.bin/tsx'),
      [path.join(root, 'src/cli/main.ts'), ...args],
      {
        cwd: folder,
        env: { ...clean, ...env, NODE_ENV: 'development' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the recomp command', () => {
  it('explains itself, and refuses bad arguments with exit status 2', async () => {
    const help = await recomp(['restore', '--help'], { RECOMP_DATA_DIR: path.join(folder, 'unused') });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: recomp restore \[options\] <file>/);
    expect(help.stdout).toMatch(/--force/);
    expect(await recomp(['restore'], { RECOMP_DATA_DIR: path.join(folder, 'unused') })).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/missing required argument 'file'/),
    });
    expect(await recomp(['move', '--to', 'mysql://elsewhere/recomp'], { RECOMP_DATA_DIR: path.join(folder, 'unused') })).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--to mysql:\/\/elsewhere\/recomp: give postgres:\/\/… or embedded:DIR/),
    });
  }, 120_000);

  it(`restores and backs up a ${engine} database, and refuses to restore over its data`, async () => {
    const env = await configured(engine, 'data');
    const restored = await recomp(['restore', snapshot], env);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^ {2}users +1 rows$/m);
    expect(restored.stdout).toMatch(/checksums matched: \d+ tables/);

    const again = await recomp(['restore', 'made-by-the-service.ndjson.gz'], env);
    expect(again).toMatchObject({ code: 2, stderr: expect.stringMatching(/the database is not empty .*pass --force/) });

    const backup = await recomp(['backup'], env);
    expect(backup.code).toBe(0);
    const [, file] = /^backup: (\S+recomp-\d{8}T\d{6}Z\.ndjson\.gz) /.exec(backup.stdout)!;
    expect(path.dirname(file!)).toBe(folder);
    expect((await readSnapshotFile(file!)).body).toBe((await readSnapshotFile(snapshot)).body);
    expect(await recomp(['backup', '--out', file!], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/exists/) });
  }, 120_000);

  it(`moves the data from ${engine} to ${otherEngine(engine)}, and says what to configure`, async () => {
    const env = await configured(engine, 'from');
    expect((await recomp(['restore', snapshot], env)).code).toBe(0);
    const to =
      otherEngine(engine) === 'pglite' ? `embedded:${path.join(folder, 'to')}` : (await configured('postgres', 'to')).DATABASE_URL!;
    const moved = await recomp(['move', '--to', to], env);
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toMatch(/checksums matched/);
    expect(moved.stdout).toMatch(
      to.startsWith('embedded:') ? /unset DATABASE_URL[\s\S]*set RECOMP_DATA_DIR=/ : /set DATABASE_URL=postgres:/,
    );

    const there: Record<string, string> = to.startsWith('embedded:')
      ? { RECOMP_DATA_DIR: to.slice('embedded:'.length) }
      : { DATABASE_URL: to };
    const out = path.join(folder, 'moved.ndjson.gz');
    expect((await recomp(['backup', '--out', out], there)).code).toBe(0);
    expect((await readSnapshotFile(out)).body).toBe((await readSnapshotFile(snapshot)).body);
  }, 180_000);
});
