/**
 * Reading the logs back (docs/SCIENCE.md 7 and 9): the daily weights with their trend, and the adaptive estimate of
 * expenditure. Weigh-ins come first; a day without one takes the weight of that day's first body
 * measurement, so people who only log measurements still get a trend.
 */
import { desc, eq } from 'drizzle-orm';
import type { Static } from 'typebox';
import { measurements } from '../../db/schema.ts';
import {
  addDays,
  type DailyWeight,
  equationExpenditure,
  estimateExpenditure,
  type ExpenditureBasis,
  type ExpenditureEstimate,
  maintenanceCalories,
  trendWeightSeries,
  weeklyRateKg,
} from '../../domain/index.ts';
import type { Executor } from '../../db/client.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError, unprocessable } from '../../core/errors.ts';
import { isCalendarDate } from '../../core/schemas.ts';
import type { UserRow } from '../users/repository.ts';
import { currentUser, profileOf } from '../users/service.ts';
import { dailyLogs, type DailyLogs } from './repository.ts';
import type { Expenditure, WeightSeries } from './schemas.ts';
import { dayOf } from './service.ts';

/** Days of history read before a range so the smoothed trend has settled (0.9^120 ≈ 0). */
const TREND_WARM_UP_DAYS = 120;
/** History the expenditure filter reads before its date. */
const EXPENDITURE_HISTORY_DAYS = 180;

const round2 = (x: number) => Math.round(x * 100) / 100;

export async function weightSeries(
  ctx: AppContext,
  userId: string,
  range: { from: string; to: string },
): Promise<Static<typeof WeightSeries>> {
  // The weights the expenditure estimate reads too (dailyLogs): one rule for a day's weight.
  const { weights: days } = await dailyLogs(await ctx.reader(userId), userId, addDays(range.from, -TREND_WARM_UP_DAYS), range.to);
  const sources = new Map(days.map((d) => [d.date, d.source]));
  const series = trendWeightSeries(days.map(({ date, weightKg }): DailyWeight => ({ date, weightKg })));
  const rate = weeklyRateKg(series);
  return {
    ...range,
    weekly_rate_kg: rate === null ? null : round2(rate),
    weights: series
      .filter((d) => d.date >= range.from)
      .map((d) => ({
        date: d.date,
        weight_kg: d.weightKg,
        source: sources.get(d.date) ?? null,
        interpolated_kg: round2(d.interpolatedKg),
        trend_weight_kg: round2(d.trendKg),
      })),
  };
}

/** The day an estimate is made "as of" when none is asked for: today (UTC). */
export const todayOf = (ctx: AppContext) => dayOf(ctx.now());

/** The person's profile on `day`: their age at its noon (UTC). */
const profileOn = (user: UserRow, day: string) => profileOf(user, new Date(`${day}T12:00:00Z`));

/** The equation's expenditure (maintenance calories) at `weightKg`, for the person's age on `day`. */
const equationTdeeKcal = (user: UserRow, day: string, weightKg: number) => maintenanceCalories(profileOn(user, day), weightKg);

/**
 * The expenditure estimate as of `day` from the logs of the EXPENDITURE_HISTORY_DAYS before it
 * (dailyLogs), the person's profile and a body fat (the energy density of their weight change).
 * Null without any weight in that time. GET /users/me/expenditure, goal creation and every
 * check-in use this one function, so the goal's target is planned from the estimate the person sees.
 */
function estimateFromLogs(
  user: UserRow,
  logs: DailyLogs,
  bodyFatPct: number | null,
  day: string,
  options: { series?: boolean } = {},
): ExpenditureEstimate | null {
  const latest = logs.weights.at(-1);
  if (!latest) return null;
  return estimateExpenditure({
    weights: logs.weights,
    intake: logs.intake,
    bodyFatPct,
    equationTdeeKcal: equationTdeeKcal(user, day, latest.weightKg),
    asOf: day,
    series: options.series ?? true,
  });
}

/** The logs estimateFromLogs reads for `day`, in one query. */
export function logsForEstimate(db: Executor, userId: string, day: string): Promise<DailyLogs> {
  return dailyLogs(db, userId, addDays(day, -EXPENDITURE_HISTORY_DAYS), day);
}

/**
 * The expenditure a goal plans with: the estimate of GET /users/me/expenditure as of `day` (the
 * equation at the latest logged weight while no intake is logged), or, with no weight logged in
 * its history, the equation at `weightKg`; the equation's uncertainty is 10 %.
 */
export function expenditureBasis(user: UserRow, logs: DailyLogs, bodyFatPct: number, day: string, weightKg: number): ExpenditureBasis {
  // Without any logged intake the estimate can only be the equation at the latest weight: said
  // directly, without running the filter over months of weigh-ins (the usual check-in).
  const estimate = logs.intake.length === 0 ? null : estimateFromLogs(user, logs, bodyFatPct, day, { series: false });
  if (estimate) return { tdeeKcal: estimate.tdeeKcal, sdKcal: estimate.sdKcal, method: estimate.method };
  return equationExpenditure(profileOn(user, day), logs.weights.at(-1)?.weightKg ?? weightKg);
}

export async function expenditure(ctx: AppContext, userId: string, asOf: string | undefined): Promise<Static<typeof Expenditure>> {
  const day = asOf ?? todayOf(ctx);
  if (!isCalendarDate(day))
    throw unprocessable('The request has fields that failed validation', [
      { field: 'query.as_of', message: 'must be a real calendar date' },
    ]);
  const db = await ctx.reader(userId);
  const [user, logs, [latestMeasurement]] = await Promise.all([
    currentUser(ctx, userId),
    logsForEstimate(db, userId, day),
    db
      .select({ bodyFatPct: measurements.calculatedBodyFatPercentage })
      .from(measurements)
      .where(eq(measurements.userId, userId))
      .orderBy(desc(measurements.measuredAt))
      .limit(1),
  ]);
  const estimate = estimateFromLogs(user, logs, latestMeasurement?.bodyFatPct ?? null, day);
  if (!estimate) throw new AppError('not_found', 'no_weight_data', 'No weight is logged yet: log a weigh-in or a measurement first');
  const w = estimate.window;
  return {
    as_of: day,
    tdee_kcal: estimate.tdeeKcal,
    tdee_low_kcal: estimate.tdeeLowKcal,
    tdee_high_kcal: estimate.tdeeHighKcal,
    data_days: estimate.dataDays,
    method: estimate.method,
    equation_tdee_kcal: estimate.equationTdeeKcal,
    data_weight: round2(estimate.dataWeight),
    window: {
      start_date: w.startDate,
      end_date: w.endDate,
      days: w.days,
      intake_days: w.intakeDays,
      incomplete_days: w.incompleteDays,
      weigh_in_days: w.weighInDays,
      mean_intake_kcal: w.meanIntakeKcal,
      weight_change_kg_per_week: w.weightChangeKgPerWeek === null ? null : round2(w.weightChangeKgPerWeek),
      observed_tdee_kcal: w.observedTdeeKcal,
    },
    series: estimate.series.map((d) => ({
      date: d.date,
      tdee_kcal: d.tdeeKcal,
      tdee_low_kcal: d.tdeeLowKcal,
      tdee_high_kcal: d.tdeeHighKcal,
      method: d.method,
      estimated_weight_kg: round2(d.estimatedWeightKg),
    })),
  };
}
