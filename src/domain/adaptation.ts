import { boundedCalorieTarget, calorieTarget } from './energy.ts';
import { isDomainError } from './errors.ts';
import { maintenanceCalories } from './planning.ts';
import type { Profile } from './planning.ts';
import { BULK_MAX_RATE_PER_WEEK, CUT_FAST_RATE_PER_WEEK, fitOverTime, minOnTrackRate, rateTowardsGoal } from './rates.ts';
import type { BodyPoint, GoalFacts, GoalType } from './types.ts';

// Plans follow progress (decision 9). After every entry the calorie target is rebuilt from the
// latest weight (so TDEE tracks the body as it changes) and nudged by one modest step when the
// observed rate is clearly outside the on-track band. The step is never cumulative and never
// tries to catch up lost time: 100 kcal is about a quarter of the standard deficit and within the
// 100–200 kcal adjustments the trend advice suggests.

export const ADAPTATION_STEP_KCAL = 100;
/** Fewer weeks of data than this cannot tell a real rate from water and tape noise. */
export const MIN_ADAPTATION_WEEKS = 2;

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

/**
 * The recomputed daily target. Never throws for a valid profile: if the bounds leave no room for
 * the adjusted deficit/surplus it falls back to the unadjusted one, and if even that cannot fit
 * (the person got too light for a cut, or too heavy for a bulk, since the goal began) it keeps
 * the bounded standard target (the safe floor, or 5000 kcal) rather than failing a progress entry.
 */
export function adaptedCalorieTarget(p: {
  profile: Profile;
  goal: GoalFacts;
  latestWeightKg: number;
  observedRatePerWeek: number | null;
}): number {
  const { goalType } = p.goal;
  const { sex } = p.profile;
  const tdee = maintenanceCalories(p.profile, p.latestWeightKg);
  const adjustment = calorieAdjustment(goalType, p.observedRatePerWeek);
  for (const attempt of adjustment === 0 ? [0] : [adjustment, 0]) {
    try {
      return calorieTarget(goalType, tdee, sex, attempt);
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
  }
  return boundedCalorieTarget(goalType, tdee, sex);
}
