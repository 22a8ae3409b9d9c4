/**
 * The application factory: one Fastify instance with validation, problem details, request ids,
 * request logs, authentication, the OpenAPI document and every route. server.ts and the tests
 * both build the service through here.
 */
import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import type { Config } from '../config.ts';
import type { AppContext, ScheduledBackups } from '../core/context.ts';
import { hasVisibleCharacter, VISIBLE_TEXT_FORMAT } from '../core/schemas.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { accountRoutes } from '../modules/account/routes.ts';
import { createPasswordHasher } from '../modules/auth/passwords.ts';
import { authOptionsRoutes } from '../modules/auth/options.ts';
import { oidcRoutes } from '../modules/auth/oidc/routes.ts';
import { authRoutes } from '../modules/auth/routes.ts';
import { createTokenService } from '../modules/auth/tokens.ts';
import { goalRoutes } from '../modules/goals/routes.ts';
import { importRoutes } from '../modules/imports/routes.ts';
import { measurementRoutes } from '../modules/measurements/routes.ts';
import { planRoutes } from '../modules/plans/routes.ts';
import { progressRoutes } from '../modules/progress/routes.ts';
import { trackingRoutes } from '../modules/tracking/routes.ts';
import { userRoutes } from '../modules/users/routes.ts';
import { type CounterStore, memoryCounterStore, redisCounterStore } from '../infra/counters.ts';
import { createReadRouter, memoryWritePositions, redisWritePositions } from '../db/replicas.ts';
import { createLoginLimiter } from '../modules/auth/loginLimiter.ts';
import { createSessionChecker } from '../modules/auth/sessions.ts';
import { createProfileMemory } from '../modules/users/profiles.ts';
import { createSignupLimiter } from '../modules/users/signupLimiter.ts';
import { createPasswordResetLimiter, passwordResetMail } from '../modules/auth/passwordReset.ts';
import { passwordResetRoutes } from '../modules/auth/passwordResetRoutes.ts';
import { disabledMail, type MailSender, type MailTransport, startMailSender } from '../modules/mail/sender.ts';
import { registerAuthentication } from './auth.ts';
import { registerErrorHandling } from './errors.ts';
import { clientTimeLimits, registerDeadline } from './deadline.ts';
import { NO_STORE, registerCaching } from './caching.ts';
import { healthRoutes } from './health.ts';
import { registerIdempotency } from './idempotency.ts';
import { registerJsonParser } from './json.ts';
import { registerMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { sendProblem } from './problem.ts';
import { registerSecurity } from './security.ts';
import { registerTextChecks } from './text.ts';
import { webApp } from './web.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Drops this instance's cached answers for a person's sign-ins (an administration task run inside the service: src/admin/socket.ts). */
    forgetSessions(userId: string): void;
  }
}

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  /** Read replicas of `database` (DATABASE_REPLICA_URLS), opened by the caller, who closes them. */
  replicas?: DatabaseHandle[];
  jwtSecret: string;
  logger?: FastifyServerOptions['loggerInstance'] | boolean;
  now?: () => Date;
  /** Where failed sign-ins and sign-ups are counted; in-process by default (in Redis with REDIS_URL). */
  counters?: CounterStore;
  /** The built web app's folder; web/dist by default (src/http/web.ts). */
  webRoot?: string;
  /** The backup schedule (BACKUP_DIR), whose state /health/ready and /metrics show. */
  backups?: ScheduledBackups;
  /** Replaces Math.random in the mail sender's retry jitter (tests). */
  mailRandom?: () => number;
}

/** One log line per request, with its id, route, status and duration, instead of Fastify's two. */
class RequestLog extends LogController {
  override incomingRequest() {}
  override requestCompleted(_error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        url: request.url,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
  }
}

/** A client's own X-Request-ID is kept when it is a sane token; otherwise we mint a UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function validators() {
  const shared = { allErrors: false, useDefaults: true, removeAdditional: false, strict: false } as const;
  // Bodies are JSON and keep their types ("80" is not a weight); query strings and paths are text.
  const body = addFormats.default(new Ajv({ ...shared, coerceTypes: false })).addFormat(VISIBLE_TEXT_FORMAT, hasVisibleCharacter);
  const text = addFormats.default(new Ajv({ ...shared, coerceTypes: true })).addFormat(VISIBLE_TEXT_FORMAT, hasVisibleCharacter);
  return { body, text };
}

export async function buildApp(options: AppOptions) {
  const { config, database } = options;
  const app = Fastify({
    ...(typeof options.logger === 'object' ? { loggerInstance: options.logger } : { logger: options.logger ?? false }),
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    logController: new RequestLog(),
    bodyLimit: config.http.bodyLimitBytes,
    // Slow or idle clients cannot hold sockets open indefinitely; connection errors are problems too.
    ...clientTimeLimits(config.http.requestTimeoutMs),
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    trustProxy: config.trustProxyHops > 0 ? (_address: string, hop: number) => hop < config.trustProxyHops : false,
    // While stopping, a request that still reaches us is served like any other (the database closes
    // only after the last one), rather than refused with a non-problem 503.
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true },
    // URLs the router cannot even match (bad encoding, a 300-character id) still get problem details.
    frameworkErrors: (error, request, reply) => {
      // Answered before any hook runs: the headers those would set.
      reply.header('x-request-id', request.id).header('cache-control', NO_STORE);
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      return sendProblem(reply, request, status, status === 414 ? 'A path segment is too long' : 'The URL is malformed', {
        code: 'bad_url',
      });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ajv = validators();
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? ajv.body : ajv.text).compile(schema));

  const tokens = createTokenService(options.jwtSecret, config.accessTokenTtlSeconds, config.refreshTokenTtlSeconds);
  // ioredis is loaded only when the deployment has a Redis (docs/PERFORMANCE.md, "Memory of the embedded database").
  const redis = config.redisUrl === null ? null : await (await import('../infra/redis.ts')).connectRedis(config.redisUrl, app.log);
  if (redis) app.addHook('onClose', () => redis.close());
  const counters = options.counters ?? (redis ? redisCounterStore(redis.client, memoryCounterStore()) : memoryCounterStore());
  const reads = createReadRouter({
    primary: database,
    replicas: options.replicas ?? [],
    log: app.log,
    positions: redis ? redisWritePositions(redis.client) : memoryWritePositions(),
  });
  app.addHook('onClose', async () => reads.close());
  const now = options.now ?? (() => new Date());
  // Mail (docs/DEPLOY.md, 'Mail'): the sender starts with the app and stops with it, before the database closes.
  let mail: MailSender | null = null;
  if (config.mail) {
    const mailConfig = config.mail;
    // nodemailer is loaded only by a service that sends mail (docs/PERFORMANCE.md, "Memory of the embedded database").
    const { smtpTransport } = await import('../modules/mail/transport.ts');
    const smtp = smtpTransport(mailConfig.smtpUrl);
    const transport: MailTransport = smtp.send;
    app.addHook('onReady', async () => {
      mail = startMailSender({
        db: database.db,
        config: mailConfig,
        transport,
        renderers: { password_reset: passwordResetMail(mailConfig.publicUrl, now) },
        logger: app.log,
        now,
        ...(options.mailRandom ? { random: options.mailRandom } : {}),
      });
    });
    app.addHook('onClose', async () => {
      await mail?.stop();
      smtp.close();
    });
  }
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    tokens,
    redis,
    reads,
    reader: (userId) => reads.reader(userId),
    passwords: createPasswordHasher(config.argon2),
    sessions: createSessionChecker(database.db, config.sessionCheckTtlMs),
    loginLimiter: createLoginLimiter(counters, config.loginLimit),
    signupLimiter: createSignupLimiter(counters, config.signupLimit),
    passwordResetLimiter: createPasswordResetLimiter(counters, config.passwordResetLimit),
    mail: config.mail
      ? {
          enabled: true,
          // Mail queued before the sender has started is found by its first look at the outbox.
          queued: () => mail?.queued(),
          counts: () => mail?.counts() ?? disabledMail.counts(),
          oldestPendingAgeSeconds: () => mail?.oldestPendingAgeSeconds() ?? disabledMail.oldestPendingAgeSeconds(),
        }
      : disabledMail,
    profiles: createProfileMemory(),
    now,
    backups: options.backups ?? null,
  };

  app.decorate('forgetSessions', (userId: string) => ctx.sessions.forgetUser(userId));
  try {
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    if ((options.replicas ?? []).length > 0) {
      // Read-your-writes (src/db/replicas.ts): a signed-in user's change is on record before they hear of it.
      app.addHook('onSend', async (request, reply, payload) => {
        if (request.auth && !['GET', 'HEAD', 'OPTIONS'].includes(request.method) && reply.statusCode < 500)
          await reads.wrote(request.auth.userId);
        return payload;
      });
    }
    registerJsonParser(app, config.http.jsonMaxDepth);
    registerTextChecks(app);
    registerMetrics(app, ctx);

    registerDeadline(app, config.http.responseTimeoutMs);
    registerCaching(app);
    registerErrorHandling(app);
    await registerSecurity(app, config, tokens, redis);
    registerAuthentication(app, tokens, ctx.sessions);
    registerIdempotency(app, database.db, config.idempotencyTtlMs, ctx.now);
    await registerOpenApi(app);
    await app.register(healthRoutes, { ctx });
    await app.register(userRoutes, { ctx });
    // Right after the user's other routes: the OpenAPI document lists the paths in this order.
    await app.register(accountRoutes, { ctx });
    await app.register(authRoutes, { ctx });
    await app.register(authOptionsRoutes, { ctx });
    await app.register(oidcRoutes, { ctx });
    await app.register(passwordResetRoutes, { ctx });
    await app.register(measurementRoutes, { ctx });
    await app.register(goalRoutes, { ctx });
    await app.register(progressRoutes, { ctx });
    await app.register(planRoutes, { ctx });
    await app.register(trackingRoutes, { ctx });
    await app.register(importRoutes, { ctx });
    await app.register(webApp, options.webRoot ? { root: options.webRoot } : {});
  } catch (error) {
    // Never ready, so never closed: what was opened for it is closed here, for an embedder that goes on.
    reads.close();
    await redis?.close();
    throw error;
  }
  return app;
}

/**
 * The built app, as the tests hold it; no production code names the type.
 * @internal for `knip --production` (knip.config.ts), which reports what only tests use.
 */
export type App = Awaited<ReturnType<typeof buildApp>>;
