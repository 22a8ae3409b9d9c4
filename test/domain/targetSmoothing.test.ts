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
  it('turns the weekly swing 1,801 → 1,795 → 1,668 → 1,848 → 1,652 → 1,776 → 1,829 into bounded steps', () => {
    // Raw targets a week apart; the first is the goal's start (stored as it is).
    //   1,795: 6 from 1,801, inside the 50 kcal dead band        → kept at 1,801
    //   1,668: 133 below 1,801, more than a week's 100 kcal step → capped at 1,701
    //   1,848: 147 above 1,701                                    → capped at 1,801
    //   1,652: 149 below 1,801                                    → capped at 1,701
    //   1,776: 75 above 1,701, inside the step                    → 1,776
    //   1,829: 53 above 1,776, outside the dead band              → 1,829
    const raw = [1801, 1795, 1668, 1848, 1652, 1776, 1829];
    const stored = [raw[0]!];
    const moves = [];
    for (const rawCalories of raw.slice(1)) {
      const next = smoothedCalorieTarget({ previousCalories: stored.at(-1)!, rawCalories, daysSincePrevious: 7 });
      stored.push(next.calories);
      moves.push(next.move);
    }
    expect(stored).toEqual([1801, 1801, 1701, 1801, 1701, 1776, 1829]);
    expect(moves).toEqual(['kept', 'capped', 'capped', 'capped', 'changed', 'changed']);
    for (let i = 1; i < stored.length; i++) expect(Math.abs(stored[i]! - stored[i - 1]!)).toBeLessThanOrEqual(TARGET_STEP_PER_WEEK_KCAL);
  });

  it('allows a step per week elapsed, and at least one week’s step however soon', () => {
    expect(smoothedCalorieTarget({ previousCalories: 2000, rawCalories: 1700, daysSincePrevious: 14 })).toEqual({
      calories: 1800,
      move: 'capped',
    });
    expect(smoothedCalorieTarget({ previousCalories: 2000, rawCalories: 1700, daysSincePrevious: 3 })).toEqual({
      calories: 1900,
      move: 'capped',
    });
    expect(smoothedCalorieTarget({ previousCalories: 2000, rawCalories: 1700, daysSincePrevious: 0 })).toEqual({
      calories: 1900,
      move: 'capped',
    });
    expect(smoothedCalorieTarget({ previousCalories: 2000, rawCalories: 1700, daysSincePrevious: 21 })).toEqual({
      calories: 1700,
      move: 'changed',
    });
  });

  it('keeps a change just under the dead band and moves one at it', () => {
    const at = (rawCalories: number) => smoothedCalorieTarget({ previousCalories: 2000, rawCalories, daysSincePrevious: 7 });
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
          const { calories } = smoothedCalorieTarget({ previousCalories, rawCalories, daysSincePrevious });
          expect(calories).toBeGreaterThanOrEqual(Math.min(previousCalories, rawCalories));
          expect(calories).toBeLessThanOrEqual(Math.max(previousCalories, rawCalories));
          expect(calories).toBeGreaterThanOrEqual(CALORIE_FLOOR_KCAL.female);
          expect(calories).toBeLessThanOrEqual(5000);
        }
  });

  it('refuses a value that is not a number', () => {
    expect(domainError(() => smoothedCalorieTarget({ previousCalories: Number.NaN, rawCalories: 1800, daysSincePrevious: 7 })).code).toBe(
      'not_a_number',
    );
  });
});
