import { DomainError } from '../errors.ts';
import { dayNumber } from './calendar.ts';

// Reading daily logs (weigh-ins, intake) for the expenditure estimate: one value per day number,
// the person's water noise, and running statistics over a sliding window of days.

/** One value per day up to `until` (later rows are validated, then ignored); two on one day is a 422. */
export function valuesByDay<T>(
  rows: readonly T[],
  date: (row: T) => string,
  value: (row: T) => number,
  what: string,
  until: number,
): Map<number, number> {
  const seen = new Set<number>();
  const map = new Map<number, number>();
  for (const row of rows) {
    const day = dayNumber(date(row), 'date');
    const v = value(row);
    if (seen.has(day)) {
      throw new DomainError('duplicate_date', `Only one ${what} per day: ${date(row)} appears more than once.`, 'invalid', 'date');
    }
    seen.add(day);
    if (day <= until) map.set(day, v);
  }
  return map;
}

/** Daily water noise assumed until a week of consecutive-day weigh-ins measures it, and its bounds. */
const WATER_NOISE_SD_KG = { default: 0.5, min: 0.2, max: 2 } as const;
/** Consecutive-day pairs needed to measure the water noise. */
const MIN_NOISE_PAIRS = 7;
/** A day-to-day change larger than this is a typo or a different scale, not water. */
const OUTLIER_CHANGE_KG = 3;

/**
 * SD of the water noise from the person's own scale: half the mean square of consecutive-day
 * changes (a change between two mornings carries two days' noise; the real tissue change of a
 * day, under 0.1 kg, is negligible beside it). Changes over 3 kg are left out as typos. Clamped to
 * WATER_NOISE_SD_KG; the default until 7 pairs exist.
 */
export function waterNoiseSdKg(weights: ReadonlyMap<number, number>): number {
  let sumSq = 0;
  let pairs = 0;
  for (const [day, kg] of weights) {
    const next = weights.get(day + 1);
    if (next === undefined || Math.abs(next - kg) > OUTLIER_CHANGE_KG) continue;
    sumSq += (next - kg) ** 2;
    pairs += 1;
  }
  if (pairs < MIN_NOISE_PAIRS) return WATER_NOISE_SD_KG.default;
  const sd = Math.sqrt(sumSq / pairs / 2);
  return Math.min(WATER_NOISE_SD_KG.max, Math.max(WATER_NOISE_SD_KG.min, sd));
}

/** Running count, mean and variance of the values in a sliding window of days. */
export class WindowStats {
  count = 0;
  private sum = 0;
  private sumSq = 0;

  add(v: number): void {
    this.count += 1;
    this.sum += v;
    this.sumSq += v * v;
  }

  remove(v: number): void {
    this.count -= 1;
    this.sum -= v;
    this.sumSq -= v * v;
  }

  mean(): number {
    return this.sum / this.count;
  }

  /** sample variance; 0 with fewer than 2 values */
  variance(): number {
    return this.count < 2 ? 0 : Math.max(0, (this.sumSq - (this.sum * this.sum) / this.count) / (this.count - 1));
  }
}
