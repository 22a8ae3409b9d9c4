import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { dietPlans, goals, trainingPlans } from '../../db/schema.ts';

/*
 * One query answers both questions: is the goal the caller's, and what is its plan. The row is
 * absent when the goal is missing or someone else's; `plan` is null when the goal has no plan.
 */

export async function findTrainingPlan(db: Executor, userId: string, goalId: string) {
  const [row] = await db.select({ goalId: goals.id, plan: trainingPlans }).from(goals)
    .leftJoin(trainingPlans, eq(trainingPlans.goalId, goals.id))
    .where(and(eq(goals.id, goalId), eq(goals.userId, userId))).limit(1);
  return row ?? null;
}

export async function findDietPlan(db: Executor, userId: string, goalId: string) {
  const [row] = await db.select({ goalId: goals.id, plan: dietPlans }).from(goals)
    .leftJoin(dietPlans, eq(dietPlans.goalId, goals.id))
    .where(and(eq(goals.id, goalId), eq(goals.userId, userId))).limit(1);
  return row ?? null;
}
