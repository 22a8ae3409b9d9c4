/**
 * What the dashboard says about a goal besides its numbers: whether it is on track, how long is
 * left, the warnings of the latest check-in, and a goal that has just been reached.
 */
import type { Goal, GoalType, ProgressEntry, Trends } from './api/types.ts';
import { formatDate, formatPercent } from './format.ts';

export type TrackState = 'on_track' | 'off_track' | 'too_early';

/**
 * The API reports is_on_track false until there is a rate, so a goal started today read "Not on
 * track". Before the first check-in there is no verdict either way; from it on, the API's verdict
 * is the one the check-in's own result showed (the same rate), so both screens agree.
 */
export function trackState(trends: Trends): TrackState {
  if (trends.velocity.current_rate === null) return 'too_early';
  return trends.is_on_track ? 'on_track' : 'off_track';
}

export const TRACK_LABEL: Record<TrackState, string> = { on_track: 'On track', off_track: 'Not on track', too_early: 'Too early to tell' };
export const TRACK_BADGE: Record<TrackState, string> = { on_track: 'badge good', off_track: 'badge bad', too_early: 'badge neutral' };

/**
 * The API gives no estimate both when there is too little data and when the trend is flat or heads
 * away from the goal (src/domain/trends.ts weeksRemaining); only the first is "not known yet".
 */
export function weeksRemainingText(trends: Trends, goalType: GoalType): string {
  const remaining = trends.estimated_weeks_remaining;
  if (remaining !== null) return String(remaining);
  const rate = trends.velocity.current_rate;
  const towards = rate === null ? null : goalType === 'cutting' ? -rate : rate;
  const notHeadingThere = trends.trend === 'worsening' || (towards !== null && towards <= 0);
  return trends.trend !== 'insufficient_data' && notHeadingThere ? 'Not at the current rate' : 'Not known yet';
}

/** The warnings of the latest check-in (by when it was measured, whatever order the list came in). */
export function latestWarnings(entries: readonly ProgressEntry[]): string[] {
  const latest = entries.reduce<ProgressEntry | undefined>(
    (last, entry) => (!last || Date.parse(entry.measured_at) >= Date.parse(last.measured_at) ? entry : last),
    undefined,
  );
  return [latest?.ceiling_warning, latest?.rate_warning].filter((w): w is string => Boolean(w));
}

/** How long a reached goal stays on the dashboard: long enough to see it, not for ever. */
export const ACKNOWLEDGE_DAYS = 84;
const DAY_MS = 24 * 3600 * 1000;

export interface GoalReached {
  heading: string;
  achievement: string;
  nextSteps: string;
}

/**
 * The acknowledgement of a goal reached (docs/DESIGN.md, 'Goal lifecycle'): only for the latest goal, so a
 * goal abandoned or started since hides it, and only for a few weeks after it was reached.
 */
export function goalReached(latest: Goal | null, now = new Date()): GoalReached | null {
  if (!latest || latest.status !== 'completed') return null;
  const ended = latest.completed_at ?? null;
  if (ended && now.getTime() - Date.parse(ended) > ACKNOWLEDGE_DAYS * DAY_MS) return null;
  const when = ended ? ` on ${formatDate(ended)}` : '';
  const from = `from ${formatPercent(latest.initial_body_fat_percentage)} at the start`;
  const reached = formatPercent(latest.current_body_fat_percentage);
  if (latest.goal_type === 'cutting') {
    const target = latest.target_body_fat_percentage;
    return {
      heading: 'Cutting goal reached',
      achievement: `You got down to ${reached} body fat${when}${target === null ? '' : `, reaching your target of ${formatPercent(target)}`}, ${from}. Well done.`,
      nextSteps:
        'Next: eat at maintenance for a few weeks to settle at your new body fat, then start a new goal: a lean bulk to build muscle, or another cut.',
    };
  }
  const ceiling = latest.ceiling_body_fat_percentage;
  return {
    heading: 'Bulk complete',
    achievement: `You reached ${reached} body fat${when}${ceiling === null ? '' : `, your ceiling of ${formatPercent(ceiling)}`}, ${from}. The bulk is done.`,
    nextSteps: 'Next: switch to maintenance calories to keep what you gained, or start a cutting goal to bring your body fat back down.',
  };
}
