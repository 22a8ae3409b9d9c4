/**
 * Security headers (helmet), CORS from an allow-list, and a general rate limit keyed by the signed-in
 * user, or by the client address for anonymous calls, with the standard RateLimit headers.
 *
 * Hand-rolled on purpose. We use @fastify/helmet and @fastify/cors unless they cost more than 3 % of
 * a read, and they do: configured to send the same headers, they took 36–55 % more of the service's
 * CPU for a signed-in `GET /api/v1/users/me` on PostgreSQL (200 → 310 µs a request, medians
 * of 5 interleaved pairs) and 15–19 % more on PGlite (docs/PERFORMANCE.md, "Security headers and
 * CORS: plugins or hand-rolled"). The first builds helmet's whole middleware (the CSP string
 * included) per request, the second copies its options and walks them even when no `Origin` was
 * sent. Their headers depend only on the configuration (and, for CORS, on the request's `Origin`),
 * so they are computed once here and set per request; test/http/abuse.test.ts pins the headers
 * these plugins send.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { Config } from '../config.ts';
import type { TokenService } from '../core/context.ts';
import type { SharedRedis } from '../infra/redis.ts';
import { HttpError, sendProblem } from './problem.ts';

const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      // Plain-HTTP deployments (and localhost) must not have their requests rewritten to https.
      'upgrade-insecure-requests': null,
    },
  },
  // HSTS belongs to whoever terminates TLS; sending it over plain HTTP would be ignored anyway.
  strictTransportSecurity: false,
};

export interface HelmetHeaders {
  set: [name: string, value: string][];
  remove: string[];
}

/**
 * The headers helmet's middleware sets and removes for these options. With no function-valued CSP
 * directive (none here) they do not depend on the request, so one run against a recording response
 * gives them all.
 */
function helmetHeaders(options: HelmetOptions = HELMET_OPTIONS): HelmetHeaders {
  const headers: HelmetHeaders = { set: [], remove: [] };
  const recorder = {
    setHeader(name: string, value: string) {
      headers.set.push([name, String(value)]);
    },
    removeHeader(name: string) {
      headers.remove.push(name);
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

const CORS_METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'];
const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-request-id'];
const CORS_EXPOSED_HEADERS = [
  'x-request-id',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'idempotent-replayed',
];
const CORS_MAX_AGE_SECONDS = 600;

/**
 * CORS as @fastify/cors answered it with our options (origin: the allow-list, or any origin reflected
 * with `*`; credentials unless `*`; strict preflight): every response varies on `Origin` and carries
 * the static headers; an allowed `Origin` is echoed; an OPTIONS is answered here, 204 for a
 * preflight (an `Origin` and `Access-Control-Request-Method`) and 400 otherwise.
 */
function corsResponder(allowedOrigins: string[]) {
  const anyOrigin = allowedOrigins.includes('*');
  const allowed = new Set(allowedOrigins);
  const always: Record<string, string> = {
    vary: 'Origin',
    ...(anyOrigin ? {} : { 'access-control-allow-credentials': 'true' }),
    'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(', '),
  };
  const preflight = {
    'access-control-allow-methods': CORS_METHODS.join(', '),
    'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
  };
  /** Sets the CORS headers; true when it answered the request (an OPTIONS). */
  return (request: FastifyRequest, reply: FastifyReply): boolean => {
    reply.headers(always);
    const origin = request.headers.origin;
    if (origin && (anyOrigin || allowed.has(origin))) reply.header('access-control-allow-origin', origin);
    if (request.raw.method !== 'OPTIONS') return false;
    if (!origin || !request.headers['access-control-request-method']) {
      // Problem details like every other error (docs/DESIGN.md, 'Problem details'), where @fastify/cors answered in plain text.
      void sendProblem(
        reply,
        request,
        400,
        'An OPTIONS request is answered only as a CORS preflight: it needs Origin and Access-Control-Request-Method headers',
        { code: 'invalid_preflight' },
      );
    } else {
      // Browsers need content-length 0 on a 204 or they wait for a body.
      void reply.headers(preflight).code(204).header('content-length', '0').send();
    }
    return true;
  };
}

export async function registerSecurity(app: FastifyInstance, config: Config, tokens: TokenService, redis: SharedRedis | null = null) {
  const { set, remove } = helmetHeaders();
  const cors = corsResponder(config.allowedOrigins);
  app.addHook('onRequest', (request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of set) raw.setHeader(name, value);
    for (const name of remove) raw.removeHeader(name);
    if (!cors(request, reply)) done();
  });
  // Lets the router match any OPTIONS; the hook above has answered it before a handler could run.
  app.options('*', { schema: { hide: true } }, (_request, reply) => {
    reply.callNotFound();
  });

  if (config.rateLimit.max === 0) return;
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    enableDraftSpec: true,
    // Shared by the instances when REDIS_URL is set; while Redis is down the limit is not applied
    // (fail open, logged by src/infra/redis.ts) rather than failing the request.
    ...(redis ? { redis: redis.client, nameSpace: 'recomp:rate:', skipOnError: true } : {}),
    keyGenerator: (request: FastifyRequest) => {
      // Protected routes have verified the token already (authentication runs before this hook).
      if (request.auth) return `user:${request.auth.userId}`;
      const token = /^Bearer[ ]+([^ ]+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const claims = token ? tokens.verify(token) : null;
      return claims?.type === 'access' ? `user:${claims.sub}` : `address:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} seconds`, {
        code: 'rate_limited',
      }),
  });
}
