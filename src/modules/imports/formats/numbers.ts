/**
 * The numbers in the exports: amounts as the apps write them, the units they come in, and the ranges a
 * day must fall in to be stored (the same as the database's CHECKs in src/db/schema.ts, so a day the
 * readers pass is a day the database takes).
 */
import { KG_PER_LB } from '../../../domain/index.ts';
import type { WeightUnit } from './types.ts';

/** The thermochemical calorie: kJ per kcal, as Apple Health and the food apps convert. */
export const KJ_PER_KCAL = 4.184;

export const WEIGHT_KG = { min: 30, max: 300 };
export const DAY_LIMITS = { calories: 15000, proteinG: 1000, carbsG: 2000, fatG: 1000 };

/**
 * An amount as a cell writes it: `1020`, `1,020.5` (thousands grouped, as MyFitnessPal quotes
 * them), `12,5` (a decimal comma). Null for an empty cell; NaN for anything else.
 */
export function parseAmount(cell: string): number | null {
  const text = cell.trim();
  if (text === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) return Number(text.replaceAll(',', ''));
  if (/^-?\d+,\d+$/.test(text)) return Number(text.replace(',', '.'));
  return Number.NaN;
}

export const toKg = (value: number, unit: WeightUnit) => (unit === 'lb' ? value * KG_PER_LB : value);

/**
 * The unit of weights a file does not name (Lose It!, MyFitnessPal): pounds when the median is 100
 * or more, else kilograms. Under 100 read as pounds is under 45 kg, rare in an adult; 100 and over
 * is far more often pounds (150 lb is an ordinary weight, 150 kg a rare one). Wrong for kilograms
 * of 100 and more, which is why the report says the unit was inferred and the person can name it.
 */
export function inferWeightUnit(values: readonly number[]): WeightUnit {
  if (values.length === 0) return 'kg';
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return median >= 100 ? 'lb' : 'kg';
}
