/**
 * The servers of the one-machine cluster, from Debian's binaries, on 127.0.0.1 only: a PostgreSQL
 * primary and a streaming replica, PgBouncer, Redis, nginx and the Recomp instances. Every process is
 * started here in the foreground (no daemons), its PID kept, and stopped again by that PID.
 * When we are root the database-side servers run as the `postgres` user (PostgreSQL and PgBouncer
 * refuse root).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import { freePort, postgresBin as findPostgresBin } from '../../test/helpers/cluster.ts';

export interface Proc {
  name: string;
  pid: number;
  child: ChildProcess;
  log: string;
  exited: Promise<number | null>;
}

const asRoot = process.getuid?.() === 0;
let postgresAccount: { uid: number; gid: number } | null | undefined;
/** The `postgres` account when we are root (looked up once, after the install made it), else null. */
function postgresUser(): { uid: number; gid: number } | null {
  if (postgresAccount === undefined) {
    postgresAccount = asRoot
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
          gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
        }
      : null;
  }
  return postgresAccount;
}

/** The newest PostgreSQL's binaries; the port finder is the fault tests' (test/helpers/cluster.ts). */
export function postgresBin(): string {
  const bin = findPostgresBin();
  if (!bin || !existsSync(path.join(bin, 'pg_basebackup')))
    throw new Error('no PostgreSQL binaries under /usr/lib/postgresql (scripts/cluster/install.sh installs them)');
  return bin;
}
export { freePort };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything started, in start order; `stopAll` stops them in reverse, by PID. */
export class Processes {
  readonly list: Proc[] = [];

  constructor(readonly dir: string) {}

  /** A folder of the work dir that the `postgres` user may write (when we are root). */
  folder(name: string): string {
    const full = path.join(this.dir, name);
    mkdirSync(full, { recursive: true, mode: 0o700 });
    const account = postgresUser();
    if (account) chownSync(full, account.uid, account.gid);
    return full;
  }

  start(
    name: string,
    command: string,
    args: string[],
    options: { env?: NodeJS.ProcessEnv; asPostgres?: boolean; cwd?: string } = {},
  ): Proc {
    const log = path.join(this.dir, 'logs', `${name}.log`);
    mkdirSync(path.dirname(log), { recursive: true });
    const fd = openSync(log, 'a');
    const child = spawn(command, args, {
      cwd: options.cwd ?? this.dir,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
      // Its own process group: a stop reaches what it started, and ^C in our terminal does not reach it first.
      detached: true,
      ...(options.asPostgres ? (postgresUser() ?? {}) : {}),
    });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    const proc: Proc = { name, pid: child.pid, child, log, exited };
    this.list.push(proc);
    return proc;
  }

  running(proc: Proc): boolean {
    return proc.child.exitCode === null && proc.child.signalCode === null;
  }

  /** SIGTERM (or `signal`), up to `graceMs`, then SIGKILL to its process group. */
  async stop(proc: Proc, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    if (this.running(proc)) {
      try {
        process.kill(proc.pid, signal);
      } catch {
        /* already gone */
      }
      const timer = sleep(graceMs).then(() => 'timeout' as const);
      if ((await Promise.race([proc.exited.then(() => 'exited' as const), timer])) === 'timeout') {
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await proc.exited;
      }
    }
    const index = this.list.indexOf(proc);
    if (index >= 0) this.list.splice(index, 1);
  }

  async stopAll(): Promise<void> {
    for (const proc of [...this.list].reverse()) {
      // PostgreSQL: SIGINT is its fast shutdown; the others stop cleanly on SIGTERM.
      await this.stop(proc, proc.name.startsWith('postgres') ? 'SIGINT' : 'SIGTERM');
    }
  }
}

/** Waits until `probe` resolves true, or the process exits, or the time runs out. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  options: { proc?: Proc; procs?: Processes; seconds?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.seconds ?? 60) * 1000;
  while (Date.now() < deadline) {
    if (options.proc && options.procs && !options.procs.running(options.proc))
      throw new Error(`${what}: the process exited (log: ${options.proc.log})`);
    if (await probe().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what}: not ready within ${options.seconds ?? 60} s`);
}

export function run(command: string, args: string[], options: { asPostgres?: boolean } = {}): string {
  return execFileSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.asPostgres ? (postgresUser() ?? {}) : {}),
  });
}

// ---- PostgreSQL ----------------------------------------------------------------------------------

export interface Postgres {
  proc: Proc;
  port: number;
  data: string;
  url: (db: string) => string;
}

const POSTGRES_SETTINGS = [
  'listen_addresses=127.0.0.1',
  'max_connections=200',
  'shared_buffers=128MB',
  // Throwaway data on a shared machine: no fsync. Commits are still acknowledged only once in the WAL.
  'fsync=off',
  'full_page_writes=off',
  'wal_level=replica',
  'max_wal_senders=5',
  'hot_standby=on',
  'hot_standby_feedback=on',
];

export async function startPostgres(procs: Processes, name: string, data: string, port: number, sockets: string): Promise<Postgres> {
  const bin = postgresBin();
  const args = ['-D', data, '-p', String(port), '-k', sockets, ...POSTGRES_SETTINGS.flatMap((s) => ['-c', s])];
  const proc = procs.start(name, path.join(bin, 'postgres'), args, { asPostgres: true });
  await waitFor(
    name,
    async () => {
      try {
        run(path.join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]);
        return true;
      } catch {
        return false;
      }
    },
    { proc, procs },
  );
  return { proc, port, data, url: (db) => `postgres://postgres@127.0.0.1:${port}/${db}` };
}

export function initPrimary(procs: Processes): string {
  const data = path.join(procs.folder('primary'), 'data');
  run(path.join(postgresBin(), 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], {
    asPostgres: true,
  });
  return data;
}

/** A streaming replica of `primary` made with pg_basebackup -R (standby.signal + primary_conninfo). */
export function baseBackup(procs: Processes, primary: Postgres): string {
  const data = path.join(procs.folder('replica'), 'data');
  run(
    path.join(postgresBin(), 'pg_basebackup'),
    ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '-c', 'fast'],
    { asPostgres: true },
  );
  return data;
}

// ---- PgBouncer, Redis, nginx ---------------------------------------------------------------------

export async function startPgbouncer(procs: Processes, primary: Postgres, database: string, port: number): Promise<Proc> {
  const dir = procs.folder('pgbouncer');
  writeFileSync(path.join(dir, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    `[databases]
${database} = host=127.0.0.1 port=${primary.port} dbname=${database} user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${path.join(dir, 'userlist.txt')}
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 40
; postgres.js sends statement_timeout at connect; PgBouncer before 1.20 refuses unknown startup parameters
ignore_startup_parameters = extra_float_digits,statement_timeout
admin_users = postgres
log_connections = 0
log_disconnections = 0
`,
  );
  const proc = procs.start('pgbouncer', '/usr/sbin/pgbouncer', [path.join(dir, 'pgbouncer.ini')], { asPostgres: true });
  await waitFor('pgbouncer', () => portOpen(port), { proc, procs });
  return proc;
}

export async function startRedis(procs: Processes, port: number): Promise<Proc> {
  const dir = procs.folder('redis');
  const proc = procs.start(
    'redis',
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
    { asPostgres: true },
  );
  // A PONG, not just an open port: if Redis could not bind, something else may listen there.
  await waitFor('redis', () => redisAnswers(port), { proc, procs });
  return proc;
}

/** Whether a Redis server answers PING on the port. */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += String(chunk);
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
    socket.connect(port, '127.0.0.1');
  });
}

/** The balancer: round robin over the instances with keep-alive, passive failover for what may be retried. */
export function nginxConfig(dir: string, port: number, upstreams: number[]): string {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  # One JSON line per request: when it started and ended, which instance(s) served it, and how.
  log_format cluster escape=json '{"end":$msec,"duration":$request_time,"id":"$recomp_request_id","method":"$request_method","uri":"$request_uri","status":$status,"upstream":"$upstream_addr","upstream_status":"$upstream_status"}';
  access_log ${dir}/access.log cluster;
  # The client's own X-Request-Id when it sent one, else nginx's: the instance logs the same id.
  map $http_x_request_id $recomp_request_id { "" $request_id; default $http_x_request_id; }
  upstream recomp {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;`).join('\n')}
    keepalive 64;
    keepalive_timeout 60s;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://recomp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-Id $recomp_request_id;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
      # Passive failover. nginx passes a request on to the next instance when the connection failed
      # or was refused; a POST only when nothing was sent yet (no non_idempotent flag: a POST that
      # reached an instance may have written, and a retry would write twice unless it carries an
      # Idempotency-Key, which the client, not the balancer, must resend). Not on 5xx answers: the
      # service's 503 means its database does not answer, and the next instance shares it.
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      proxy_next_upstream_timeout 5s;
    }
  }
}
`;
}

export async function startNginx(procs: Processes, port: number, upstreams: number[]): Promise<Proc> {
  const dir = procs.folder('nginx');
  writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, port, upstreams));
  const nginx = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
  const proc = procs.start('nginx', nginx, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')], {
    asPostgres: true,
  });
  await waitFor('nginx', () => portOpen(port), { proc, procs });
  return proc;
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(port, '127.0.0.1');
  });
}

// ---- Recomp --------------------------------------------------------------------------------------

export interface Instance {
  index: number;
  port: number;
  proc: Proc;
}

/** package.json's start command without `exec` (on the build the caller made once before). */
export function startCommand(scripts: Record<string, string>): string[] {
  const words = (scripts.start ?? '')
    .replace(/^exec\s+/, '')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) throw new Error('package.json has no start script');
  return words;
}

/**
 * What the start script runs when it runs node: `exec [env NAME=value …] node <flags> <entry>` gives
 * the environment it sets (glibc's allocator: docs/PERFORMANCE.md, "Memory of the embedded
 * database") and node's arguments; null when it runs something else (an older tree).
 */
export function nodeStart(start: string): { env: Record<string, string>; args: string[] } | null {
  const words = start
    .replace(/^exec\s+/, '')
    .split(/\s+/)
    .filter(Boolean);
  const env: Record<string, string> = {};
  let next = 0;
  if (words[0] === 'env') {
    for (next = 1; next < words.length && /^[A-Za-z_]\w*=/.test(words[next]!); next++) {
      const [name, ...value] = words[next]!.split('=');
      env[name!] = value.join('=');
    }
  }
  return words[next] === 'node' && words.length > next + 1 ? { env, args: words.slice(next + 1) } : null;
}

export function startInstance(
  procs: Processes,
  root: string,
  command: string[],
  index: number,
  port: number,
  env: Record<string, string>,
): Instance {
  const proc = procs.start(`recomp-${index}`, command[0]!, command.slice(1), {
    cwd: root,
    env: {
      PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? '/tmp',
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
    },
  });
  return { index, port, proc };
}

/**
 * Waits until the instance is ready and, where it has them, uses the shared Redis and every replica:
 * an instance that started without them still answers everything (from the primary, limits per
 * instance), and the checks that need them would fail later with a less clear message.
 */
export async function waitReady(procs: Processes, instance: Instance, seconds = 90): Promise<void> {
  let last = 'no answer';
  try {
    await waitFor(
      `recomp-${instance.index}`,
      async () => {
        const response = await fetch(`http://127.0.0.1:${instance.port}/health/ready`);
        const body = await response.text();
        last = `${response.status} ${body}`;
        if (response.status !== 200) return false;
        const ready = JSON.parse(body) as { redis?: string; replicas?: { configured: number; usable: number } };
        return (
          (ready.redis === undefined || ready.redis === 'available') &&
          (ready.replicas === undefined || ready.replicas.usable === ready.replicas.configured)
        );
      },
      { proc: instance.proc, procs, seconds },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; its last /health/ready answer: ${last}`, { cause: error });
  }
}
