/**
 * A throwaway PostgreSQL cluster from Debian's binaries, on 127.0.0.1, that a test can stop and
 * start again (the fault tests). Runs the server as the `postgres` user when we are root.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

/** Ports this process has handed out: the kernel may offer a closed one again before its server binds it. */
const handedOut = new Set<number>();

/**
 * A 127.0.0.1 port free now and not handed out before by this process. A server started later
 * binds it: until then the kernel may offer the same port again (one cluster run got it for both
 * PostgreSQL and Redis; Redis then failed to bind and the instances talked Redis to PostgreSQL).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port: offered } = server.address() as { port: number };
        server.close(() => resolve(offered));
      });
      server.on('error', reject);
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no 127.0.0.1 port left that this process has not handed out already');
}

const asRoot = process.getuid?.() === 0;

/** PostgreSQL (and PgBouncer) refuse to run as root: as root we run them as the `postgres` user. */
export const runAsPostgres = (command: string, args: string[]) =>
  asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);

/** A folder the servers started by runAsPostgres can write in. */
export async function giveToPostgres(dir: string): Promise<void> {
  if (!asRoot) return;
  await chmod(dir, 0o755);
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  await chown(dir, Number(stdout.trim()), Number(gid.trim()));
}

export interface Cluster {
  url: string;
  port: number /** where its Unix socket is (-k) */;
  socketDir: string;
  start(): Promise<void>;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  destroy(): Promise<void>;
}

export async function createCluster(bin: string): Promise<Cluster> {
  return newCluster(bin, (pg, data) => pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']));
}

/**
 * A streaming replica of `primary` (pg_basebackup -R: standby.signal and primary_conninfo), which
 * applies each commit `applyDelayMs` after the primary made it (recovery_min_apply_delay), so a
 * test knows it lags. initdb --auth=trust already lets local replication connections in.
 */
export async function createReplica(bin: string, primary: Cluster, applyDelayMs: number): Promise<Cluster> {
  return newCluster(
    bin,
    (pg, data) =>
      pg('pg_basebackup', [
        '-h',
        '127.0.0.1',
        '-p',
        String(primary.port),
        '-U',
        'postgres',
        '-D',
        data,
        '-R',
        '-X',
        'stream',
        '--checkpoint=fast',
      ]),
    `-c recovery_min_apply_delay=${applyDelayMs}`,
  );
}

type Tool = (tool: string, args: string[]) => Promise<unknown>;

async function newCluster(bin: string, create: (pg: Tool, data: string) => Promise<unknown>, settings = ''): Promise<Cluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recomp-pg-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  await giveToPostgres(dir);
  const pg = (tool: string, args: string[]) => runAsPostgres(path.join(bin, tool), args);
  await create(pg, data);
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    socketDir: dir,
    start: async () => {
      await pg('pg_ctl', [
        '-D',
        data,
        '-l',
        path.join(dir, 'server.log'),
        '-w',
        '-t',
        '60',
        'start',
        '-o',
        `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} ${settings}`,
      ]);
    },
    stop: async (mode = 'fast') => {
      await pg('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    },
    destroy: async () => {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
