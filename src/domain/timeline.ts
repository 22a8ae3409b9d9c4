import { DomainError, requireFinite } from './errors.ts';
import { roundHalfEven } from './rounding.ts';
import type { GoalType } from './types.ts';

/** Weeks per month of the fixed timeline (docs/SCIENCE.md 5): 52 / 12 = 4.33. */
const WEEKS_PER_MONTH = 4.33;

/**
 * Expected %BF points per week in the goal direction: 0.75 points a month when cutting (the
 * middle of 0.5–1) and 0.2 a month when bulking (the middle of 0.1–0.3), docs/SCIENCE.md 5.
 */
export const EXPECTED_BF_RATE_PER_WEEK: Record<GoalType, number> = {
  cutting: 0.75 / WEEKS_PER_MONTH,
  bulking: 0.2 / WEEKS_PER_MONTH,
};

/** Whole weeks to cover `gapPoints` at `ratePerWeek` (both in the goal direction); at least 1. */
export function weeksAtRate(gapPoints: number, ratePerWeek: number): number {
  requireFinite(gapPoints, 'gap');
  if (!(ratePerWeek > 0) || !Number.isFinite(ratePerWeek)) {
    throw new DomainError('invalid_rate', 'The rate must be a positive number of points per week.', 'invalid');
  }
  return Math.max(1, roundHalfEven(gapPoints / ratePerWeek));
}

/**
 * Estimated weeks at the expected rate. max(1, …) because the database requires > 0 and a tiny
 * gap would round to 0 (docs/DESIGN.md, 'Goal rules'; the load scripts assert ≥ 1).
 */
export function estimatedWeeksToGoal(goalType: GoalType, bodyFatPct: number, goalBodyFatPct: number): number {
  requireFinite(bodyFatPct, 'body_fat_percentage');
  requireFinite(goalBodyFatPct, goalType === 'cutting' ? 'target_body_fat_percentage' : 'ceiling_body_fat_percentage');
  const gap = goalType === 'cutting' ? bodyFatPct - goalBodyFatPct : goalBodyFatPct - bodyFatPct;
  return weeksAtRate(gap, EXPECTED_BF_RATE_PER_WEEK[goalType]);
}
