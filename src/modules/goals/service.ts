import type { Static } from 'typebox';
import { ageInYears, type GoalFacts, goalStatus, planGoal, type Profile, roundStored } from '../../domain/index.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, notFound, unprocessable } from '../../http/problem.ts';
import { findOwnMeasurement } from '../measurements/repository.ts';
import type { UserRow } from '../users/repository.ts';
import { currentUser } from '../users/service.ts';
import { abandonActiveGoal, findOwnGoal, type GoalRow, insertGoalWithPlans, listGoals } from './repository.ts';
import { type CreateGoalBody, type Goal, GoalStatusInput, GoalTypeInput, type UpdateGoalBody } from './schemas.ts';

export function profileOf(user: UserRow, at: Date): Profile {
  return { sex: user.gender, heightCm: user.heightCm, ageYears: ageInYears(user.dateOfBirth, at), activityLevel: user.activityLevel };
}

export function goalFacts(goal: GoalRow): GoalFacts {
  return {
    goalType: goal.goalType,
    targetBodyFatPct: goal.targetBodyFatPercentage,
    ceilingBodyFatPct: goal.ceilingBodyFatPercentage,
    initial: { measuredAt: goal.initialMeasuredAt, bodyFatPct: goal.initialBodyFatPercentage, weightKg: goal.initialWeightKg },
    estimatedWeeksToGoal: goal.estimatedWeeksToGoal,
  };
}

/** Cutting takes a target and no ceiling, bulking the reverse (the type/target cross-rule, a 422). */
function goalBodyFat(body: Static<typeof CreateGoalBody>, goalType: 'cutting' | 'bulking') {
  const [wanted, forbidden] = goalType === 'cutting'
    ? ['target_body_fat_percentage', 'ceiling_body_fat_percentage'] as const
    : ['ceiling_body_fat_percentage', 'target_body_fat_percentage'] as const;
  const errors = [];
  if (body[wanted] === undefined || body[wanted] === null) errors.push({ field: `body.${wanted}`, message: `Field required for a ${goalType} goal` });
  if (body[forbidden] !== undefined && body[forbidden] !== null) errors.push({ field: `body.${forbidden}`, message: `must be absent or null for a ${goalType} goal` });
  if (errors.length > 0) throw unprocessable('The request has fields that failed validation', errors);
  return roundStored(body[wanted]!);
}

export async function createGoal(ctx: AppContext, userId: string, body: Static<typeof CreateGoalBody>): Promise<GoalRow> {
  const goalType = GoalTypeInput.normalize(body.goal_type);
  const goalBodyFatPct = goalBodyFat(body, goalType);
  const [user, measurement] = await Promise.all([
    currentUser(ctx, userId),
    findOwnMeasurement(ctx.db, userId, body.initial_measurement_id),
  ]);
  if (!measurement) throw notFound('Measurement');
  const now = ctx.now();
  const plan = planGoal({
    profile: profileOf(user, now),
    goalType,
    weightKg: measurement.weightKg,
    bodyFatPct: measurement.calculatedBodyFatPercentage,
    ...(goalType === 'cutting' ? { targetBodyFatPct: goalBodyFatPct } : { ceilingBodyFatPct: goalBodyFatPct }),
  });
  // A second active goal, even from a concurrent request, fails on the partial unique index: 409.
  return insertGoalWithPlans(ctx.db, {
    userId,
    initialMeasurementId: measurement.id,
    goalType,
    initialBodyFatPercentage: measurement.calculatedBodyFatPercentage,
    initialWeightKg: measurement.weightKg,
    initialMeasuredAt: measurement.measuredAt,
    calculationMethod: measurement.calculationMethod,
    targetBodyFatPercentage: goalType === 'cutting' ? goalBodyFatPct : null,
    ceilingBodyFatPercentage: goalType === 'bulking' ? goalBodyFatPct : null,
    currentBodyFatPercentage: measurement.calculatedBodyFatPercentage,
    targetCalories: plan.targetCalories,
    estimatedWeeksToGoal: plan.estimatedWeeksToGoal,
    startedAt: now,
  }, {
    workoutFrequency: plan.trainingPlan.workoutFrequency,
    primaryFocus: plan.trainingPlan.primaryFocus,
    planDetails: plan.trainingPlan.planDetails,
    notes: plan.trainingPlan.notes,
  }, {
    dailyCalorieTarget: plan.dietPlan.dailyCalorieTarget,
    proteinGrams: plan.dietPlan.proteinGrams,
    carbsGrams: plan.dietPlan.carbsGrams,
    fatGrams: plan.dietPlan.fatGrams,
    mealTiming: plan.dietPlan.mealTiming,
    guidelines: plan.dietPlan.guidelines,
  });
}

export async function getGoal(ctx: AppContext, userId: string, goalId: string): Promise<GoalRow> {
  const goal = await findOwnGoal(ctx.db, userId, goalId);
  if (!goal) throw notFound('Goal');
  return goal;
}

export async function listOwnGoals(ctx: AppContext, userId: string, status: string | undefined, limit: number, offset: number) {
  return listGoals(await ctx.reader(userId), userId, status === undefined ? undefined : GoalStatusInput.normalize(status), limit, offset);
}

/** The one transition a person makes by hand: active → abandoned (api.md §4.4). */
export async function changeGoalStatus(ctx: AppContext, userId: string, goalId: string, body: Static<typeof UpdateGoalBody>): Promise<GoalRow> {
  const wanted = GoalStatusInput.normalize(body.status);
  const goal = await getGoal(ctx, userId, goalId);
  if (wanted === goal.status && wanted !== 'active') return goal;
  if (wanted !== 'abandoned' || goal.status !== 'active') {
    throw conflict(`A goal can only go from active to abandoned; this one is ${goal.status}`, 'invalid_transition');
  }
  const updated = await abandonActiveGoal(ctx.db, userId, goalId);
  if (!updated) throw conflict('The goal changed status meanwhile', 'invalid_transition');
  return updated;
}

export function toGoal(row: GoalRow, now: Date): Static<typeof Goal> {
  const derived = goalStatus({ goal: goalFacts(row), currentBodyFatPct: row.currentBodyFatPercentage, startedAt: row.startedAt, now });
  return {
    id: row.id,
    user_id: row.userId,
    initial_measurement_id: row.initialMeasurementId,
    goal_type: row.goalType,
    status: row.status,
    initial_body_fat_percentage: row.initialBodyFatPercentage,
    initial_weight_kg: row.initialWeightKg,
    target_body_fat_percentage: row.targetBodyFatPercentage,
    ceiling_body_fat_percentage: row.ceilingBodyFatPercentage,
    target_calories: row.targetCalories,
    estimated_weeks_to_goal: row.estimatedWeeksToGoal,
    current_body_fat_percentage: derived.currentBodyFatPercentage,
    progress_percentage: derived.progressPercentage,
    weeks_elapsed: derived.weeksElapsed,
    is_on_track: derived.isOnTrack,
    started_at: row.startedAt.toISOString(),
    completed_at: row.completedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
