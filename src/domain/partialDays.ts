// Which imported days were logged only in part (docs/SCIENCE.md, 'Partial days'). A food diary that
// stops after lunch makes a day look like a deficit it was not; the expenditure estimate must not
// learn from it. Pure: the readers of the import formats hand in each day's meals and total.

/** A meal eaten at or after this time of day (17:00) counts as the evening meal whatever its name. */
export const DINNER_FROM_MINUTES = 17 * 60;

/** A day this far below the file's median day, without an evening meal, was logged only in part. */
const PARTIAL_DAY_SHARE_OF_MEDIAN = 0.5;

/**
 * Names of the evening meal in the food diaries' default meal lists (MyFitnessPal, Lose It!,
 * Cronometer) and their common translations. Matched as whole words, ignoring case and accents.
 */
const DINNER_NAMES = /(?<!\p{L})(dinner|supper|diner|abendessen|cena|jantar|avondeten|middag|kolacja|ужин)(?!\p{L})/u;

/** A meal as a diary names it, with its time of day (minutes after midnight) when the file gives one. */
export interface DiaryMeal {
  name: string | null;
  minutesAfterMidnight: number | null;
}

const plain = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/** The evening meal: named so, or eaten at or after 17:00. */
export function isDinnerTimeMeal(meal: DiaryMeal): boolean {
  if (meal.minutesAfterMidnight !== null && meal.minutesAfterMidnight >= DINNER_FROM_MINUTES) return true;
  return meal.name !== null && DINNER_NAMES.test(plain(meal.name));
}

/** One logged day of a file: its total and whether any of its meals was the evening meal. */
export interface LoggedDay {
  calories: number;
  hasDinner: boolean;
}

/** The median of the day totals (the mean of the middle two for an even count); null without days. */
export function medianCalories(days: readonly LoggedDay[]): number | null {
  if (days.length === 0) return null;
  const sorted = days.map((d) => d.calories).sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Whether each day was logged completely, in the order given: a day is partial when it has no
 * evening meal AND its total is under half the median of the days in the same file. Either
 * alone is ordinary (people skip dinner; light days happen), together they are the mark of a
 * diary abandoned halfway through the day.
 */
export function completeDays(days: readonly LoggedDay[]): boolean[] {
  const median = medianCalories(days);
  return days.map((d) => d.hasDinner || median === null || d.calories >= PARTIAL_DAY_SHARE_OF_MEDIAN * median);
}
