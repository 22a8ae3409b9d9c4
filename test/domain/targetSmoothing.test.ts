import { describe, expect, it } from 'vitest';
import {
  CALORIE_FLOOR_KCAL,
  TARGET_DEAD_BAND_KCAL,
  TARGET_STEP_PER_WEEK_KCAL,
  boundedRateCalorieTarget,
  smoothedCalorieTarget,
} from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

describe('calorie-target smoothing (docs/SCIENCE.md 3.4)', () => {
  it('holds the weekly swing 1,801 → 1,795 → 1,668 → 1,848 → 1,652 → 1,776 → 1,829 steady: no two weeks agree', () => {
    // Raw targets a week apart; the first is the goal's start (stored as computed, so no raw of its own).
    //   1,795: 6 from 1,801, inside the 50 kcal dead band                         → kept
    //   1,668: 133 below, but last week's 1,795 was inside the band               → unconfirmed
    //   1,848: 47 above, inside the band                                          → kept
    //   1,652: 149 below, but last week's 1,848 was above (and inside the band)   → unconfirmed
    //   1,776: 25 below                                                           → kept
    //   1,829: 28 above                                                           → kept
    // The mean of the six weeks is 1,761: the stored 1,801 is within the dead band of it.
    const raw = [1801, 1795, 1668, 1848, 1652, 1776, 1829];
    const stored = [raw[0]!];
    const moves = [];
    for (let i = 1; i < raw.length; i++) {
      const next = smoothedCalorieTarget({
        previousCalories: stored.at(-1)!,
        rawCalories: raw[i]!,
        previousRawCalories: i === 1 ? null : raw[i - 1]!,
        daysSincePrevious: 7,
      });
      stored.push(next.calories);
      moves.push(next.move);
    }
    expect(stored).toEqual([1801, 1801, 1801, 1801, 1801, 1801, 1801]);
    expect(moves).toEqual(['kept', 'unconfirmed', 'kept', 'unconfirmed', 'kept', 'kept']);
  });

  it('follows a lasting change from the second week, a week’s step at a time', () => {
    // The expenditure drops for good: the raw target is 1,600 from week 1 on.
    //   week 1: 201 below, the start has no raw of its own          → unconfirmed, 1,801
    //   week 2: 201 below again; both agree on 201, capped at 100    → 1,701
    //   week 3: 101 below; last week's 1,600 agrees (201); capped    → 1,601
    //   week 4: 1 below                                              → kept
    const stored = [1801];
    const moves = [];
    for (let week = 1; week <= 4; week++) {
      const next = smoothedCalorieTarget({
        previousCalories: stored.at(-1)!,
        rawCalories: 1600,
        previousRawCalories: week === 1 ? null : 1600,
        daysSincePrevious: 7,
      });
      stored.push(next.calories);
      moves.push(next.move);
    }
    expect(stored).toEqual([1801, 1801, 1701, 1601, 1601]);
    expect(moves).toEqual(['unconfirmed', 'capped', 'capped', 'kept']);
    for (let i = 1; i < stored.length; i++) expect(Math.abs(stored[i]! - stored[i - 1]!)).toBeLessThanOrEqual(TARGET_STEP_PER_WEEK_KCAL);
  });

  it('moves by what both weeks agree on: the smaller of the two changes', () => {
    // Last week 1,920 (80 below 2,000), this week 1,700 (300 below): both say down, they agree on 80.
    expect(smoothedCalorieTarget({ previousCalories: 2000, rawCalories: 1700, previousRawCalories: 1920, daysSincePrevious: 7 })).toEqual({
      calories: 1920,
      move: 'changed',
    });
    // The other way round: this week's 80 is the agreed change, and all of this week's.
    expect(smoothedCalorieTarget({ previousCalories: 2000, rawCalories: 1920, previousRawCalories: 1700, daysSincePrevious: 7 })).toEqual({
      calories: 1920,
      move: 'changed',
    });
  });

  it('takes a check-in two weeks or more after the target was set on its own: the estimate spans that much new data', () => {
    // No previous raw target (a start), 300 below: unconfirmed 13 days on, moved by its own change from 14 days on.
    const at = (daysSincePrevious: number) =>
      smoothedCalorieTarget({ previousCalories: 2000, rawCalories: 1700, previousRawCalories: null, daysSincePrevious });
    expect(at(13)).toEqual({ calories: 2000, move: 'unconfirmed' });
    expect(at(14)).toEqual({ calories: 1800, move: 'capped' });
    expect(at(28)).toEqual({ calories: 1700, move: 'changed' });
    // Its own change, not the smaller of two: last time's 1,920 says less, but four weeks of data say 1,700.
    expect(smoothedCalorieTarget({ previousCalories: 2000, rawCalories: 1700, previousRawCalories: 1920, daysSincePrevious: 28 })).toEqual({
      calories: 1700,
      move: 'changed',
    });
  });

  it('allows a step per week elapsed, and at least one week’s step however soon', () => {
    const at = (daysSincePrevious: number) =>
      smoothedCalorieTarget({ previousCalories: 2000, rawCalories: 1700, previousRawCalories: 1700, daysSincePrevious });
    expect(at(14)).toEqual({ calories: 1800, move: 'capped' });
    expect(at(3)).toEqual({ calories: 1900, move: 'capped' });
    expect(at(0)).toEqual({ calories: 1900, move: 'capped' });
    expect(at(21)).toEqual({ calories: 1700, move: 'changed' });
  });

  it('keeps a change just under the dead band and moves one at it', () => {
    const at = (rawCalories: number) =>
      smoothedCalorieTarget({ previousCalories: 2000, rawCalories, previousRawCalories: rawCalories, daysSincePrevious: 7 });
    expect(at(2000 + TARGET_DEAD_BAND_KCAL - 1)).toEqual({ calories: 2000, move: 'kept' });
    expect(at(2000 - TARGET_DEAD_BAND_KCAL + 1)).toEqual({ calories: 2000, move: 'kept' });
    expect(at(2000 + TARGET_DEAD_BAND_KCAL)).toEqual({ calories: 2050, move: 'changed' });
  });

  it('lies between the previous and the raw target, so inside the floors and caps when both are', () => {
    // Bounded targets (boundedRateCalorieTarget) over a spread of expenditures, fed pairwise.
    const targets = [400, 900, 1500, 1700, 2000, 2600, 3400, 5200, 9000].map((tdeeKcal) =>
      boundedRateCalorieTarget({ goalType: 'cutting', tdeeKcal, weightKg: 60, fatMassKg: 18, weeklyRatePercent: 1, sex: 'female' }),
    );
    for (const previousCalories of targets)
      for (const rawCalories of targets)
        for (const daysSincePrevious of [0, 5, 7, 10, 30]) {
          const { calories } = smoothedCalorieTarget({
            previousCalories,
            rawCalories,
            previousRawCalories: rawCalories,
            daysSincePrevious,
          });
          expect(calories).toBeGreaterThanOrEqual(Math.min(previousCalories, rawCalories));
          expect(calories).toBeLessThanOrEqual(Math.max(previousCalories, rawCalories));
          expect(calories).toBeGreaterThanOrEqual(CALORIE_FLOOR_KCAL.female);
          expect(calories).toBeLessThanOrEqual(5000);
        }
  });

  it('refuses a value that is not a number', () => {
    expect(
      domainError(() =>
        smoothedCalorieTarget({ previousCalories: Number.NaN, rawCalories: 1800, previousRawCalories: null, daysSincePrevious: 7 }),
      ).code,
    ).toBe('not_a_number');
  });
});
