import { describe, expect, it } from 'vitest';
import {
  TREND_SMOOTHING,
  addDays,
  bodyFatTrendSeries,
  dayNumber,
  daysBetween,
  trendWeightSeries,
  weeklyRateKg,
} from '../../src/domain/index.ts';
import type { DailyWeight } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

/** How many days a smoothed trend trails a steady change: (1 − α) / α. */
const TREND_LAG_DAYS = (1 - TREND_SMOOTHING) / TREND_SMOOTHING;

const START = '2025-01-06';
/** One weigh-in per listed [day offset, kg]. */
const weighIns = (rows: [number, number][]): DailyWeight[] => rows.map(([d, kg]) => ({ date: addDays(START, d), weightKg: kg }));

describe('calendar days', () => {
  it('reads YYYY-MM-DD as UTC day numbers and back', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2025-01-06')).toBe(20094);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29'); // leap year
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(daysBetween('2024-12-31', '2025-01-06')).toBe(6);
  });

  it('refuses what is not a calendar date, naming the field', () => {
    for (const bad of ['2025-02-30', '2025-1-6', '06/01/2025', '0050-01-01', '']) {
      expect(domainError(() => dayNumber(bad, 'as_of'))).toMatchObject({ code: 'invalid_date', kind: 'invalid', field: 'as_of' });
    }
  });
});

describe("trendWeightSeries: the Hacker's Diet trend", () => {
  it('reproduces Walker\'s worked example (The Hacker\'s Diet, "Calculating the trend", November 1990 log)', () => {
    // Walker carries the previous month's trend (173.6) into the new log and rounds each day's
    // step to 0.1 by hand; the unrounded average, rounded to one decimal, gives his column.
    const log = [
      { date: '1990-11-01', weightKg: 172.5 },
      { date: '1990-11-02', weightKg: 171.5 },
      { date: '1990-11-03', weightKg: 172 },
      { date: '1990-11-04', weightKg: 171.5 },
    ]; // pounds in the book; the arithmetic has no unit
    const series = trendWeightSeries(log, { initialTrendKg: 173.6 });
    expect(series.map((d) => Number(d.trendKg.toFixed(1)))).toEqual([173.5, 173.3, 173.2, 173.0]);
    // 173.6 + 0.1·(172.5 − 173.6) = 173.49; + 0.1·(171.5 − 173.49) = 173.291; … ; 172.99571
    expect(series.map((d) => d.trendKg)).toEqual([173.49, 173.291, 173.1619, 172.99571].map((x) => expect.closeTo(x, 10)));
  });

  it('starts at the first weigh-in and fills missing days on the straight line between neighbours', () => {
    const series = trendWeightSeries(
      weighIns([
        [3, 83],
        [0, 80],
      ]),
    ); // order does not matter
    expect(series).toEqual([
      { date: '2025-01-06', weightKg: 80, interpolatedKg: 80, trendKg: 80 },
      { date: '2025-01-07', weightKg: null, interpolatedKg: 81, trendKg: expect.closeTo(80.1, 10) }, // 80 + 0.1·(81 − 80)
      { date: '2025-01-08', weightKg: null, interpolatedKg: 82, trendKg: expect.closeTo(80.29, 10) }, // 80.1 + 0.1·(82 − 80.1)
      { date: '2025-01-09', weightKg: 83, interpolatedKg: 83, trendKg: expect.closeTo(80.561, 10) }, // 80.29 + 0.1·(83 − 80.29)
    ]);
    expect(trendWeightSeries([])).toEqual([]);
  });

  it('trails a steady change by (1 − 0.1)/0.1 = 9 days of it', () => {
    expect(TREND_LAG_DAYS).toBeCloseTo(9, 12);
    const ramp = weighIns(Array.from({ length: 200 }, (_, d): [number, number] => [d, 100 - 0.1 * d]));
    const last = trendWeightSeries(ramp).at(-1);
    // steady state: T − W = 9 × 0.1 kg/day; the start-up part has decayed (0.9^199 ≈ 8e-10)
    expect((last?.trendKg ?? 0) - (last?.interpolatedKg ?? 0)).toBeCloseTo(0.9, 6);
  });

  it('refuses two weigh-ins on one day, bad dates and non-positive weights', () => {
    expect(
      domainError(() =>
        trendWeightSeries(
          weighIns([
            [0, 80],
            [0, 81],
          ]),
        ),
      ),
    ).toMatchObject({ code: 'duplicate_date', kind: 'invalid' });
    expect(domainError(() => trendWeightSeries([{ date: '2025-13-01', weightKg: 80 }])).code).toBe('invalid_date');
    expect(domainError(() => trendWeightSeries(weighIns([[0, 0]]))).code).toBe('not_positive');
  });
});

describe('weeklyRateKg: the weekly rate of weight, the slope of the trend over the last 28 days', () => {
  it('is the slope of the trend line itself: a trend falling 0.1 kg a day is 0.7 kg a week', () => {
    // Weigh-ins falling 0.1 kg a day from 80 kg. In a steady fall the trend trails the weight by 9
    // days of it (trendWeight.ts): the day before the first weigh-in (80.1 kg) it stood at 81.0.
    // Started there, the trend itself falls exactly 0.1 kg a day: slope −0.1 × 7 = −0.7 kg a week.
    const days = Array.from({ length: 28 }, (_, d): [number, number] => [d, 80 - 0.1 * d]);
    const series = trendWeightSeries(weighIns(days), { initialTrendKg: 81 });
    expect(series.at(-1)!.trendKg - series[0]!.trendKg).toBeCloseTo(-2.7, 10);
    expect(weeklyRateKg(series)).toBeCloseTo(-0.7, 10);
  });

  it('does not follow one heavy day: 2 kg of water on the last morning moves it by a few hundredths', () => {
    // flat at 70 kg for 40 days, 72 kg on the last: the trend moves 0.2 kg on that day only, and a
    // 28-day fit of a last-day step of 0.2 is 0.2 × (x₂₇ − x̄)/Σ(x − x̄)² × 7 = 0.2 × 13.5 / 1827 × 7 ≈ 0.0103 kg a week.
    const days = Array.from({ length: 41 }, (_, d): [number, number] => [d, d === 40 ? 72 : 70]);
    expect(weeklyRateKg(trendWeightSeries(weighIns(days)))).toBeCloseTo(0.0103, 4);
    expect(weeklyRateKg(trendWeightSeries(weighIns(days)), RAW)).toBeGreaterThan(0.1);
  });
});

const RAW = { source: 'raw', maxDays: 21 } as const;

describe('weeklyRateKg over the raw weigh-ins: least-squares slope over the last 14–21 days', () => {
  const line = (days: number, perDay: number, from = 0) =>
    trendWeightSeries(weighIns(Array.from({ length: days }, (_, d): [number, number] => [d, 80 + perDay * Math.max(0, d - from)])));

  it('is the fitted change per week of the real weigh-ins', () => {
    expect(weeklyRateKg(line(21, -0.1), RAW)).toBeCloseTo(-0.7, 10);
    expect(weeklyRateKg(line(14, 0.05), RAW)).toBeCloseTo(0.35, 10);
  });

  it('uses only the last 21 days', () => {
    // flat for 30 days, then −0.1 kg/day for 25: the last 21 days are all on the slope
    expect(weeklyRateKg(line(55, -0.1, 30), RAW)).toBeCloseTo(-0.7, 10);
  });

  it('is null under 14 days or under 3 real weigh-ins in the window', () => {
    expect(weeklyRateKg(line(13, -0.1), RAW)).toBeNull();
    const sparse = trendWeightSeries(
      weighIns([
        [0, 80],
        [20, 78],
      ]),
    ); // 21 days, 2 weigh-ins
    expect(weeklyRateKg(sparse, RAW)).toBeNull();
    expect(
      weeklyRateKg(
        trendWeightSeries(
          weighIns([
            [0, 80],
            [10, 79],
            [20, 78],
          ]),
        ),
        RAW,
      ),
    ).toBeCloseTo(-0.7, 10);
  });

  it('from the smoothed trend: the true rate once warmed up, about half of it in the first fortnight', () => {
    expect(weeklyRateKg(line(120, -0.1), { source: 'trend' })).toBeCloseTo(-0.7, 3);
    // the trend's slope on day n is 0.1·(1 − 0.9ⁿ): over days 0–13 the fit is ~0.5 of the truth
    const early = weeklyRateKg(line(14, -0.1), { source: 'trend', maxDays: 21 }) ?? 0;
    expect(early / -0.7).toBeGreaterThan(0.4);
    expect(early / -0.7).toBeLessThan(0.6);
  });

  it('refuses a window that is not whole days with 2 ≤ min ≤ max', () => {
    expect(domainError(() => weeklyRateKg(line(30, -0.1), { minDays: 1 })).code).toBe('invalid_rate_window');
    expect(domainError(() => weeklyRateKg(line(30, -0.1), { minDays: 21, maxDays: 14 })).code).toBe('invalid_rate_window');
  });
});

describe('bodyFatTrendSeries: the same smoothing over irregular measurements', () => {
  it('fills the days between measurements linearly and averages two on one day', () => {
    const series = bodyFatTrendSeries([
      { date: addDays(START, 7), bodyFatPct: 19.2 },
      { date: START, bodyFatPct: 20 },
      { date: addDays(START, 7), bodyFatPct: 19.4 },
    ]);
    expect(series).toHaveLength(8);
    expect(series[7]?.bodyFatPct).toBeCloseTo(19.3, 12); // (19.2 + 19.4) / 2
    expect(series[1]).toEqual({
      date: '2025-01-07',
      bodyFatPct: null,
      interpolatedPct: expect.closeTo(19.9, 12),
      trendPct: expect.closeTo(19.99, 12),
    });
    expect(series[2]?.trendPct).toBeCloseTo(19.971, 12); // 19.99 + 0.1·(19.8 − 19.99)
  });

  it('weighs a measurement after a long gap as that many days of change', () => {
    // 20 → 18 over 20 days: the trend moves as if 20 daily points of −0.1 had been seen
    const gap = bodyFatTrendSeries([
      { date: START, bodyFatPct: 20 },
      { date: addDays(START, 20), bodyFatPct: 18 },
    ]);
    const daily = bodyFatTrendSeries(Array.from({ length: 21 }, (_, d) => ({ date: addDays(START, d), bodyFatPct: 20 - 0.1 * d })));
    expect(gap.at(-1)?.trendPct).toBeCloseTo(daily.at(-1)?.trendPct ?? 0, 12);
  });

  it('refuses a body fat outside 0–100 %', () => {
    expect(domainError(() => bodyFatTrendSeries([{ date: START, bodyFatPct: 100 }])).code).toBe('invalid_body_fat');
  });
});
