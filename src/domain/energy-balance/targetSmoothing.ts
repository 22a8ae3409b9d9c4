import { requireFinite } from '../errors.ts';
import { roundHalfEven } from '../rounding.ts';

// How a check-in moves the stored calorie target (docs/SCIENCE.md 3.4): towards the freshly computed
// target in bounded weekly steps, ignoring changes inside the estimate's noise.

/** Changes smaller than this keep the target: a week's expenditure estimate moves this much by noise alone. */
export const TARGET_DEAD_BAND_KCAL = 50;
/** The largest move of the target per week since it was last set. */
export const TARGET_STEP_PER_WEEK_KCAL = 100;

type TargetMove = 'changed' | 'capped' | 'kept';

export interface SmoothedTarget {
  calories: number;
  /** changed: moved to the raw target; capped: moved towards it by the step; kept: inside the dead band */
  move: TargetMove;
}

/**
 * The target a check-in stores, from the previous stored target and the one computed now
 * (checkInCalorieTarget). The result always lies between the two, so when both respect the floors
 * and caps (docs/SCIENCE.md 3.1) so does it. At least one week's step is allowed, however soon the
 * check-in follows the previous target.
 */
export function smoothedCalorieTarget(p: { previousCalories: number; rawCalories: number; daysSincePrevious: number }): SmoothedTarget {
  const previous = requireFinite(p.previousCalories, 'previous_calories');
  const raw = requireFinite(p.rawCalories, 'raw_calories');
  const delta = raw - previous;
  if (Math.abs(delta) < TARGET_DEAD_BAND_KCAL) return { calories: previous, move: 'kept' };
  const weeks = Math.max(1, requireFinite(p.daysSincePrevious, 'days_since_previous') / 7);
  const cap = roundHalfEven(TARGET_STEP_PER_WEEK_KCAL * weeks);
  if (Math.abs(delta) <= cap) return { calories: raw, move: 'changed' };
  return { calories: previous + Math.sign(delta) * cap, move: 'capped' };
}
