import { and, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { passwordResetTokens, users } from '../../db/schema.ts';

/** The account a reset mail to `email` is for: one that exists and is not disabled; else null. */
export async function resettableAccount(db: Executor, email: string): Promise<{ id: string } | null> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email.toLowerCase()}`, isNull(users.disabledAt)))
    .limit(1);
  return row ?? null;
}

export async function storeResetToken(db: Executor, token: { userId: string; tokenHash: string; expiresAt: Date; now: Date }) {
  await db
    .insert(passwordResetTokens)
    .values({ userId: token.userId, tokenHash: token.tokenHash, expiresAt: token.expiresAt, createdAt: token.now });
}

/** Whether the token is live (unused, unexpired) for an account that is not disabled. */
export async function liveResetToken(db: Executor, tokenHash: string, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ userId: passwordResetTokens.userId })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(
      and(
        eq(passwordResetTokens.tokenHash, tokenHash),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
        isNull(users.disabledAt),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Uses a live token up and answers its account, or null. Only one of several concurrent uses of a
 * token can win this update.
 */
export async function useResetToken(db: Executor, tokenHash: string, now: Date): Promise<string | null> {
  const [row] = await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.tokenHash, tokenHash), isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, now)))
    .returning({ userId: passwordResetTokens.userId });
  return row?.userId ?? null;
}

/** Ends the account's other reset links: a password set by one makes the others useless. */
export async function useAllResetTokens(db: Executor, userId: string, now: Date): Promise<void> {
  await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
}

/** Sets the password of an account that is not disabled; false when there is none. */
export async function setPasswordHash(db: Executor, userId: string, passwordHash: string, now: Date): Promise<boolean> {
  const updated = await db
    .update(users)
    .set({ passwordHash, updatedAt: now })
    .where(and(eq(users.id, userId), isNull(users.disabledAt)))
    .returning({ id: users.id });
  return updated.length === 1;
}

/** Removes the account's links that have expired, so that a person's old links do not pile up. */
export async function removeExpiredResetTokens(db: Executor, userId: string, now: Date): Promise<void> {
  await db.delete(passwordResetTokens).where(and(eq(passwordResetTokens.userId, userId), lte(passwordResetTokens.expiresAt, now)));
}
