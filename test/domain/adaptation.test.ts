import { describe, expect, it } from 'vitest';
import { ADAPTATION_STEP_KCAL, adaptationRate, adaptedCalorieTarget, calorieAdjustment } from '../../src/domain/index.ts';
import type { GoalFacts, GoalType, Profile } from '../../src/domain/index.ts';
import { day } from './helpers.ts';

const goal = (goalType: GoalType): GoalFacts => ({
  goalType,
  targetBodyFatPct: goalType === 'cutting' ? 15 : null,
  ceilingBodyFatPct: goalType === 'bulking' ? 18 : null,
  initial: { measuredAt: day(0), bodyFatPct: 24.09, weightKg: 90 },
  estimatedWeeksToGoal: 52,
});
const QUICKSTART: Profile = { sex: 'male', heightCm: 175, ageYears: 35, activityLevel: 'moderately_active' };

describe('calorieAdjustment: one modest step when clearly off the expected rate', () => {
  it('cutting: too slow or gaining -> 100 kcal more deficit; over 1 point/week -> 100 less', () => {
    expect(ADAPTATION_STEP_KCAL).toBe(100);
    expect(calorieAdjustment('cutting', -0.05)).toBe(-100);
    expect(calorieAdjustment('cutting', 0.3)).toBe(-100);
    expect(calorieAdjustment('cutting', -0.09)).toBe(0);
    expect(calorieAdjustment('cutting', -0.6)).toBe(0);
    expect(calorieAdjustment('cutting', -1.2)).toBe(100);
    expect(calorieAdjustment('cutting', null)).toBe(0);
  });

  it('bulking: too slow -> 100 kcal more surplus; over 0.5 points/week -> 100 less', () => {
    expect(calorieAdjustment('bulking', 0.01)).toBe(100);
    expect(calorieAdjustment('bulking', -0.2)).toBe(100);
    expect(calorieAdjustment('bulking', 0.2)).toBe(0);
    expect(calorieAdjustment('bulking', 0.7)).toBe(-100);
  });
});

describe('adaptationRate', () => {
  it('waits for two weeks of data, then gives the least-squares slope', () => {
    const initial = { measuredAt: day(0), bodyFatPct: 24, weightKg: 90 };
    expect(adaptationRate([initial])).toBeNull();
    expect(adaptationRate([initial, { measuredAt: day(13), bodyFatPct: 23, weightKg: 89 }])).toBeNull();
    expect(adaptationRate([initial, { measuredAt: day(14), bodyFatPct: 23.4, weightKg: 89 }])).toBeCloseTo(-0.3, 10);
  });
});

describe('adaptedCalorieTarget (plans follow progress: docs/DESIGN.md, "When the plan is recomputed")', () => {
  it('recomputes TDEE from the latest weight', () => {
    // 88 kg: BMR 880 + 1093.75 − 175 + 5 = 1803.75 -> 1804; TDEE 1804 × 1.55 = 2796.2 -> 2796
    const base = { profile: QUICKSTART, goal: goal('cutting'), latestWeightKg: 88 };
    expect(adaptedCalorieTarget({ ...base, observedRatePerWeek: null })).toBe(2396);
    expect(adaptedCalorieTarget({ ...base, observedRatePerWeek: -0.3 })).toBe(2396);
    expect(adaptedCalorieTarget({ ...base, observedRatePerWeek: -0.02 })).toBe(2296);
    expect(adaptedCalorieTarget({ ...base, observedRatePerWeek: -1.5 })).toBe(2496);
  });

  it('adapts a bulk the other way', () => {
    // 71 kg: BMR 710 + 1093.75 − 175 + 5 = 1633.75 -> 1634; TDEE 2532.7 -> 2533
    const base = { profile: QUICKSTART, goal: goal('bulking'), latestWeightKg: 71 };
    expect(adaptedCalorieTarget({ ...base, observedRatePerWeek: 0.2 })).toBe(2783);
    expect(adaptedCalorieTarget({ ...base, observedRatePerWeek: 0 })).toBe(2883);
    expect(adaptedCalorieTarget({ ...base, observedRatePerWeek: 0.9 })).toBe(2683);
  });

  it('never goes below the floor to catch up', () => {
    // 75 kg sedentary 60 y woman: BMR 1289, TDEE 1547; standard cut 1147 -> floor 1200; too slow stays 1200
    const profile: Profile = { sex: 'female', heightCm: 160, ageYears: 60, activityLevel: 'sedentary' };
    expect(adaptedCalorieTarget({ profile, goal: goal('cutting'), latestWeightKg: 75, observedRatePerWeek: 0 })).toBe(1200);
  });

  it('keeps a storable target instead of failing when the body no longer fits the goal', () => {
    // 45 kg, 150 cm, 70 y sedentary woman: TDEE 1051 < 1200, so no deficit exists: keep the floor
    const small: Profile = { sex: 'female', heightCm: 150, ageYears: 70, activityLevel: 'sedentary' };
    expect(adaptedCalorieTarget({ profile: small, goal: goal('cutting'), latestWeightKg: 45, observedRatePerWeek: 0 })).toBe(1200);
    // 200 kg, 210 cm extremely active man bulking: TDEE above 5000, keep the 5000 cap
    const big: Profile = { sex: 'male', heightCm: 210, ageYears: 20, activityLevel: 'extremely_active' };
    expect(adaptedCalorieTarget({ profile: big, goal: goal('bulking'), latestWeightKg: 200, observedRatePerWeek: 0.9 })).toBe(5000);
  });

  it('keeps the male floor even above maintenance, adjusted or not', () => {
    // 60 kg, 150 cm, 80 y sedentary man: BMR 600 + 937.5 − 400 + 5 = 1142.5 -> 1142; TDEE 1370
    const profile: Profile = { sex: 'male', heightCm: 150, ageYears: 80, activityLevel: 'sedentary' };
    for (const rate of [null, 0, -0.3, -1.5]) {
      expect(adaptedCalorieTarget({ profile, goal: goal('cutting'), latestWeightKg: 60, observedRatePerWeek: rate })).toBe(1500);
    }
  });
});
