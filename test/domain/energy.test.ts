import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_FACTORS,
  CALORIE_BOUNDS,
  boundedRateCalorieTarget,
  CALORIE_FLOOR_KCAL,
  calorieTarget,
  mifflinStJeorBmr,
  totalDailyEnergyExpenditure,
} from '../../src/domain/index.ts';
import type { ActivityLevel, Sex } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

// Reference values: Mifflin–St Jeor (1990) and the activity factors worked for these profiles; the
// −400 / +250 kcal targets are the service's own fixed rule (docs/SCIENCE.md 3.2 and 12.2).
describe('BMR, TDEE and targets (docs/SCIENCE.md 12.2)', () => {
  it.each<[Sex, number, number, number, ActivityLevel, number, number, number, number]>([
    ['male', 90, 175, 35, 'moderately_active', 1824, 2827, 2427, 3077],
    ['female', 70, 165, 30, 'sedentary', 1420, 1704, 1304, 1954],
    ['male', 72, 178, 30, 'moderately_active', 1688, 2616, 2216, 2866],
    ['male', 70, 175, 35, 'moderately_active', 1624, 2517, 2117, 2767],
  ])('%s %d kg %d cm %d y %s', (sex, weightKg, heightCm, ageYears, activity, bmr, tdee, cut, bulk) => {
    expect(mifflinStJeorBmr({ sex, weightKg, heightCm, ageYears })).toBe(bmr);
    expect(totalDailyEnergyExpenditure(bmr, activity)).toBe(tdee);
    expect(calorieTarget('cutting', tdee, sex)).toBe(cut);
    expect(calorieTarget('bulking', tdee, sex)).toBe(bulk);
  });

  it('rounds BMR half to even (1823.75 -> 1824, 3217.5 -> 3218)', () => {
    expect(mifflinStJeorBmr({ sex: 'male', weightKg: 200, heightCm: 210, ageYears: 20 })).toBe(3218);
    expect(mifflinStJeorBmr({ sex: 'female', weightKg: 60.05, heightCm: 160, ageYears: 40 })).toBe(1240); // 600.5 + 1000 − 200 − 161 = 1239.5 -> 1240 (even)
  });

  it('uses the conventional activity factors', () => {
    expect(ACTIVITY_FACTORS).toEqual({
      sedentary: 1.2,
      lightly_active: 1.375,
      moderately_active: 1.55,
      very_active: 1.725,
      extremely_active: 1.9,
    });
    // An alias the HTTP edge did not map is refused, not a silent NaN.
    const unknown = domainError(() => totalDailyEnergyExpenditure(1800, 'extra_active' as ActivityLevel));
    expect(unknown).toMatchObject({ code: 'unknown_activity_level', field: 'activity_level' });
  });
});

describe('calorieTarget bounds (docs/DESIGN.md, "Calorie bounds")', () => {
  it('never cuts below the sex floor', () => {
    expect(CALORIE_FLOOR_KCAL).toEqual({ male: 1500, female: 1200 });
    expect(calorieTarget('cutting', 1800, 'male')).toBe(1500);
    expect(calorieTarget('cutting', 1500, 'female')).toBe(1200);
  });

  it('caps at 5000 kcal: a large, very active man can still cut (the deficit only grows)', () => {
    expect(calorieTarget('cutting', 6114, 'male')).toBe(CALORIE_BOUNDS.max);
  });

  it('refuses a bulk that the 5000 kcal cap leaves without a surplus, with a reason', () => {
    const error = domainError(() => calorieTarget('bulking', 6114, 'male'));
    expect(error).toMatchObject({ kind: 'rejected', code: 'no_calorie_surplus_possible' });
    expect(error.message).toContain('6114');
    expect(error.message).toContain('5000');
    expect(calorieTarget('bulking', 4749, 'male')).toBe(4999);
    expect(calorieTarget('bulking', 4800, 'male')).toBe(5000);
    expect(domainError(() => calorieTarget('bulking', 5000, 'male')).code).toBe('no_calorie_surplus_possible');
  });

  it('refuses a cut when the floor leaves no deficit', () => {
    const man = domainError(() => calorieTarget('cutting', 1500, 'male'));
    expect(man).toMatchObject({ kind: 'rejected', code: 'no_calorie_deficit_possible' });
    expect(man.message).toContain('1500');
    expect(domainError(() => calorieTarget('cutting', 1100, 'female')).code).toBe('no_calorie_deficit_possible');
    expect(calorieTarget('cutting', 1201, 'female')).toBe(1200); // a 1 kcal deficit still is one
  });

  it('lifts tiny bulking targets to the sex floor: a bulk never eats less than a cut may', () => {
    expect(calorieTarget('bulking', 347, 'female')).toBe(1200);
    expect(calorieTarget('bulking', 1100, 'male')).toBe(1500);
    expect(boundedRateCalorieTarget({ goalType: 'bulking', tdeeKcal: 1289, weightKg: 50, fatMassKg: 7.5, weeklyRatePercent: 0.25, sex: 'male' })).toBe(1500);
    expect(boundedRateCalorieTarget({ goalType: 'bulking', tdeeKcal: 1289, weightKg: 50, fatMassKg: 7.5, weeklyRatePercent: 0.25, sex: 'female' })).toBeLessThan(1500);
  });

  it('applies an adjustment inside the same bounds', () => {
    expect(calorieTarget('cutting', 2827, 'male', -100)).toBe(2327);
    expect(calorieTarget('cutting', 2827, 'male', 100)).toBe(2527);
    expect(calorieTarget('bulking', 2517, 'male', 100)).toBe(2867);
    expect(calorieTarget('cutting', 1950, 'male', -100)).toBe(1500);
  });
});
