/**
 * Administration tasks run inside the service. An embedded database can be opened by one process
 * only, and while the service runs that is the service; so it listens on a Unix socket in its data
 * folder, and the `recomp` command sends it the task there (src/admin/socket-client.ts). The socket
 * is the owner's alone (mode 0600): whoever can reach it could open the database files anyway.
 *
 * The protocol, one JSON object a line: the command sends `{"task": name, "args": {...}}`; the
 * service answers `{"print": line}` for each line the task prints, then `{"done": true}` or
 * `{"error": message, "exitCode": 1 | 2}`, and closes the connection.
 */
import { chmod, lstat, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { type AdminContext, AdminError } from './context.ts';
import { type Task, tasks } from './tasks.ts';

export const socketPath = (dataDir: string) => path.join(dataDir, 'recomp.sock');

export type TaskReply = { print: string } | { done: true } | { error: string; exitCode: 1 | 2 };

/** Tasks that replace or move the whole database: they need it closed, so the service cannot run them. */
const NEEDS_THE_SERVICE_STOPPED = new Set(['restore', 'move']);
/** A request is a task's name and its arguments: small. */
const MAX_REQUEST_CHARACTERS = 1024 * 1024;
/** A connection that sends no request within this long is closed. */
const REQUEST_WAIT_MS = 10_000;

interface SocketLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface TaskSocket {
  /** Stops listening, waits for the tasks under way, and removes the socket file. */
  close(): Promise<void>;
}

function parseRequest(line: string): { task: string; args: object } | AdminError {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch {
    return new AdminError('the request is not JSON', 2);
  }
  const { task, args = {} } = (request ?? {}) as { task?: unknown; args?: unknown };
  if (typeof task !== 'string' || typeof args !== 'object' || args === null || Array.isArray(args)) {
    return new AdminError('the request must be {"task": "<name>", "args": {…}}', 2);
  }
  if (NEEDS_THE_SERVICE_STOPPED.has(task)) return new AdminError(`"${task}" cannot run while the service runs: stop the service first`, 1);
  if (!Object.hasOwn(tasks, task)) return new AdminError(`unknown task "${task}"`, 2);
  return { task, args };
}

/**
 * Listens on `<dataDir>/recomp.sock` for tasks, run with the service's own database. A socket file
 * already there was left by a service that was killed: this process holds the database's lock
 * (src/db/client.ts, openEmbedded), so no other service can be listening on it, and it is replaced.
 * Answers null, with a warning, when the socket cannot be made: the service runs on without it.
 */
export async function listenForTasks(
  dataDir: string,
  context: Omit<AdminContext, 'print'>,
  logger: SocketLogger,
): Promise<TaskSocket | null> {
  const file = socketPath(dataDir);
  const running = new Set<Promise<void>>();
  const waiting = new Set<Socket>();

  async function run(connection: Socket, request: { task: string; args: object } | AdminError) {
    const send = (reply: TaskReply) => {
      // A command that went away mid-task misses the rest; the task goes on.
      if (connection.writable) connection.write(`${JSON.stringify(reply)}\n`);
    };
    try {
      if (request instanceof AdminError) throw request;
      logger.info({ task: request.task }, 'running an administration task for the recomp command');
      const task = (tasks as Record<string, Task<never>>)[request.task] as Task<object>;
      await task({ ...context, print: (text) => send({ print: text }) }, request.args);
      send({ done: true });
    } catch (error) {
      if (!(error instanceof AdminError)) logger.error({ err: error }, 'an administration task failed');
      send({ error: (error as Error).message, exitCode: error instanceof AdminError ? error.exitCode : 1 });
    } finally {
      connection.end();
    }
  }

  const server = createServer((connection) => {
    waiting.add(connection);
    connection.setEncoding('utf8');
    connection.setTimeout(REQUEST_WAIT_MS, () => connection.destroy());
    connection.on('error', () => {}); // the command went away: nothing to tell it
    connection.on('close', () => waiting.delete(connection));
    let received = '';
    const onData = (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end === -1 && received.length <= MAX_REQUEST_CHARACTERS) return;
      connection.off('data', onData);
      connection.setTimeout(0);
      waiting.delete(connection);
      const task = run(connection, end === -1 ? new AdminError('the request is too long', 2) : parseRequest(received.slice(0, end)));
      running.add(task);
      void task.finally(() => running.delete(task));
    };
    connection.on('data', onData);
  });

  const existing = await lstat(file).catch(() => null);
  if (existing?.isSocket()) await rm(file, { force: true });
  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', resolve);
  });
  // The socket file is created by the (synchronous) bind inside listen(): made private from the start.
  const umask = process.umask(0o177);
  try {
    server.listen(file);
  } finally {
    process.umask(umask);
  }
  try {
    await listening;
    await chmod(file, 0o600);
  } catch (error) {
    server.close();
    logger.warn(
      { err: error, socket: file },
      `the recomp command cannot reach this service (no socket at ${file}: ${(error as Error).message}); stop the service to run it`,
    );
    return null;
  }
  return {
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const connection of waiting) connection.destroy();
      await Promise.all(running);
      await closed;
      await rm(file, { force: true });
    },
  };
}
