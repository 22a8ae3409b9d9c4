import { DomainError, requireFinite, requirePositive } from '../errors.ts';
import { dateOfDayNumber, dayNumber } from './calendar.ts';
import { leastSquaresLine } from './leastSquares.ts';

// Trend weight as The Hacker's Diet (John Walker, 1991; fourmilab.ch/hackdiet) computes it: an
// exponentially smoothed moving average of DAILY weights with a 0.1 smoothing factor,
//   T(n) = T(n−1) + 0.1 · (W(n) − T(n−1)),   T(first day) = W(first day),
// with missing days filled on the straight line between the weigh-ins either side (as
// trend-weight trackers do), so a gap neither stalls nor jolts the trend. Each day's water swing
// moves the trend by a tenth of itself; the cost is lag: during a steady change the trend trails
// the body by (1 − 0.1)/0.1 = 9 days of that change.

/** Walker's smoothing factor: each day moves the trend 10 % of the way to that day's weight. */
export const TREND_SMOOTHING = 0.1;

export interface DailyWeight {
  /** 'YYYY-MM-DD' */
  date: string;
  weightKg: number;
}

export interface TrendWeightDay {
  date: string;
  /** the weigh-in of that day; null on a filled-in day */
  weightKg: number | null;
  /** the weigh-in, or the straight line between the neighbouring weigh-ins */
  interpolatedKg: number;
  trendKg: number;
}

interface DayValue {
  day: number;
  value: number;
}

interface SmoothedDay {
  day: number;
  value: number | null;
  interpolated: number;
  trend: number;
}

/**
 * Daily series from the first to the last point: gaps filled linearly, then smoothed day by day.
 * `points` must be sorted by day with one value per day. `initialTrend` continues an earlier
 * trend (Walker carries the last trend of one month's log into the next); by default the trend
 * starts at the first value.
 */
function smoothDaily(points: readonly DayValue[], initialTrend?: number): SmoothedDay[] {
  const out: SmoothedDay[] = [];
  let trend = initialTrend;
  points.forEach((point, i) => {
    const next = points[i + 1];
    const lastDay = next ? next.day - 1 : point.day;
    for (let day = point.day; day <= lastDay; day++) {
      const interpolated = next ? point.value + ((next.value - point.value) * (day - point.day)) / (next.day - point.day) : point.value;
      trend = trend === undefined ? interpolated : trend + TREND_SMOOTHING * (interpolated - trend);
      out.push({ day, value: day === point.day ? point.value : null, interpolated, trend });
    }
  });
  return out;
}

function duplicateDate(date: string, field: string): DomainError {
  return new DomainError('duplicate_date', `Only one ${field} per day: ${date} appears more than once.`, 'invalid', field);
}

/**
 * The Hacker's Diet trend over daily weigh-ins, one row per calendar day from the first weigh-in
 * to the last. Several weigh-ins on one day are the caller's to reduce to one (a 422 here).
 */
export function trendWeightSeries(weights: readonly DailyWeight[], options: { initialTrendKg?: number } = {}): TrendWeightDay[] {
  if (options.initialTrendKg !== undefined) requirePositive(options.initialTrendKg, 'initial_trend_kg');
  const points = weights
    .map((w) => ({ day: dayNumber(w.date, 'date'), value: requirePositive(w.weightKg, 'weight_kg'), date: w.date }))
    .sort((a, b) => a.day - b.day);
  points.forEach((p, i) => {
    if (i > 0 && points[i - 1]?.day === p.day) throw duplicateDate(p.date, 'weigh-in');
  });
  return smoothDaily(points, options.initialTrendKg).map((d) => ({
    date: dateOfDayNumber(d.day),
    weightKg: d.value,
    interpolatedKg: d.interpolated,
    trendKg: d.trend,
  }));
}

export interface BodyFatPoint {
  /** 'YYYY-MM-DD' */
  date: string;
  bodyFatPct: number;
}

export interface BodyFatTrendDay {
  date: string;
  /** the mean of that day's measurements; null on a filled-in day */
  bodyFatPct: number | null;
  interpolatedPct: number;
  trendPct: number;
}

/**
 * Body-fat trend "the same way" over measurements, which come at irregular intervals (weekly tape
 * or calipers, sometimes two on one day). Irregular spacing is handled exactly as missing
 * weigh-ins are: the days between two measurements lie on the straight line joining them, and the
 * same 0.1 daily smoothing runs over every day. So a measurement a fortnight after the last one
 * weighs as a fortnight of change, not as a single day (the "linear interpolation" exponential
 * average for unevenly spaced series). Measurements on the same day are averaged.
 */
export function bodyFatTrendSeries(points: readonly BodyFatPoint[]): BodyFatTrendDay[] {
  const byDay = new Map<number, { sum: number; count: number }>();
  for (const p of points) {
    const day = dayNumber(p.date, 'date');
    const value = requireFinite(p.bodyFatPct, 'body_fat_percentage');
    if (value <= 0 || value >= 100) {
      throw new DomainError('invalid_body_fat', 'Body fat must be between 0 and 100 %.', 'invalid', 'body_fat_percentage');
    }
    const entry = byDay.get(day) ?? { sum: 0, count: 0 };
    entry.sum += value;
    entry.count += 1;
    byDay.set(day, entry);
  }
  const daily = [...byDay.entries()].map(([day, e]) => ({ day, value: e.sum / e.count })).sort((a, b) => a.day - b.day);
  return smoothDaily(daily).map((d) => ({
    date: dateOfDayNumber(d.day),
    bodyFatPct: d.value,
    interpolatedPct: d.interpolated,
    trendPct: d.trend,
  }));
}

/**
 * The span of the weekly rate of weight: at least two weeks of days, at most the last four. Four
 * weeks of the trend average out the day-to-day swings the trend still carries (a tenth of each).
 */
const WEEKLY_RATE_DAYS = { min: 14, max: 28 } as const;
/** Fewer real weigh-ins than this in the span (say, under one a week) give no rate. */
const MIN_RATE_WEIGH_INS = 3;

/**
 * The weekly rate of weight (docs/SCIENCE.md 7, "The weekly rate"): kg per week from the
 * least-squares slope of the TREND weight over the last `maxDays` days of a trend series (which
 * must span at least `minDays` days and hold MIN_RATE_WEIGH_INS real weigh-ins), or null. It is
 * the slope of the line the person sees, so the rate and the trend weight tell one story; it
 * reports the rate of about 9 days earlier (the trend's lag), and in the first three weeks, while
 * the trend catches up from the first weigh-in, less than the whole of it (its slope grows as 1 − 0.9ⁿ).
 *
 * source 'raw' fits the real weigh-ins instead: unbiased from the first fortnight on, but each
 * day's water swing moves it (±0.5 kg noise gives ±0.3 kg a week over three weeks).
 */
export function weeklyRateKg(
  series: readonly TrendWeightDay[],
  options: { minDays?: number; maxDays?: number; source?: 'raw' | 'trend' } = {},
): number | null {
  const minDays = options.minDays ?? WEEKLY_RATE_DAYS.min;
  const maxDays = options.maxDays ?? WEEKLY_RATE_DAYS.max;
  if (!Number.isInteger(minDays) || !Number.isInteger(maxDays) || minDays < 2 || maxDays < minDays) {
    throw new DomainError('invalid_rate_window', 'The rate window needs whole days with 2 ≤ minDays ≤ maxDays.', 'invalid');
  }
  if (series.length < minDays) return null;
  const window = series.slice(-maxDays);
  const weighIns = window.filter((d) => d.weightKg !== null);
  if (weighIns.length < MIN_RATE_WEIGH_INS) return null;
  const raw = options.source === 'raw';
  const used = raw ? weighIns : window;
  const xs = used.map((d) => dayNumber(d.date));
  const ys = used.map((d) => (raw ? (d.weightKg as number) : d.trendKg));
  const fit = leastSquaresLine(xs, ys);
  return fit === null ? null : fit.slope * 7;
}
