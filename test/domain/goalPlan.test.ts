import { describe, expect, it } from 'vitest';
import {
  ADAPTATION_STEP_KCAL, checkInCalorieTarget, daysAheadOfProjection, energyDensityKcalPerKg, type ExpenditureBasis, planGoalWithRate,
  estimatedWeeksToGoal, type Profile, projectGoal, STORED_PROJECTION_MAX_WEEKS,
} from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

const MAN: Profile = { sex: 'male', heightCm: 180, ageYears: 35, activityLevel: 'moderately_active' };
const ADAPTIVE: ExpenditureBasis = { tdeeKcal: 2600, sdKcal: 80, method: 'adaptive' };
const cut = (over: Partial<Parameters<typeof planGoalWithRate>[0]> = {}) => planGoalWithRate({
  profile: MAN, goalType: 'cutting', weightKg: 85, bodyFatPct: 20, targetBodyFatPct: 15, expenditure: ADAPTIVE, ...over,
});

describe('planGoalWithRate: a goal from the expenditure and a weekly rate', () => {
  it('plans 0.5 % of 85 kg a week at 17 kg of fat: ~400 kcal/day under 2,600', () => {
    // 0.425 kg/week × ρ(17 kg fat) / 7; ρ = 0.620 × 9,441 + 0.380 × 1,816 ≈ 6,547 kcal/kg (Forbes 1987, Hall 2008).
    const deficit = (0.005 * 85 * energyDensityKcalPerKg(17)) / 7;
    expect(deficit).toBeCloseTo(397.5, 0);
    const plan = cut();
    expect(plan.weeklyRatePercent).toBe(0.5);
    expect(plan.targetCalories).toBe(Math.round(2600 - deficit));
    expect(plan.dietPlan.dailyCalorieTarget).toBe(plan.targetCalories);
    expect(plan.estimatedWeeksToGoal).toBe(projectGoal({
      goalType: 'cutting', profile: MAN, weightKg: 85, bodyFatPct: 20, goalBodyFatPct: 15, tdeeKcal: 2600, plan: { weeklyRatePercent: 0.5 },
    }).weeks);
  });

  it('names the fastest rate that fits when the macros do not fit at the chosen one', () => {
    // A heavy woman's cut at 0.75 % sits near the 1,200 kcal floor, where protein for 110 kg of
    // fat-free mass leaves no room; slower cuts eat more.
    const woman: Profile = { sex: 'female', heightCm: 170, ageYears: 60, activityLevel: 'sedentary' };
    const heavy = (weeklyRatePercent: number) => planGoalWithRate({
      profile: woman, goalType: 'cutting', weightKg: 200, bodyFatPct: 45, targetBodyFatPct: 35, weeklyRatePercent,
      expenditure: { tdeeKcal: 3122, sdKcal: 312, method: 'equation' },
    });
    for (const rate of [0.75, 1]) {
      const refused = domainError(() => heavy(rate));
      expect(refused).toMatchObject({ code: 'macros_cannot_fit', kind: 'rejected' });
      expect(refused.message).toMatch(/A slower cut fits: a weekly rate of 0\.7 % or less\.$/);
    }
    expect(heavy(0.7).dietPlan.proteinGrams).toBeGreaterThanOrEqual(50);
    // At the slowest rate there is nothing slower to name.
    const floor = domainError(() => planGoalWithRate({
      profile: woman, goalType: 'cutting', weightKg: 300, bodyFatPct: 45, targetBodyFatPct: 35, weeklyRatePercent: 0.25,
      expenditure: { tdeeKcal: 1300, sdKcal: 130, method: 'equation' },
    }));
    expect(floor.code).toBe('macros_cannot_fit');
    expect(floor.message).not.toContain('slower');
  });

  it('keeps the band around the central curve and orders the scenarios\' weeks', () => {
    const { projection } = cut();
    expect(projection.points).toHaveLength((projection.weeksToGoal as number) + 1);
    expect(projection.weeksToGoalFastest).toBeLessThan(projection.weeksToGoal as number);
    expect(projection.weeksToGoalSlowest).toBeGreaterThan(projection.weeksToGoal as number);
    for (const p of projection.points) {
      expect(p.bodyFatLowPct).toBeLessThanOrEqual(p.bodyFatPct);
      expect(p.bodyFatHighPct).toBeGreaterThanOrEqual(p.bodyFatPct);
    }
    // The fast edge reaches the target first and holds it there.
    expect(projection.points.at(-1)!.bodyFatLowPct).toBeLessThanOrEqual(15);
  });

  it('keeps at most two years of points when the goal is far', () => {
    const far = planGoalWithRate({
      profile: MAN, goalType: 'bulking', weightKg: 70, bodyFatPct: 10, ceilingBodyFatPct: 25, weeklyRatePercent: 0.1, expenditure: ADAPTIVE,
    });
    expect(far.projection.points.length).toBeLessThanOrEqual(STORED_PROJECTION_MAX_WEEKS + 1);
  });

  it('falls back to the fixed-rate weeks when the plan stalls at the floor before the target', () => {
    // A short, older, sedentary man: his expenditure falls towards the men's 1,500 kcal floor as
    // he loses weight, so the deficit shrinks to nothing near 13 % and 11.73 % is never reached.
    const OLDER: Profile = { sex: 'male', heightCm: 165, ageYears: 60, activityLevel: 'sedentary' };
    const stalled = planGoalWithRate({
      profile: OLDER, goalType: 'cutting', weightKg: 93.33, bodyFatPct: 35.12, targetBodyFatPct: 11.73,
      expenditure: { tdeeKcal: 2004, sdKcal: 200, method: 'equation' },
    });
    expect(stalled.projection.weeksToGoal).toBeNull();
    expect(stalled.projection.points.at(-1)!.intakeKcal).toBe(1500);
    // (35.12 − 11.73) points at 0.75 a month (docs/SCIENCE.md 5): 135 weeks, a whole number ≥ 1 as the API promises.
    expect(stalled.estimatedWeeksToGoal).toBe(estimatedWeeksToGoal('cutting', 35.12, 11.73));
    expect(stalled.estimatedWeeksToGoal).toBe(135);
  });

  it('refuses an out-of-range rate (422) and an unsafe target (400) like the rules before it', () => {
    expect(domainError(() => cut({ weeklyRatePercent: 1.2 }))).toMatchObject({ code: 'weekly_rate_out_of_range', kind: 'invalid', field: 'weekly_rate_percent' });
    expect(domainError(() => cut({ targetBodyFatPct: 6 })).code).toBe('target_below_safe_minimum');
  });
});

describe('checkInCalorieTarget: no catch-up', () => {
  const base = { profile: MAN, goalType: 'cutting' as const, weightKg: 84, bodyFatPct: 19.5, weeklyRatePercent: 0.5 };

  it('ignores how the last weeks went when the estimate comes from logged data', () => {
    const slow = checkInCalorieTarget({ ...base, expenditure: ADAPTIVE, observedRatePerWeek: 0 });
    const onPlan = checkInCalorieTarget({ ...base, expenditure: ADAPTIVE, observedRatePerWeek: -0.2 });
    expect(slow).toBe(onPlan);
  });

  it('keeps the fixed rule\'s single 100 kcal step only in the equation fallback (docs/SCIENCE.md 3.2)', () => {
    const equation: ExpenditureBasis = { tdeeKcal: 2600, sdKcal: 260, method: 'equation' };
    const planned = checkInCalorieTarget({ ...base, expenditure: equation, observedRatePerWeek: null });
    expect(checkInCalorieTarget({ ...base, expenditure: equation, observedRatePerWeek: 0 })).toBe(planned - ADAPTATION_STEP_KCAL);
  });

  it('stays at the floor instead of refusing', () => {
    const low: ExpenditureBasis = { tdeeKcal: 1500, sdKcal: 80, method: 'adaptive' };
    expect(checkInCalorieTarget({ ...base, expenditure: low, observedRatePerWeek: null })).toBe(1500);
  });
});

describe('daysAheadOfProjection', () => {
  const { curve } = projectGoal({
    goalType: 'cutting', profile: MAN, weightKg: 85, bodyFatPct: 20, goalBodyFatPct: 15, tdeeKcal: 2600, plan: { weeklyRatePercent: 0.5 },
  });

  it('is 0 at the start and −elapsed for no change at all', () => {
    expect(daysAheadOfProjection({ goalType: 'cutting', curve, elapsedDays: 0, observed: 20, basis: 'body_fat' })).toBe(0);
    expect(daysAheadOfProjection({ goalType: 'cutting', curve, elapsedDays: 28, observed: 20, basis: 'body_fat' })).toBe(-28);
  });

  it('is positive when the observation is further along, null past the end', () => {
    const ahead = daysAheadOfProjection({ goalType: 'cutting', curve, elapsedDays: 7, observed: 19, basis: 'body_fat' });
    expect(ahead).toBeGreaterThan(0);
    expect(daysAheadOfProjection({ goalType: 'cutting', curve, elapsedDays: 7, observed: 10, basis: 'body_fat' })).toBeNull();
  });
});
