import { adaptationRate } from './adaptation.ts';
import { DomainError } from './errors.ts';
import { reachesGoal } from './goalStatus.ts';
import { BULK_MAX_RATE_PER_WEEK, isRateOnTrack, observedRatePerWeek } from './rates.ts';
import { exactDifference, formatFixed, fromHundredths, toHundredths } from './rounding.ts';
import { wholeDaysBetween, wholeWeeksBetween } from './time.ts';
import type { BodyPoint, GoalFacts } from './types.ts';

/** week_number (docs/DESIGN.md, 'Check-ins'): whole weeks since the goal's initial measurement; several entries may share one. */
export function weekNumber(initialMeasuredAt: Date, measuredAt: Date): number {
  return wholeWeeksBetween(initialMeasuredAt, measuredAt);
}

/** Within this many points of the ceiling a bulk gets a warning (strictly less; docs/SCIENCE.md 6). */
const CEILING_WARNING_POINTS = 1;

/** Bulking ceiling warning (docs/SCIENCE.md 6): reached, near (under 1 point left), or null. */
function ceilingWarning(ceilingBodyFatPct: number, bodyFatPct: number): string | null {
  const gap = toHundredths(ceilingBodyFatPct) - toHundredths(bodyFatPct);
  const shown = `${formatFixed(bodyFatPct, 2)} %`;
  const ceiling = `${formatFixed(ceilingBodyFatPct, 2)} %`;
  if (gap <= 0) {
    return `Body fat ${shown} has reached your ceiling of ${ceiling}: the bulk is complete. Move to maintenance calories or start a cut.`;
  }
  if (gap < CEILING_WARNING_POINTS * 100) {
    return `Body fat ${shown} is only ${formatFixed(fromHundredths(gap), 1)} points below your ceiling of ${ceiling}: consider maintenance calories or a short cut soon.`;
  }
  return null;
}

/**
 * Bulking rate warning (docs/SCIENCE.md 6), comparing with the previous point, which for the first entry is
 * the initial measurement, so the first check-in is checked too. The rate is per whole week, at least one, so a day-to-day swing
 * is not blown up into a weekly rate.
 */
function rateWarning(previous: BodyPoint, current: BodyPoint): string | null {
  const weeks = Math.max(1, Math.floor(wholeDaysBetween(previous.measuredAt, current.measuredAt) / 7));
  const rate = exactDifference(current.bodyFatPct, previous.bodyFatPct) / weeks;
  if (rate <= BULK_MAX_RATE_PER_WEEK) return null;
  return `Body fat is rising ${formatFixed(rate, 2)} points per week, faster than the ideal 0.1-0.3 % per week: reduce your calorie surplus by 100-200 kcal a day.`;
}

export interface ProgressEvaluation {
  weekNumber: number;
  bodyFatChange: number;
  weightChangeKg: number;
  isOnTrack: boolean;
  ceilingWarning: string | null;
  rateWarning: string | null;
  completesGoal: boolean;
  /** The observed rate to pass to checkInCalorieTarget (null until two weeks of data exist). */
  adaptationRatePerWeek: number | null;
}

/**
 * Everything a new progress entry records or reports (docs/DESIGN.md, 'Check-ins').
 * - Deltas are against the previous point (last entry, else the initial measurement), exact in 2 dp.
 * - On track is judged on ALL points (initial, entries, this one) by the shared rate rule
 *   (rates.ts): least-squares rate in the goal direction ≥ half the timeline rate, bulking ≤ 0.5/week,
 *   where less than a week of data counts as one week so daily swings are not magnified.
 * - Bulking warnings (docs/SCIENCE.md 6); cutting entries carry none.
 */
export function evaluateProgress(p: { goal: GoalFacts; previousEntries: BodyPoint[]; current: BodyPoint }): ProgressEvaluation {
  const { goal, current } = p;
  const previous = p.previousEntries.at(-1) ?? goal.initial;
  if (!(current.measuredAt.getTime() > previous.measuredAt.getTime())) {
    throw new DomainError(
      'measurement_not_after_previous',
      "A progress measurement must be taken after the goal's initial measurement and after the previous entry's measurement.",
      'rejected',
      'measurement_id',
    );
  }
  const points = [goal.initial, ...p.previousEntries, current];
  const bulking = goal.goalType === 'bulking';
  const ceiling = goal.ceilingBodyFatPct;
  return {
    weekNumber: weekNumber(goal.initial.measuredAt, current.measuredAt),
    bodyFatChange: exactDifference(current.bodyFatPct, previous.bodyFatPct),
    weightChangeKg: exactDifference(current.weightKg, previous.weightKg),
    isOnTrack: isRateOnTrack(goal.goalType, observedRatePerWeek(points)),
    ceilingWarning: bulking && ceiling !== null ? ceilingWarning(ceiling, current.bodyFatPct) : null,
    rateWarning: bulking ? rateWarning(previous, current) : null,
    completesGoal: reachesGoal(goal, current.bodyFatPct),
    adaptationRatePerWeek: adaptationRate(points),
  };
}
