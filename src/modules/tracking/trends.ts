/**
 * Reading the logs back (issue 6): the daily weights with their trend, and the adaptive estimate of
 * expenditure. Weigh-ins come first; a day without one takes the weight of that day's first body
 * measurement, so people who only log measurements still get a trend.
 */
import { desc, eq } from 'drizzle-orm';
import type { Static } from 'typebox';
import { measurements } from '../../db/schema.ts';
import {
  addDays, type DailyWeight, estimateExpenditure, maintenanceCalories, trendWeightSeries, weeklyRateKg,
} from '../../domain/index.ts';
import type { AppContext } from '../../http/context.ts';
import { HttpError, unprocessable } from '../../http/problem.ts';
import { isCalendarDate } from '../../http/schemas.ts';
import { profileOf } from '../goals/service.ts';
import { currentUser } from '../users/service.ts';
import { listIntake, listWeighIns, measurementWeights } from './repository.ts';
import type { Expenditure, WeightSeries } from './schemas.ts';
import { dayOf } from './service.ts';

/** Days of history read before a range so the smoothed trend has settled (0.9^120 ≈ 0). */
const TREND_WARM_UP_DAYS = 120;
/** History the expenditure filter reads before its date. */
const EXPENDITURE_HISTORY_DAYS = 180;

interface Day { date: string; weightKg: number; source: 'manual' | 'import' | 'measurement' }

async function dailyWeights(ctx: AppContext, userId: string, from: string, to: string): Promise<Day[]> {
  const db = await ctx.reader(userId);
  const [weighIns, fromMeasurements] = await Promise.all([
    listWeighIns(db, userId, from, to),
    measurementWeights(db, userId, from, to),
  ]);
  const days = new Map<string, Day>(fromMeasurements.map((m) => [m.day, { date: m.day, weightKg: m.weightKg, source: 'measurement' as const }]));
  for (const w of weighIns) days.set(w.day, { date: w.day, weightKg: w.weightKg, source: w.source });
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export async function weightSeries(ctx: AppContext, userId: string, range: { from: string; to: string }): Promise<Static<typeof WeightSeries>> {
  const days = await dailyWeights(ctx, userId, addDays(range.from, -TREND_WARM_UP_DAYS), range.to);
  const sources = new Map(days.map((d) => [d.date, d.source]));
  const series = trendWeightSeries(days.map(({ date, weightKg }): DailyWeight => ({ date, weightKg })));
  const rate = weeklyRateKg(series);
  return {
    ...range,
    weekly_rate_kg: rate === null ? null : round2(rate),
    weights: series.filter((d) => d.date >= range.from).map((d) => ({
      date: d.date,
      weight_kg: d.weightKg,
      source: sources.get(d.date) ?? null,
      interpolated_kg: round2(d.interpolatedKg),
      trend_weight_kg: round2(d.trendKg),
    })),
  };
}

export async function expenditure(ctx: AppContext, userId: string, asOf: string | undefined): Promise<Static<typeof Expenditure>> {
  const day = asOf ?? dayOf(ctx.now());
  if (!isCalendarDate(day)) throw unprocessable('The request has fields that failed validation', [{ field: 'query.as_of', message: 'must be a real calendar date' }]);
  const from = addDays(day, -EXPENDITURE_HISTORY_DAYS);
  const db = await ctx.reader(userId);
  const [user, weights, intake, [latestMeasurement]] = await Promise.all([
    currentUser(ctx, userId),
    dailyWeights(ctx, userId, from, day),
    listIntake(db, userId, from, day),
    db.select({ bodyFatPct: measurements.calculatedBodyFatPercentage }).from(measurements)
      .where(eq(measurements.userId, userId)).orderBy(desc(measurements.measuredAt)).limit(1),
  ]);
  const latest = weights.at(-1);
  if (!latest) throw new HttpError(404, 'No weight is logged yet: log a weigh-in or a measurement first', { code: 'no_weight_data' });
  const estimate = estimateExpenditure({
    weights: weights.map(({ date, weightKg }) => ({ date, weightKg })),
    intake: intake.map((d) => ({ date: d.day, calories: d.calories })),
    bodyFatPct: latestMeasurement?.bodyFatPct ?? null,
    equationTdeeKcal: maintenanceCalories(profileOf(user, new Date(`${day}T12:00:00Z`)), latest.weightKg),
    asOf: day,
  });
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
      start_date: w.startDate, end_date: w.endDate, days: w.days, intake_days: w.intakeDays, weigh_in_days: w.weighInDays,
      mean_intake_kcal: w.meanIntakeKcal, weight_change_kg_per_week: w.weightChangeKgPerWeek === null ? null : round2(w.weightChangeKgPerWeek),
      observed_tdee_kcal: w.observedTdeeKcal,
    },
    series: estimate.series.map((d) => ({
      date: d.date, tdee_kcal: d.tdeeKcal, tdee_low_kcal: d.tdeeLowKcal, tdee_high_kcal: d.tdeeHighKcal, method: d.method,
      estimated_weight_kg: round2(d.estimatedWeightKg),
    })),
  };
}
