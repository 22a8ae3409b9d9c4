import { CALORIE_BOUNDS, CALORIE_FLOOR_KCAL } from '../energy.ts';
import { DomainError, requireFinite, requirePositive } from '../errors.ts';
import { roundHalfEven } from '../rounding.ts';
import type { GoalType, Sex } from '../types.ts';
import { energyDensityKcalPerKg } from './forbes.ts';

// Goals with a chosen rate (docs/SCIENCE.md 3.3): the person picks how fast, as a share of body weight per
// week, and the daily target is TDEE ∓ the energy of that much weight change. Cutting 0.25–1 %
// a week (0.5 % by default, about 0.4 kg at 85 kg); bulking 0.1–0.5 % (0.25 % by default). The
// energy of the change comes from its composition (forbes.ts), so a lean person's kilogram costs
// less than an obese person's. At 85 kg and 20 % fat the default cut is a ~400 kcal deficit,
// the old fixed rule's size; at 70 kg and 12 % the default bulk is a ~130 kcal surplus.

/** Allowed weekly_rate_percent per goal type, and the default when a goal gives none. */
export const WEEKLY_RATE_PERCENT: Record<GoalType, { min: number; max: number; default: number }> = {
  cutting: { min: 0.25, max: 1.0, default: 0.5 },
  bulking: { min: 0.1, max: 0.5, default: 0.25 },
};

/** The rate a goal plans with: the default when absent, a 422 naming weekly_rate_percent when out of range. */
export function checkWeeklyRatePercent(goalType: GoalType, weeklyRatePercent?: number | null): number {
  const range = WEEKLY_RATE_PERCENT[goalType];
  if (weeklyRatePercent === null || weeklyRatePercent === undefined) return range.default;
  requireFinite(weeklyRatePercent, 'weekly_rate_percent');
  if (weeklyRatePercent < range.min || weeklyRatePercent > range.max) {
    throw new DomainError(
      'weekly_rate_out_of_range',
      `A ${goalType === 'cutting' ? 'cut' : 'bulk'} can plan ${range.min}–${range.max} % of body weight per week, not ${weeklyRatePercent} %.`,
      'invalid',
      'weekly_rate_percent',
    );
  }
  return weeklyRatePercent;
}

export interface RateTargetInput {
  goalType: GoalType;
  /** current expenditure: the adaptive estimate (expenditure.ts), or the equation without data */
  tdeeKcal: number;
  /** current (trend) weight */
  weightKg: number;
  fatMassKg: number;
  weeklyRatePercent: number;
  sex: Sex;
}

/**
 * The daily energy balance that moves weight by the chosen rate: −(rate × weight × ρ) / 7 when
 * cutting, + when bulking, kcal/day, unrounded and before any bound.
 */
export function rateEnergyBalanceKcal(p: Omit<RateTargetInput, 'tdeeKcal' | 'sex'>): number {
  const rate = checkWeeklyRatePercent(p.goalType, p.weeklyRatePercent);
  requirePositive(p.weightKg, 'weight_kg');
  const weeklyChangeKg = (rate / 100) * p.weightKg;
  const daily = (weeklyChangeKg * energyDensityKcalPerKg(p.fatMassKg)) / 7;
  return p.goalType === 'cutting' ? -daily : daily;
}

/**
 * TDEE plus the rate's energy balance, rounded, never below the sex floor and always
 * in 1,200–5,000 kcal (energy.ts). It never throws on the bounds, so a weekly recomputation keeps a
 * safe plan. It reads only today's TDEE, weight and rate: a slow week is never made up with a
 * deeper deficit (no catch-up), the next week simply plans from where the body now is.
 */
export function boundedRateCalorieTarget(p: RateTargetInput): number {
  const tdee = requireFinite(p.tdeeKcal, 'tdee');
  // The sex floor holds for a bulk too (docs/DESIGN.md, 'Calorie bounds'): for the smallest, oldest profiles a surplus
  // on the equation's expenditure can still be under it.
  const target = Math.max(tdee + rateEnergyBalanceKcal(p), CALORIE_FLOOR_KCAL[p.sex]);
  return roundHalfEven(Math.min(CALORIE_BOUNDS.max, Math.max(CALORIE_BOUNDS.min, target)));
}

/**
 * The same target for a new goal, refused (400: no_calorie_deficit_possible, no_calorie_surplus_possible)
 * when the bounds leave no deficit for a cut or no surplus for a bulk.
 */
export function rateCalorieTarget(p: RateTargetInput): number {
  const target = boundedRateCalorieTarget(p);
  const tdee = roundHalfEven(p.tdeeKcal);
  if (p.goalType === 'cutting' && target >= tdee) {
    throw new DomainError(
      'no_calorie_deficit_possible',
      `A cut needs a calorie deficit, but the estimated maintenance intake of ${tdee} kcal/day is not above the lowest safe target of ${target} kcal/day for ${p.sex === 'male' ? 'men' : 'women'}.`,
      'rejected',
    );
  }
  if (p.goalType === 'bulking' && target <= tdee) {
    throw new DomainError(
      'no_calorie_surplus_possible',
      `A bulk needs a calorie surplus, but the estimated maintenance intake of ${tdee} kcal/day is at or above the highest supported target of ${CALORIE_BOUNDS.max} kcal/day.`,
      'rejected',
    );
  }
  return target;
}
