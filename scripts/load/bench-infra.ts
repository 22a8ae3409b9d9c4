/**
 * What `npm run bench` starts and stops: a throwaway PostgreSQL cluster from Debian's binaries on
 * 127.0.0.1, the service (with the probe preloaded), and child commands; plus CPU accounting from
 * /proc. Everything is stopped by its PID; every wait is bounded.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, closeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { nodeStart } from '../cluster/servers.ts';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net
        .createServer()
        .once('error', () => resolve(false))
        .once('listening', () => server.close(() => resolve(true)));
      server.listen(port, '127.0.0.1');
    });
    if (free) return port;
  }
  throw new Error(`no free port on 127.0.0.1 from ${from}`);
}

/** The newest /usr/lib/postgresql/N/bin with initdb, or null. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(root, version, 'bin');
    if (existsSync(path.join(bin, 'initdb'))) return bin;
  }
  return null;
}

/** CPU time (user + system, ms) of a process, or 0 once it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** A process and its descendants (PostgreSQL's backends are children of the postmaster). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  const visit = (pid: number) => {
    out.push(pid);
    for (const child of parents.get(pid) ?? []) visit(child);
  };
  visit(root);
  return out;
}

const treeCpuMs = (root: number | null) => (root === null ? 0 : processTree(root).reduce((sum, pid) => sum + cpuMsOf(pid), 0));

/**
 * Samples the CPU time of the service's and the database's process trees twice a second, so that a
 * scenario's CPU can be read over exactly its measured window (steady's account setup excluded).
 * A backend that exits inside a window takes its CPU with it: postgres.js keeps its pool open.
 */
/** CPU time of the whole machine, busy (not idle or waiting on I/O) and in all, ms, from /proc/stat. */
function machineCpuMs(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: ((total - idle) * 1000) / 100, total: (total * 1000) / 100 };
}

export function cpuSampler(service: () => number | null, database: () => number | null) {
  const samples: { t: number; server: number; db: number; busy: number; total: number }[] = [];
  const take = () => {
    const machine = machineCpuMs();
    samples.push({ t: Date.now(), server: treeCpuMs(service()), db: treeCpuMs(database()), ...machine });
  };
  take();
  const timer = setInterval(take, 500);
  timer.unref();
  const at = (t: number, key: 'server' | 'db' | 'busy' | 'total') => {
    const after = samples.findIndex((s) => s.t >= t);
    if (after <= 0) return samples[after === 0 ? 0 : samples.length - 1]![key];
    const a = samples[after - 1]!;
    const b = samples[after]!;
    return a[key] + ((b[key] - a[key]) * (t - a.t)) / Math.max(1, b.t - a.t);
  };
  return {
    /** CPU ms of each tree between two wall-clock times (call after `to` has been sampled). */
    between(from: number, to: number) {
      take();
      const total = at(to, 'total') - at(from, 'total');
      return {
        server: Math.round(at(to, 'server') - at(from, 'server')),
        db: Math.round(at(to, 'db') - at(from, 'db')),
        /** The whole machine's CPU use over the window: near 100 % means every core was busy. */
        machineBusyPercent: total > 0 ? Math.round(((at(to, 'busy') - at(from, 'busy')) * 100) / total) : null,
      };
    },
    stop() {
      clearInterval(timer);
    },
  };
}

export interface PostgresCluster {
  url: string;
  port: number;
  pid: number;
  stop(): void;
  version: string /** its Unix-socket directory */;
  socketDir: string;
}

/**
 * initdb + pg_ctl start in `dir`, listening on 127.0.0.1 only, durability off (throwaway data, the
 * settings of .ci/run). As root the cluster runs as the `postgres` user.
 */
export async function startPostgres(bin: string, dir: string): Promise<PostgresCluster> {
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  const data = path.join(dir, 'data');
  const sockets = path.join(dir, 'sockets');
  execFileSync('mkdir', ['-p', data, sockets]);
  if (asRoot) {
    // The cluster's user must reach its folder through ours (mkdtemp makes it 0700).
    execFileSync('chmod', ['755', path.dirname(dir)]);
    execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  }
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort(55_432);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    'start',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${sockets} -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
  ]);
  const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const version = execFileSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}`,
    port,
    pid,
    version,
    socketDir: sockets,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      } catch {
        try {
          process.kill(pid, 'SIGQUIT');
        } catch {
          /* gone */
        }
      }
    },
  };
}

export async function createDatabase(bin: string, url: string, name: string) {
  execFileSync(path.join(bin, 'psql'), [`${url}/postgres`, '-qc', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
}

export interface Service {
  pid: number;
  baseUrl: string;
  log: string;
  stop(): Promise<number | null>;
}

const scriptsOf = (root: string) =>
  (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};

/**
 * Builds the tree's service (`npm run build`: compiled JavaScript in dist/) when it has that script,
 * so that a run measures its sources as they are now. Once per tree, before its first start.
 */
export function buildService(root: string): void {
  if (scriptsOf(root).build) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}

/**
 * Starts the service as `npm start` runs it (`node <flags> dist/src/server.js`: compiled
 * JavaScript, the thread pool sized to the cores), with the probe preloaded, and waits for
 * /health/ready. A tree whose start script is not `node …` (an A/B against an older checkout) runs
 * as `node --import tsx src/server.ts`.
 */
export async function startService(opts: {
  root: string;
  probe: string;
  env: Record<string, string>;
  port: number;
  log: string;
  probeFile: string;
  nodeArgs?: string[];
  /** Node's flags instead of those of the tree's start script (its entry stays). */
  startFlags?: string[];
}): Promise<Service> {
  const out = openSync(opts.log, 'a');
  const started = nodeStart(scriptsOf(opts.root).start ?? '');
  const entry =
    started === null ? ['--import', 'tsx', 'src/server.ts'] : opts.startFlags ? [...opts.startFlags, started.args.at(-1)!] : started.args;
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--require', opts.probe, ...entry], {
    cwd: opts.root,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...started?.env,
      ...opts.env,
      HOST: '127.0.0.1',
      PORT: String(opts.port),
      RECOMP_PROBE_FILE: opts.probeFile,
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve(code);
    }),
  );
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && exited === undefined) {
    try {
      const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) break;
    } catch {
      /* not yet */
    }
    await sleep(300);
  }
  const stop = async () => {
    if (exited !== undefined) return exited;
    child.kill('SIGTERM');
    const code = await Promise.race([exit, sleep(30_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      child.kill('SIGKILL');
      return exit;
    }
    return code;
  };
  if (exited !== undefined || Date.now() >= deadline) {
    await stop();
    throw new Error(`the service did not become ready (see ${opts.log})`);
  }
  return { pid: child.pid!, baseUrl, log: opts.log, stop };
}

/** Runs a command to completion (bounded by `timeoutMs`), its output streamed to ours and kept. */
export function runCommand(
  cmd: string,
  args: string[],
  opts: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string; pid: number }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d;
      process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, pid: child.pid! });
    });
  });
}
