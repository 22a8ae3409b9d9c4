/**
 * The two time limits on a request: the client's and the service's.
 *
 * The client has REQUEST_TIMEOUT_MS to send its whole request, headers and body; past it, it gets a
 * 408 problem and the connection is closed (`clientTimeLimits`). Node's http server enforces the
 * limit, but looks for late requests only every `connectionsCheckingInterval` (30 s by default, so
 * a 30 s limit could fire at 60 s): we look often enough to keep it close.
 *
 * The service answers within RESPONSE_TIMEOUT_MS (`registerDeadline`). postgres.js keeps retrying a
 * connection to a database that went away and queues queries meanwhile, so without a deadline a
 * request would hang until the database returns. At the deadline the client gets a 503 problem with
 * Retry-After; the handler's late result is dropped. Work already queued may still commit once the
 * database is back (as with any timeout, the outcome is unknown to the client): Idempotency-Key
 * makes the retry safe. The time the client takes to send its body is not the service's: the
 * deadline stops while the body is read, and goes on with what is left once it is in.
 *
 * A route that takes a file (`config: { upload: true }`, the imports) may take longer than
 * REQUEST_TIMEOUT_MS to receive it: a big file on a slow line. The request timeout does not end such
 * a request while its body is still arriving; instead its connection may not go idle: a body that
 * sends nothing for the connection's idle limit (REQUEST_TIMEOUT_MS and up to 2 s) is answered 408
 * and its connection closed, as a late request on any other route is (docs/SECURITY.md, 'Abuse of
 * the HTTP surface'). Its headers still have REQUEST_TIMEOUT_MS to arrive, and the route is behind
 * authentication, so only a signed-in person can hold such a connection open, and only by sending.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    upload?: boolean;
  }
}

/** The request each connection is answering, for a connection error to name it (and not to break its answer). */
const inFlight = new WeakMap<object, FastifyReply>();

interface Deadline {
  timer: NodeJS.Timeout | undefined;
  leftMs: number;
  since: number;
  ended: boolean;
}
const deadlines = new WeakMap<FastifyRequest, Deadline>();

const hasBody = (request: FastifyRequest) =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

export function registerDeadline(app: FastifyInstance, timeoutMs: number) {
  const start = (deadline: Deadline, request: FastifyRequest, reply: FastifyReply) => {
    deadline.since = performance.now();
    deadline.timer = setTimeout(
      () => {
        if (reply.sent) return;
        request.log.warn({ timeoutMs, route: request.routeOptions.url ?? null }, 'request passed its deadline');
        void sendProblem(reply, request, 503, 'The service could not answer in time; retry shortly', {
          code: 'response_timeout',
          headers: { 'retry-after': '5' },
        });
      },
      Math.max(0, deadline.leftMs),
    );
  };

  app.addHook('onRequest', (request, reply, done) => {
    const deadline: Deadline = { timer: undefined, leftMs: timeoutMs, since: 0, ended: false };
    deadlines.set(request, deadline);
    const socket = request.raw.socket;
    inFlight.set(socket, reply);
    reply.raw.once('close', () => {
      deadline.ended = true;
      clearTimeout(deadline.timer);
      if (inFlight.get(socket) === reply) inFlight.delete(socket);
    });
    start(deadline, request, reply);
    if (request.routeOptions.config.upload) {
      // Node emits it when the connection has been idle for its limit (connectionTimeout below) while the body is incomplete.
      request.raw.once('timeout', () => {
        request.log.info({ url: request.url }, 'connection error: the upload went idle');
        answerOnSocket(socket, reply, connectionProblem('ERR_HTTP_REQUEST_TIMEOUT'));
      });
    }
    done();
  });
  // Fastify reads the body between these two hooks.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const deadline = deadlines.get(request);
    if (deadline?.timer !== undefined && hasBody(request)) {
      clearTimeout(deadline.timer);
      deadline.timer = undefined;
      deadline.leftMs -= performance.now() - deadline.since;
    }
    done(null, payload);
  });
  app.addHook('preValidation', (request, reply, done) => {
    const deadline = deadlines.get(request);
    if (deadline && deadline.timer === undefined && !deadline.ended) start(deadline, request, reply);
    done();
  });
}

/** What a connection error (Node's `clientError`) is answered with. */
function connectionProblem(code: string): { status: number; detail: string; code: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, detail: 'The request did not arrive in time; send it again, whole', code: 'request_timeout' };
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, detail: 'The request headers are too large', code: 'headers_too_large' };
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW')
    return { status: 413, detail: 'The chunk extensions are too large', code: 'body_too_large' };
  return { status: 400, detail: 'The request is not valid HTTP/1.1', code: 'malformed_request' };
}

/**
 * Fastify options for the client's time limit and the connection errors: a request not received
 * within `requestTimeoutMs` is answered 408 and its connection closed, late by at most a tenth of
 * the limit (and at most a second). Between keep-alive requests KEEP_ALIVE_TIMEOUT_MS applies.
 */
export function clientTimeLimits(requestTimeoutMs: number) {
  const checkEveryMs = Math.min(1000, Math.ceil(requestTimeoutMs / 10));
  return {
    requestTimeout: requestTimeoutMs,
    // Silence closes a connection without an answer, so it waits until Node's check has answered a
    // request that went silent with its 408 (the request began before the silence did).
    connectionTimeout: requestTimeoutMs + 2 * checkEveryMs,
    http: { requestTimeout: requestTimeoutMs, connectionsCheckingInterval: checkEveryMs },
    clientErrorHandler: answerConnectionError,
  };
}

/**
 * Like Fastify's default handler, with problem details: the answer is written on the socket, which
 * is then closed. `instance` names the request when its headers had arrived. Nothing is written
 * when an answer to it has begun (it would corrupt that answer), or when the peer is gone.
 */
function answerConnectionError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const reply = inFlight.get(socket);
  // An upload still arriving goes on: the idle limit applies to it instead (registerDeadline). Node
  // reports the request timeout once per request, so it is not reported again.
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && reply?.request.routeOptions.config.upload && !reply.request.raw.complete) return;
  const problem = connectionProblem(error.code ?? '');
  (reply?.request.log ?? this.log)[problem.status === 408 ? 'info' : 'debug'](
    { err: error, url: reply?.request.url },
    `connection error: ${problem.code}`,
  );
  answerOnSocket(socket, reply, problem);
}

/** Writes the problem on the socket, unless an answer has begun there or the peer is gone, and closes the connection. */
function answerOnSocket(socket: Socket, reply: FastifyReply | undefined, problem: ReturnType<typeof connectionProblem>) {
  if (socket.destroyed) return;
  if (socket.writable && !reply?.raw.headersSent) {
    const body = JSON.stringify({
      type: 'about:blank',
      title: STATUS_CODES[problem.status],
      status: problem.status,
      detail: problem.detail,
      ...(reply ? { instance: reply.request.url } : {}),
      code: problem.code,
    });
    socket.write(
      [
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}`,
        `content-type: ${PROBLEM_CONTENT_TYPE}`,
        `content-length: ${Buffer.byteLength(body)}`,
        'cache-control: no-store',
        ...(reply ? [`x-request-id: ${reply.request.id}`] : []),
        'connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  }
  socket.destroy();
}
