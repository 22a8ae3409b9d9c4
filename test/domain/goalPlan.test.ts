import { describe, expect, it } from 'vitest';
import {
  ADAPTATION_STEP_KCAL,
  type ActivityLevel,
  checkInCalorieTarget,
  daysAheadOfProjection,
  DomainError,
  energyDensityKcalPerKg,
  equationExpenditure,
  type ExpenditureBasis,
  type GoalType,
  macroKcal,
  planGoalWithRate,
  estimatedWeeksToGoal,
  type Profile,
  projectGoal,
  type RateGoalPlan,
  type Sex,
  STORED_PROJECTION_MAX_WEEKS,
} from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

const MAN: Profile = { sex: 'male', heightCm: 180, ageYears: 35, activityLevel: 'moderately_active' };
/** The man of docs/SCIENCE.md 2 and 12.2 (at 90 kg: BMR 1,824, TDEE 2,827). */
const QUICKSTART: Profile = { sex: 'male', heightCm: 175, ageYears: 35, activityLevel: 'moderately_active' };
const ADAPTIVE: ExpenditureBasis = { tdeeKcal: 2600, sdKcal: 80, method: 'adaptive' };
const cut = (over: Partial<Parameters<typeof planGoalWithRate>[0]> = {}) =>
  planGoalWithRate({
    profile: MAN,
    goalType: 'cutting',
    weightKg: 85,
    bodyFatPct: 20,
    targetBodyFatPct: 15,
    expenditure: ADAPTIVE,
    ...over,
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
    expect(plan.estimatedWeeksToGoal).toBe(
      projectGoal({
        goalType: 'cutting',
        profile: MAN,
        weightKg: 85,
        bodyFatPct: 20,
        goalBodyFatPct: 15,
        tdeeKcal: 2600,
        plan: { weeklyRatePercent: 0.5 },
      }).weeks,
    );
  });

  it('names the fastest rate that fits when the macros do not fit at the chosen one', () => {
    // A heavy woman's cut at 0.75 % sits near the 1,200 kcal floor, where protein for 110 kg of
    // fat-free mass leaves no room; slower cuts eat more.
    const woman: Profile = { sex: 'female', heightCm: 170, ageYears: 60, activityLevel: 'sedentary' };
    const heavy = (weeklyRatePercent: number) =>
      planGoalWithRate({
        profile: woman,
        goalType: 'cutting',
        weightKg: 200,
        bodyFatPct: 45,
        targetBodyFatPct: 35,
        weeklyRatePercent,
        expenditure: { tdeeKcal: 3122, sdKcal: 312, method: 'equation' },
      });
    for (const rate of [0.75, 1]) {
      const refused = domainError(() => heavy(rate));
      expect(refused).toMatchObject({ code: 'macros_cannot_fit', kind: 'rejected' });
      expect(refused.message).toMatch(/A slower cut fits: a weekly rate of 0\.7 % or less\.$/);
    }
    expect(heavy(0.7).dietPlan.proteinGrams).toBeGreaterThanOrEqual(50);
    // At the slowest rate there is nothing slower to name.
    const floor = domainError(() =>
      planGoalWithRate({
        profile: woman,
        goalType: 'cutting',
        weightKg: 300,
        bodyFatPct: 45,
        targetBodyFatPct: 35,
        weeklyRatePercent: 0.25,
        expenditure: { tdeeKcal: 1300, sdKcal: 130, method: 'equation' },
      }),
    );
    expect(floor.code).toBe('macros_cannot_fit');
    expect(floor.message).not.toContain('slower');
  });

  it("keeps the band around the central curve and orders the scenarios' weeks", () => {
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
      profile: MAN,
      goalType: 'bulking',
      weightKg: 70,
      bodyFatPct: 10,
      ceilingBodyFatPct: 25,
      weeklyRatePercent: 0.1,
      expenditure: ADAPTIVE,
    });
    expect(far.projection.points.length).toBeLessThanOrEqual(STORED_PROJECTION_MAX_WEEKS + 1);
  });

  it('falls back to the fixed-rate weeks when the plan stalls at the floor before the target', () => {
    // A short, older, sedentary man: his expenditure falls towards the men's 1,500 kcal floor as
    // he loses weight, so the deficit shrinks to nothing near 13 % and 11.73 % is never reached.
    const OLDER: Profile = { sex: 'male', heightCm: 165, ageYears: 60, activityLevel: 'sedentary' };
    const stalled = planGoalWithRate({
      profile: OLDER,
      goalType: 'cutting',
      weightKg: 93.33,
      bodyFatPct: 35.12,
      targetBodyFatPct: 11.73,
      expenditure: { tdeeKcal: 2004, sdKcal: 200, method: 'equation' },
    });
    expect(stalled.projection.weeksToGoal).toBeNull();
    expect(stalled.projection.points.at(-1)!.intakeKcal).toBe(1500);
    // (35.12 − 11.73) points at 0.75 a month (docs/SCIENCE.md 5): 135 weeks, a whole number ≥ 1 as the API promises.
    expect(stalled.estimatedWeeksToGoal).toBe(estimatedWeeksToGoal('cutting', 35.12, 11.73));
    expect(stalled.estimatedWeeksToGoal).toBe(135);
  });

  it('refuses an out-of-range rate (422) and an unsafe target (400) like the rules before it', () => {
    expect(domainError(() => cut({ weeklyRatePercent: 1.2 }))).toMatchObject({
      code: 'weekly_rate_out_of_range',
      kind: 'invalid',
      field: 'weekly_rate_percent',
    });
    expect(domainError(() => cut({ targetBodyFatPct: 6 })).code).toBe('target_below_safe_minimum');
  });
});

/** A goal as the service plans it when nothing is logged: the equation's expenditure at the initial weight. */
const planOnEquation = (p: Omit<Parameters<typeof planGoalWithRate>[0], 'expenditure'>) =>
  planGoalWithRate({ ...p, expenditure: equationExpenditure(p.profile, p.weightKg) });

/** Every number a goal stores must fit its database column (the checks in src/db/schema.ts; docs/DESIGN.md, "Calorie bounds"). */
function expectStorable(plan: RateGoalPlan): void {
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

describe('equationExpenditure: what a plan burns while nothing is logged', () => {
  it('is Mifflin–St Jeor × activity (docs/SCIENCE.md 12.2) with a 10 % standard deviation', () => {
    const basis = equationExpenditure(QUICKSTART, 90);
    expect(basis).toMatchObject({ tdeeKcal: 2827, method: 'equation' });
    expect(basis.sdKcal).toBeCloseTo(282.7, 10);
  });

  it('is clamped to 500 kcal for the smallest, oldest profiles', () => {
    // 30 kg, 120 cm, 120 y sedentary woman: BMR 300 + 750 − 600 − 161 = 289; × 1.2 = 346.8 -> 347
    expect(equationExpenditure({ sex: 'female', heightCm: 120, ageYears: 120, activityLevel: 'sedentary' }, 30).tdeeKcal).toBe(500);
  });
});

describe('planGoalWithRate on the equation: a valid plan or a 400, never NaN or out of range (docs/DESIGN.md, "Calorie bounds")', () => {
  it('plans the man of docs/SCIENCE.md 12.2 cutting from 24.09 % at the default 0.5 % a week', () => {
    const plan = planOnEquation({ profile: QUICKSTART, goalType: 'cutting', weightKg: 90, bodyFatPct: 24.09, targetBodyFatPct: 15 });
    // 0.45 kg a week at 21.681 kg of fat: TDEE 2,827 − 0.45 × ρ / 7
    expect(plan.targetCalories).toBe(Math.round(2827 - (0.45 * energyDensityKcalPerKg(21.681)) / 7));
    expect(plan.projection).toMatchObject({ tdeeKcal: 2827, method: 'equation' });
    expectStorable(plan);
  });

  it('200 kg, 210 cm, 20 y, extremely active man: a cut under the cap; a bulk refused', () => {
    const profile: Profile = { sex: 'male', heightCm: 210, ageYears: 20, activityLevel: 'extremely_active' };
    // TDEE 3,218 × 1.9 = 6,114; 1 kg a week at 60 kg of fat (ρ 8,314.4) is 1,187.8 kcal a day
    const cut = planOnEquation({ profile, goalType: 'cutting', weightKg: 200, bodyFatPct: 30, targetBodyFatPct: 20 });
    expect(cut.targetCalories).toBe(4926);
    expect(cut.dietPlan.proteinGrams).toBe(378); // 2.7 × 140 kg fat-free mass
    expectStorable(cut);
    const bulk = domainError(() => planOnEquation({ profile, goalType: 'bulking', weightKg: 200, bodyFatPct: 20, ceilingBodyFatPct: 25 }));
    expect(bulk).toMatchObject({ kind: 'rejected', code: 'no_calorie_surplus_possible' });
  });

  it("sedentary 60 y, 160 cm, 80 kg woman: the cut sits at the women's floor and fits", () => {
    const profile: Profile = { sex: 'female', heightCm: 160, ageYears: 60, activityLevel: 'sedentary' };
    // TDEE 1,607 − 0.4 kg × ρ(32 kg) 7,570.6 / 7 = 1,174.4 -> the 1,200 floor
    const plan = planOnEquation({ profile, goalType: 'cutting', weightKg: 80, bodyFatPct: 40, targetBodyFatPct: 30 });
    expect(plan.targetCalories).toBe(1200);
    expectStorable(plan);
    // even at an implausibly lean 20 % her carbs stay ≥ 50 g
    expectStorable(planOnEquation({ profile, goalType: 'cutting', weightKg: 80, bodyFatPct: 20, targetBodyFatPct: 16 }));
  });

  it('tiny gaps still give one week', () => {
    expect(
      planOnEquation({ profile: QUICKSTART, goalType: 'cutting', weightKg: 80, bodyFatPct: 15.05, targetBodyFatPct: 15 })
        .estimatedWeeksToGoal,
    ).toBe(1);
    expect(
      planOnEquation({ profile: QUICKSTART, goalType: 'bulking', weightKg: 80, bodyFatPct: 17.99, ceilingBodyFatPct: 18 })
        .estimatedWeeksToGoal,
    ).toBe(1);
  });

  it('heavy people get lean-mass protein inside 400 g', () => {
    const profile: Profile = { sex: 'male', heightCm: 190, ageYears: 40, activityLevel: 'sedentary' };
    // TDEE 4,790 − 1.5 kg × ρ(135 kg) 8,895.4 / 7 = 2,884 kcal; 2.7 × 165 kg = 445.5 -> 400 g, but at
    // the fat floor (0.5 × 300 = 150 g) and 50 g of carbs the rest is (2,884 − 200 − 1,350) / 4 = 333 g
    const plan = planOnEquation({ profile, goalType: 'cutting', weightKg: 300, bodyFatPct: 45, targetBodyFatPct: 30 });
    expect(plan.targetCalories).toBe(2884);
    expect(plan.dietPlan).toMatchObject({ proteinGrams: 333, carbsGrams: 50, fatGrams: 150 });
    expectStorable(plan);
  });

  it('the smallest, oldest, least active woman cannot cut (no deficit above 1200 kcal) but can bulk', () => {
    const profile: Profile = { sex: 'female', heightCm: 120, ageYears: 120, activityLevel: 'sedentary' };
    const cut = domainError(() => planOnEquation({ profile, goalType: 'cutting', weightKg: 30, bodyFatPct: 25, targetBodyFatPct: 20 }));
    expect(cut).toMatchObject({ kind: 'rejected', code: 'no_calorie_deficit_possible' });
    const bulk = planOnEquation({ profile, goalType: 'bulking', weightKg: 30, bodyFatPct: 25, ceilingBodyFatPct: 28 });
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
                    expectStorable(
                      planOnEquation({ profile: { sex, heightCm, ageYears, activityLevel }, goalType, weightKg, bodyFatPct, ...aim }),
                    );
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

describe('checkInCalorieTarget: no catch-up', () => {
  const base = { profile: MAN, goalType: 'cutting' as const, weightKg: 84, bodyFatPct: 19.5, weeklyRatePercent: 0.5 };

  it('ignores how the last weeks went when the estimate comes from logged data', () => {
    const slow = checkInCalorieTarget({ ...base, expenditure: ADAPTIVE, observedRatePerWeek: 0 });
    const onPlan = checkInCalorieTarget({ ...base, expenditure: ADAPTIVE, observedRatePerWeek: -0.2 });
    expect(slow).toBe(onPlan);
  });

  it("keeps the fixed rule's single 100 kcal step only in the equation fallback (docs/SCIENCE.md 3.2)", () => {
    const equation: ExpenditureBasis = { tdeeKcal: 2600, sdKcal: 260, method: 'equation' };
    const planned = checkInCalorieTarget({ ...base, expenditure: equation, observedRatePerWeek: null });
    expect(checkInCalorieTarget({ ...base, expenditure: equation, observedRatePerWeek: 0 })).toBe(planned - ADAPTATION_STEP_KCAL);
  });

  it('stays at the floor instead of refusing', () => {
    const low: ExpenditureBasis = { tdeeKcal: 1500, sdKcal: 80, method: 'adaptive' };
    expect(checkInCalorieTarget({ ...base, expenditure: low, observedRatePerWeek: null })).toBe(1500);
  });
});

describe('checkInCalorieTarget on the equation (docs/DESIGN.md, "When the plan is recomputed")', () => {
  const checkIn = (profile: Profile, goalType: GoalType, weightKg: number, bodyFatPct: number, observedRatePerWeek: number | null) =>
    checkInCalorieTarget({
      profile,
      goalType,
      weightKg,
      bodyFatPct,
      weeklyRatePercent: goalType === 'cutting' ? 0.5 : 0.25,
      expenditure: equationExpenditure(profile, weightKg),
      observedRatePerWeek,
    });

  it('steps a cut 100 kcal deeper when too slow and 100 kcal shallower when over 1 point a week', () => {
    const planned = checkIn(QUICKSTART, 'cutting', 88, 23.5, -0.3);
    expect(checkIn(QUICKSTART, 'cutting', 88, 23.5, null)).toBe(planned);
    expect(checkIn(QUICKSTART, 'cutting', 88, 23.5, -0.02)).toBe(planned - ADAPTATION_STEP_KCAL);
    expect(checkIn(QUICKSTART, 'cutting', 88, 23.5, -1.5)).toBe(planned + ADAPTATION_STEP_KCAL);
  });

  it('steps a bulk the other way', () => {
    const planned = checkIn(QUICKSTART, 'bulking', 71, 11, 0.2);
    expect(checkIn(QUICKSTART, 'bulking', 71, 11, 0)).toBe(planned + ADAPTATION_STEP_KCAL);
    expect(checkIn(QUICKSTART, 'bulking', 71, 11, 0.9)).toBe(planned - ADAPTATION_STEP_KCAL);
  });

  it('never goes below the floor to catch up', () => {
    // 75 kg sedentary 60 y woman: TDEE 1,547, the cut under 1,200 already; too slow stays 1,200
    const profile: Profile = { sex: 'female', heightCm: 160, ageYears: 60, activityLevel: 'sedentary' };
    expect(checkIn(profile, 'cutting', 75, 35, 0)).toBe(1200);
  });

  it('keeps a storable target instead of failing when the body no longer fits the goal', () => {
    // 45 kg, 150 cm, 70 y sedentary woman: TDEE 1,051 < 1,200, so no deficit exists: keep the floor
    const small: Profile = { sex: 'female', heightCm: 150, ageYears: 70, activityLevel: 'sedentary' };
    expect(checkIn(small, 'cutting', 45, 25, 0)).toBe(1200);
    // 200 kg, 210 cm extremely active man bulking: TDEE 6,114, keep the 5,000 cap
    const big: Profile = { sex: 'male', heightCm: 210, ageYears: 20, activityLevel: 'extremely_active' };
    expect(checkIn(big, 'bulking', 200, 20, 0.9)).toBe(5000);
  });

  it('keeps the male floor even above maintenance, stepped or not', () => {
    // 60 kg, 150 cm, 80 y sedentary man: BMR 600 + 937.5 − 400 + 5 = 1,142.5 -> 1,142; TDEE 1,370
    const profile: Profile = { sex: 'male', heightCm: 150, ageYears: 80, activityLevel: 'sedentary' };
    for (const rate of [null, 0, -0.3, -1.5]) expect(checkIn(profile, 'cutting', 60, 20, rate)).toBe(1500);
  });
});

describe('daysAheadOfProjection', () => {
  const { curve } = projectGoal({
    goalType: 'cutting',
    profile: MAN,
    weightKg: 85,
    bodyFatPct: 20,
    goalBodyFatPct: 15,
    tdeeKcal: 2600,
    plan: { weeklyRatePercent: 0.5 },
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
