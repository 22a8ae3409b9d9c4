/** The service as a real process (the fault tests): spawned from the repository root, with its output kept, until it is ready. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import { nodeStart } from '../../scripts/cluster/servers.ts';

const REPOSITORY_ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Node's arguments in package.json's `start` (`node <flags> dist/src/server.js`): the service as `npm
 * start` runs it, from its build. (The allocator settings the script also sets change only its memory.)
 */
export function startArguments(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const start = nodeStart(manifest.scripts.start ?? '');
  if (start === null) throw new Error(`package.json's start does not run node: ${manifest.scripts.start}`);
  return start.args;
}

export interface ServerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * Starts `node <args>` and asks `isReady` every 250 ms until it says yes (for at most `timeoutMs`),
 * or the process exits. The child is added to `children`, for the caller's cleanup.
 */
export async function startServerProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  isReady: () => Promise<boolean>,
  children: ChildProcess[],
  timeoutMs = 30_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await vi
    .waitFor(
      async () => {
        // An exited process ends the wait at once; it is reported below.
        if (child.exitCode !== null) return;
        if (!(await isReady().catch(() => false))) throw new Error('not ready yet');
      },
      { timeout: timeoutMs, interval: 250 },
    )
    .catch(() => {
      throw new Error(`server not ready within ${timeoutMs} ms: ${output}`);
    });
  if (child.exitCode !== null) throw new Error(`server exited early: ${output}`);
  return { child, exited, output: () => output };
}
