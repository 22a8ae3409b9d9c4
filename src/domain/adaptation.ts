import { boundedCalorieTarget } from './energy.ts';
import { maintenanceCalories } from './planning.ts';
import type { Profile } from './planning.ts';
import { BULK_MAX_RATE_PER_WEEK, CUT_FAST_RATE_PER_WEEK, fitOverTime, minOnTrackRate, rateTowardsGoal } from './rates.ts';
import type { BodyPoint, GoalFacts, GoalType } from './types.ts';

// Plans follow progress (docs/DESIGN.md, 'When the plan is recomputed'). After every entry the calorie target is rebuilt from the
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
 * The recomputed daily target: the standard rule at the latest weight plus the adjustment, inside
 * the sex floor and 1200–5000. Unlike goal creation it never refuses: if the person has become too
 * light for any deficit (or too heavy for any surplus) since the goal began, the plan keeps the
 * safe floor (or the 5000 kcal cap) rather than failing a valid progress entry.
 */
export function adaptedCalorieTarget(p: {
  profile: Profile;
  goal: GoalFacts;
  latestWeightKg: number;
  observedRatePerWeek: number | null;
}): number {
  const tdee = maintenanceCalories(p.profile, p.latestWeightKg);
  const adjustment = calorieAdjustment(p.goal.goalType, p.observedRatePerWeek);
  return boundedCalorieTarget(p.goal.goalType, tdee, p.profile.sex, adjustment);
}
