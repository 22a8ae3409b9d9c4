import { describe, expect, it } from 'vitest';
import {
  CALORIE_BOUNDS,
  WEEKLY_RATE_PERCENT,
  boundedRateCalorieTarget,
  checkWeeklyRatePercent,
  energyDensityKcalPerKg,
  rateCalorieTarget,
  rateEnergyBalanceKcal,
} from '../../src/domain/index.ts';
import type { RateTargetInput } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

const cut = (over: Partial<RateTargetInput> = {}): RateTargetInput => ({
  goalType: 'cutting',
  tdeeKcal: 2600,
  weightKg: 85,
  fatMassKg: 17,
  weeklyRatePercent: 0.5,
  sex: 'male',
  ...over,
});
const bulk = (over: Partial<RateTargetInput> = {}): RateTargetInput => ({
  goalType: 'bulking',
  tdeeKcal: 2600,
  weightKg: 70,
  fatMassKg: 8.4,
  weeklyRatePercent: 0.25,
  sex: 'male',
  ...over,
});

describe('weekly_rate_percent ranges (docs/SCIENCE.md 3.3)', () => {
  it('cutting 0.25–1 % (default 0.5), bulking 0.1–0.5 % (default 0.25)', () => {
    expect(WEEKLY_RATE_PERCENT).toEqual({ cutting: { min: 0.25, max: 1, default: 0.5 }, bulking: { min: 0.1, max: 0.5, default: 0.25 } });
    expect(checkWeeklyRatePercent('cutting')).toBe(0.5);
    expect(checkWeeklyRatePercent('bulking', null)).toBe(0.25);
    expect(checkWeeklyRatePercent('cutting', 0.25)).toBe(0.25);
    expect(checkWeeklyRatePercent('cutting', 1)).toBe(1);
  });

  it("refuses a rate outside its goal type's range with a 422 on weekly_rate_percent", () => {
    for (const [goalType, rate] of [
      ['cutting', 0.2],
      ['cutting', 1.1],
      ['bulking', 0.05],
      ['bulking', 0.6],
    ] as const) {
      const error = domainError(() => checkWeeklyRatePercent(goalType, rate));
      expect(error).toMatchObject({ code: 'weekly_rate_out_of_range', kind: 'invalid', field: 'weekly_rate_percent' });
      expect(error.message).toContain(String(WEEKLY_RATE_PERCENT[goalType].min));
    }
    expect(domainError(() => checkWeeklyRatePercent('cutting', Number.NaN)).code).toBe('not_a_number');
  });
});

describe('rate-based calorie targets', () => {
  it('cut: TDEE − rate × weight × energy density / 7 (hand-computed)', () => {
    // 0.5 % of 85 kg = 0.425 kg/week; at 17 kg fat a kg is 6,546.8 kcal → 2,782.4 kcal/week → 397.5 kcal/day
    // (Forbes 1987 fat share with Hall 2008 energy densities, worked in docs/SCIENCE.md 12.6)
    expect(rateEnergyBalanceKcal(cut())).toBeCloseTo(-(0.425 * energyDensityKcalPerKg(17)) / 7, 10);
    expect(rateEnergyBalanceKcal(cut())).toBeCloseTo(-397.49, 2);
    expect(boundedRateCalorieTarget(cut())).toBe(2203); // 2,600 − 397.49 = 2,202.51
    expect(rateCalorieTarget(cut())).toBe(2203);
  });

  it('bulk: TDEE + rate × weight × energy density / 7 (hand-computed)', () => {
    // 0.25 % of 70 kg = 0.175 kg/week; at 8.4 kg fat a kg is 5,223.0 kcal → 130.6 kcal/day
    expect(rateEnergyBalanceKcal(bulk())).toBeCloseTo(130.58, 2);
    expect(rateCalorieTarget(bulk())).toBe(2731);
  });

  it('scales with the chosen rate', () => {
    expect(rateCalorieTarget(cut({ weeklyRatePercent: 1 }))).toBe(1805); // 2,600 − 794.97
    expect(rateCalorieTarget(cut({ weeklyRatePercent: 0.25 }))).toBe(2401); // 2,600 − 198.74
  });

  it('never goes below the sex floor or outside 1,200–5,000 kcal; refuses a cut with no deficit left', () => {
    // a small woman at 1 %/week would be sent under 1,200
    const small = cut({ sex: 'female', tdeeKcal: 1700, weightKg: 60, fatMassKg: 18, weeklyRatePercent: 1 });
    expect(boundedRateCalorieTarget(small)).toBe(1200);
    // a man whose TDEE is at his 1,500 floor: no deficit is possible
    const atFloor = cut({ tdeeKcal: 1500 });
    expect(boundedRateCalorieTarget(atFloor)).toBe(1500);
    const error = domainError(() => rateCalorieTarget(atFloor));
    expect(error).toMatchObject({ code: 'no_calorie_deficit_possible', kind: 'rejected' });
    // the 5,000 kcal cap: a very large cut still has a deficit; a bulk above it has no surplus
    expect(rateCalorieTarget(cut({ tdeeKcal: 6200, weightKg: 150, fatMassKg: 40 }))).toBe(CALORIE_BOUNDS.max);
    expect(boundedRateCalorieTarget(bulk({ tdeeKcal: 5000 }))).toBe(CALORIE_BOUNDS.max);
    expect(domainError(() => rateCalorieTarget(bulk({ tdeeKcal: 5000 }))).code).toBe('no_calorie_surplus_possible');
  });

  it("never catches up: after a slow week the target follows only today's TDEE, weight and rate", () => {
    // Week 1 planned 2,203 kcal. The week was slow (the scale barely moved, the adaptive estimate
    // fell to 2,540). The new target is the rule at the new numbers, not a deeper cut to make up.
    const nextWeek = cut({ tdeeKcal: 2540, weightKg: 84.9, fatMassKg: 16.93 });
    const rule = Math.round(2540 - (0.005 * 84.9 * energyDensityKcalPerKg(16.93)) / 7);
    expect(rateCalorieTarget(nextWeek)).toBe(rule);
    expect(2540 - rateCalorieTarget(nextWeek)).toBeLessThan(2600 - 2203 + 1); // the deficit did not grow
  });
});
