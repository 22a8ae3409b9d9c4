import type { Static } from 'typebox';
import {
  adaptedCalorieTarget, type BodyPoint, DomainError, dietPlan, evaluateProgress, trends,
} from '../../domain/index.ts';
import type { AppContext } from '../../http/context.ts';
import { badRequest, conflict, notFound } from '../../http/problem.ts';
import { findOwnGoal, updateGoal, type GoalRow, type NewGoal } from '../goals/repository.ts';
import { getGoal, goalFacts, profileOf } from '../goals/service.ts';
import { findOwnMeasurement } from '../measurements/repository.ts';
import { currentUser } from '../users/service.ts';
import { insertProgressEntry, isMeasurementLinked, listProgressEntries, type ProgressEntryRow, replaceDietPlan } from './repository.ts';
import type { LogProgressBody, ProgressEntry, Trends } from './schemas.ts';

const pointOf = (entry: ProgressEntryRow): BodyPoint =>
  ({ measuredAt: entry.measuredAt, bodyFatPct: entry.bodyFatPercentage, weightKg: entry.weightKg });

/**
 * A check-in (decision 3): any interval, later than the previous point, same method as the goal.
 * The goal row is locked for the transaction, so concurrent check-ins on one goal run one at a time.
 */
export async function logProgress(ctx: AppContext, userId: string, goalId: string, body: Static<typeof LogProgressBody>): Promise<ProgressEntryRow> {
  const user = await currentUser(ctx, userId);
  return ctx.db.transaction(async (tx) => {
    const goal = await findOwnGoal(tx, userId, goalId, { forUpdate: true });
    if (!goal) throw notFound('Goal');
    if (goal.status !== 'active') throw badRequest(`This goal is ${goal.status}; progress can only be logged on an active goal`, 'goal_not_active');
    const measurement = await findOwnMeasurement(tx, userId, body.measurement_id);
    if (!measurement) throw notFound('Measurement');
    if (measurement.calculationMethod !== goal.calculationMethod) {
      throw badRequest(`This goal is tracked with the ${goal.calculationMethod} method; the measurement uses ${measurement.calculationMethod}`, 'method_mismatch');
    }
    if (await isMeasurementLinked(tx, measurement.id)) {
      throw conflict('This measurement is already linked to a progress entry', 'measurement_already_linked');
    }
    const previous = await listProgressEntries(tx, goal.id);

    const facts = goalFacts(goal);
    const current: BodyPoint = { measuredAt: measurement.measuredAt, bodyFatPct: measurement.calculatedBodyFatPercentage, weightKg: measurement.weightKg };
    // Refuses (400) a measurement not later than the previous point.
    const result = evaluateProgress({ goal: facts, previousEntries: previous.map(pointOf), current });
    const entry = await insertProgressEntry(tx, {
      goalId: goal.id,
      measurementId: measurement.id,
      weekNumber: result.weekNumber,
      bodyFatPercentage: current.bodyFatPct,
      weightKg: current.weightKg,
      bodyFatChange: result.bodyFatChange,
      weightChangeKg: result.weightChangeKg,
      isOnTrack: result.isOnTrack,
      ceilingWarning: result.ceilingWarning,
      rateWarning: result.rateWarning,
      notes: body.notes ?? null,
      measuredAt: measurement.measuredAt,
      loggedAt: ctx.now(),
    });

    const changes: Partial<NewGoal> = { currentBodyFatPercentage: current.bodyFatPct };
    if (result.completesGoal) {
      Object.assign(changes, { status: 'completed', completedAt: ctx.now() });
    } else {
      const calories = await followProgress(ctx, tx, goal, user, current, result.adaptationRatePerWeek);
      if (calories !== null) changes.targetCalories = calories;
    }
    await updateGoal(tx, goal.id, changes);
    return entry;
  });
}

/**
 * Decision 9: after each check-in the diet plan is recomputed from the latest measurement and the
 * observed rate (null until two weeks of data, so daily weigh-ins do not move it at once). The
 * domain keeps the target inside its bounds; should the macros still not fit, the plan stays as it was.
 */
async function followProgress(
  ctx: AppContext, tx: Parameters<typeof replaceDietPlan>[0], goal: GoalRow,
  user: Awaited<ReturnType<typeof currentUser>>, latest: BodyPoint, observedRatePerWeek: number | null,
): Promise<number | null> {
  try {
    const calories = adaptedCalorieTarget({
      profile: profileOf(user, ctx.now()), goal: goalFacts(goal), latestWeightKg: latest.weightKg, observedRatePerWeek,
    });
    const plan = dietPlan({ goalType: goal.goalType, calories, weightKg: latest.weightKg, bodyFatPct: latest.bodyFatPct });
    await replaceDietPlan(tx, goal.id, {
      dailyCalorieTarget: plan.dailyCalorieTarget, proteinGrams: plan.proteinGrams, carbsGrams: plan.carbsGrams,
      fatGrams: plan.fatGrams, mealTiming: plan.mealTiming, guidelines: plan.guidelines,
    });
    return plan.dailyCalorieTarget;
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

export async function progressHistory(ctx: AppContext, userId: string, goalId: string, limit: number, offset: number) {
  const goal = await getGoal(ctx, userId, goalId);
  return listProgressEntries(ctx.db, goal.id, { limit, offset });
}

export async function goalTrends(ctx: AppContext, userId: string, goalId: string): Promise<Static<typeof Trends>> {
  const goal = await getGoal(ctx, userId, goalId);
  const entries = await listProgressEntries(ctx.db, goal.id);
  const report = trends({
    goal: goalFacts(goal),
    entries: entries.map((e) => ({ ...pointOf(e), weekNumber: e.weekNumber, bodyFatChange: e.bodyFatChange, weightChangeKg: e.weightChangeKg, isOnTrack: e.isOnTrack })),
    now: ctx.now(),
  });
  return {
    goal_id: goal.id,
    progress_percentage: report.progressPercentage,
    weeks_elapsed: report.weeksElapsed,
    is_on_track: report.isOnTrack,
    weekly_bf_change_avg: report.weeklyBfChangeAvg,
    weekly_weight_change_avg: report.weeklyWeightChangeAvg,
    trend: report.trend,
    adjustment_suggestion: report.adjustmentSuggestion,
    estimated_weeks_remaining: report.estimatedWeeksRemaining,
    initial_body_fat: report.initialBodyFat,
    current_body_fat: report.currentBodyFat,
    target_body_fat: report.targetBodyFat,
    data_points: report.dataPoints.map((p) => ({ week: p.week, date: p.date.toISOString(), body_fat_percentage: p.bodyFatPercentage, weight_kg: p.weightKg })),
    moving_average_4week: report.movingAverage4Week,
    trend_line: report.trendLine && {
      slope: report.trendLine.slope, intercept: report.trendLine.intercept, projected_completion_week: report.trendLine.projectedCompletionWeek,
    },
    velocity: { current_rate: report.velocity.currentRate, expected_rate: report.velocity.expectedRate, is_on_pace: report.velocity.isOnPace },
  };
}

export function toProgressEntry(row: ProgressEntryRow): Static<typeof ProgressEntry> {
  return {
    id: row.id,
    goal_id: row.goalId,
    measurement_id: row.measurementId,
    week_number: row.weekNumber,
    body_fat_percentage: row.bodyFatPercentage,
    weight_kg: row.weightKg,
    body_fat_change: row.bodyFatChange,
    weight_change_kg: row.weightChangeKg,
    is_on_track: row.isOnTrack,
    notes: row.notes,
    measured_at: row.measuredAt.toISOString(),
    logged_at: row.loggedAt.toISOString(),
    created_at: row.createdAt.toISOString(),
    ceiling_warning: row.ceilingWarning,
    rate_warning: row.rateWarning,
  };
}
