import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { reusable } from '../../db/prepared.ts';
import { dietPlans, goals, trainingPlans } from '../../db/schema.ts';

export type TrainingPlanRow = typeof trainingPlans.$inferSelect;
export type DietPlanRow = typeof dietPlans.$inferSelect;

/*
 * One query answers both questions: is the goal the caller's, and what is its plan. The row is
 * absent when the goal is missing or someone else's; `plan` is null when the goal has no plan.
 */

const ownGoal = and(eq(goals.id, sql.placeholder('goalId')), eq(goals.userId, sql.placeholder('userId')));

const trainingPlanOf = reusable('training_plan_of_goal', (db) =>
  db
    .select({ goalId: goals.id, plan: trainingPlans })
    .from(goals)
    .leftJoin(trainingPlans, eq(trainingPlans.goalId, goals.id))
    .where(ownGoal)
    .limit(1),
);

const dietPlanOf = reusable('diet_plan_of_goal', (db) =>
  db.select({ goalId: goals.id, plan: dietPlans }).from(goals).leftJoin(dietPlans, eq(dietPlans.goalId, goals.id)).where(ownGoal).limit(1),
);

export async function findTrainingPlan(db: Executor, userId: string, goalId: string) {
  const [row] = await trainingPlanOf(db).execute({ userId, goalId });
  return row ?? null;
}

export async function findDietPlan(db: Executor, userId: string, goalId: string) {
  const [row] = await dietPlanOf(db).execute({ userId, goalId });
  return row ?? null;
}
