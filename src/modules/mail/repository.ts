import { and, asc, eq, inArray, lte, min, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { mailOutbox } from '../../db/schema.ts';

export type MailKind = (typeof mailOutbox.$inferSelect)['kind'];
export type QueuedMail = Pick<typeof mailOutbox.$inferSelect, 'id' | 'kind' | 'recipient' | 'attempts' | 'createdAt'>;

/** Queues a mail, due at once; on the caller's executor, so in the transaction of what causes it. */
export async function queueMail(db: Executor, kind: MailKind, recipient: string, now: Date): Promise<void> {
  await db.insert(mailOutbox).values({ kind, recipient: recipient.toLowerCase(), dueAt: now, createdAt: now });
}

/**
 * Claims up to `limit` due mails for this sender: each one's try is counted and it is not due again
 * until `leaseUntil`, so another sender leaves it alone while this one sends it, and picks it up
 * again only if this one stopped before saying how it went. SKIP LOCKED: two senders claiming at
 * once take different rows and neither waits for the other.
 */
export async function claimDueMail(db: Executor, now: Date, leaseUntil: Date, limit: number): Promise<QueuedMail[]> {
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.dueAt, now)))
    .orderBy(asc(mailOutbox.dueAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(mailOutbox)
    .set({ attempts: sql`${mailOutbox.attempts} + 1`, dueAt: leaseUntil })
    .where(inArray(mailOutbox.id, due))
    .returning({
      id: mailOutbox.id,
      kind: mailOutbox.kind,
      recipient: mailOutbox.recipient,
      attempts: mailOutbox.attempts,
      createdAt: mailOutbox.createdAt,
    });
}

export async function markMailSent(db: Executor, id: string, now: Date): Promise<void> {
  await db.update(mailOutbox).set({ status: 'sent', finishedAt: now, lastError: null }).where(eq(mailOutbox.id, id));
}

export async function retryMailAt(db: Executor, id: string, dueAt: Date, error: string): Promise<void> {
  await db.update(mailOutbox).set({ dueAt, lastError: error }).where(eq(mailOutbox.id, id));
}

export async function markMailFailed(db: Executor, id: string, now: Date, error: string): Promise<void> {
  await db.update(mailOutbox).set({ status: 'failed', finishedAt: now, lastError: error }).where(eq(mailOutbox.id, id));
}

/**
 * Forgets a mail that is not to be sent (its address has no account): its address is blanked and
 * the row finished, to be pruned with the sent ones. Nothing about the address is kept, and the
 * outbox changes as it does for a sent mail (one update of the row), so that later requests do
 * not meet a table in another state, with deleted rows to clear, for addresses without accounts.
 */
export async function dropMail(db: Executor, id: string, now: Date): Promise<void> {
  await db.update(mailOutbox).set({ recipient: '', status: 'sent', finishedAt: now }).where(eq(mailOutbox.id, id));
}

/** Removes sent and failed mails finished before `before`; how many. */
export async function pruneFinishedMail(db: Executor, before: Date): Promise<number> {
  const removed = await db
    .delete(mailOutbox)
    .where(and(inArray(mailOutbox.status, ['sent', 'failed']), lte(mailOutbox.finishedAt, before)))
    .returning({ id: mailOutbox.id });
  return removed.length;
}

/** When the oldest mail still waiting to be sent was queued; null when none waits. */
export async function oldestPendingMail(db: Executor): Promise<Date | null> {
  const [row] = await db
    .select({ at: min(mailOutbox.createdAt) })
    .from(mailOutbox)
    .where(eq(mailOutbox.status, 'pending'));
  return row?.at ?? null;
}

/** Every mail to `recipient`, pending or kept as history (the deletion of the account with that address). */
export async function deleteMailTo(db: Executor, recipient: string): Promise<void> {
  await db.delete(mailOutbox).where(eq(mailOutbox.recipient, recipient.toLowerCase()));
}
