/** The `recomp` command's side of the service's task socket (src/admin/socket.ts, where the protocol is). */
import { connect } from 'node:net';
import { AdminError } from './context.ts';
import type { TaskReply } from './socket.ts';

export interface ServiceTask {
  task: string;
  args: object;
  /** Each line the task prints. */
  print(line: string): void;
  /** Told once a service answered the connection, before the task runs there. */
  onConnected(): void;
}

/**
 * Runs a task inside the service listening on `socket`. Answers false when none listens there (no
 * socket file, or one left by a service that stopped); rejects with the task's AdminError.
 */
export function runInService(socket: string, request: ServiceTask): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const connection = connect(socket);
    let connected = false;
    let finished = false;
    let received = '';
    const finish = (outcome: () => void) => {
      if (finished) return;
      finished = true;
      connection.destroy();
      outcome();
    };
    const onReply = (reply: TaskReply) => {
      if ('print' in reply) request.print(reply.print);
      else if ('done' in reply) finish(() => resolve(true));
      else finish(() => reject(new AdminError(reply.error, reply.exitCode === 2 ? 2 : 1)));
    };
    connection.setEncoding('utf8');
    connection.on('connect', () => {
      connected = true;
      request.onConnected();
      connection.write(`${JSON.stringify({ task: request.task, args: request.args })}\n`);
    });
    connection.on('data', (chunk: string) => {
      received += chunk;
      for (let end = received.indexOf('\n'); end !== -1 && !finished; end = received.indexOf('\n')) {
        const line = received.slice(0, end);
        received = received.slice(end + 1);
        try {
          onReply(JSON.parse(line) as TaskReply);
        } catch {
          finish(() => reject(new AdminError(`the service answered something unexpected: ${line.slice(0, 200)}`)));
        }
      }
    });
    connection.on('error', (error) => finish(() => (connected ? reject(error) : resolve(false))));
    connection.on('close', () =>
      finish(() => reject(new AdminError('the service closed the connection before the task finished (is it stopping?)'))),
    );
  });
}
