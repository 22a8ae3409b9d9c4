import { describe, expect, it } from 'vitest';
import { MACRO_RANGES, macroKcal, macros } from '../../src/domain/index.ts';
import type { GoalType, Macros } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

// Reference values of the service's own macro rule (docs/SCIENCE.md 4 and 12.4), set inside the
// published ranges of Helms et al. 2014 and Morton et al. 2018; each is worked by hand below.
// Rule: protein = 2.7 (cut) / 2.2 (bulk) g per kg fat-free mass, rounded; fat = 25 % / 27 % of
// calories ÷ 9, rounded, but ≥ ceil(0.5 g/kg) and ≥ 20 g; carbs = (C − 4P − 9F) ÷ 4, rounded
// half-even; if that is < 50 g, fat drops towards its floor, then protein, so carbs are 50 g.

function expectValid(m: Macros, calories: number): void {
  expect(Number.isInteger(m.proteinGrams) && Number.isInteger(m.carbsGrams) && Number.isInteger(m.fatGrams)).toBe(true);
  for (const key of ['proteinGrams', 'carbsGrams', 'fatGrams'] as const) {
    expect(m[key]).toBeGreaterThanOrEqual(MACRO_RANGES[key].min);
    expect(m[key]).toBeLessThanOrEqual(MACRO_RANGES[key].max);
  }
  expect(Math.abs(macroKcal(m) - calories)).toBeLessThanOrEqual(0.01 * calories);
}

describe('macros — reference values worked by hand (docs/SCIENCE.md 12.4)', () => {
  it('cutting, C 2427, 90 kg, 24.09 %', () => {
    // FFM = 90 × (100 − 24.09) / 100 = 68.319 kg; protein = 2.7 × 68.319 = 184.46 -> 184 g
    // fat = 0.25 × 2427 / 9 = 606.75 / 9 = 67.42 -> 67 g (floor 0.5 × 90 = 45 g, not binding)
    // carbs = (2427 − 4·184 − 9·67) / 4 = (2427 − 736 − 603) / 4 = 1088 / 4 = 272 g
    // kcal = 736 + 1088 + 603 = 2427 (exact)
    const m = macros({ goalType: 'cutting', calories: 2427, weightKg: 90, bodyFatPct: 24.09 });
    expect(m).toEqual({ proteinGrams: 184, carbsGrams: 272, fatGrams: 67 });
    expect(macroKcal(m)).toBe(2427);
  });

  it('bulking, C 2767, 70 kg, 10.23 %', () => {
    // FFM = 70 × 0.8977 = 62.839 kg; protein = 2.2 × 62.839 = 138.25 -> 138 g
    // fat = 0.27 × 2767 / 9 = 747.09 / 9 = 83.01 -> 83 g (floor 35 g)
    // carbs = (2767 − 552 − 747) / 4 = 1468 / 4 = 367 g; kcal = 552 + 1468 + 747 = 2767
    const m = macros({ goalType: 'bulking', calories: 2767, weightKg: 70, bodyFatPct: 10.23 });
    expect(m).toEqual({ proteinGrams: 138, carbsGrams: 367, fatGrams: 83 });
    expect(macroKcal(m)).toBe(2767);
  });

  it('the fat floor binds: cutting, C 1207, 80 kg, 40 % (the sedentary 60 y woman of docs/SCIENCE.md 12.2)', () => {
    // FFM = 80 × 0.6 = 48 kg; protein = 2.7 × 48 = 129.6 -> 130 g
    // fat = 0.25 × 1207 / 9 = 33.53 -> 34 g, below the floor 0.5 × 80 = 40 g -> 40 g
    // carbs = (1207 − 520 − 360) / 4 = 327 / 4 = 81.75 -> 82 g; kcal = 520 + 328 + 360 = 1208
    const m = macros({ goalType: 'cutting', calories: 1207, weightKg: 80, bodyFatPct: 40 });
    expect(m).toEqual({ proteinGrams: 130, carbsGrams: 82, fatGrams: 40 });
    expectValid(m, 1207);
  });

  it('carb shortfall taken from protein once fat is at its floor: cutting, C 1200, 120 kg, 45 %', () => {
    // FFM = 120 × 0.55 = 66 kg; protein = 2.7 × 66 = 178.2 -> 178 g
    // fat = 0.25 × 1200 / 9 = 33.3 -> 33 g < floor 60 g -> 60 g
    // carbs = (1200 − 712 − 540) / 4 = −13 g < 50: fat already at its floor,
    // so protein = floor((1200 − 540 − 4·50) / 4) = floor(460 / 4) = 115 g
    // carbs = (1200 − 460 − 540) / 4 = 200 / 4 = 50 g; kcal = 460 + 200 + 540 = 1200
    const m = macros({ goalType: 'cutting', calories: 1200, weightKg: 120, bodyFatPct: 45 });
    expect(m).toEqual({ proteinGrams: 115, carbsGrams: 50, fatGrams: 60 });
    expect(macroKcal(m)).toBe(1200);
  });

  it('carb shortfall taken from fat first: cutting, C 800, 40 kg, 3 %', () => {
    // (below the 1200 kcal plan minimum: the fat-first branch needs a very small target)
    // FFM = 40 × 0.97 = 38.8 kg; protein = 2.7 × 38.8 = 104.76 -> 105 g
    // fat = 0.25 × 800 / 9 = 22.2 -> 22 g (floor max(20, 0.5 × 40) = 20 g)
    // carbs = (800 − 420 − 198) / 4 = 45.5 < 50: fat = max(20, floor((800 − 420 − 200) / 9)) = max(20, 20) = 20 g
    // carbs = (800 − 420 − 180) / 4 = 50 g; protein untouched; kcal = 420 + 200 + 180 = 800
    const m = macros({ goalType: 'cutting', calories: 800, weightKg: 40, bodyFatPct: 3 });
    expect(m).toEqual({ proteinGrams: 105, carbsGrams: 50, fatGrams: 20 });
  });

  it('protein stays inside 50–400 g', () => {
    // 30 kg at 50 %: FFM 15 kg, 2.2 × 15 = 33 -> 50 g; fat 0.27 × 1500 / 9 = 45 g
    // carbs = (1500 − 200 − 405) / 4 = 223.75 -> 224 g; kcal 1501
    expect(macros({ goalType: 'bulking', calories: 1500, weightKg: 30, bodyFatPct: 50 })).toEqual({
      proteinGrams: 50,
      carbsGrams: 224,
      fatGrams: 45,
    });
    // 300 kg at 35 %: FFM 195 kg, 2.7 × 195 = 526.5 -> 400 g; fat 1250 / 9 = 138.9 -> 139 < floor 150 -> 150 g
    // carbs = (5000 − 1600 − 1350) / 4 = 512.5 -> 512 g (half to even); kcal 4998
    const heavy = macros({ goalType: 'cutting', calories: 5000, weightKg: 300, bodyFatPct: 35 });
    expect(heavy).toEqual({ proteinGrams: 400, carbsGrams: 512, fatGrams: 150 });
    expectValid(heavy, 5000);
  });

  it('uses fat-free mass, not body weight (2.4 g per kg of body weight would give 150 kg 360 g)', () => {
    const m = macros({ goalType: 'cutting', calories: 2500, weightKg: 150, bodyFatPct: 40 });
    expect(m.proteinGrams).toBe(243); // 2.7 × 90 = 243
    expectValid(m, 2500);
  });

  it('refuses what cannot fit with a 400', () => {
    // 700 kcal for 100 kg: the fat floor 50 g (450 kcal) and 50 g carbs (200 kcal) leave
    // (700 − 450 − 200) / 4 = 12 g protein, under the 50 g minimum -> impossible
    const error = domainError(() => macros({ goalType: 'cutting', calories: 700, weightKg: 100, bodyFatPct: 10 }));
    expect(error).toMatchObject({ kind: 'rejected', code: 'macros_cannot_fit' });
    expect(domainError(() => macros({ goalType: 'cutting', calories: Number.NaN, weightKg: 100, bodyFatPct: 10 })).kind).toBe('invalid');
    expect(domainError(() => macros({ goalType: 'cutting', calories: 2000, weightKg: 100, bodyFatPct: 100 })).kind).toBe('invalid');
  });

  it('always lands within 1 % of the target and inside the ranges over a grid of plans', () => {
    let checked = 0;
    for (const goalType of ['cutting', 'bulking'] as GoalType[]) {
      for (let calories = 1200; calories <= 5000; calories += 190) {
        for (let weightKg = 30; weightKg <= 300; weightKg += 15) {
          for (const bodyFatPct of [3, 8, 15, 25, 35, 50]) {
            let m: Macros;
            try {
              m = macros({ goalType, calories, weightKg, bodyFatPct });
            } catch (error) {
              expect(
                domainError(() => {
                  throw error;
                }).kind,
              ).toBe('rejected');
              continue;
            }
            expectValid(m, calories);
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });
});
