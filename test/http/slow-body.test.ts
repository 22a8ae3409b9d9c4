/**
 * Slow clients, over real sockets (src/http/deadline.ts): a request whose headers or body trickle in
 * past REQUEST_TIMEOUT_MS is answered 408 and its connection closed soon after the limit, not at
 * Node's next 30 s sweep; the time a client takes to send its body is not held against the
 * service's response deadline; keep-alive connections, busy or idle, are left alone.
 */
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDeadline } from '../../src/http/deadline.ts';
import { daysFrom, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { navy } from '../helpers/people.ts';
import { type Answer, Wire } from '../helpers/wire.ts';

const REQUEST_TIMEOUT_MS = 2000;
const RESPONSE_TIMEOUT_MS = 1000;
const KEEP_ALIVE_TIMEOUT_MS = 6000;
/** How late after the request timeout the server may close: its sweep runs every 200 ms here. */
const CLOSE_SLACK_MS = 1500;

let t: TestApp;
let port: number;
let token: string;

beforeAll(async () => {
  t = await createTestApp({
    env: {
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      RESPONSE_TIMEOUT_MS: String(RESPONSE_TIMEOUT_MS),
      KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
    },
  });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.app.server.address() as AddressInfo).port;
  token = (await signUp(t.app)).tokens.access_token;
});
afterAll(async () => {
  await t.close();
});

const head = (method: string, path: string, extra: string[] = []) =>
  [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', `authorization: Bearer ${token}`, ...extra, '', ''].join('\r\n');

function expectTimeoutProblem(answer: Answer, instance?: string) {
  expect(answer.status).toBe(408);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.headers.connection).toBe('close');
  const problem = JSON.parse(answer.body);
  expect(problem).toMatchObject({ type: 'about:blank', title: 'Request Timeout', status: 408, code: 'request_timeout' });
  if (instance) expect(problem.instance).toBe(instance);
}

describe('the request timeout', () => {
  it('answers a body that trickles in past it with 408 and closes the connection soon after, with no 503 before', async () => {
    const wire = new Wire(port);
    wire.socket.write(head('POST', '/api/v1/measurements', ['content-type: application/json', 'content-length: 1000']));
    const sending = wire.trickle(
      Array.from({ length: 100 }, () => ' '),
      200,
    );
    const closedAt = await wire.closedWithin(REQUEST_TIMEOUT_MS + CLOSE_SLACK_MS);
    await sending;
    expect(wire.answers()).toHaveLength(1);
    expectTimeoutProblem(wire.answers()[0]!, '/api/v1/measurements');
    expect(closedAt, 'closed by the server').not.toBeNull();
  }, 15_000);

  it('answers headers that trickle in past it with 408 and closes the connection soon after', async () => {
    const wire = new Wire(port);
    wire.socket.write('GET /api/v1/users/me HTTP/1.1\r\nhost: 127.0.0.1\r\n');
    const sending = wire.trickle(
      Array.from({ length: 100 }, (_, i) => `x-slow-${i}: y\r\n`),
      200,
    );
    const closedAt = await wire.closedWithin(REQUEST_TIMEOUT_MS + CLOSE_SLACK_MS);
    await sending;
    expect(wire.answers()).toHaveLength(1);
    expectTimeoutProblem(wire.answers()[0]!);
    expect(closedAt, 'closed by the server').not.toBeNull();
  }, 15_000);

  it('answers a request whose body stops arriving with 408, rather than dropping the connection unanswered', async () => {
    const wire = new Wire(port);
    wire.socket.write(head('POST', '/api/v1/measurements', ['content-type: application/json', 'content-length: 1000']));
    const closedAt = await wire.closedWithin(REQUEST_TIMEOUT_MS + CLOSE_SLACK_MS);
    expect(wire.answers()).toHaveLength(1);
    expectTimeoutProblem(wire.answers()[0]!, '/api/v1/measurements');
    expect(closedAt, 'closed by the server').not.toBeNull();
  }, 15_000);

  it('serves a body that arrives slowly but in time, even past the response deadline', async () => {
    const body = JSON.stringify(navy({ measured_at: daysFrom(-1), notes: 'sent slowly' }));
    const wire = new Wire(port);
    wire.socket.write(
      head('POST', '/api/v1/measurements', ['content-type: application/json', `content-length: ${Buffer.byteLength(body)}`]),
    );
    // 1.4 s of sending: longer than the 1 s response deadline, shorter than the 2 s request timeout.
    const pieces = body.match(/[^]{1,10}/g)!;
    await wire.trickle(pieces, 1400 / pieces.length);
    const answer = await wire.nextAnswer(1);
    expect(answer.status, answer.body).toBe(201);
    expect(JSON.parse(answer.body).notes).toBe('sent slowly');
    wire.socket.destroy();
  }, 15_000);

  it('answers a request that is not HTTP with a 400 problem', async () => {
    const wire = new Wire(port);
    wire.socket.write('NOT HTTP AT ALL\r\n\r\n');
    const answer = await wire.nextAnswer(1);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, code: 'malformed_request' });
    expect(await wire.closedWithin(2000)).not.toBeNull();
  });
});

describe('keep-alive connections', () => {
  it('serve requests back to back, and again after idling longer than the request timeout', async () => {
    const wire = new Wire(port);
    wire.socket.write(head('GET', '/api/v1/users/me'));
    expect((await wire.nextAnswer(1)).status).toBe(200);
    wire.socket.write(head('GET', '/api/v1/measurements'));
    expect((await wire.nextAnswer(2)).status).toBe(200);
    // Idle past REQUEST_TIMEOUT_MS (and past the server's sweeps), within KEEP_ALIVE_TIMEOUT_MS: the
    // idle time is what is tested, on a real socket whose server timers (Node's own) no fake clock moves.
    await sleep(REQUEST_TIMEOUT_MS + CLOSE_SLACK_MS);
    expect(wire.socket.readyState).toBe('open');
    wire.socket.write(head('GET', '/api/v1/users/me'));
    expect((await wire.nextAnswer(3)).status).toBe(200);
    wire.socket.destroy();
  }, 15_000);
});

describe('the response deadline', () => {
  it('still answers 503 when the service stalls, counting from when the body is in', async () => {
    const app = Fastify();
    registerDeadline(app, 300);
    app.post('/stall', () => new Promise(() => {}));
    await app.listen({ host: '127.0.0.1', port: 0 });
    let wire: Wire | undefined;
    try {
      const injected = await app.inject({ method: 'POST', url: '/stall', payload: { a: 1 } });
      expect(injected.statusCode).toBe(503);
      expect(injected.json()).toMatchObject({ code: 'response_timeout' });

      // The body takes twice the deadline to arrive; the 503 comes after it, not during it.
      wire = new Wire((app.server.address() as AddressInfo).port);
      const body = JSON.stringify({ padding: 'x'.repeat(40) });
      wire.socket.write(
        `POST /stall HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
      );
      const pieces = body.match(/[^]{1,5}/g)!;
      await wire.trickle(pieces.slice(0, -1), 600 / pieces.length);
      expect(wire.answers()).toHaveLength(0);
      wire.socket.write(pieces.at(-1)!);
      const answer = await wire.nextAnswer(1);
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'response_timeout' });
    } finally {
      wire?.socket.destroy();
      await app.close();
    }
  });
});
