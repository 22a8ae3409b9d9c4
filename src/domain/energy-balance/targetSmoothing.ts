import { requireFinite } from '../errors.ts';
import { roundHalfEven } from '../rounding.ts';

// How a check-in moves the stored calorie target (docs/SCIENCE.md 3.4): towards the freshly computed
// target in bounded weekly steps, once two check-ins in a row (or two weeks of data) point the same
// way, ignoring changes inside the estimate's noise.

/** Changes smaller than this keep the target: a week's expenditure estimate moves this much by noise alone. */
export const TARGET_DEAD_BAND_KCAL = 50;
/** The largest move of the target per week since it was last set. */
export const TARGET_STEP_PER_WEEK_KCAL = 100;
/** A check-in this long after the target was set speaks for itself: the estimate already spans that much new data. */
const TARGET_CONFIRMED_AFTER_DAYS = 14;

type TargetMove = 'changed' | 'capped' | 'kept' | 'unconfirmed';

export interface SmoothedTarget {
  calories: number;
  /**
   * changed: moved the whole way both weeks agree on; capped: moved by the week's step; kept: the raw target
   * is inside the dead band; unconfirmed: it is outside, but the previous check-in's was not, or
   * was on the other side
   */
  move: TargetMove;
}

/**
 * The target a check-in stores, from the stored target, the one computed now (checkInCalorieTarget)
 * and the one computed at the previous check-in.
 * - A raw target within the dead band of the stored one keeps it.
 * - Otherwise it moves only when the previous check-in's raw target also lay beyond the dead band
 *   on the same side: one noisy week never moves it, and a swing one way and back moves nothing.
 *   It moves by the smaller of the two changes, what both weeks agree on.
 * - A check-in two weeks or more after the target was set needs no second one: the estimate behind
 *   it already covers that much new data. It moves by its own change.
 * - At most a week's step per week since the stored target was set, and at least one week's step
 *   however soon.
 * The result always lies between the stored and the raw target, so when both respect the floors
 * and caps (docs/SCIENCE.md 3.1) so does it.
 */
export function smoothedCalorieTarget(p: {
  previousCalories: number;
  rawCalories: number;
  /** the raw target of the previous check-in; null when the stored target was set as computed (a start or a rate change) */
  previousRawCalories: number | null;
  daysSincePrevious: number;
}): SmoothedTarget {
  const previous = requireFinite(p.previousCalories, 'previous_calories');
  const raw = requireFinite(p.rawCalories, 'raw_calories');
  const before = requireFinite(p.previousRawCalories ?? previous, 'previous_raw_calories') - previous;
  const delta = raw - previous;
  if (Math.abs(delta) < TARGET_DEAD_BAND_KCAL) return { calories: previous, move: 'kept' };
  const days = requireFinite(p.daysSincePrevious, 'days_since_previous');
  const seconded = Math.abs(before) >= TARGET_DEAD_BAND_KCAL && Math.sign(before) === Math.sign(delta);
  if (days < TARGET_CONFIRMED_AFTER_DAYS && !seconded) return { calories: previous, move: 'unconfirmed' };
  const agreed = days >= TARGET_CONFIRMED_AFTER_DAYS ? Math.abs(delta) : Math.min(Math.abs(delta), Math.abs(before));
  const weeks = Math.max(1, days / 7);
  const cap = roundHalfEven(TARGET_STEP_PER_WEEK_KCAL * weeks);
  if (agreed <= cap) return { calories: previous + Math.sign(delta) * agreed, move: 'changed' };
  return { calories: previous + Math.sign(delta) * cap, move: 'capped' };
}
