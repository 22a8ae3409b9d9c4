/** What both check-in screens (Log progress, Log measurement) share: today's weigh-in, and the same-day refusal. */
import { ApiError } from './api/problem.ts';
import { getWeights } from './api/queries.ts';
import { todayValue } from './daily.ts';

/** The refusal of a second check-in on the day of the goal's latest one (docs/DESIGN.md, 'Check-ins'): the person may replace that one. */
export const isSameDayRefusal = (error: unknown) => error instanceof ApiError && error.code === 'check_in_same_day';

/** Today's weigh-in in kg, to prefill a check-in's weight; null when there is none or it cannot be read. */
export async function todayWeighInKg(): Promise<number | null> {
  const today = todayValue();
  const series = await getWeights(today).catch(() => null);
  return series?.weights.find((w) => w.date === today && w.source !== null)?.weight_kg ?? null;
}
