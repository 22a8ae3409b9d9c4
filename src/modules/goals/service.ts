import type { Static } from 'typebox';
import {
  checkInCalorieTarget,
  checkWeeklyRatePercent,
  type DietPlan,
  dietPlan,
  goalBodyFat as goalBodyFatOf,
  type GoalFacts,
  goalProjection,
  goalStatus,
  goalWeeks,
  planGoalWithRate,
  reachesGoal,
  roundHalfEven,
  roundStored,
  type TrainingPlan,
  wholeWeeksBetween,
} from '../../domain/index.ts';
import type { AppContext } from '../../core/context.ts';
import { conflict, notFound, unprocessable } from '../../core/errors.ts';
import { findOwnMeasurement } from '../measurements/repository.ts';
import { expenditureBasis, logsForEstimate, todayOf } from '../tracking/trends.ts';
import { currentUser, profileOf } from '../users/service.ts';
import { currentWeight, forecastFor, goalPoints, startingPoint, toForecast } from './forecast.ts';
import { readProjection, storedProjection, toProjection } from './projection.ts';
import { activeGoalExists } from './errors.ts';
import {
  abandonActiveGoal,
  findOwnGoal,
  type GoalRow,
  hasActiveGoal,
  insertGoalWithPlans,
  listGoals,
  listProgressPoints,
  updateActiveGoalPlan,
} from './repository.ts';
import {
  type CreateGoalBody,
  type Goal,
  type GoalPreview,
  GoalStatusInput,
  GoalTypeInput,
  type RatePreview,
  type UpdateGoalBody,
} from './schemas.ts';

export function goalFacts(goal: Omit<GoalRow, 'projection'>): GoalFacts {
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
  const [wanted, forbidden] =
    goalType === 'cutting'
      ? (['target_body_fat_percentage', 'ceiling_body_fat_percentage'] as const)
      : (['ceiling_body_fat_percentage', 'target_body_fat_percentage'] as const);
  const errors = [];
  if (body[wanted] === undefined || body[wanted] === null)
    errors.push({ field: `body.${wanted}`, message: `Field required for a ${goalType} goal` });
  if (body[forbidden] !== undefined && body[forbidden] !== null)
    errors.push({ field: `body.${forbidden}`, message: `must be absent or null for a ${goalType} goal` });
  if (errors.length > 0) throw unprocessable('The request has fields that failed validation', errors);
  return roundStored(body[wanted]!);
}

/** What both plans are stored as, from the domain's plans. */
function planRows(plan: { trainingPlan: TrainingPlan; dietPlan: DietPlan }) {
  return {
    training: {
      workoutFrequency: plan.trainingPlan.workoutFrequency,
      primaryFocus: plan.trainingPlan.primaryFocus,
      planDetails: plan.trainingPlan.planDetails,
      notes: plan.trainingPlan.notes,
    },
    diet: dietPlanRow(plan.dietPlan),
  };
}

export function dietPlanRow(plan: DietPlan) {
  return {
    dailyCalorieTarget: plan.dailyCalorieTarget,
    proteinGrams: plan.proteinGrams,
    carbsGrams: plan.carbsGrams,
    fatGrams: plan.fatGrams,
    mealTiming: plan.mealTiming,
    guidelines: plan.guidelines,
  };
}

/**
 * A new goal's plan (docs/DESIGN.md, 'When the plan is recomputed'): the calorie target is the person's expenditure estimate (GET
 * /users/me/expenditure as of today; the equation when nothing is logged) ∓ the energy of the
 * chosen weekly rate, and the timeline is the energy-balance projection from the initial measurement.
 * POST /goals saves it; POST /goals/preview only shows it, so the hint before a goal starts tells the
 * weeks the goal will then say.
 */
async function planNewGoal(ctx: AppContext, userId: string, body: Static<typeof CreateGoalBody>, options: { refuseActive: boolean }) {
  const goalType = GoalTypeInput.normalize(body.goal_type);
  const goalBodyFatPct = goalBodyFat(body, goalType);
  const now = ctx.now();
  const day = todayOf(ctx);
  const [user, measurement, logs, active] = await Promise.all([
    currentUser(ctx, userId),
    findOwnMeasurement(ctx.db, userId, body.initial_measurement_id),
    logsForEstimate(ctx.db, userId, day),
    options.refuseActive ? hasActiveGoal(ctx.db, userId) : false,
  ]);
  // An active goal is told before the measurement and the plan's rules (docs/DESIGN.md, 'Which check answers first').
  if (active) throw activeGoalExists();
  if (!measurement) throw notFound('Measurement');
  const profile = profileOf(user, now);
  const expenditure = expenditureBasis(user, logs, measurement.calculatedBodyFatPercentage, day, measurement.weightKg);
  const plan = planGoalWithRate({
    profile,
    goalType,
    weightKg: measurement.weightKg,
    bodyFatPct: measurement.calculatedBodyFatPercentage,
    ...(goalType === 'cutting' ? { targetBodyFatPct: goalBodyFatPct } : { ceilingBodyFatPct: goalBodyFatPct }),
    weeklyRatePercent:
      body.weekly_rate_percent === undefined || body.weekly_rate_percent === null ? null : roundStored(body.weekly_rate_percent),
    expenditure,
  });
  return { goalType, goalBodyFatPct, now, day, measurement, expenditure, plan };
}

/** POST /goals/preview: what POST /goals would plan (planNewGoal), unsaved; an active goal does not stop it. */
export async function previewNewGoal(
  ctx: AppContext,
  userId: string,
  body: Static<typeof CreateGoalBody>,
): Promise<Static<typeof GoalPreview>> {
  const { plan, expenditure, measurement } = await planNewGoal(ctx, userId, body, { refuseActive: false });
  return {
    weekly_rate_percent: plan.weeklyRatePercent,
    weekly_change_kg: roundHalfEven((measurement.weightKg * plan.weeklyRatePercent) / 100, 2),
    target_calories: plan.targetCalories,
    expenditure_kcal: roundHalfEven(expenditure.tdeeKcal),
    expenditure_method: expenditure.method,
    estimated_weeks_to_goal: plan.estimatedWeeksToGoal,
    weeks_to_goal: plan.projection.weeksToGoal,
    weeks_to_goal_fastest: plan.projection.weeksToGoalFastest,
    weeks_to_goal_slowest: plan.projection.weeksToGoalSlowest,
  };
}

export async function createGoal(ctx: AppContext, userId: string, body: Static<typeof CreateGoalBody>): Promise<GoalRow> {
  const { goalType, goalBodyFatPct, now, day, measurement, expenditure, plan } = await planNewGoal(ctx, userId, body, {
    refuseActive: true,
  });
  const { training, diet } = planRows(plan);
  // A second active goal from a concurrent request fails on the partial unique index: 409 too.
  return insertGoalWithPlans(
    ctx.db,
    {
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
      weeklyRatePercent: plan.weeklyRatePercent,
      expenditureKcal: roundHalfEven(expenditure.tdeeKcal),
      expenditureMethod: expenditure.method,
      projection: storedProjection(plan.projection, measurement.measuredAt),
      startedAt: now,
    },
    training,
    diet,
    {
      effectiveOn: day,
      calories: plan.targetCalories,
      expenditureKcal: roundHalfEven(expenditure.tdeeKcal),
      expenditureMethod: expenditure.method,
      weeklyRatePercent: plan.weeklyRatePercent,
      reason: 'start',
      planWeightKg: measurement.weightKg,
      planBodyFatPercentage: measurement.calculatedBodyFatPercentage,
    },
  );
}

export async function getGoal(ctx: AppContext, userId: string, goalId: string): Promise<GoalRow> {
  const goal = await findOwnGoal(ctx.db, userId, goalId);
  if (!goal) throw notFound('Goal');
  return goal;
}

export async function listOwnGoals(ctx: AppContext, userId: string, status: string | undefined, limit: number, offset: number) {
  return listGoals(await ctx.reader(userId), userId, status === undefined ? undefined : GoalStatusInput.normalize(status), limit, offset);
}

/**
 * PATCH: abandon an active goal (the one status change a person makes by hand: docs/DESIGN.md, 'Goal lifecycle') or
 * change its weekly rate. Both at once is a 422: a rate only matters to a goal that goes on.
 */
export async function updateGoal(ctx: AppContext, userId: string, goalId: string, body: Static<typeof UpdateGoalBody>): Promise<GoalRow> {
  const wanted = body.status === undefined ? null : GoalStatusInput.normalize(body.status);
  if (body.weekly_rate_percent !== undefined) {
    if (wanted !== null && wanted !== 'active') {
      throw unprocessable('The request has fields that failed validation', [
        { field: 'body.weekly_rate_percent', message: `cannot be changed together with status ${wanted}` },
      ]);
    }
    return changeWeeklyRate(ctx, userId, goalId, roundStored(body.weekly_rate_percent));
  }
  return changeGoalStatus(ctx, userId, goalId, wanted ?? 'active');
}

async function changeGoalStatus(ctx: AppContext, userId: string, goalId: string, wanted: GoalRow['status']): Promise<GoalRow> {
  const goal = await getGoal(ctx, userId, goalId);
  if (wanted === goal.status && wanted !== 'active') return goal;
  if (wanted !== 'abandoned' || goal.status !== 'active') {
    throw conflict(`A goal can only go from active to abandoned; this one is ${goal.status}`, 'invalid_transition');
  }
  const updated = await abandonActiveGoal(ctx.db, userId, goalId);
  if (!updated) throw conflict('The goal changed status meanwhile', 'invalid_transition');
  return updated;
}

/**
 * A new rate for an active goal, worked out without saving: the target, the diet plan, the
 * projection and the forecast, redone from where the person is now (the trend weight and the
 * latest body fat: forecast.ts, startingPoint) with today's expenditure estimate. The PATCH saves
 * it and the rate preview shows it, so both give the same numbers.
 */
async function planRateChange(ctx: AppContext, userId: string, goalId: string, weeklyRatePercent: number | undefined) {
  const day = todayOf(ctx);
  const [goal, user, logs] = await Promise.all([
    getGoal(ctx, userId, goalId),
    currentUser(ctx, userId),
    logsForEstimate(ctx.db, userId, day),
  ]);
  if (goal.status !== 'active') throw conflict(`Only an active goal's rate can change; this one is ${goal.status}`, 'goal_not_active');
  const points = goalPoints(goal, await listProgressPoints(ctx.db, goal.id));
  const latest = points.at(-1)!;
  const weight = currentWeight(logs, day);
  const start = startingPoint(latest, weight);
  const facts = goalFacts(goal);
  const expenditure = expenditureBasis(user, logs, start.bodyFatPct, day, start.weightKg);
  const profile = profileOf(user, ctx.now());
  const rate = checkWeeklyRatePercent(goal.goalType, weeklyRatePercent ?? goal.weeklyRatePercent);
  const targetCalories = checkInCalorieTarget({
    profile,
    goalType: goal.goalType,
    ...start,
    weeklyRatePercent: rate,
    expenditure,
    observedRatePerWeek: null,
  });
  const aim = goalBodyFatOf(facts) as number;
  // Already at the aim: nothing is left to project, so the plan stays as it is apart from the rate.
  const projection = reachesGoal(facts, start.bodyFatPct)
    ? null
    : goalProjection({ goalType: goal.goalType, profile, ...start, goalBodyFatPct: aim, weeklyRatePercent: rate, expenditure });
  const weeksSoFar = wholeWeeksBetween(goal.initialMeasuredAt, latest.measuredAt);
  return {
    goal,
    day,
    rate,
    targetCalories,
    expenditure,
    weight,
    latest,
    start,
    projection,
    estimatedWeeksToGoal:
      projection &&
      Math.max(1, weeksSoFar + goalWeeks(projection, { goalType: goal.goalType, bodyFatPct: start.bodyFatPct, goalBodyFatPct: aim })),
    diet: dietPlan({ goalType: goal.goalType, calories: targetCalories, ...start }),
    forecast: forecastFor({ goal, profile, points, weight, expenditure, weeklyRatePercent: rate, now: ctx.now() }),
  };
}

async function changeWeeklyRate(ctx: AppContext, userId: string, goalId: string, weeklyRatePercent: number): Promise<GoalRow> {
  const plan = await planRateChange(ctx, userId, goalId, weeklyRatePercent);
  const updated = await updateActiveGoalPlan(
    ctx.db,
    userId,
    plan.goal.id,
    {
      weeklyRatePercent: plan.rate,
      targetCalories: plan.targetCalories,
      expenditureKcal: roundHalfEven(plan.expenditure.tdeeKcal),
      expenditureMethod: plan.expenditure.method,
      ...(plan.projection && plan.estimatedWeeksToGoal !== null
        ? { projection: storedProjection(plan.projection, plan.latest.measuredAt), estimatedWeeksToGoal: plan.estimatedWeeksToGoal }
        : {}),
    },
    dietPlanRow(plan.diet),
    {
      effectiveOn: plan.day,
      calories: plan.targetCalories,
      expenditureKcal: roundHalfEven(plan.expenditure.tdeeKcal),
      expenditureMethod: plan.expenditure.method,
      previousCalories: plan.goal.targetCalories,
      previousExpenditureKcal: plan.goal.expenditureKcal,
      weeklyRatePercent: plan.rate,
      reason: 'rate_change',
      // The diet plan is made at the starting point (the trend weight and the latest body fat).
      planWeightKg: plan.start.weightKg,
      planBodyFatPercentage: plan.start.bodyFatPct,
    },
  );
  if (!updated) throw conflict('The goal changed status meanwhile', 'goal_not_active');
  return updated;
}

/** GET /goals/{id}/rate-preview: what PATCH with this rate (by default the goal's own) would set (planRateChange), unsaved. */
export async function previewWeeklyRate(
  ctx: AppContext,
  userId: string,
  goalId: string,
  weeklyRatePercent: number | undefined,
): Promise<Static<typeof RatePreview>> {
  const plan = await planRateChange(ctx, userId, goalId, weeklyRatePercent === undefined ? undefined : roundStored(weeklyRatePercent));
  return {
    weekly_rate_percent: plan.rate,
    target_calories: plan.targetCalories,
    expenditure_kcal: roundHalfEven(plan.expenditure.tdeeKcal),
    forecast: toForecast(plan.forecast, plan.weight, plan.day),
  };
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
    weekly_rate_percent: row.weeklyRatePercent,
    expenditure_kcal: row.expenditureKcal,
    expenditure_method: row.expenditureMethod,
    projection: toProjection(readProjection(row.projection)),
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
