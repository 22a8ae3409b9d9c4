import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../core/context.ts';
import { problemResponses } from '../core/schemas.ts';
import { sendProblem } from './problem.ts';

const READY_TIMEOUT_MS = 2000;

const Backups = Type.Object(
  {
    last_success_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'The newest backup in BACKUP_DIR, by the time in its name (this instance wrote it, or another sharing the folder)',
    }),
    last_error: Type.Optional(
      Type.Object(
        { at: Type.String({ format: 'date-time' }), message: Type.String() },
        { description: "Only while this instance's last attempt failed" },
      ),
    ),
    next_due_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When this instance looks at the folder again, and writes a backup if none is newer than BACKUP_EVERY_HOURS',
    }),
  },
  {
    description:
      'With BACKUP_DIR: the scheduled backups. A failed backup is not unready: the instance serves as well as before, and taking it out of the balancer would not bring the backup back',
  },
);

const backupsOf = (ctx: AppContext) => {
  if (!ctx.backups) return {};
  const { lastSuccessAt, lastError, nextDueAt } = ctx.backups.status();
  return {
    backups: {
      last_success_at: lastSuccessAt?.toISOString() ?? null,
      ...(lastError ? { last_error: { at: lastError.at.toISOString(), message: lastError.message } } : {}),
      next_due_at: nextDueAt?.toISOString() ?? null,
    },
  };
};

export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ status: Type.Literal('healthy') }) },
      },
    },
    async () => ({ status: 'healthy' as const }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database answers',
        response: {
          200: Type.Object({
            status: Type.Literal('ready'),
            database: Type.String(),
            redis: Type.Optional(
              Type.Union([Type.Literal('available'), Type.Literal('unavailable')], {
                description: 'With REDIS_URL: whether the shared store answers. Unavailable is not unready: limits then count per instance',
              }),
            ),
            replicas: Type.Optional(
              Type.Object(
                { configured: Type.Integer(), usable: Type.Integer() },
                {
                  description:
                    'With DATABASE_REPLICA_URLS: replicas read from now (answering, at most 10 s behind). None usable is not unready: reads go to the primary',
                },
              ),
            ),
            backups: Type.Optional(Backups),
          }),
          ...problemResponses(503),
        },
      },
    },
    async (request, reply) => {
      try {
        // Bounded: a database that went away may leave the ping queued rather than failed.
        await Promise.race([
          ctx.database.ping(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('ping timed out')), READY_TIMEOUT_MS).unref()),
        ]);
        const redis = ctx.redis && ((await ctx.redis.available()) ? ('available' as const) : ('unavailable' as const));
        const replicas = ctx.reads.replicas();
        return {
          status: 'ready' as const,
          database: ctx.database.kind,
          ...(redis ? { redis } : {}),
          ...(replicas.configured > 0 ? { replicas } : {}),
          ...backupsOf(ctx),
        };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return sendProblem(reply, request, 503, 'The database does not answer', { code: 'database_unavailable' });
      }
    },
  );

  // `GET /` is the web app's (src/http/web.ts): the app for browsers, this API's description as JSON.
};
