import { describe, expect, it } from 'vitest';
import { evaluateProgress, fitOverTime, observedRatePerWeek, weekNumber } from '../../src/domain/index.ts';
import type { BodyPoint, GoalFacts } from '../../src/domain/index.ts';
import { day, domainError } from './helpers.ts';

const point = (days: number, bodyFatPct: number, weightKg = 80): BodyPoint => ({ measuredAt: day(days), bodyFatPct, weightKg });

const cut = (initial: BodyPoint, target = 15): GoalFacts => ({
  goalType: 'cutting',
  targetBodyFatPct: target,
  ceilingBodyFatPct: null,
  initial,
  estimatedWeeksToGoal: 52,
});
const bulk = (initial: BodyPoint, ceiling = 18): GoalFacts => ({
  goalType: 'bulking',
  targetBodyFatPct: null,
  ceilingBodyFatPct: ceiling,
  initial,
  estimatedWeeksToGoal: 168,
});

describe('weekNumber (whole weeks since the initial measurement: docs/DESIGN.md, "Check-ins")', () => {
  it('floors elapsed days / 7 and never goes negative', () => {
    expect(weekNumber(day(0), day(0.5))).toBe(0);
    expect(weekNumber(day(0), day(6.99))).toBe(0);
    expect(weekNumber(day(0), day(7))).toBe(1);
    expect(weekNumber(day(0), day(13.9))).toBe(1);
    expect(weekNumber(day(0), day(28))).toBe(4);
    expect(weekNumber(day(0), day(-3))).toBe(0);
  });
});

describe('observedRatePerWeek (least squares over time)', () => {
  it('is null without two points or without a time span', () => {
    expect(observedRatePerWeek([])).toBeNull();
    expect(observedRatePerWeek([point(0, 20)])).toBeNull();
    expect(observedRatePerWeek([point(3, 20), point(3, 19)])).toBeNull();
  });

  it('gives points per week whatever the spacing, once a week of data exists', () => {
    expect(observedRatePerWeek([point(0, 24.09), point(7, 23.55)])).toBeCloseTo(-0.54, 10);
    // x = 0, 2, 15/7, 4 weeks; Sxy = −1.989286, Sxx = 8.015306 -> −0.248186
    expect(observedRatePerWeek([point(0, 20), point(14, 19.5), point(15, 19.6), point(28, 19)])).toBeCloseTo(-0.248186, 5);
    expect(observedRatePerWeek([point(0, 20), point(14, 20.6)])).toBeCloseTo(0.3, 10);
  });

  it('spreads less than a week of data over a week', () => {
    const daily = [point(0, 20), point(1, 19.9), point(2, 19.8), point(3, 19.7)];
    expect(fitOverTime(daily, (p) => p.bodyFatPct)?.slope).toBeCloseTo(-0.7, 10);
    expect(observedRatePerWeek(daily)).toBeCloseTo(-0.3, 10);
    const twoDays = [point(0, 20), point(2, 20.2)];
    expect(fitOverTime(twoDays, (p) => p.bodyFatPct)?.slope).toBeCloseTo(0.7, 10);
    expect(observedRatePerWeek(twoDays)).toBeCloseTo(0.2, 10);
  });
});

describe('evaluateProgress', () => {
  it('docs/SCIENCE.md 12.5 cutting: 24.09 -> 23.55 % after 7 days is week 1, −0.54, −0.7 kg, on track', () => {
    const initial = point(0, 24.09, 90);
    const result = evaluateProgress({ goal: cut(initial), previousEntries: [], current: point(7, 23.55, 89.3) });
    expect(result).toMatchObject({
      weekNumber: 1,
      bodyFatChange: -0.54,
      weightChangeKg: -0.7,
      isOnTrack: true,
      ceilingWarning: null,
      rateWarning: null,
      completesGoal: false,
    });
  });

  it('docs/SCIENCE.md 12.5 bulking: 10.23 -> 10.50 % after 7 days is +0.27 and on track', () => {
    const initial = point(0, 10.23, 70);
    const result = evaluateProgress({ goal: bulk(initial), previousEntries: [], current: point(7, 10.5, 70.4) });
    expect(result).toMatchObject({
      weekNumber: 1,
      bodyFatChange: 0.27,
      weightChangeKg: 0.4,
      isOnTrack: true,
      ceilingWarning: null,
      rateWarning: null,
    });
  });

  it('never counts a gain as cutting progress', () => {
    const result = evaluateProgress({ goal: cut(point(0, 24.09)), previousEntries: [], current: point(7, 24.63) });
    expect(result.bodyFatChange).toBe(0.54);
    expect(result.isOnTrack).toBe(false);
  });

  it('needs half the expected rate: 0.09 points a week is on track for a cut, 0.08 is not', () => {
    expect(evaluateProgress({ goal: cut(point(0, 20)), previousEntries: [], current: point(7, 19.91) }).isOnTrack).toBe(true);
    expect(evaluateProgress({ goal: cut(point(0, 20)), previousEntries: [], current: point(7, 19.92) }).isOnTrack).toBe(false);
    expect(evaluateProgress({ goal: bulk(point(0, 12)), previousEntries: [], current: point(7, 12.02) }).isOnTrack).toBe(false);
    expect(evaluateProgress({ goal: bulk(point(0, 12)), previousEntries: [], current: point(7, 12.03) }).isOnTrack).toBe(true);
  });

  it('does not reward bulking faster than 0.5 points a week, and warns on the FIRST entry too', () => {
    const result = evaluateProgress({ goal: bulk(point(0, 14)), previousEntries: [], current: point(7, 16) });
    expect(result.isOnTrack).toBe(false);
    expect(result.rateWarning).toContain('2.00 points per week');
    expect(result.rateWarning).toContain('0.1-0.3 %');
    expect(evaluateProgress({ goal: bulk(point(0, 14)), previousEntries: [], current: point(7, 14.5) }).rateWarning).toBeNull();
  });

  it('judges the rate over ALL points, not only the last two', () => {
    const initial = point(0, 24);
    const previousEntries = [point(7, 23.7), point(14, 23.4), point(21, 23.1)];
    // a small uptick after three good weeks: the last delta is a gain, the fitted rate is still a loss
    const result = evaluateProgress({ goal: cut(initial), previousEntries, current: point(28, 23.2) });
    expect(result.bodyFatChange).toBe(0.1);
    expect(result.weekNumber).toBe(4);
    expect(result.isOnTrack).toBe(true);
  });

  it('handles daily weigh-ins without magnifying day-to-day noise', () => {
    // day 1 of a bulk, +0.3 points: a raw slope would say 2.1 points/week (too fast);
    // less than a week of data counts as one week, so this is 0.3/week: on track, no warning.
    const day1 = evaluateProgress({ goal: bulk(point(0, 12)), previousEntries: [], current: point(1, 12.3) });
    expect(day1).toMatchObject({ weekNumber: 0, isOnTrack: true, rateWarning: null });
    // a cut losing 0.1 points in a day is on track; 0.04 is not yet half a week's expected loss
    expect(evaluateProgress({ goal: cut(point(0, 24.09)), previousEntries: [], current: point(1, 23.99) }).isOnTrack).toBe(true);
    expect(evaluateProgress({ goal: cut(point(0, 24.09)), previousEntries: [], current: point(1, 24.05) }).isOnTrack).toBe(false);
    // two weeks of noisy daily cut data trending down 0.25/week: on track despite up-days
    const noise = [0.2, -0.15, 0.1, -0.2, 0.25, -0.1, 0.05, 0.15, -0.25, 0.1, -0.05, 0.2, -0.1];
    const entries = noise.map((n, i) => point(i + 1, Math.round((24 - (0.25 * (i + 1)) / 7 + n) * 100) / 100));
    const last = evaluateProgress({ goal: cut(point(0, 24)), previousEntries: entries, current: point(14, 23.55) });
    expect(last.weekNumber).toBe(2);
    expect(last.isOnTrack).toBe(true);
  });

  it('computes deltas against the previous entry, exactly to 2 dp', () => {
    const result = evaluateProgress({
      goal: cut(point(0, 24.09, 90)),
      previousEntries: [point(7, 23.55, 89.3)],
      current: point(14, 23.1, 88.65),
    });
    expect(result.bodyFatChange).toBe(-0.45);
    expect(result.weightChangeKg).toBe(-0.65);
    expect(result.weekNumber).toBe(2);
  });

  it('fits weight changes of any size into numeric(5,2)', () => {
    const result = evaluateProgress({ goal: cut(point(0, 40, 300)), previousEntries: [], current: point(400, 30, 30) });
    expect(result.weightChangeKg).toBe(-270);
    expect(result.bodyFatChange).toBe(-10);
  });

  it('warns near and at the ceiling ("ceiling"), and completes the bulk at it', () => {
    const near = evaluateProgress({ goal: bulk(point(0, 16)), previousEntries: [point(7, 16.9)], current: point(14, 17.2) });
    expect(near.ceilingWarning).toContain('ceiling');
    expect(near.ceilingWarning).toContain('0.8 points');
    expect(near.completesGoal).toBe(false);
    const exactlyOne = evaluateProgress({ goal: bulk(point(0, 16)), previousEntries: [], current: point(14, 17) });
    expect(exactlyOne.ceilingWarning).toBeNull();
    const reached = evaluateProgress({ goal: bulk(point(0, 16)), previousEntries: [point(7, 17.5)], current: point(14, 18) });
    expect(reached.ceilingWarning).toContain('reached');
    expect(reached.completesGoal).toBe(true);
  });

  it('gives cutting entries no warnings and completes a cut at or below the target', () => {
    const result = evaluateProgress({ goal: cut(point(0, 15.5), 15), previousEntries: [], current: point(21, 15) });
    expect(result).toMatchObject({ ceilingWarning: null, rateWarning: null, completesGoal: true });
  });

  it('refuses a measurement not after the previous point', () => {
    const error = domainError(() => evaluateProgress({ goal: cut(point(7, 24)), previousEntries: [], current: point(7, 23) }));
    expect(error).toMatchObject({ kind: 'rejected', code: 'measurement_not_after_previous' });
    expect(() => evaluateProgress({ goal: cut(point(0, 24)), previousEntries: [point(10, 23.5)], current: point(9, 23) })).toThrow();
  });

  it('offers a rate for adapting the plan only after two weeks of data', () => {
    const early = evaluateProgress({ goal: cut(point(0, 24)), previousEntries: [], current: point(13, 23.6) });
    expect(early.adaptationRatePerWeek).toBeNull();
    const later = evaluateProgress({ goal: cut(point(0, 24)), previousEntries: [point(7, 23.8)], current: point(14, 23.6) });
    expect(later.adaptationRatePerWeek).toBeCloseTo(-0.2, 10);
  });
});
