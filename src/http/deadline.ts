/**
 * Every request is answered within RESPONSE_TIMEOUT_MS. postgres.js keeps retrying a connection to
 * a database that went away and queues queries meanwhile, so without a deadline a request would
 * hang until the database returns. At the deadline the client gets a 503 problem with Retry-After;
 * the handler's late result is dropped. Work already queued may still commit once the database is
 * back (as with any timeout, the outcome is unknown to the client): Idempotency-Key makes the
 * retry safe.
 */
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem.ts';

export function registerDeadline(app: FastifyInstance, timeoutMs: number) {
  app.addHook('onRequest', (request, reply, done) => {
    const timer = setTimeout(() => {
      if (reply.sent) return;
      request.log.warn({ timeoutMs, route: request.routeOptions.url ?? null }, 'request passed its deadline');
      void sendProblem(reply, request, 503, 'The service could not answer in time; retry shortly', {
        code: 'response_timeout', headers: { 'retry-after': '5' },
      });
    }, timeoutMs);
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
}
