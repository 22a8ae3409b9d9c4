import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Executor } from '../../../db/client.ts';
import { oidcHandoffs, oidcLogins, userIdentities, users } from '../../../db/schema.ts';

export type HandoffRow = typeof oidcHandoffs.$inferSelect;

/** Stores a sign-in begun at the provider, removing those that expired unused. */
export async function storeLogin(db: Executor, login: typeof oidcLogins.$inferInsert, now: Date): Promise<void> {
  await db.delete(oidcLogins).where(lt(oidcLogins.expiresAt, now));
  await db.insert(oidcLogins).values(login);
}

/** Takes the sign-in begun with this state, once: a second callback with the same state finds nothing. */
export async function takeLogin(db: Executor, stateHash: string, now: Date) {
  const [row] = await db
    .delete(oidcLogins)
    .where(and(eq(oidcLogins.stateHash, stateHash), gt(oidcLogins.expiresAt, now)))
    .returning();
  return row ?? null;
}

export async function storeHandoff(db: Executor, handoff: typeof oidcHandoffs.$inferInsert, now: Date): Promise<void> {
  await db.delete(oidcHandoffs).where(lt(oidcHandoffs.expiresAt, now));
  await db.insert(oidcHandoffs).values(handoff);
}

export async function findHandoff(db: Executor, codeHash: string, now: Date): Promise<HandoffRow | null> {
  const [row] = await db
    .select()
    .from(oidcHandoffs)
    .where(and(eq(oidcHandoffs.codeHash, codeHash), gt(oidcHandoffs.expiresAt, now)))
    .limit(1);
  return row ?? null;
}

/** Uses a handoff up; false when another request used it first. */
export async function takeHandoff(db: Executor, codeHash: string): Promise<boolean> {
  const rows = await db.delete(oidcHandoffs).where(eq(oidcHandoffs.codeHash, codeHash)).returning({ codeHash: oidcHandoffs.codeHash });
  return rows.length === 1;
}

/** The account a provider account is linked to. */
export async function findIdentityUser(db: Executor, issuer: string, subject: string) {
  const [row] = await db
    .select({ userId: userIdentities.userId })
    .from(userIdentities)
    .where(and(eq(userIdentities.issuer, issuer), eq(userIdentities.subject, subject)))
    .limit(1);
  return row?.userId ?? null;
}

/** Links a provider account to an account; a second link of either answers 409 by the unique indexes. */
export async function insertIdentity(db: Executor, identity: { userId: string; issuer: string; subject: string }): Promise<void> {
  await db.insert(userIdentities).values(identity);
}

export async function identitiesOf(db: Executor, userId: string) {
  return db
    .select({ issuer: userIdentities.issuer, subject: userIdentities.subject, createdAt: userIdentities.createdAt })
    .from(userIdentities)
    .where(eq(userIdentities.userId, userId));
}

/** Sets the first password of an account that has none; false when it has one (set meanwhile, too). */
export async function setFirstPasswordHash(db: Executor, userId: string, passwordHash: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ passwordHash, updatedAt: now })
    .where(and(eq(users.id, userId), isNull(users.passwordHash)))
    .returning({ id: users.id });
  return rows.length === 1;
}
