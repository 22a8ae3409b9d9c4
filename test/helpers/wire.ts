/** A raw HTTP/1.1 connection for the tests of slow and stalled clients: what the server sent, and when it closed. */
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw connection: what the server sent, and when (ms after opening) it closed the connection. */
export class Wire {
  readonly socket: Socket;
  private data = '';
  private readonly openedAt = performance.now();
  readonly closed: Promise<number>;
  private waiters: (() => void)[] = [];

  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      this.data += chunk;
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.socket.on('error', () => {}); // a write racing the server's close
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve(performance.now() - this.openedAt)));
  }

  /** Complete answers received so far (each with a content-length). */
  answers(): Answer[] {
    const answers: Answer[] = [];
    let rest = this.data;
    for (;;) {
      const end = rest.indexOf('\r\n\r\n');
      if (end < 0) return answers;
      const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const length = Number(headers['content-length'] ?? 0);
      if (rest.length < end + 4 + length) return answers;
      answers.push({ status: Number(statusLine!.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
      rest = rest.slice(end + 4 + length);
    }
  }

  async nextAnswer(count: number, withinMs = 5000): Promise<Answer> {
    const until = performance.now() + withinMs;
    while (this.answers().length < count && performance.now() < until) {
      // Woken by the next data; the sleep only bounds how long an answer may take to come.
      await Promise.race([new Promise<void>((wake) => this.waiters.push(wake)), sleep(until - performance.now())]);
    }
    const answer = this.answers()[count - 1];
    if (!answer) throw new Error(`no answer ${count} within ${withinMs} ms; received ${JSON.stringify(this.data)}`);
    return answer;
  }

  /** Sends `chunks` one every `everyMs` until the server closes or they run out. */
  async trickle(chunks: string[], everyMs: number) {
    for (const chunk of chunks) {
      if (this.socket.destroyed || !this.socket.writable) return;
      this.socket.write(chunk);
      // The deliberately slow client under test: its pace is the point.
      await sleep(everyMs);
    }
  }

  /** When the server closed the connection (ms after opening), or null if it had not by `withinMs`. */
  async closedWithin(withinMs: number): Promise<number | null> {
    // The close event, or null once `withinMs` has passed without one.
    const closedAt = await Promise.race([this.closed, sleep(withinMs, null)]);
    this.socket.destroy();
    return closedAt;
  }
}
