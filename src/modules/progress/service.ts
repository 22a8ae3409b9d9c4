import type { Static } from 'typebox';
import {
  adaptedCalorieTarget, type BodyPoint, DomainError, dietPlan, evaluateProgress, trends,
} from '../../domain/index.ts';
import type { AppContext } from '../../http/context.ts';
import { badRequest, conflict, notFound, unauthorized } from '../../http/problem.ts';
import type { GoalRow } from '../goals/repository.ts';
import { getGoal, goalFacts, profileOf } from '../goals/service.ts';
import { findUserById, type UserRow } from '../users/repository.ts';
import { findCheckInState, isMeasurementLinked, listOwnProgressEntries, listProgressPoints, type ProgressEntryRow, saveCheckIn } from './repository.ts';
import type { LogProgressBody, ProgressEntry, Trends } from './schemas.ts';

/**
 * A check-in (decision 3): any interval, later than the previous point, same method as the goal.
 * The goal row is locked for the transaction, so concurrent check-ins on one goal run one at a time.
 * Three statements read (sent together and run in order: the lock first, then the others as
 * things are once it is held) and one writes; the checks keep api.md §5.1's order.
 */
export async function logProgress(ctx: AppContext, userId: string, goalId: string, body: Static<typeof LogProgressBody>): Promise<ProgressEntryRow> {
  return ctx.db.transaction(async (tx) => {
    const [state, linked, previous] = await Promise.all([
      findCheckInState(tx, userId, goalId, body.measurement_id),
      isMeasurementLinked(tx, body.measurement_id),
      listProgressPoints(tx, goalId),
    ]);
    if (!state) {
      // No goal row: a caller who no longer exists is a 401, as on every route; otherwise a 404.
      if (!(await findUserById(tx, userId))) throw unauthorized('Could not validate credentials');
      throw notFound('Goal');
    }
    const { goal, user, measurement } = state;
    if (goal.status !== 'active') throw badRequest(`This goal is ${goal.status}; progress can only be logged on an active goal`, 'goal_not_active');
    if (!measurement) throw notFound('Measurement');
    if (measurement.calculationMethod !== goal.calculationMethod) {
      throw badRequest(`This goal is tracked with the ${goal.calculationMethod} method; the measurement uses ${measurement.calculationMethod}`, 'method_mismatch');
    }
    if (linked) throw conflict('This measurement is already linked to a progress entry', 'measurement_already_linked');

    const facts = goalFacts(goal);
    const current: BodyPoint = { measuredAt: measurement.measuredAt, bodyFatPct: measurement.calculatedBodyFatPercentage, weightKg: measurement.weightKg };
    // Refuses (400) a measurement not later than the previous point.
    const result = evaluateProgress({ goal: facts, previousEntries: previous, current });
    const plan = result.completesGoal ? null : followProgress(ctx, goal, user, current, result.adaptationRatePerWeek);
    return saveCheckIn(tx, {
      entry: {
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
      },
      goal: result.completesGoal
        ? { currentBodyFatPercentage: current.bodyFatPct, completedAt: ctx.now() }
        : { currentBodyFatPercentage: current.bodyFatPct, targetCalories: plan?.dailyCalorieTarget ?? goal.targetCalories },
      plan,
    });
  });
}

/**
 * Decision 9: after each check-in the diet plan is recomputed from the latest measurement and the
 * observed rate (null until two weeks of data, so daily weigh-ins do not move it at once). The
 * domain keeps the target inside its bounds; should the macros still not fit, the plan stays as it
 * was (null here).
 */
function followProgress(ctx: AppContext, goal: GoalRow, user: UserRow, latest: BodyPoint, observedRatePerWeek: number | null) {
  try {
    const calories = adaptedCalorieTarget({
      profile: profileOf(user, ctx.now()), goal: goalFacts(goal), latestWeightKg: latest.weightKg, observedRatePerWeek,
    });
    const plan = dietPlan({ goalType: goal.goalType, calories, weightKg: latest.weightKg, bodyFatPct: latest.bodyFatPct });
    return {
      dailyCalorieTarget: plan.dailyCalorieTarget, proteinGrams: plan.proteinGrams, carbsGrams: plan.carbsGrams,
      fatGrams: plan.fatGrams, mealTiming: plan.mealTiming, guidelines: plan.guidelines,
    };
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

export async function progressHistory(ctx: AppContext, userId: string, goalId: string, limit: number, offset: number) {
  const entries = await listOwnProgressEntries(await ctx.reader(userId), userId, goalId, limit, offset);
  // No rows: a goal that is not the caller's (404), or one with no entries on this page (empty).
  if (entries.length === 0) await getGoal(ctx, userId, goalId);
  return entries;
}

export async function goalTrends(ctx: AppContext, userId: string, goalId: string): Promise<Static<typeof Trends>> {
  // Both at once; the entries are only used once the goal is known to be the caller's.
  const [goal, entries] = await Promise.all([getGoal(ctx, userId, goalId), ctx.reader(userId).then((db) => listProgressPoints(db, goalId))]);
  const report = trends({ goal: goalFacts(goal), entries, now: ctx.now() });
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
