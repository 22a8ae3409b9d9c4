import { WEEK_MS, weeksBetween } from './time.ts';
import { EXPECTED_BF_RATE_PER_WEEK } from './timeline.ts';
import type { BodyPoint, GoalType } from './types.ts';

// Rates of change over time (docs/DESIGN.md, 'Check-ins'): a least-squares line over every point of a goal, so
// entries may come at any interval and one noisy reading moves the rate only a little.

export interface LinearFit {
  /** change per week */
  slope: number;
  /** fitted value at the earliest point */
  intercept: number;
  /** weeks from the earliest to the latest point */
  spanWeeks: number;
}

/** Ordinary least squares of a value against time in weeks; null with < 2 points or no time span. */
export function fitOverTime(points: readonly BodyPoint[], value: (p: BodyPoint) => number): LinearFit | null {
  if (points.length < 2) return null;
  const times = points.map((p) => p.measuredAt.getTime());
  const origin = new Date(Math.min(...times));
  const spanWeeks = (Math.max(...times) - origin.getTime()) / WEEK_MS;
  if (!(spanWeeks > 0)) return null;
  const xs = points.map((p) => weeksBetween(origin, p.measuredAt));
  // Values are taken relative to the first: the same line, but equal values give exactly 0 and
  // not the rounding noise of their floating-point mean (a slope of 1e-31, "1e31 weeks to go").
  const base = value(points[0]!);
  const ys = points.map((p) => value(p) - base);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxx = 0;
  let sxy = 0;
  xs.forEach((x, i) => {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * ((ys[i] ?? meanY) - meanY);
  });
  const slope = sxy / sxx;
  return { slope, intercept: base + meanY - slope * meanX, spanWeeks };
}

/**
 * A rate needs at least this much time behind it. With daily weigh-ins a slope fitted over a day
 * or two magnifies ordinary day-to-day swings (water, tape placement: easily ±0.5 points) seven-
 * fold into a "weekly" rate, so over shorter spans the fitted change is spread over one week.
 */
export const MIN_RATE_HORIZON_WEEKS = 1;

/**
 * The observed rate per week: the least-squares fitted change over the span, divided by the span
 * but by no less than one week. Equal to the plain slope once a week of data exists.
 */
export function observedRatePerWeek(points: readonly BodyPoint[], value: (p: BodyPoint) => number = (p) => p.bodyFatPct): number | null {
  const fit = fitOverTime(points, value);
  if (!fit) return null;
  return (fit.slope * fit.spanWeeks) / Math.max(fit.spanWeeks, MIN_RATE_HORIZON_WEEKS);
}

/** A rate expressed as progress: positive = towards the goal (a gain is never cutting progress). */
export function rateTowardsGoal(goalType: GoalType, ratePerWeek: number): number {
  return goalType === 'cutting' ? -ratePerWeek : ratePerWeek;
}

/** On track needs at least half of the timeline's expected rate (docs/SCIENCE.md 6). */
const ON_TRACK_MIN_FRACTION = 0.5;
/** Bulking faster than this is too fast (the rate-warning threshold of docs/SCIENCE.md 6, points per week). */
export const BULK_MAX_RATE_PER_WEEK = 0.5;
/** Cutting faster than this puts muscle at risk (docs/SCIENCE.md 6). Advice only, still on track. */
export const CUT_FAST_RATE_PER_WEEK = 1.0;

export function minOnTrackRate(goalType: GoalType): number {
  return ON_TRACK_MIN_FRACTION * EXPECTED_BF_RATE_PER_WEEK[goalType];
}

/**
 * One on-track rule for entries, trends and velocity: the observed rate in the goal direction is
 * at least half the expected rate (0.087 points/week cutting, 0.023 bulking) and, when bulking, no
 * faster than 0.5 points/week. No rate (not enough data) is not on track.
 */
export function isRateOnTrack(goalType: GoalType, ratePerWeek: number | null): boolean {
  if (ratePerWeek === null) return false;
  const towards = rateTowardsGoal(goalType, ratePerWeek);
  if (towards < minOnTrackRate(goalType)) return false;
  return goalType === 'cutting' || towards <= BULK_MAX_RATE_PER_WEEK;
}
