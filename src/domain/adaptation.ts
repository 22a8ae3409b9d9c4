import { BULK_MAX_RATE_PER_WEEK, CUT_FAST_RATE_PER_WEEK, fitOverTime, minOnTrackRate, rateTowardsGoal } from './rates.ts';
import type { BodyPoint, GoalType } from './types.ts';

// The check-in step of the fixed rule (docs/SCIENCE.md 3.2; docs/DESIGN.md, 'When the plan is recomputed'): while
// the expenditure is still the equation, checkInCalorieTarget (energy-balance/goalPlan.ts) nudges
// the target by one modest step when the observed rate is clearly outside the on-track band. The
// step is never cumulative and never tries to catch up lost time: 100 kcal is about a quarter of a
// typical deficit and within the 100–200 kcal adjustments the trend advice suggests.

export const ADAPTATION_STEP_KCAL = 100;
/** Fewer weeks of data than this cannot tell a real rate from water and tape noise. */
const MIN_ADAPTATION_WEEKS = 2;

/**
 * The rate to adapt on: the least-squares %BF slope per week over all points, or null until the
 * points span MIN_ADAPTATION_WEEKS (so daily weigh-ins do not move calories in the first days).
 */
export function adaptationRate(points: readonly BodyPoint[]): number | null {
  const fit = fitOverTime(points, (p) => p.bodyFatPct);
  if (!fit || fit.spanWeeks < MIN_ADAPTATION_WEEKS) return null;
  return fit.slope;
}

/**
 * kcal added to the standard target: too slow (under half the expected rate, or the wrong way)
 * → one step more deficit/surplus; too fast (cutting over 1 point/week, bulking over 0.5) → one
 * step less; otherwise, or without a rate, 0.
 */
export function calorieAdjustment(goalType: GoalType, observedRatePerWeek: number | null): number {
  if (observedRatePerWeek === null || !Number.isFinite(observedRatePerWeek)) return 0;
  const towards = rateTowardsGoal(goalType, observedRatePerWeek);
  const moreEnergy = goalType === 'cutting' ? -ADAPTATION_STEP_KCAL : ADAPTATION_STEP_KCAL;
  if (towards < minOnTrackRate(goalType)) return moreEnergy;
  const tooFast = goalType === 'cutting' ? CUT_FAST_RATE_PER_WEEK : BULK_MAX_RATE_PER_WEEK;
  if (towards > tooFast) return -moreEnergy;
  return 0;
}
