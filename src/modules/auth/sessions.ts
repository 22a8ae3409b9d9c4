/**
 * Whether a sign-in (a refresh family) is still live: logout, refresh-token reuse and account
 * deletion end it, and access tokens of an ended sign-in stop working too. A live answer is cached
 * for a few seconds, so this costs one indexed query per session every few seconds, not per request.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { SessionChecker } from '../../core/context.ts';
import type { Executor } from '../../db/client.ts';
import { growingCache } from '../../infra/cache.ts';
import { refreshTokens } from '../../db/schema.ts';

export function createSessionChecker(db: Executor, ttlMs: number): SessionChecker {
  const live = ttlMs > 0 ? growingCache<string, string>(100_000, { ttl: ttlMs }) : null;
  return {
    async isActive(sessionId, userId) {
      if (live?.get(sessionId) === userId) return true;
      const [row] = await db
        .select({ userId: refreshTokens.userId })
        .from(refreshTokens)
        .where(and(eq(refreshTokens.familyId, sessionId), isNull(refreshTokens.revokedAt)))
        .limit(1);
      const active = row?.userId === userId;
      if (active) live?.set(sessionId, userId);
      return active;
    },
    forgetUser(userId) {
      if (!live) return;
      for (const [sessionId, owner] of live.entries()) if (owner === userId) live.delete(sessionId);
    },
  };
}
