import { describe, expect, it } from 'vitest';
import { DomainError, macroKcal, planGoal } from '../../src/domain/index.ts';
import type { ActivityLevel, GoalPlan, GoalType, Profile, Sex } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

const QUICKSTART: Profile = { sex: 'male', heightCm: 175, ageYears: 35, activityLevel: 'moderately_active' };

/** Every number a goal stores must fit its database column (the checks in src/db/schema.ts; docs/DESIGN.md, "Calorie bounds"). */
function expectStorable(plan: GoalPlan): void {
  expect(Number.isInteger(plan.targetCalories)).toBe(true);
  expect(plan.targetCalories).toBeGreaterThanOrEqual(1200);
  expect(plan.targetCalories).toBeLessThanOrEqual(5000);
  expect(Number.isInteger(plan.estimatedWeeksToGoal)).toBe(true);
  expect(plan.estimatedWeeksToGoal).toBeGreaterThanOrEqual(1);
  const d = plan.dietPlan;
  expect(d.dailyCalorieTarget).toBe(plan.targetCalories);
  expect(d.proteinGrams).toBeGreaterThanOrEqual(50);
  expect(d.proteinGrams).toBeLessThanOrEqual(400);
  expect(d.carbsGrams).toBeGreaterThanOrEqual(50);
  expect(d.carbsGrams).toBeLessThanOrEqual(800);
  expect(d.fatGrams).toBeGreaterThanOrEqual(20);
  expect(d.fatGrams).toBeLessThanOrEqual(200);
  expect(Math.abs(macroKcal(d) - d.dailyCalorieTarget)).toBeLessThanOrEqual(0.01 * d.dailyCalorieTarget);
  expect(plan.trainingPlan.workoutFrequency).toBeGreaterThanOrEqual(1);
}

describe('planGoal', () => {
  it('the reference cut of docs/SCIENCE.md 12.2–12.4: 90 kg at 24.09 % to 15 % -> 2427 kcal, 52 weeks', () => {
    const plan = planGoal({ profile: QUICKSTART, goalType: 'cutting', weightKg: 90, bodyFatPct: 24.09, targetBodyFatPct: 15 });
    expect(plan.targetCalories).toBe(2427);
    expect(plan.estimatedWeeksToGoal).toBe(52);
    expect(plan.trainingPlan.workoutFrequency).toBe(3);
    expect(plan.dietPlan).toMatchObject({ proteinGrams: 184, carbsGrams: 272, fatGrams: 67 });
    expectStorable(plan);
  });

  it('the reference bulk of docs/SCIENCE.md 12.2–12.4: 70 kg at 10.23 % to 18 % -> 2767 kcal, 168 weeks', () => {
    const plan = planGoal({ profile: QUICKSTART, goalType: 'bulking', weightKg: 70, bodyFatPct: 10.23, ceilingBodyFatPct: 18 });
    expect(plan.targetCalories).toBe(2767);
    expect(plan.estimatedWeeksToGoal).toBe(168);
    expect(plan.dietPlan).toMatchObject({ proteinGrams: 138, carbsGrams: 367, fatGrams: 83 });
    expectStorable(plan);
  });

  it('checks the goal rules first', () => {
    const error = domainError(() => planGoal({ profile: QUICKSTART, goalType: 'bulking', weightKg: 70, bodyFatPct: 10.23, ceilingBodyFatPct: 31 }));
    expect(error.code).toBe('ceiling_above_maximum');
  });
});

describe('edge cases: a valid plan or a 400, never NaN or out of range (docs/DESIGN.md, "Calorie bounds")', () => {
  it('200 kg, 210 cm, 20 y, extremely active man: cut capped at 5000 kcal; bulk refused', () => {
    const profile: Profile = { sex: 'male', heightCm: 210, ageYears: 20, activityLevel: 'extremely_active' };
    const cut = planGoal({ profile, goalType: 'cutting', weightKg: 200, bodyFatPct: 30, targetBodyFatPct: 20 });
    expect(cut.targetCalories).toBe(5000);
    expect(cut.dietPlan.proteinGrams).toBe(378); // 2.7 × 140 kg fat-free mass
    expectStorable(cut);
    const bulk = domainError(() => planGoal({ profile, goalType: 'bulking', weightKg: 200, bodyFatPct: 20, ceilingBodyFatPct: 25 }));
    expect(bulk).toMatchObject({ kind: 'rejected', code: 'no_calorie_surplus_possible' });
  });

  it('sedentary 60 y, 160 cm, 80 kg woman: the old 43 g carbs is now a valid plan', () => {
    const profile: Profile = { sex: 'female', heightCm: 160, ageYears: 60, activityLevel: 'sedentary' };
    const plan = planGoal({ profile, goalType: 'cutting', weightKg: 80, bodyFatPct: 40, targetBodyFatPct: 30 });
    expect(plan.targetCalories).toBe(1207); // BMR 1339, TDEE 1607
    expectStorable(plan);
    // even at an implausibly lean 20 % her carbs stay ≥ 50 g
    expectStorable(planGoal({ profile, goalType: 'cutting', weightKg: 80, bodyFatPct: 20, targetBodyFatPct: 16 }));
  });

  it('tiny gaps still give one week', () => {
    expect(planGoal({ profile: QUICKSTART, goalType: 'cutting', weightKg: 80, bodyFatPct: 15.05, targetBodyFatPct: 15 }).estimatedWeeksToGoal).toBe(1);
    expect(planGoal({ profile: QUICKSTART, goalType: 'bulking', weightKg: 80, bodyFatPct: 17.99, ceilingBodyFatPct: 18 }).estimatedWeeksToGoal).toBe(1);
  });

  it('heavy people get lean-mass protein inside 400 g (old code: 300 kg -> 720 g)', () => {
    const profile: Profile = { sex: 'male', heightCm: 190, ageYears: 40, activityLevel: 'sedentary' };
    const plan = planGoal({ profile, goalType: 'cutting', weightKg: 300, bodyFatPct: 45, targetBodyFatPct: 30 });
    expect(plan.dietPlan.proteinGrams).toBe(400);
    expectStorable(plan);
  });

  it('the smallest, oldest, least active woman cannot cut (no deficit above 1200 kcal) but can bulk', () => {
    const profile: Profile = { sex: 'female', heightCm: 120, ageYears: 120, activityLevel: 'sedentary' };
    const cut = domainError(() => planGoal({ profile, goalType: 'cutting', weightKg: 30, bodyFatPct: 25, targetBodyFatPct: 20 }));
    expect(cut).toMatchObject({ kind: 'rejected', code: 'no_calorie_deficit_possible' });
    const bulk = planGoal({ profile, goalType: 'bulking', weightKg: 30, bodyFatPct: 25, ceilingBodyFatPct: 28 });
    expect(bulk.targetCalories).toBe(1200);
    expectStorable(bulk);
  });

  it('a sweep of profiles inside the schema ranges never yields an unstorable plan', () => {
    const outcomes = { planned: 0, refused: 0 };
    const sexes: Sex[] = ['male', 'female'];
    const levels: ActivityLevel[] = ['sedentary', 'moderately_active', 'extremely_active'];
    for (const sex of sexes) {
      for (const activityLevel of levels) {
        for (const heightCm of [120, 165, 210, 250]) {
          for (const ageYears of [13, 40, 120]) {
            for (const weightKg of [30, 75, 150, 300]) {
              for (const bodyFatPct of [sex === 'male' ? 5 : 8, 20, 35, 50]) {
                for (const goalType of ['cutting', 'bulking'] as GoalType[]) {
                  const aim = goalType === 'cutting' ? { targetBodyFatPct: sex === 'male' ? 8 : 15 } : { ceilingBodyFatPct: 30 };
                  try {
                    expectStorable(planGoal({ profile: { sex, heightCm, ageYears, activityLevel }, goalType, weightKg, bodyFatPct, ...aim }));
                    outcomes.planned += 1;
                  } catch (error) {
                    if (!(error instanceof DomainError)) throw error;
                    expect(error.kind).toBe('rejected');
                    outcomes.refused += 1;
                  }
                }
              }
            }
          }
        }
      }
    }
    expect(outcomes.planned).toBeGreaterThan(500);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});
