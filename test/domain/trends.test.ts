import { describe, expect, it } from 'vitest';
import { exactDifference, roundHalfEven, trends, weekNumber } from '../../src/domain/index.ts';
import type { BodyPoint, GoalFacts, TrendEntry } from '../../src/domain/index.ts';
import { day } from './helpers.ts';

const initialPoint = (bodyFatPct: number, weightKg = 80): BodyPoint => ({ measuredAt: day(0), bodyFatPct, weightKg });
const cut = (bodyFatPct: number, target = 15, estimate = 52): GoalFacts => ({
  goalType: 'cutting',
  targetBodyFatPct: target,
  ceilingBodyFatPct: null,
  initial: initialPoint(bodyFatPct, 90),
  estimatedWeeksToGoal: estimate,
});
const bulk = (bodyFatPct: number, ceiling = 18, estimate = 130): GoalFacts => ({
  goalType: 'bulking',
  targetBodyFatPct: null,
  ceilingBodyFatPct: ceiling,
  initial: initialPoint(bodyFatPct, 70),
  estimatedWeeksToGoal: estimate,
});

/** Entries as the service would store them, from [days after the initial measurement, %BF, kg]. */
function entries(goal: GoalFacts, rows: [number, number, number?][]): TrendEntry[] {
  let previous: BodyPoint = goal.initial;
  return rows.map(([days, bodyFatPct, weightKg = previous.weightKg]) => {
    const current = { measuredAt: day(days), bodyFatPct, weightKg };
    const entry: TrendEntry = {
      ...current,
      weekNumber: weekNumber(goal.initial.measuredAt, current.measuredAt),
      bodyFatChange: exactDifference(bodyFatPct, previous.bodyFatPct),
      weightChangeKg: exactDifference(weightKg, previous.weightKg),
      isOnTrack: true,
    };
    previous = current;
    return entry;
  });
}

const weekly = (goal: GoalFacts, values: number[]) =>
  entries(
    goal,
    values.map((bf, i) => [7 * (i + 1), bf]),
  );
const is2dp = (x: number) => roundHalfEven(x, 2) === x;

describe('trends without enough data', () => {
  it("no entries: the plan's estimate, no rate, week 0 only", () => {
    const goal = cut(24.09);
    const report = trends({ goal, entries: [], now: day(10) });
    expect(report).toMatchObject({
      progressPercentage: 0,
      weeksElapsed: 1,
      isOnTrack: false,
      weeklyBfChangeAvg: 0,
      weeklyWeightChangeAvg: 0,
      trend: 'insufficient_data',
      adjustmentSuggestion: null,
      initialBodyFat: 24.09,
      currentBodyFat: 24.09,
      targetBodyFat: 15,
      movingAverage4Week: [],
      trendLine: null,
      velocity: { currentRate: null, expectedRate: -0.17, isOnPace: false },
    });
    expect(report.dataPoints).toEqual([{ week: 0, date: day(0), bodyFatPercentage: 24.09, weightKg: 90 }]);
  });

  it('one entry (docs/SCIENCE.md 12.5): a real rate and line, but no trend yet', () => {
    const goal = cut(24.09);
    const report = trends({ goal, entries: entries(goal, [[7, 23.55, 89.3]]), now: day(8) });
    expect(report).toMatchObject({
      weeksElapsed: 1,
      isOnTrack: true,
      weeklyBfChangeAvg: -0.54,
      weeklyWeightChangeAvg: -0.7,
      trend: 'insufficient_data',
      progressPercentage: 5.94,
      currentBodyFat: 23.55,
      trendLine: { slope: -0.54, intercept: 24.09, projectedCompletionWeek: 16.83 }, // (15 − 24.09) / −0.54
      velocity: { currentRate: -0.54, expectedRate: -0.17, isOnPace: true },
    });
    expect(report.adjustmentSuggestion).toContain('Keep logging');
    expect(report.dataPoints.map((p) => p.week)).toEqual([0, 1]);
  });
});

describe('trends for a cut', () => {
  it('steady −0.3 points/week: improving, on track, "maintain", remaining at the observed rate', () => {
    const goal = cut(24, 15);
    const report = trends({ goal, entries: weekly(goal, [23.7, 23.4, 23.1, 22.8]), now: day(30) });
    expect(report).toMatchObject({
      weeksElapsed: 4,
      isOnTrack: true,
      weeklyBfChangeAvg: -0.3,
      trend: 'improving',
      progressPercentage: 13.33, // 1.2 / 9
      trendLine: { slope: -0.3, intercept: 24, projectedCompletionWeek: 30 },
    });
    expect(report.adjustmentSuggestion).toContain('maintain');
    // trailing four weeks: (24 + 23.7 + 23.4 + 23.1) / 4 at week 3; weeks 1–4 at week 4
    expect(report.movingAverage4Week).toEqual([
      { week: 3, date: day(21), value: 23.55 },
      { week: 4, date: day(28), value: 23.25 },
    ]);
    expect(report.dataPoints.map((p) => p.week)).toEqual([0, 1, 2, 3, 4]);
  });

  it('rising body fat is "worsening" for a cut too, with no remaining estimate', () => {
    const goal = cut(24);
    const report = trends({ goal, entries: weekly(goal, [24.3, 24.6]), now: day(14) });
    expect(report.trend).toBe('worsening');
    expect(report.isOnTrack).toBe(false);
    expect(report.trendLine?.projectedCompletionWeek).toBeNull();
    expect(report.adjustmentSuggestion).toContain('rising');
    expect(report.progressPercentage).toBe(0);
  });

  it('a flat cut is a plateau: deepen the deficit', () => {
    const goal = cut(24);
    const report = trends({ goal, entries: weekly(goal, [23.95, 23.98, 23.94]), now: day(21) });
    expect(report.trend).toBe('plateau');
    expect(report.adjustmentSuggestion).toContain('deficit');
  });

  it('equal readings at irregular times are exactly flat: no remaining weeks and no completion week', () => {
    // The floating-point mean of three 22.1s is not 22.1: fitted around it, the slope was about
    // 3e-31 and "2e31 weeks remaining" (14 % of random flat series like this one).
    const at = (iso: string) => new Date(iso);
    const goal: GoalFacts = { ...cut(22.1), initial: { measuredAt: at('2025-01-06T08:00:00Z'), bodyFatPct: 22.1, weightKg: 90 } };
    const flat = [at('2025-01-14T15:00:00Z'), at('2025-01-21T16:00:00Z')].map((measuredAt) => ({
      measuredAt,
      bodyFatPct: 22.1,
      weightKg: 90,
      weekNumber: weekNumber(goal.initial.measuredAt, measuredAt),
      bodyFatChange: 0,
      weightChangeKg: 0,
      isOnTrack: false,
    }));
    const report = trends({ goal, entries: flat, now: at('2025-01-22T00:00:00Z') });
    expect(report).toMatchObject({ trend: 'plateau', weeklyBfChangeAvg: 0 });
    expect(report.trendLine).toEqual({ slope: 0, intercept: 22.1, projectedCompletionWeek: null });
  });

  it('a line over less than a week promises no completion week', () => {
    const goal = cut(24.09);
    const hourLater = [
      {
        measuredAt: new Date(day(0).getTime() + 3_600_000),
        bodyFatPct: 23.59,
        weightKg: 90,
        weekNumber: 0,
        bodyFatChange: -0.5,
        weightChangeKg: 0,
        isOnTrack: true,
      },
    ];
    const report = trends({ goal, entries: hourLater, now: day(0) });
    expect(report.trendLine?.projectedCompletionWeek).toBeNull();
    expect(report.velocity.currentRate).toBe(-0.5); // spread over a week, as every rate is
  });

  it('more than 1 point a week keeps "maintain" but warns about muscle', () => {
    const goal = cut(30, 15);
    const report = trends({ goal, entries: weekly(goal, [28.8, 27.6, 26.4]), now: day(21) });
    expect(report.trend).toBe('improving');
    expect(report.adjustmentSuggestion).toContain('maintain');
    expect(report.adjustmentSuggestion).toContain('muscle');
  });
});

describe('trends for a bulk', () => {
  it('+0.2 points/week is improving and on track', () => {
    const goal = bulk(12, 18);
    const report = trends({ goal, entries: weekly(goal, [12.2, 12.4, 12.6]), now: day(21) });
    expect(report).toMatchObject({ trend: 'improving', isOnTrack: true, weeklyBfChangeAvg: 0.2 });
    expect(report.adjustmentSuggestion).toContain('maintain');
    expect(report.velocity).toEqual({ currentRate: 0.2, expectedRate: 0.05, isOnPace: true });
    expect(report.targetBodyFat).toBe(18);
  });

  it('+0.8 points/week is worsening: lower the surplus', () => {
    const goal = bulk(12, 25);
    const report = trends({ goal, entries: weekly(goal, [12.8, 13.6, 14.4]), now: day(21) });
    expect(report.trend).toBe('worsening');
    expect(report.isOnTrack).toBe(false);
    expect(report.adjustmentSuggestion).toContain('lower the surplus');
  });

  it('no gain is a plateau: raise the surplus', () => {
    const goal = bulk(12);
    const report = trends({ goal, entries: weekly(goal, [12, 11.98, 12.01]), now: day(21) });
    expect(report.trend).toBe('plateau');
    expect(report.adjustmentSuggestion).toContain('raise the surplus');
  });
});

describe('trends with daily weigh-ins', () => {
  const goal = cut(24, 15);
  const daily = entries(
    goal,
    Array.from({ length: 20 }, (_, i): [number, number, number] => [
      i + 1,
      roundHalfEven(24 - 0.04 * (i + 1) + (i % 2 ? 0.1 : -0.1), 2),
      90 - 0.05 * (i + 1),
    ]),
  );

  it('fits one rate over every point and counts calendar weeks', () => {
    const report = trends({ goal, entries: daily, now: day(20.5) });
    expect(report.weeksElapsed).toBe(2);
    expect(report.weeklyBfChangeAvg).toBeCloseTo(-0.28, 1); // 0.04 points a day
    expect(report.weeklyWeightChangeAvg).toBe(-0.35);
    expect(report.trend).toBe('improving');
    expect(report.dataPoints).toHaveLength(21);
    expect(report.dataPoints.filter((p) => p.week === 1)).toHaveLength(7);
  });

  it('smooths over the trailing 28 days, dated because weeks repeat', () => {
    const report = trends({ goal, entries: daily, now: day(20.5) });
    expect(report.movingAverage4Week).toHaveLength(18); // from the 4th point on
    expect(report.movingAverage4Week[0]?.date).toEqual(day(3));
    for (const point of report.movingAverage4Week) expect(is2dp(point.value)).toBe(true);
  });

  it('never shows fewer weeks than the latest, future-dated entry', () => {
    expect(trends({ goal, entries: daily, now: day(0) }).weeksElapsed).toBe(2);
  });

  it('sorts entries given out of order and rounds every number to 2 dp', () => {
    const report = trends({ goal, entries: [...daily].reverse(), now: day(21) });
    expect(report.currentBodyFat).toBe(daily.at(-1)?.bodyFatPct);
    const numbers = [
      report.progressPercentage,
      report.weeklyBfChangeAvg,
      report.weeklyWeightChangeAvg,
      report.trendLine?.slope ?? 0,
      report.trendLine?.intercept ?? 0,
      report.trendLine?.projectedCompletionWeek ?? 0,
      report.velocity.currentRate ?? 0,
      report.velocity.expectedRate,
    ];
    for (const n of numbers) {
      expect(Number.isFinite(n)).toBe(true);
      expect(is2dp(n)).toBe(true);
    }
  });
});

describe('the 4-week moving average (one pass over the points)', () => {
  /** The definition: for each point from the 4th, the mean of the points up to it within the trailing 28 days. */
  const byDefinition = (points: BodyPoint[]) =>
    points.flatMap((point, i) => {
      if (i < 3) return [];
      const window = points.slice(0, i + 1).filter((p) => p.measuredAt.getTime() > point.measuredAt.getTime() - 28 * 86_400_000);
      const hundredths = window.map((p) => Math.round(p.bodyFatPct * 100));
      return [roundHalfEven(hundredths.reduce((a, b) => a + b, 0) / hundredths.length / 100, 2)];
    });

  it('matches the definition for many check-ins at any spacing, same-day ones included', () => {
    const goal = cut(30, 12);
    for (let run = 0; run < 200; run++) {
      let days = 0;
      const rows: [number, number][] = Array.from({ length: 1 + (run % 60) }, () => {
        days += [0.0001, 0.5, 1, 3, 7, 20, 40][Math.floor(Math.random() * 7)]!;
        return [days, roundHalfEven(20 + Math.random() * 10, 2)];
      });
      const list = entries(goal, rows);
      const report = trends({ goal, entries: list, now: day(days) });
      expect(report.movingAverage4Week.map((p) => p.value)).toEqual(byDefinition([goal.initial, ...list]));
    }
  });
});
