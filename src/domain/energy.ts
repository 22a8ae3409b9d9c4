import { DomainError, requireFinite, requirePositive } from './errors.ts';
import { roundHalfEven } from './rounding.ts';
import type { ActivityLevel, GoalType, Sex } from './types.ts';

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
/** A 400 kcal deficit is the middle of the usual 300–500; 250 likewise for 200–300 (docs/SCIENCE.md 3.2). */
export const CUTTING_DEFICIT_KCAL = 400;
export const BULKING_SURPLUS_KCAL = 250;

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
  if (factor === undefined) throw new DomainError('unknown_activity_level', `Unknown activity level: ${String(activity)}.`, 'invalid', 'activity_level');
  return roundHalfEven(bmrKcal * factor);
}

function clampToBounds(kcal: number): number {
  return Math.min(CALORIE_BOUNDS.max, Math.max(CALORIE_BOUNDS.min, kcal));
}

/**
 * The standard target kept inside the safe floor and the 1200–5000 bounds, without checking that
 * a deficit or surplus remains. adjustmentKcal is added to the target: negative deepens a cut,
 * positive grows a bulk (see adaptation.ts).
 */
export function boundedCalorieTarget(goalType: GoalType, tdeeKcal: number, sex: Sex, adjustmentKcal = 0): number {
  requireFinite(tdeeKcal, 'tdee');
  requireFinite(adjustmentKcal, 'adjustment');
  const target = Math.max(
    goalType === 'cutting' ? tdeeKcal - CUTTING_DEFICIT_KCAL + adjustmentKcal : tdeeKcal + BULKING_SURPLUS_KCAL + adjustmentKcal,
    CALORIE_FLOOR_KCAL[sex],
  );
  return roundHalfEven(clampToBounds(target));
}

/**
 * Daily calorie target: TDEE − 400 (cut, never below the sex floor) or TDEE + 250 (bulk), plus an
 * optional adjustment, kept in 1200–5000. When those bounds leave no deficit (cut) or no surplus
 * (bulk) the goal cannot be planned for this profile: a 400 with the reason (docs/DESIGN.md, 'Calorie bounds'), never
 * a 500. Large, very active people can still cut (the cap only deepens the deficit) but not bulk.
 */
export function calorieTarget(goalType: GoalType, tdeeKcal: number, sex: Sex, adjustmentKcal = 0): number {
  const target = boundedCalorieTarget(goalType, tdeeKcal, sex, adjustmentKcal);
  if (goalType === 'cutting' && target >= tdeeKcal) {
    throw new DomainError(
      'no_calorie_deficit_possible',
      `A cut needs a calorie deficit, but the estimated maintenance intake of ${tdeeKcal} kcal/day is not above the lowest safe target of ${target} kcal/day for ${sex === 'male' ? 'men' : 'women'}.`,
      'rejected',
    );
  }
  if (goalType === 'bulking' && target <= tdeeKcal) {
    throw new DomainError(
      'no_calorie_surplus_possible',
      `A bulk needs a calorie surplus, but the estimated maintenance intake of ${tdeeKcal} kcal/day is at or above the highest supported target of ${CALORIE_BOUNDS.max} kcal/day.`,
      'rejected',
    );
  }
  return target;
}
