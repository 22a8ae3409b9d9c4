/**
 * The goal's forecast on the wire (docs/SCIENCE.md 10.1), from the domain's goalForecast: the one
 * place GET /goals/{id}/trends and the rate preview (and so the PATCH it previews) read where the
 * person is now and how fast they go.
 */
import type { Static } from 'typebox';
import {
  addDays,
  type BodyPoint,
  type ExpenditureBasis,
  type GoalForecast,
  goalForecast,
  type Profile,
  roundHalfEven,
  trendWeightSeries,
  weeklyRateKg,
  type WeeksForecast,
  wholeWeeksBetween,
} from '../../domain/index.ts';
import type { DailyLogs } from '../tracking/repository.ts';
import type { GoalRow } from './repository.ts';
import type { Forecast } from './schemas.ts';

const round2 = (x: number) => roundHalfEven(x, 2);

/** The person now: the one current weight (the trend weight), today's scale weight and the one weekly rate. */
export interface CurrentWeight {
  trendWeightKg: number | null;
  scaleWeightKg: number | null;
  weeklyRateKg: number | null;
}

export function currentWeight(logs: DailyLogs, day: string): CurrentWeight {
  const series = trendWeightSeries(logs.weights.map(({ date, weightKg }) => ({ date, weightKg })));
  const last = series.at(-1);
  const rate = weeklyRateKg(series);
  return {
    trendWeightKg: last ? round2(last.trendKg) : null,
    scaleWeightKg: last && last.date === day && last.weightKg !== null ? last.weightKg : null,
    weeklyRateKg: rate === null ? null : round2(rate),
  };
}

/**
 * Where the plan starts: the trend weight (the check-in's weight when nothing is logged) and the
 * latest body fat.
 */
export function startingPoint(latest: BodyPoint, weight: CurrentWeight): { weightKg: number; bodyFatPct: number } {
  return { weightKg: weight.trendWeightKg ?? latest.weightKg, bodyFatPct: latest.bodyFatPct };
}

/** The goal's points: its initial measurement, then the check-ins. */
export function goalPoints(goal: GoalRow, entries: readonly BodyPoint[]): BodyPoint[] {
  return [{ measuredAt: goal.initialMeasuredAt, bodyFatPct: goal.initialBodyFatPercentage, weightKg: goal.initialWeightKg }, ...entries];
}

export function forecastFor(p: {
  goal: GoalRow;
  profile: Profile;
  points: readonly BodyPoint[];
  weight: CurrentWeight;
  expenditure: ExpenditureBasis;
  weeklyRatePercent: number;
  /** the forecast counts from now, so the weeks since the latest point are already gone */
  now: Date;
}): GoalForecast {
  const latest = p.points.at(-1)!;
  const aim = (p.goal.goalType === 'cutting' ? p.goal.targetBodyFatPercentage : p.goal.ceilingBodyFatPercentage) as number;
  return goalForecast({
    goalType: p.goal.goalType,
    profile: p.profile,
    goalBodyFatPct: aim,
    weeklyRatePercent: p.weeklyRatePercent,
    expenditure: p.expenditure,
    current: startingPoint(latest, p.weight),
    points: p.points,
    weightKgPerWeek: p.weight.weeklyRateKg,
    weeksSinceLatest: Math.max(0, wholeWeeksBetween(latest.measuredAt, p.now)),
  });
}

const weeksOut = (f: WeeksForecast, day: string) => ({
  weeks: f.weeks,
  weeks_low: f.weeksLow,
  weeks_high: f.weeksHigh,
  date: f.weeks === null ? null : addDays(day, 7 * f.weeks),
});

export function toForecast(f: GoalForecast, weight: CurrentWeight, day: string): Static<typeof Forecast> {
  return {
    as_of: day,
    plan: weeksOut(f.plan, day),
    observed: f.observed && { ...weeksOut(f.observed, day), rate_per_week: round2(f.observed.ratePerWeek) },
    agrees: f.agrees,
    explanation: f.explanation,
    weekly_weight_rate_kg: weight.weeklyRateKg,
    trend_weight_kg: weight.trendWeightKg,
    scale_weight_kg: weight.scaleWeightKg,
  };
}
