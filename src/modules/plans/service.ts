import type { Static } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { notFound } from '../../core/errors.ts';
import { type DietPlanRow, findDietPlan, findTrainingPlan, type TrainingPlanRow } from './repository.ts';
import type { DietPlan, TrainingPlan } from './schemas.ts';

/** The plan of the caller's goal: 404 for a missing or foreign goal, and for a goal without a plan. */
async function requirePlan<P>(lookup: Promise<{ goalId: string; plan: P | null } | null>, what: string): Promise<P> {
  const row = await lookup;
  if (!row) throw notFound('Goal');
  if (!row.plan) throw notFound(`${what} for this goal`);
  return row.plan;
}

export async function getTrainingPlan(ctx: AppContext, userId: string, goalId: string): Promise<TrainingPlanRow> {
  return requirePlan(findTrainingPlan(await ctx.reader(userId), userId, goalId), 'Training plan');
}

export async function getDietPlan(ctx: AppContext, userId: string, goalId: string): Promise<DietPlanRow> {
  return requirePlan(findDietPlan(await ctx.reader(userId), userId, goalId), 'Diet plan');
}

export function toTrainingPlan(plan: TrainingPlanRow): Static<typeof TrainingPlan> {
  return {
    id: plan.id,
    goal_id: plan.goalId,
    workout_frequency: plan.workoutFrequency,
    primary_focus: plan.primaryFocus,
    plan_details: plan.planDetails as Record<string, unknown>,
    notes: plan.notes,
    created_at: plan.createdAt.toISOString(),
    updated_at: plan.updatedAt.toISOString(),
  };
}

export function toDietPlan(plan: DietPlanRow): Static<typeof DietPlan> {
  return {
    id: plan.id,
    goal_id: plan.goalId,
    daily_calorie_target: plan.dailyCalorieTarget,
    protein_grams: plan.proteinGrams,
    carbs_grams: plan.carbsGrams,
    fat_grams: plan.fatGrams,
    meal_timing: plan.mealTiming as Record<string, unknown> | null,
    guidelines: plan.guidelines,
    created_at: plan.createdAt.toISOString(),
    updated_at: plan.updatedAt.toISOString(),
  };
}
