import { DomainError, requireFinite, requirePositive } from './errors.ts';
import { roundHalfEven } from './rounding.ts';
import type { ActivityLevel, Sex } from './types.ts';

/** Conventional multipliers of BMR (docs/SCIENCE.md 2). */
export const ACTIVITY_FACTORS: Record<ActivityLevel, number> = {
  sedentary: 1.2,
  lightly_active: 1.375,
  moderately_active: 1.55,
  very_active: 1.725,
  extremely_active: 1.9,
};

/** The database range of every calorie target (goals.target_calories, diet_plans). */
export const CALORIE_BOUNDS = { min: 1200, max: 5000 } as const;
/** Lowest calorie target per sex, for every target, a bulk too (docs/DESIGN.md, 'Calorie bounds'). */
export const CALORIE_FLOOR_KCAL: Record<Sex, number> = { male: 1500, female: 1200 };

/** Mifflin–St Jeor (1990) resting energy, kcal/day, rounded half-even (docs/DESIGN.md, 'Rounding'). */
export function mifflinStJeorBmr(p: { sex: Sex; weightKg: number; heightCm: number; ageYears: number }): number {
  requirePositive(p.weightKg, 'weight_kg');
  requirePositive(p.heightCm, 'height_cm');
  requireFinite(p.ageYears, 'age');
  const sexConstant = p.sex === 'male' ? 5 : -161;
  return roundHalfEven(10 * p.weightKg + 6.25 * p.heightCm - 5 * p.ageYears + sexConstant);
}

export function totalDailyEnergyExpenditure(bmrKcal: number, activity: ActivityLevel): number {
  requireFinite(bmrKcal, 'bmr');
  // The HTTP edge maps aliases (docs/DESIGN.md, 'Accepted spellings'); a level it did not map must not turn into NaN.
  const factor = ACTIVITY_FACTORS[activity];
  if (factor === undefined)
    throw new DomainError('unknown_activity_level', `Unknown activity level: ${String(activity)}.`, 'invalid', 'activity_level');
  return roundHalfEven(bmrKcal * factor);
}
