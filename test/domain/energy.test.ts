import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_FACTORS,
  CALORIE_BOUNDS,
  boundedRateCalorieTarget,
  CALORIE_FLOOR_KCAL,
  mifflinStJeorBmr,
  rateCalorieTarget,
  type RateTargetInput,
  totalDailyEnergyExpenditure,
} from '../../src/domain/index.ts';
import type { ActivityLevel, Sex } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

// Reference values: Mifflin–St Jeor (1990) and the activity factors worked for these profiles.
describe('BMR and TDEE (docs/SCIENCE.md 12.2)', () => {
  it.each<[Sex, number, number, number, ActivityLevel, number, number]>([
    ['male', 90, 175, 35, 'moderately_active', 1824, 2827],
    ['female', 70, 165, 30, 'sedentary', 1420, 1704],
    ['male', 72, 178, 30, 'moderately_active', 1688, 2616],
    ['male', 70, 175, 35, 'moderately_active', 1624, 2517],
    ['female', 80, 160, 60, 'sedentary', 1339, 1607],
  ])('%s %d kg %d cm %d y %s', (sex, weightKg, heightCm, ageYears, activity, bmr, tdee) => {
    expect(mifflinStJeorBmr({ sex, weightKg, heightCm, ageYears })).toBe(bmr);
    expect(totalDailyEnergyExpenditure(bmr, activity)).toBe(tdee);
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

/** A target of the rate rule (docs/SCIENCE.md 3.3): 0.5 % of 85 kg a week at 17 kg of fat is 397.5 kcal a day. */
const cut = (over: Partial<RateTargetInput> = {}): RateTargetInput => ({
  goalType: 'cutting',
  tdeeKcal: 2600,
  weightKg: 85,
  fatMassKg: 17,
  weeklyRatePercent: 0.5,
  sex: 'male',
  ...over,
});
/** 0.25 % of 70 kg a week at 8.4 kg of fat is 130.6 kcal a day. */
const bulk = (over: Partial<RateTargetInput> = {}): RateTargetInput => ({
  goalType: 'bulking',
  tdeeKcal: 2600,
  weightKg: 70,
  fatMassKg: 8.4,
  weeklyRatePercent: 0.25,
  sex: 'male',
  ...over,
});

describe('calorie bounds of every target (docs/DESIGN.md, "Calorie bounds")', () => {
  it('never cuts below the sex floor', () => {
    expect(CALORIE_FLOOR_KCAL).toEqual({ male: 1500, female: 1200 });
    expect(rateCalorieTarget(cut({ tdeeKcal: 1800 }))).toBe(1500);
    expect(rateCalorieTarget(cut({ tdeeKcal: 1500, sex: 'female' }))).toBe(1200);
  });

  it('caps at 5000 kcal: a large, very active man can still cut (the deficit only grows)', () => {
    expect(rateCalorieTarget(cut({ tdeeKcal: 6114 }))).toBe(CALORIE_BOUNDS.max);
  });

  it('refuses a bulk that the 5000 kcal cap leaves without a surplus, with a reason', () => {
    const error = domainError(() => rateCalorieTarget(bulk({ tdeeKcal: 6114 })));
    expect(error).toMatchObject({ kind: 'rejected', code: 'no_calorie_surplus_possible' });
    expect(error.message).toContain('6114');
    expect(error.message).toContain('5000');
    expect(rateCalorieTarget(bulk({ tdeeKcal: 4800 }))).toBe(4931); // 4,930.6
    expect(rateCalorieTarget(bulk({ tdeeKcal: 4900 }))).toBe(5000); // capped, still a surplus
    expect(domainError(() => rateCalorieTarget(bulk({ tdeeKcal: 5000 }))).code).toBe('no_calorie_surplus_possible');
  });

  it('refuses a cut when the floor leaves no deficit', () => {
    const man = domainError(() => rateCalorieTarget(cut({ tdeeKcal: 1500 })));
    expect(man).toMatchObject({ kind: 'rejected', code: 'no_calorie_deficit_possible' });
    expect(man.message).toContain('1500');
    expect(domainError(() => rateCalorieTarget(cut({ tdeeKcal: 1100, sex: 'female' }))).code).toBe('no_calorie_deficit_possible');
    expect(rateCalorieTarget(cut({ tdeeKcal: 1201, sex: 'female' }))).toBe(1200); // a 1 kcal deficit still is one
  });

  it('lifts tiny bulking targets to the sex floor: a bulk never eats less than a cut may', () => {
    expect(rateCalorieTarget(bulk({ tdeeKcal: 347, sex: 'female' }))).toBe(1200);
    expect(rateCalorieTarget(bulk({ tdeeKcal: 1100 }))).toBe(1500);
    expect(
      boundedRateCalorieTarget({ goalType: 'bulking', tdeeKcal: 1289, weightKg: 50, fatMassKg: 7.5, weeklyRatePercent: 0.25, sex: 'male' }),
    ).toBe(1500);
    expect(
      boundedRateCalorieTarget({
        goalType: 'bulking',
        tdeeKcal: 1289,
        weightKg: 50,
        fatMassKg: 7.5,
        weeklyRatePercent: 0.25,
        sex: 'female',
      }),
    ).toBeLessThan(1500);
  });
});
