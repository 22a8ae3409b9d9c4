import type { Static } from 'typebox';
import {
  bodyFatTrendSeries,
  type BodyPoint,
  checkInCalorieTarget,
  compareWithProjection,
  daysAheadOfProjection,
  daysBetween,
  DomainError,
  dietPlan,
  evaluateProgress,
  type ExpenditureBasis,
  roundHalfEven,
  smoothedCalorieTarget,
  trendWeightSeries,
  trends,
} from '../../domain/index.ts';
import type { AppContext } from '../../core/context.ts';
import { badRequest, notFound, unauthorized } from '../../core/errors.ts';
import type { Executor } from '../../db/client.ts';
import { type GoalRow, listProgressPoints } from '../goals/repository.ts';
import { type GoalTargetRow, latestTarget, type NewGoalTarget, recordTarget } from '../goals/targets.ts';
import { dietPlanRow, getGoal, goalFacts } from '../goals/service.ts';
import { currentWeight, forecastFor, goalPoints, startingPoint, toForecast } from '../goals/forecast.ts';
import { projectionCurve, readProjection } from '../goals/projection.ts';
import type { DailyLogs } from '../tracking/repository.ts';
import { dayOf } from '../tracking/service.ts';
import { expenditureBasis, logsForEstimate, todayOf } from '../tracking/trends.ts';
import { currentUser, profileOf } from '../users/service.ts';
import { findUserById, type UserRow } from '../users/repository.ts';
import { undoLatestCheckIn } from './checkInUndo.ts';
import { measurementAlreadyLinked } from './errors.ts';
import {
  type CheckInGoal,
  findCheckInState,
  findLatestEntry,
  isMeasurementLinked,
  listOwnProgressEntries,
  type ProgressEntryRow,
  saveCheckIn,
} from './repository.ts';
import type { LogProgressBody, ProgressEntry, Trends } from './schemas.ts';

/**
 * A check-in (docs/DESIGN.md, 'Check-ins'): any interval, later than the previous point, same method as the goal, and
 * not on the same (UTC) day as the goal's latest check-in unless `replace` says to replace that one.
 * The goal row is locked for the transaction, so concurrent check-ins on one goal run one at a time.
 * The reads are sent together and run in order (the lock first, then the others as things are once
 * it is held); the checks keep the order of docs/DESIGN.md, 'Which check answers first'.
 */
export async function logProgress(
  ctx: AppContext,
  userId: string,
  goalId: string,
  body: Static<typeof LogProgressBody>,
): Promise<{ entry: ProgressEntryRow; target: GoalTargetRow }> {
  const day = todayOf(ctx);
  return ctx.db.transaction(async (tx) => {
    let read = await readCheckIn(tx, userId, goalId, body.measurement_id, day);
    const { latestEntry } = read;
    if (latestEntry && dayOf(latestEntry.measuredAt) === dayOf(read.measurement.measuredAt)) {
      if (body.replace !== true) {
        throw badRequest(
          `This goal already has a check-in on ${dayOf(latestEntry.measuredAt)}; send replace: true to replace it`,
          'check_in_same_day',
        );
      }
      await undoLatestCheckIn(tx, userId, read.goal, latestEntry.id);
      read = await readCheckIn(tx, userId, goalId, body.measurement_id, day);
    }
    const { goal, user, measurement, previous, logs, previousTarget } = read;

    const facts = goalFacts(goal);
    const current: BodyPoint = {
      measuredAt: measurement.measuredAt,
      bodyFatPct: measurement.calculatedBodyFatPercentage,
      weightKg: measurement.weightKg,
    };
    // Refuses (400) a measurement not later than the previous point.
    const result = evaluateProgress({ goal: facts, previousEntries: previous, current });
    const expenditure = expenditureBasis(user, logs, current.bodyFatPct, day, current.weightKg);
    const expenditureKcal = roundHalfEven(expenditure.tdeeKcal);
    const daysSincePrevious = daysBetween(previousTarget?.effectiveOn ?? dayOf(goal.startedAt), day);
    const next = result.completesGoal
      ? null
      : followProgress(ctx, goal, user, current, expenditure, result.adaptationRatePerWeek, {
          daysSincePrevious,
          previousRawCalories: previousTarget?.rawCalories ?? null,
        });
    const entry = await saveCheckIn(tx, {
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
        : {
            currentBodyFatPercentage: current.bodyFatPct,
            targetCalories: next?.plan?.dailyCalorieTarget ?? goal.targetCalories,
            expenditureKcal,
            expenditureMethod: expenditure.method,
          },
      plan: next?.plan ?? null,
    });
    // The plan's point stays the previous row's while the diet plan is left as it was.
    const unchangedPlan = {
      planWeightKg: previousTarget?.planWeightKg ?? null,
      planBodyFatPercentage: previousTarget?.planBodyFatPercentage ?? null,
    };
    const target: NewGoalTarget = {
      goalId: goal.id,
      progressEntryId: entry.id,
      effectiveOn: day,
      previousCalories: goal.targetCalories,
      // The estimate the stored target was set from: a kept row carries it on, so a change confirmed a
      // week later says how far the estimate moved since the target was last set.
      previousExpenditureKcal:
        previousTarget?.reason === 'check_in_kept'
          ? previousTarget.previousExpenditureKcal
          : (previousTarget?.expenditureKcal ?? goal.expenditureKcal),
      weeklyRatePercent: goal.weeklyRatePercent,
      ...(next?.plan
        ? {
            calories: next.plan.dailyCalorieTarget,
            rawCalories: next.rawCalories,
            expenditureKcal,
            expenditureMethod: expenditure.method,
            reason: MOVE_REASONS[next.move],
            planWeightKg: current.weightKg,
            planBodyFatPercentage: current.bodyFatPct,
          }
        : result.completesGoal
          ? {
              calories: goal.targetCalories,
              expenditureKcal: goal.expenditureKcal,
              expenditureMethod: goal.expenditureMethod,
              reason: 'check_in_completed' as const,
              ...unchangedPlan,
            }
          : {
              calories: goal.targetCalories,
              expenditureKcal,
              expenditureMethod: expenditure.method,
              reason: 'check_in_kept' as const,
              ...unchangedPlan,
            }),
    };
    return { entry, target: await recordTarget(tx, target) };
  });
}

/** An unconfirmed move keeps the target, like one inside the dead band; its sentence tells them apart by the raw target. */
const MOVE_REASONS = {
  changed: 'check_in_changed',
  capped: 'check_in_capped',
  kept: 'check_in_kept',
  unconfirmed: 'check_in_kept',
} as const;

/**
 * What a check-in reads, with the checks that refuse it: the goal (locked), its owner, the
 * measurement, whether the measurement is already linked, the goal's points, its latest check-in
 * and target, and the daily logs behind the expenditure estimate.
 */
async function readCheckIn(tx: Executor, userId: string, goalId: string, measurementId: string, day: string) {
  const [state, linked, previous, logs, latestEntry, previousTarget] = await Promise.all([
    findCheckInState(tx, userId, goalId, measurementId),
    isMeasurementLinked(tx, measurementId),
    listProgressPoints(tx, goalId),
    logsForEstimate(tx, userId, day),
    findLatestEntry(tx, goalId),
    latestTarget(tx, goalId),
  ]);
  if (!state) {
    // No goal row: a caller who no longer exists is a 401, as on every route; otherwise a 404.
    if (!(await findUserById(tx, userId))) throw unauthorized('Could not validate credentials');
    throw notFound('Goal');
  }
  const { goal, user, measurement } = state;
  if (goal.status !== 'active')
    throw badRequest(`This goal is ${goal.status}; progress can only be logged on an active goal`, 'goal_not_active');
  if (!measurement) throw notFound('Measurement');
  if (measurement.calculationMethod !== goal.calculationMethod) {
    throw badRequest(
      `This goal is tracked with the ${goal.calculationMethod} method; the measurement uses ${measurement.calculationMethod}`,
      'method_mismatch',
    );
  }
  if (linked) throw measurementAlreadyLinked();
  return { goal, user, measurement, previous, logs, latestEntry, previousTarget };
}

/**
 * Plans follow progress (docs/DESIGN.md, 'When the plan is recomputed'): after each check-in the diet plan is recomputed from the latest
 * measurement, today's expenditure estimate and the goal's weekly rate (checkInCalorieTarget: no
 * catch-up, inside the floors; with no logged data the equation plus the earlier ±100 kcal step on
 * the observed rate, null until two weeks of check-ins), the target moved towards that in bounded
 * weekly steps once two check-ins in a row agree (smoothedCalorieTarget, docs/SCIENCE.md 3.4). Should the macros still not fit, the
 * plan stays as it was (null here).
 */
function followProgress(
  ctx: AppContext,
  goal: CheckInGoal,
  user: UserRow,
  latest: BodyPoint,
  expenditure: ExpenditureBasis,
  observedRatePerWeek: number | null,
  since: { daysSincePrevious: number; previousRawCalories: number | null },
) {
  try {
    const rawCalories = checkInCalorieTarget({
      profile: profileOf(user, ctx.now()),
      goalType: goal.goalType,
      weightKg: latest.weightKg,
      bodyFatPct: latest.bodyFatPct,
      weeklyRatePercent: goal.weeklyRatePercent,
      expenditure,
      observedRatePerWeek,
    });
    const { calories, move } = smoothedCalorieTarget({ previousCalories: goal.targetCalories, rawCalories, ...since });
    const plan = dietPlanRow(dietPlan({ goalType: goal.goalType, calories, weightKg: latest.weightKg, bodyFatPct: latest.bodyFatPct }));
    return { rawCalories, move, plan };
  } catch (error) {
    if (error instanceof DomainError) return { rawCalories: null, move: 'kept' as const, plan: null };
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
  const day = todayOf(ctx);
  // All at once; the entries and logs are only used once the goal is known to be the caller's.
  const db = await ctx.reader(userId);
  const [goal, entries, user, logs] = await Promise.all([
    getGoal(ctx, userId, goalId),
    listProgressPoints(db, goalId),
    currentUser(ctx, userId),
    logsForEstimate(db, userId, day),
  ]);
  const report = trends({ goal: goalFacts(goal), entries, now: ctx.now() });
  const outlook = goalOutlook(ctx, goal, user, entries, logs, day);
  return {
    goal_id: goal.id,
    progress_percentage: report.progressPercentage,
    weeks_elapsed: report.weeksElapsed,
    is_on_track: report.isOnTrack,
    weekly_bf_change_avg: report.weeklyBfChangeAvg,
    weekly_weight_change_avg: outlook.weight.weeklyRateKg ?? report.weeklyWeightChangeAvg,
    trend: report.trend,
    adjustment_suggestion: report.adjustmentSuggestion,
    estimated_weeks_remaining: outlook.forecast.observed ? outlook.forecast.observed.weeks : outlook.forecast.plan.weeks,
    initial_body_fat: report.initialBodyFat,
    current_body_fat: report.currentBodyFat,
    target_body_fat: report.targetBodyFat,
    data_points: report.dataPoints.map((p) => ({
      week: p.week,
      date: p.date.toISOString(),
      body_fat_percentage: p.bodyFatPercentage,
      weight_kg: p.weightKg,
    })),
    moving_average_4week: report.movingAverage4Week,
    trend_line: report.trendLine && {
      slope: report.trendLine.slope,
      intercept: report.trendLine.intercept,
      projected_completion_week: report.trendLine.projectedCompletionWeek,
    },
    velocity: {
      current_rate: report.velocity.currentRate,
      expected_rate: report.velocity.expectedRate,
      is_on_pace: report.velocity.isOnPace,
    },
    projection_comparison: projectionComparison(goal, entries),
    forecast: outlook.forecast,
  };
}

/**
 * The forecast (docs/SCIENCE.md 10.1) at the goal's own rate, from today's expenditure estimate and
 * the one current weight. A goal that has ended forecasts nothing new: its plan is 0 weeks once
 * reached, and the same forecast otherwise (the rate it stopped at).
 */
function goalOutlook(ctx: AppContext, goal: GoalRow, user: UserRow, entries: readonly BodyPoint[], logs: DailyLogs, day: string) {
  const points = goalPoints(goal, entries);
  const weight = currentWeight(logs, day);
  const start = startingPoint(points.at(-1)!, weight);
  const expenditure = expenditureBasis(user, logs, start.bodyFatPct, day, start.weightKg);
  const forecast = forecastFor({
    goal,
    profile: profileOf(user, ctx.now()),
    points,
    weight,
    expenditure,
    weeklyRatePercent: goal.weeklyRatePercent,
    now: ctx.now(),
  });
  return { weight, forecast: toForecast(forecast, weight, day) };
}

const round2 = (x: number) => roundHalfEven(x, 2);

/**
 * The observed trend against the goal's projection (docs/SCIENCE.md 10): the check-ins' body fat and weight
 * smoothed as daily series (bodyFatTrendSeries, trendWeightSeries: irregular check-ins are joined
 * by straight lines) and compared at the latest check-in's day. Null before the first check-in
 * and for goals made before projections existed.
 */
function projectionComparison(goal: GoalRow, entries: readonly BodyPoint[]): Static<typeof Trends>['projection_comparison'] {
  const stored = readProjection(goal.projection);
  if (!stored || entries.length === 0) return null;
  const points = [
    { measuredAt: goal.initialMeasuredAt, bodyFatPct: goal.initialBodyFatPercentage, weightKg: goal.initialWeightKg },
    ...entries,
  ];
  const bodyFat = bodyFatTrendSeries(points.map((p) => ({ date: dayOf(p.measuredAt), bodyFatPct: p.bodyFatPct }))).at(-1)!;
  // Several check-ins on one day count as their mean, as bodyFatTrendSeries does for body fat.
  const byDay = new Map<string, number[]>();
  for (const p of points) byDay.set(dayOf(p.measuredAt), [...(byDay.get(dayOf(p.measuredAt)) ?? []), p.weightKg]);
  const weight = trendWeightSeries([...byDay].map(([date, kg]) => ({ date, weightKg: kg.reduce((a, b) => a + b, 0) / kg.length }))).at(-1)!;
  const elapsedDays = Math.max(0, daysBetween(dayOf(new Date(stored.start)), bodyFat.date));
  const curve = projectionCurve(stored);
  const comparison = compareWithProjection({
    goalType: goal.goalType,
    curve,
    elapsedDays,
    observedBodyFatPct: bodyFat.trendPct,
    observedWeightKg: weight.trendKg,
  });
  const byDays = daysAheadOfProjection({ goalType: goal.goalType, curve, elapsedDays, observed: bodyFat.trendPct, basis: 'body_fat' });
  return {
    status: comparison.status,
    basis: comparison.basis,
    as_of: bodyFat.date,
    days_since_start: elapsedDays,
    observed_body_fat_percentage: round2(bodyFat.trendPct),
    expected_body_fat_percentage: round2(comparison.expectedBodyFatPct),
    by_body_fat_points: round2(comparison.byPoints!),
    observed_weight_kg: round2(weight.trendKg),
    expected_weight_kg: round2(comparison.expectedWeightKg),
    by_weight_kg: round2(comparison.byKg!),
    by_days: byDays,
    tolerance: round2(comparison.tolerance),
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
