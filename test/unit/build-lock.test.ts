/**
 * scripts/build-server.cjs when several starts find stale sources at once (the cluster test starts
 * three instances from one checkout): they take turns under dist.lock/, one builds, the others use
 * its dist/, and none removes a dist/ another is already running from. Run on a copy of the build's
 * inputs in a temporary folder, so the checkout's dist/ is left alone.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'recomp-build-'));
  await mkdir(path.join(work, 'scripts'));
  await mkdir(path.join(work, 'web/src'), { recursive: true });
  await cp(path.join(ROOT, 'scripts/build-server.cjs'), path.join(work, 'scripts/build-server.cjs'));
  await cp(path.join(ROOT, 'src'), path.join(work, 'src'), { recursive: true });
  await cp(path.join(ROOT, 'web/src/paths.ts'), path.join(work, 'web/src/paths.ts'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) await cp(path.join(ROOT, file), path.join(work, file));
  await symlink(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'));
});
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

/** One start's build step, as scripts/start.cjs runs it; then it reads a module of the result, as a start would. */
const startBuild = () => promisify(execFile)(process.execPath, ['-e', `
  const { ensureServerBuild } = require('./scripts/build-server.cjs');
  const entry = ensureServerBuild();
  require('node:fs').readFileSync(entry);
  console.log('ready');
`], { cwd: work, timeout: 120_000 });

describe('concurrent builds', () => {
  it('three starts on stale sources build once, in turn, and all find a whole dist/', async () => {
    const results = await Promise.all([startBuild(), startBuild(), startBuild()]);
    expect(results.map((r) => r.stdout.trim())).toEqual(['ready', 'ready', 'ready']);
    expect(results.filter((r) => r.stderr.includes('built the service into dist/'))).toHaveLength(1);
    await expect(stat(path.join(work, 'dist.lock'))).rejects.toThrow(/ENOENT/);
    expect((await readFile(path.join(work, 'dist/.build-hash'), 'utf8')).split('\n')[0]).toMatch(/^[0-9a-f]{64}$/);
  }, 180_000);

  it('takes over a lock and removes a build folder left by a start that died mid-build', async () => {
    await rm(path.join(work, 'dist'), { recursive: true, force: true });
    await mkdir(path.join(work, 'dist.lock'));
    // A pid that is not running: the lock is abandoned, and so is its half-built folder.
    await writeFile(path.join(work, 'dist.lock/pid'), '999999999');
    await mkdir(path.join(work, 'dist.building-999999999/src'), { recursive: true });
    // A live process's folder (this test's own pid stands for a build in progress) is left alone.
    const live = path.join(work, `dist.building-${process.pid}`);
    await mkdir(live);
    const { stdout, stderr } = await startBuild();
    expect(stdout.trim()).toBe('ready');
    expect(stderr).toContain('built the service into dist/');
    await expect(stat(path.join(work, 'dist.building-999999999'))).rejects.toThrow(/ENOENT/);
    expect((await stat(live)).isDirectory()).toBe(true);
    await rm(live, { recursive: true });
  }, 180_000);
});
