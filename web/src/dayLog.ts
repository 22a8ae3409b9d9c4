/**
 * The Daily log's days: the days logged (a weigh-in, food, or both), what the form shows for one,
 * and what saving the form changes. Pure: the screen reads these, and web/test checks them.
 */
import { ApiError } from './api/client.ts';
import type { Intake, IntakeList, WeightSeries } from './api/types.ts';
import { toDisplay, type Units } from './units.ts';

export interface LoggedDay {
  date: string;
  /** The day's weigh-in, or the weight of a measurement taken that day (`fromMeasurement`); null without either. */
  weightKg: number | null;
  /** The weight is a measurement's: History edits and deletes it, not the Daily log. */
  fromMeasurement: boolean;
  intake: Intake | null;
}

/** Every day with a weight or food, newest first; the days the trend only fills in are left out. */
export function loggedDays(weights: WeightSeries, intake: IntakeList): LoggedDay[] {
  const days = new Map<string, LoggedDay>();
  const day = (date: string): LoggedDay => {
    let found = days.get(date);
    if (!found) days.set(date, (found = { date, weightKg: null, fromMeasurement: false, intake: null }));
    return found;
  };
  for (const w of weights.weights)
    if (w.weight_kg !== null) Object.assign(day(w.date), { weightKg: w.weight_kg, fromMeasurement: w.source === 'measurement' });
  for (const i of intake.intake) day(i.date).intake = i;
  return [...days.values()].sort((a, b) => b.date.localeCompare(a.date));
}

export type DayField = 'weight_kg' | 'calories' | 'protein_g' | 'carbs_g' | 'fat_g';
/** The form's text boxes as typed, and its Complete day box. */
export type DayFields = Record<DayField, string> & { complete: boolean };

const text = (value: number | null, decimals: number) =>
  value === null ? '' : String(Math.round(value * 10 ** decimals) / 10 ** decimals);

/** What the form shows for a day: its saved values, or empty boxes (and Complete ticked) for a day not logged. */
export function dayFields(day: LoggedDay | null, units: Units): DayFields {
  const intake = day?.intake ?? null;
  return {
    weight_kg: day?.weightKg == null ? '' : text(toDisplay('weight', day.weightKg, units), units === 'imperial' ? 1 : 2),
    calories: text(intake?.calories ?? null, 0),
    protein_g: text(intake?.protein_g ?? null, 1),
    carbs_g: text(intake?.carbs_g ?? null, 1),
    fat_g: text(intake?.fat_g ?? null, 1),
    complete: intake?.complete ?? true,
  };
}

export type Change = 'keep' | 'save' | 'delete';

/**
 * What Save does to the weigh-in and the food, from the day as loaded (`before`) and the form
 * (`after`): what is left as shown is not sent again (an imported day stays imported, a weight shown
 * in pounds is not rounded), what was emptied is deleted.
 */
export function dayChanges(before: DayFields, after: DayFields): { weight: Change; intake: Change } {
  const same = (field: DayField) => before[field].trim() === after[field].trim();
  const weight: Change = same('weight_kg') ? 'keep' : after.weight_kg.trim() === '' ? 'delete' : 'save';
  const foodSame = same('calories') && same('protein_g') && same('carbs_g') && same('fat_g') && before.complete === after.complete;
  const intake: Change =
    foodSame || (after.calories.trim() === '' && before.calories === '') ? 'keep' : after.calories.trim() === '' ? 'delete' : 'save';
  return { weight, intake };
}

/** For a DELETE's failure: what is already gone (deleted on another device) is what was asked for; anything else still fails. */
export const ignoreGone = (error: unknown): Promise<void> =>
  error instanceof ApiError && error.status === 404 ? Promise.resolve() : Promise.reject(error);
