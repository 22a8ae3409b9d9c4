/**
 * `npm start` and `npm run db:migrate` run the build in dist/ and never build themselves: without
 * one they stop at once with a one-line message saying what to run. Run in a folder holding only
 * package.json, so the checkout's own build is left alone.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'recomp-unbuilt-'));
  await copyFile(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('without a build', () => {
  it.each([
    ['npm start', ['start']],
    ['npm run db:migrate', ['run', 'db:migrate']],
  ])('%s says to run npm run build, and fails', async (_name, args) => {
    const failure = await run('npm', [...args, '--silent'], { cwd: dir }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim()).toBe('Recomp is not built (no dist/src/server.js): run npm run build');
  });
});
