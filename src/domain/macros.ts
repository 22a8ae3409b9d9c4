import { DomainError, requireFinite, requirePositive } from './errors.ts';
import { roundHalfEven } from './rounding.ts';
import type { GoalType } from './types.ts';

// Macro split of docs/SCIENCE.md 4. Protein scales with fat-free mass, not body weight, so heavy or
// obese people do not get unsafe amounts (150 kg at 2.4 g/kg would be 360 g): 2.7 g/kg FFM in a deficit, inside the 2.3–3.1
// of Helms et al. 2014 for lean people dieting; 2.2 g/kg FFM when gaining (Morton et al. 2018).

export interface Macros {
  proteinGrams: number;
  carbsGrams: number;
  fatGrams: number;
}

const PROTEIN_G_PER_KG_FAT_FREE_MASS: Record<GoalType, number> = { cutting: 2.7, bulking: 2.2 };
const FAT_SHARE_OF_CALORIES: Record<GoalType, number> = { cutting: 0.25, bulking: 0.27 };
/** The fat floor (docs/SCIENCE.md 4): hormonal health needs at least 0.5 g per kg body weight. */
const MIN_FAT_G_PER_KG = 0.5;
const MIN_CARBS_GRAMS = 50;
/** diet_plans CHECK ranges (valid_protein, valid_carbs, valid_fat). */
export const MACRO_RANGES = {
  proteinGrams: { min: 50, max: 400 },
  carbsGrams: { min: 50, max: 800 },
  fatGrams: { min: 20, max: 200 },
} as const;
/** 4·P + 4·C + 9·F must land within 1 % of the calorie target. */
const MACRO_ENERGY_TOLERANCE = 0.01;

const KCAL_PER_G = { protein: 4, carbs: 4, fat: 9 } as const;

export function macroKcal(m: Macros): number {
  return KCAL_PER_G.protein * m.proteinGrams + KCAL_PER_G.carbs * m.carbsGrams + KCAL_PER_G.fat * m.fatGrams;
}

function clamp(value: number, range: { min: number; max: number }): number {
  return Math.min(range.max, Math.max(range.min, value));
}

function cannotFit(reason: string): DomainError {
  return new DomainError('macros_cannot_fit', `No safe macro split fits this calorie target: ${reason}.`, 'rejected');
}

/**
 * Whole grams, in this order: protein from fat-free mass (kept inside 50–400 g); fat from its
 * share of calories but at least 0.5 g/kg (and 20 g); carbs take the rest. When the rest is under
 * 50 g of carbs, the shortfall comes out of fat down to its floor, then out of protein.
 * Carbs are rounded last, so the macros miss the target by at most 2 kcal in the normal case.
 */
export function macros(p: { goalType: GoalType; calories: number; weightKg: number; bodyFatPct: number }): Macros {
  const calories = requirePositive(p.calories, 'calories');
  const weightKg = requirePositive(p.weightKg, 'weight_kg');
  const bodyFatPct = requireFinite(p.bodyFatPct, 'body_fat_percentage');
  if (bodyFatPct < 0 || bodyFatPct >= 100) {
    throw new DomainError('invalid_body_fat', 'Body fat must be between 0 and 100 %.', 'invalid', 'body_fat_percentage');
  }

  const fatFreeMassKg = (weightKg * (100 - bodyFatPct)) / 100;
  let protein = clamp(roundHalfEven(fatFreeMassKg * PROTEIN_G_PER_KG_FAT_FREE_MASS[p.goalType]), MACRO_RANGES.proteinGrams);
  const fatFloor = Math.max(MACRO_RANGES.fatGrams.min, Math.ceil(MIN_FAT_G_PER_KG * weightKg));
  let fat = Math.max(roundHalfEven((calories * FAT_SHARE_OF_CALORIES[p.goalType]) / 9), fatFloor);

  const minCarbKcal = KCAL_PER_G.carbs * MIN_CARBS_GRAMS;
  if (calories - 4 * protein - 9 * fat < minCarbKcal) {
    fat = Math.max(fatFloor, Math.floor((calories - 4 * protein - minCarbKcal) / 9));
    if (calories - 4 * protein - 9 * fat < minCarbKcal) {
      protein = Math.floor((calories - 9 * fat - minCarbKcal) / 4);
    }
  }
  const carbs = roundHalfEven((calories - 4 * protein - 9 * fat) / 4);
  const result: Macros = { proteinGrams: protein, carbsGrams: carbs, fatGrams: fat };

  if (protein < MACRO_RANGES.proteinGrams.min) {
    throw cannotFit(`${calories} kcal leave less than ${MACRO_RANGES.proteinGrams.min} g protein after the minimum fat and carbohydrate`);
  }
  if (carbs > MACRO_RANGES.carbsGrams.max) {
    throw cannotFit(`carbohydrate would exceed ${MACRO_RANGES.carbsGrams.max} g`);
  }
  if (fat > MACRO_RANGES.fatGrams.max) {
    throw cannotFit(`fat would exceed ${MACRO_RANGES.fatGrams.max} g`);
  }
  if (Math.abs(macroKcal(result) - calories) > MACRO_ENERGY_TOLERANCE * calories) {
    throw cannotFit(`the macros would not add up to within 1 % of ${calories} kcal`);
  }
  return result;
}
