import { roundHalfEven, toHundredths } from './rounding.ts';
import { wholeWeeksBetween } from './time.ts';
import type { GoalFacts } from './types.ts';

function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
}

/** The body fat the goal aims at: the target when cutting, the ceiling when bulking. */
export function goalBodyFat(goal: GoalFacts): number | null {
  return goal.goalType === 'cutting' ? goal.targetBodyFatPct : goal.ceilingBodyFatPct;
}

/** Completion rule (docs/DESIGN.md, 'Goal lifecycle'): cutting at or below the target, bulking at or above the ceiling. */
export function reachesGoal(goal: GoalFacts, bodyFatPct: number): boolean {
  const aim = goalBodyFat(goal);
  if (aim === null) return false;
  const current = toHundredths(bodyFatPct);
  return goal.goalType === 'cutting' ? current <= toHundredths(aim) : current >= toHundredths(aim);
}

/**
 * Share of the way from the initial %BF to the target/ceiling, 0–100, 2 dp (docs/SCIENCE.md 5);
 * computed on exact hundredths so that stored 2-dp values give stable percentages.
 */
export function progressPercentage(goal: GoalFacts, currentBodyFatPct: number): number {
  const aim = goalBodyFat(goal);
  if (aim === null) return 0;
  const sign = goal.goalType === 'cutting' ? -1 : 1;
  const start = toHundredths(goal.initial.bodyFatPct);
  const whole = sign * (toHundredths(aim) - start);
  if (whole === 0) return 100;
  const done = sign * (toHundredths(currentBodyFatPct) - start);
  return roundHalfEven(clampPercent((done / whole) * 100), 2);
}

/** Share of the progress expected on the timeline to count as on track (docs/SCIENCE.md 5). */
const GOAL_ON_TRACK_FRACTION = 0.9;

/**
 * Derived goal fields (docs/SCIENCE.md 5; docs/DESIGN.md, 'Trends'): real progress from the latest %BF, wall-clock weeks
 * since started_at, and on track when progress ≥ 90 % of the share of the timeline elapsed.
 * The expected share is capped at 100 %, so a goal that has arrived is on track however late.
 */
export function goalStatus(p: { goal: GoalFacts; currentBodyFatPct: number; startedAt: Date; now: Date }): {
  currentBodyFatPercentage: number;
  progressPercentage: number;
  weeksElapsed: number;
  isOnTrack: boolean;
} {
  const progress = progressPercentage(p.goal, p.currentBodyFatPct);
  const weeksElapsed = wholeWeeksBetween(p.startedAt, p.now);
  const estimate = p.goal.estimatedWeeksToGoal;
  const expected = estimate && estimate > 0 ? clampPercent((weeksElapsed / estimate) * 100) : 0;
  return {
    currentBodyFatPercentage: p.currentBodyFatPct,
    progressPercentage: progress,
    weeksElapsed,
    isOnTrack: estimate === null || weeksElapsed === 0 || progress >= GOAL_ON_TRACK_FRACTION * expected,
  };
}
