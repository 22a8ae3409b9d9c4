/**
 * Idempotency-Key on the creating POSTs (routes with `config: { idempotent: true }`): the first
 * response to a key is kept per user for a day; a retry with the same key and body gets it back
 * (with `Idempotent-Replayed: true`) and creates nothing, the same key with another body is a 422,
 * and a retry while the first is still running is a 409. 5xx answers are not kept, so they can be
 * retried. The record is written after the resource, not in its transaction: a crash between the
 * two leaves a pending key that is taken over after PENDING_TAKEOVER_MS.
 */
import { createHash } from 'node:crypto';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { conflict, unprocessable } from '../core/errors.ts';
import type { Database } from '../db/client.ts';
import { idempotencyKeys } from '../db/schema.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotencyKey?: { userId: string; key: string };
  }
}

const PENDING_TAKEOVER_MS = 60_000;

/** JSON with sorted keys, so a retry that reorders its fields still matches. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const requestHash = (request: FastifyRequest) =>
  createHash('sha256')
    .update(`${request.method} ${request.url}\n${canonical(request.body)}`)
    .digest('hex');

export function registerIdempotency(app: FastifyInstance, db: Database, ttlMs: number, now: () => Date) {
  app.addHook('preHandler', async (request, reply) => {
    const header = request.headers['idempotency-key'];
    if (!request.routeOptions.config.idempotent || typeof header !== 'string') return;
    const userId = request.auth.userId;
    const hash = requestHash(request);
    const at = now();
    // Expired keys, and pending ones whose request died, are free to take.
    await db
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.userId, userId),
          eq(idempotencyKeys.key, header),
          or(
            lt(idempotencyKeys.createdAt, new Date(at.getTime() - ttlMs)),
            and(isNull(idempotencyKeys.statusCode), lt(idempotencyKeys.createdAt, new Date(at.getTime() - PENDING_TAKEOVER_MS))),
          ),
        ),
      );
    const claimed = await db
      .insert(idempotencyKeys)
      .values({ userId, key: header, requestHash: hash, createdAt: at })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length > 0) {
      request.idempotencyKey = { userId, key: header };
      return;
    }
    const [first] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, header)))
      .limit(1);
    if (!first) throw conflict('A request with this Idempotency-Key just finished; retry', 'idempotency_key_in_use');
    if (first.requestHash !== hash) {
      throw unprocessable(
        'This Idempotency-Key was used with a different request',
        [{ field: 'header.idempotency-key', message: 'already used for another request' }],
        'idempotency_key_reused',
      );
    }
    if (first.statusCode === null) throw conflict('A request with this Idempotency-Key is still being processed', 'idempotency_key_in_use');
    return reply
      .code(first.statusCode)
      .header('idempotent-replayed', 'true')
      .type(first.statusCode >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8')
      .send(first.responseBody);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyKey;
    if (!claim) return payload;
    const where = and(eq(idempotencyKeys.userId, claim.userId), eq(idempotencyKeys.key, claim.key));
    if (reply.statusCode >= 500) await db.delete(idempotencyKeys).where(where);
    else
      await db
        .update(idempotencyKeys)
        .set({ statusCode: reply.statusCode, responseBody: String(payload) })
        .where(where);
    return payload;
  });
}
