import { BULK_MAX_RATE_PER_WEEK, CUT_FAST_RATE_PER_WEEK, minOnTrackRate, rateTowardsGoal } from './rates.ts';
import type { GoalType, Trend } from './types.ts';

/**
 * Trend from the observed rate, with the same band as on track (rates.ts): improving at ≥ half the
 * expected rate in the goal direction; cutting is worsening when body fat rises at least that fast
 * (a cut whose body fat rises is "worsening", not a plateau); bulking is worsening when fat rises faster than
 * 0.5 points/week; anything in between is a plateau.
 */
export function classifyTrend(goalType: GoalType, ratePerWeek: number | null, enoughData: boolean): Trend {
  if (!enoughData || ratePerWeek === null) return 'insufficient_data';
  const towards = rateTowardsGoal(goalType, ratePerWeek);
  const band = minOnTrackRate(goalType);
  if (goalType === 'bulking' && towards > BULK_MAX_RATE_PER_WEEK) return 'worsening';
  if (towards >= band) return 'improving';
  if (goalType === 'cutting' && towards <= -band) return 'worsening';
  return 'plateau';
}

/**
 * One advisory sentence per trend (docs/SCIENCE.md 6); "maintain" whenever improving and on track.
 * The calorie target is the service's (recomputed at each check-in), so advice to eat more or less
 * names the way to do it in the app, a different weekly rate, rather than telling the person to
 * override the target by hand.
 */
export function adjustmentSuggestion(p: {
  goalType: GoalType;
  trend: Trend;
  isOnTrack: boolean;
  ratePerWeek: number | null;
  hasEntries: boolean;
}): string | null {
  if (!p.hasEntries) return null;
  if (p.trend === 'insufficient_data') {
    return 'Keep logging your measurements: a trend needs at least two entries over two weeks.';
  }
  if (p.goalType === 'cutting') {
    if (p.trend === 'improving' && p.isOnTrack) {
      const fast = p.ratePerWeek !== null && -p.ratePerWeek > CUT_FAST_RATE_PER_WEEK;
      return fast
        ? 'Body fat is falling more than 1 point a week: maintain the plan only while your lifts hold; if strength drops, muscle is at risk, so shrink the deficit by 100-200 kcal a day with a slower weekly rate.'
        : 'Good progress: maintain the plan and your training. Your calorie target follows your measured expenditure, so keep logging and eat to it.';
    }
    if (p.trend === 'plateau') {
      return 'Progress has stalled: check that you log everything you eat; if you do, deepen the deficit by 100-200 kcal a day with a faster weekly rate, or add 1-2 cardio sessions a week.';
    }
    if (p.trend === 'worsening') {
      return 'Body fat is rising: check your calorie tracking and eat to your target; if it goes on, deepen the deficit by 100-200 kcal a day with a faster weekly rate, and keep up your training volume.';
    }
    return 'Steady progress: keep going.';
  }
  if (p.trend === 'improving' && p.isOnTrack) {
    return 'A healthy rate of gain: maintain the plan and your training. Your calorie target follows your measured expenditure, so keep logging and eat to it.';
  }
  if (p.trend === 'plateau')
    return 'Gains have stalled: check that you eat your whole target; if you do, raise the surplus by 100-200 kcal a day with a faster weekly rate.';
  if (p.trend === 'worsening') {
    return 'Body fat is rising faster than 0.5 points a week: lower the surplus by 100-200 kcal a day with a slower weekly rate.';
  }
  return 'Steady progress: keep going.';
}
