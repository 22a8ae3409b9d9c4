import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { dietPlans, progressEntries } from '../../db/schema.ts';

export type ProgressEntryRow = typeof progressEntries.$inferSelect;

export async function insertProgressEntry(db: Executor, entry: typeof progressEntries.$inferInsert): Promise<ProgressEntryRow> {
  const [row] = await db.insert(progressEntries).values(entry).returning();
  return row!;
}

/** A goal's entries in the order they happened. */
export function listProgressEntries(db: Executor, goalId: string, page?: { limit: number; offset: number }) {
  const query = db.select().from(progressEntries).where(eq(progressEntries.goalId, goalId))
    .orderBy(asc(progressEntries.measuredAt), asc(progressEntries.id));
  return page ? query.limit(page.limit).offset(page.offset) : query;
}

export async function isMeasurementLinked(db: Executor, measurementId: string): Promise<boolean> {
  const [row] = await db.select({ id: progressEntries.id }).from(progressEntries).where(eq(progressEntries.measurementId, measurementId)).limit(1);
  return row !== undefined;
}

export async function replaceDietPlan(db: Executor, goalId: string, plan: Omit<typeof dietPlans.$inferInsert, 'goalId'>) {
  await db.update(dietPlans).set({ ...plan, updatedAt: new Date() }).where(eq(dietPlans.goalId, goalId));
}
