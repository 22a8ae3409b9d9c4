import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { refreshTokens, users } from '../../db/schema.ts';

/**
 * Stores a new refresh token unless its account is disabled (false then). The account's row is read
 * FOR SHARE, so a disable running at the same moment either waits for this token, which its revocation
 * then ends, or is seen here: a sign-in never outlives a disable (docs/SECURITY.md, "Disabled accounts").
 */
export async function storeRefreshToken(
  db: Executor,
  token: { userId: string; familyId: string; tokenHash: string; expiresAt: Date },
): Promise<boolean> {
  const stored = await db
    .insert(refreshTokens)
    .select(
      db
        // Every column of the table, in its order: drizzle's INSERT … SELECT names them all.
        .select({
          id: sql`gen_random_uuid()`.as('id'),
          userId: users.id,
          familyId: sql`${token.familyId}::uuid`.as('family_id'),
          tokenHash: sql`${token.tokenHash}::text`.as('token_hash'),
          expiresAt: sql`${token.expiresAt.toISOString()}::timestamptz`.as('expires_at'),
          rotatedAt: sql`null::timestamptz`.as('rotated_at'),
          revokedAt: sql`null::timestamptz`.as('revoked_at'),
          createdAt: sql`now()`.as('created_at'),
        })
        .from(users)
        .where(and(eq(users.id, token.userId), isNull(users.disabledAt)))
        .for('share'),
    )
    .returning({ id: refreshTokens.id });
  return stored.length === 1;
}

/**
 * Marks a live refresh token as used and returns its owner. Only one of several concurrent uses can
 * win this update; the losers see null, like any other reuse.
 */
export async function consumeRefreshToken(db: Executor, tokenHash: string, now: Date) {
  const [row] = await db
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(
      and(
        eq(refreshTokens.tokenHash, tokenHash),
        isNull(refreshTokens.rotatedAt),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, now),
      ),
    )
    .returning({ userId: refreshTokens.userId, familyId: refreshTokens.familyId });
  return row ?? null;
}

export async function findRefreshToken(db: Executor, tokenHash: string) {
  const [row] = await db
    .select({ familyId: refreshTokens.familyId, userId: refreshTokens.userId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .limit(1);
  return row ?? null;
}

export async function revokeFamily(db: Executor, familyId: string, now: Date) {
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Ends every sign-in of the user but `keepFamilyId` (after a password change). */
export async function revokeOtherFamilies(db: Executor, userId: string, keepFamilyId: string, now: Date) {
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.userId, userId), ne(refreshTokens.familyId, keepFamilyId), isNull(refreshTokens.revokedAt)));
}

/** Ends every sign-in of the user (a password reset or a disable by the administrator). */
export async function revokeAllFamilies(db: Executor, userId: string, now: Date) {
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}
