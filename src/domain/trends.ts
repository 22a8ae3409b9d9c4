import { goalBodyFat, progressPercentage } from './goalStatus.ts';
import { fitOverTime, isRateOnTrack, MIN_RATE_HORIZON_WEEKS, observedRatePerWeek, rateTowardsGoal } from './rates.ts';
import { roundHalfEven, toHundredths, fromHundredths } from './rounding.ts';
import { DAY_MS, wholeWeeksBetween } from './time.ts';
import { EXPECTED_BF_RATE_PER_WEEK } from './timeline.ts';
import { adjustmentSuggestion, classifyTrend } from './trendAdvice.ts';
import type { BodyPoint, GoalFacts, Trend } from './types.ts';

export interface TrendEntry extends BodyPoint {
  weekNumber: number;
  bodyFatChange: number;
  weightChangeKg: number;
  isOnTrack: boolean;
}

export interface TrendsReport {
  progressPercentage: number;
  weeksElapsed: number;
  isOnTrack: boolean;
  weeklyBfChangeAvg: number;
  weeklyWeightChangeAvg: number;
  trend: Trend;
  adjustmentSuggestion: string | null;
  initialBodyFat: number;
  currentBodyFat: number;
  targetBodyFat: number | null;
  dataPoints: { week: number; date: Date; bodyFatPercentage: number; weightKg: number }[];
  /** `date` is extra: with daily entries several points share a week number. */
  movingAverage4Week: { week: number; date: Date; value: number }[];
  trendLine: { slope: number; intercept: number; projectedCompletionWeek: number | null } | null;
  velocity: { currentRate: number | null; expectedRate: number; isOnPace: boolean };
}

/** A trend needs two entries and two weeks of data; less cannot separate a rate from noise. */
const MIN_TREND_ENTRIES = 2;
const MIN_TREND_SPAN_WEEKS = 2;
/** The smoothed series averages the points of the trailing four weeks (from the 4th point on). */
const SMOOTHING_WINDOW_MS = 28 * DAY_MS;
const SMOOTHING_MIN_POINTS = 4;

const round2 = (x: number): number => roundHalfEven(x, 2);

/**
 * The points are in time order, so each window is a run of them ending at the current point: one
 * pass with a running sum of exact hundredths (quadratic before, which a goal with many check-ins
 * inside four weeks made the costliest part of GET /trends).
 */
function movingAverage(points: readonly BodyPoint[], weeks: readonly number[]): TrendsReport['movingAverage4Week'] {
  const hundredths = points.map((p) => toHundredths(p.bodyFatPct));
  const inOrder = points.every((p, i) => i === 0 || p.measuredAt.getTime() >= points[i - 1]!.measuredAt.getTime());
  if (!inOrder) return movingAverageOfAnyOrder(points, weeks, hundredths);
  const out: TrendsReport['movingAverage4Week'] = [];
  let start = 0;
  let sum = 0;
  points.forEach((point, i) => {
    sum += hundredths[i]!;
    const end = point.measuredAt.getTime();
    while (points[start]!.measuredAt.getTime() <= end - SMOOTHING_WINDOW_MS) sum -= hundredths[start++]!;
    if (i < SMOOTHING_MIN_POINTS - 1) return;
    out.push({ week: weeks[i] ?? 0, date: point.measuredAt, value: round2(fromHundredths(sum / (i + 1 - start))) });
  });
  return out;
}

/** The same windows for points out of time order (an initial measurement dated after an entry). */
function movingAverageOfAnyOrder(
  points: readonly BodyPoint[],
  weeks: readonly number[],
  hundredths: readonly number[],
): TrendsReport['movingAverage4Week'] {
  return points.flatMap((point, i) => {
    if (i < SMOOTHING_MIN_POINTS - 1) return [];
    const end = point.measuredAt.getTime();
    const window = hundredths.slice(0, i + 1).filter((_, j) => points[j]!.measuredAt.getTime() > end - SMOOTHING_WINDOW_MS);
    const mean = window.reduce((a, b) => a + b, 0) / window.length;
    return [{ week: weeks[i] ?? 0, date: point.measuredAt, value: round2(fromHundredths(mean)) }];
  });
}

/**
 * Trend analysis (docs/SCIENCE.md 6; docs/DESIGN.md, 'Trends'): the nine summary fields clients read plus
 * the chart fields. "Weekly" averages are least-squares rates per week over the initial
 * measurement and every entry (observedRatePerWeek), not means per entry.
 */
export function trends(p: { goal: GoalFacts; entries: TrendEntry[]; now: Date }): TrendsReport {
  const { goal } = p;
  const entries = [...p.entries].sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
  const points: BodyPoint[] = [goal.initial, ...entries];
  const weeks = [0, ...entries.map((e) => e.weekNumber)];
  const latest = entries.at(-1) ?? goal.initial;

  const fit = fitOverTime(points, (pt) => pt.bodyFatPct);
  const rate = observedRatePerWeek(points);
  const weightRate = observedRatePerWeek(points, (pt) => pt.weightKg);
  const enoughData = entries.length >= MIN_TREND_ENTRIES && fit !== null && fit.spanWeeks >= MIN_TREND_SPAN_WEEKS;
  const trend = classifyTrend(goal.goalType, rate, enoughData);
  const isOnTrack = isRateOnTrack(goal.goalType, rate);
  // Calendar weeks since the initial measurement (docs/DESIGN.md, 'Trends'); measurements may be future-dated,
  // so never fewer weeks than the latest entry is into the goal.
  const until = Math.max(p.now.getTime(), latest.measuredAt.getTime());
  const weeksElapsed = wholeWeeksBetween(goal.initial.measuredAt, new Date(until));
  const aim = goalBodyFat(goal);

  let trendLine: TrendsReport['trendLine'] = null;
  if (fit) {
    // Like the rates (observedRatePerWeek), a line over less than a week promises no completion:
    // two readings an hour apart would otherwise "finish" the goal within days.
    const towards = fit.spanWeeks < MIN_RATE_HORIZON_WEEKS ? 0 : rateTowardsGoal(goal.goalType, fit.slope);
    const crossing = aim !== null && towards > 0 ? Math.max(0, (aim - fit.intercept) / fit.slope) : null;
    trendLine = {
      slope: round2(fit.slope),
      intercept: round2(fit.intercept),
      projectedCompletionWeek: crossing === null ? null : round2(crossing),
    };
  }

  const expected = EXPECTED_BF_RATE_PER_WEEK[goal.goalType];
  return {
    progressPercentage: progressPercentage(goal, latest.bodyFatPct),
    weeksElapsed,
    isOnTrack,
    weeklyBfChangeAvg: round2(rate ?? 0),
    weeklyWeightChangeAvg: round2(weightRate ?? 0),
    trend,
    adjustmentSuggestion: adjustmentSuggestion({
      goalType: goal.goalType,
      trend,
      isOnTrack,
      ratePerWeek: rate,
      hasEntries: entries.length > 0,
    }),
    initialBodyFat: goal.initial.bodyFatPct,
    currentBodyFat: latest.bodyFatPct,
    targetBodyFat: aim,
    dataPoints: points.map((pt, i) => ({
      week: weeks[i] ?? 0,
      date: pt.measuredAt,
      bodyFatPercentage: pt.bodyFatPct,
      weightKg: pt.weightKg,
    })),
    movingAverage4Week: movingAverage(points, weeks),
    trendLine,
    velocity: {
      currentRate: rate === null ? null : round2(rate),
      expectedRate: round2(goal.goalType === 'cutting' ? -expected : expected),
      isOnPace: isOnTrack,
    },
  };
}
