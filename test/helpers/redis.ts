/**
 * A throwaway redis-server from Debian's package on a free 127.0.0.1 port, in memory only, that a
 * test can stop and start again on the same port (Redis going away under the service).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { freePort } from './cluster.ts';

export function redisBin(): string | null {
  return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((bin) => existsSync(bin)) ?? null;
}

export interface RedisServer {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(bin: string): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    start: async () => {
      const started = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child = started;
      let output = '';
      await new Promise<void>((resolve, reject) => {
        started.stdout!.on('data', (chunk) => {
          output += String(chunk);
          if (output.includes('Ready to accept connections')) resolve();
        });
        started.on('exit', () => reject(new Error(`redis-server did not start:\n${output}`)));
      });
    },
    stop: async () => {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
  };
  await server.start();
  return server;
}
