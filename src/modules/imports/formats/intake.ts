/**
 * Food diaries summed into days: the rows of a day (meals, servings) add up to its calories and
 * macros, a day out of the stored ranges is refused, and a day logged only in part is marked so
 * (src/domain/partialDays.ts; docs/SCIENCE.md, 'Partial days').
 */
import { completeDays, roundHalfEven, type DiaryMeal, isDinnerTimeMeal } from '../../../domain/index.ts';
import { DAY_LIMITS, parseAmount } from './numbers.ts';
import type { Place, Rejections } from './reading.ts';
import type { DayIntake } from './types.ts';

export interface Nutrients {
  calories: number;
  proteinG: number | null;
  carbsG: number | null;
  fatG: number | null;
}

/** A day's sums and the place of its first row. */
export interface DayTotals extends Nutrients {
  day: string;
  place: Place;
}

/** Where the nutrient columns are in a file's header (-1: the file has no such column). */
export interface NutrientColumns {
  calories: number;
  proteinG: number;
  carbsG: number;
  fatG: number;
}

const addNullable = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);

/**
 * A row's nutrients; null after refusing the row (`not_a_number`, or `out_of_range` for a negative
 * amount). An empty calories cell is 0 kcal (a logged item without energy, like water); an empty
 * macro cell is unknown. `kcalPerUnit` converts an energy column in kJ.
 */
export function readNutrients(
  cells: readonly string[],
  columns: NutrientColumns,
  place: Place,
  rejections: Rejections,
  kcalPerUnit = 1,
): Nutrients | null {
  const values = { calories: 0, proteinG: null as number | null, carbsG: null as number | null, fatG: null as number | null };
  for (const key of ['calories', 'proteinG', 'carbsG', 'fatG'] as const) {
    const column = columns[key];
    if (column === -1) continue;
    const value = parseAmount(cells[column] ?? '');
    if (value === null) continue;
    if (Number.isNaN(value)) {
      rejections.add(place, 'not_a_number');
      return null;
    }
    if (value < 0) {
      rejections.add(place, 'out_of_range');
      return null;
    }
    values[key] = key === 'calories' ? value * kcalPerUnit : value;
  }
  return values;
}

/** Sums a diary's rows into days, remembering whether each day had its evening meal. */
export class DiaryDays {
  private readonly days = new Map<string, DayTotals & { hasDinner: boolean }>();

  add(day: string, place: Place, row: Nutrients, meal: DiaryMeal): void {
    const dinner = isDinnerTimeMeal(meal);
    const sum = this.days.get(day);
    if (!sum) {
      this.days.set(day, { day, place, ...row, hasDinner: dinner });
      return;
    }
    sum.calories += row.calories;
    sum.proteinG = addNullable(sum.proteinG, row.proteinG);
    sum.carbsG = addNullable(sum.carbsG, row.carbsG);
    sum.fatG = addNullable(sum.fatG, row.fatG);
    sum.hasDinner ||= dinner;
  }

  has(day: string): boolean {
    return this.days.has(day);
  }

  /** Every day within the ranges, with the partial-day rule applied over them; `more` are days without meals (a daily summary's). */
  intake(rejections: Rejections, more: DayTotals[] = []): DayIntake[] {
    const days = [...this.days.values(), ...more.map((d) => ({ ...d, hasDinner: false }))]
      .map(rounded)
      .filter((d) => withinLimits(d, rejections));
    const complete = completeDays(days);
    return sortedByDay(days.map((d, i) => intakeOf(d, complete[i]!)));
  }
}

/** Stored precision: whole kcal, macros to 0.1 g (numeric(6,1)); half to even (docs/DESIGN.md, 'Rounding'). */
export function rounded<T extends DayTotals>(d: T): T {
  const one = (x: number | null) => (x === null ? null : roundHalfEven(x, 1));
  return { ...d, calories: roundHalfEven(d.calories), proteinG: one(d.proteinG), carbsG: one(d.carbsG), fatG: one(d.fatG) };
}

/** Whether a (rounded) day is within the ranges the database keeps; refuses it as `out_of_range` if not. */
export function withinLimits(d: DayTotals, rejections: Rejections): boolean {
  const over = (x: number | null, max: number) => x !== null && x > max;
  if (
    d.calories > DAY_LIMITS.calories ||
    over(d.proteinG, DAY_LIMITS.proteinG) ||
    over(d.carbsG, DAY_LIMITS.carbsG) ||
    over(d.fatG, DAY_LIMITS.fatG)
  ) {
    rejections.add(d.place, 'out_of_range');
    return false;
  }
  return true;
}

export function intakeOf(d: DayTotals, complete: boolean): DayIntake {
  return { day: d.day, calories: d.calories, proteinG: d.proteinG, carbsG: d.carbsG, fatG: d.fatG, complete, where: d.place.where };
}

export const sortedByDay = <T extends { day: string }>(days: T[]): T[] => days.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
