/**
 * Security headers (helmet), CORS from an allow-list, and a general rate limit keyed by the signed-in
 * user, or by the client address for anonymous calls, with the standard RateLimit headers.
 */
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { SharedRedis } from '../infra/redis.ts';
import type { TokenService } from '../modules/auth/tokens.ts';
import { HttpError } from './problem.ts';

export async function registerSecurity(app: FastifyInstance, config: Config, tokens: TokenService, redis: SharedRedis | null = null) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // Plain-HTTP deployments (and localhost) must not have their requests rewritten to https.
        'upgrade-insecure-requests': null,
      },
    },
    // HSTS belongs to whoever terminates TLS; sending it over plain HTTP would be ignored anyway.
    strictTransportSecurity: false,
  });

  const anyOrigin = config.allowedOrigins.includes('*');
  await app.register(cors, {
    origin: anyOrigin ? true : config.allowedOrigins,
    credentials: !anyOrigin,
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'idempotent-replayed'],
    maxAge: 600,
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
      const token = /^Bearer[ ]+([^ ]+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const claims = token ? tokens.verify(token) : null;
      return claims?.type === 'access' ? `user:${claims.sub}` : `address:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => new HttpError(429, `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} seconds`, {
      code: 'rate_limited',
    }),
  });
}
