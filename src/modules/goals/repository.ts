import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { dietPlans, goals, trainingPlans } from '../../db/schema.ts';

export type GoalRow = typeof goals.$inferSelect;
export type NewGoal = typeof goals.$inferInsert;
export type TrainingPlanRow = typeof trainingPlans.$inferSelect;
export type DietPlanRow = typeof dietPlans.$inferSelect;

export async function insertGoalWithPlans(
  db: Executor,
  goal: NewGoal,
  training: Omit<typeof trainingPlans.$inferInsert, 'goalId'>,
  diet: Omit<typeof dietPlans.$inferInsert, 'goalId'>,
): Promise<GoalRow> {
  // One transaction: a goal never exists without both plans (domain.md §8).
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(goals).values(goal).returning();
    await tx.insert(trainingPlans).values({ ...training, goalId: row!.id });
    await tx.insert(dietPlans).values({ ...diet, goalId: row!.id });
    return row!;
  });
}

/** A goal of this user; another user's goal reads as absent (404, decision 5). */
export async function findOwnGoal(db: Executor, userId: string, goalId: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(goals).where(and(eq(goals.id, goalId), eq(goals.userId, userId))).limit(1);
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function listGoals(db: Executor, userId: string, status: GoalRow['status'] | undefined, limit: number, offset: number) {
  const where: SQL = status ? and(eq(goals.userId, userId), eq(goals.status, status))! : eq(goals.userId, userId);
  const [rows, [total]] = await Promise.all([
    db.select().from(goals).where(where).orderBy(desc(goals.startedAt), desc(goals.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(goals).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function updateGoal(db: Executor, goalId: string, changes: Partial<NewGoal>): Promise<GoalRow> {
  const [row] = await db.update(goals).set({ ...changes, updatedAt: new Date() }).where(eq(goals.id, goalId)).returning();
  return row!;
}

export async function abandonActiveGoal(db: Executor, userId: string, goalId: string): Promise<GoalRow | null> {
  const [row] = await db.update(goals).set({ status: 'abandoned', updatedAt: new Date() })
    .where(and(eq(goals.id, goalId), eq(goals.userId, userId), eq(goals.status, 'active'))).returning();
  return row ?? null;
}
