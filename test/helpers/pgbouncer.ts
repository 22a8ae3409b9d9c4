/**
 * A throwaway PgBouncer from Debian's package, on a free 127.0.0.1 port, in front of one PostgreSQL
 * server: started as a daemon (as `postgres` when we are root) and stopped by the PID it wrote.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, giveToPostgres, runAsPostgres } from './cluster.ts';

export function pgbouncerBin(): string | null {
  return ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((bin) => existsSync(bin)) ?? null;
}

export interface PgBouncer {
  url(database: string): string;
  port: number;
  stop(): Promise<void>;
}

export async function startPgBouncer(
  bin: string,
  server: { port: number },
  options: { poolMode: 'session' | 'transaction'; serverConnections: number },
): Promise<PgBouncer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recomp-pgbouncer-'));
  await giveToPostgres(dir);
  const port = await freePort();
  const pidfile = path.join(dir, 'pgbouncer.pid');
  await writeFile(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=127.0.0.1 port=${server.port} user=postgres`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      // Loopback and a throwaway server: any user name is taken, the server login is `postgres`.
      'auth_type = any',
      `pool_mode = ${options.poolMode}`,
      `default_pool_size = ${options.serverConnections}`,
      'max_client_conn = 500',
      `pidfile = ${pidfile}`,
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
    ].join('\n'),
    { mode: 0o644 },
  );
  await runAsPostgres(bin, ['-d', path.join(dir, 'pgbouncer.ini')]);
  // The daemon writes its PID file after the command returns: polled for (up to 5 s), as this file
  // also serves test/scale/pipelining-probe.ts, which runs outside vitest (no vi.waitFor there).
  let pid = 0;
  for (let i = 0; i < 100 && !pid; i++) {
    pid = Number(
      await readFile(pidfile, 'utf8').then(
        (t) => t.trim(),
        () => '0',
      ),
    );
    if (!pid) await new Promise((r) => setTimeout(r, 50));
  }
  if (!pid) throw new Error(`pgbouncer did not start: ${await readFile(path.join(dir, 'pgbouncer.log'), 'utf8').catch(() => '(no log)')}`);
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: async () => {
      try {
        process.kill(pid, 'SIGINT'); // safe shutdown: waits for clients to finish
        // Not our child (a daemon), so no exit event: polled for, up to 5 s.
        for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
        if (alive(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
