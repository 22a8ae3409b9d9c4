/**
 * What the dashboard says about a goal besides its numbers: whether it is on track, its forecast,
 * the current weight, the warnings of the latest check-in, and a goal that has just been reached.
 */
import type { Goal, ProgressEntry, Trends } from './api/types.ts';
import { formatDate, formatPercent, plural } from './format.ts';
import { formatQuantity, type Units } from './units.ts';

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

type Forecast = Trends['forecast'];
type Weeks = Pick<Forecast['plan'], 'weeks' | 'weeks_low' | 'weeks_high'>;

/** "about 27 weeks (25–28)", "about 13 weeks (12 or longer)", or null when not reached. */
function weeksText(f: Weeks): string | null {
  if (f.weeks === null) return null;
  if (f.weeks === 0) return 'now';
  const low = f.weeks_low ?? f.weeks;
  const range = f.weeks_high === null ? ` (${low} or longer)` : low === f.weeks_high ? '' : ` (${low}–${f.weeks_high})`;
  return `in about ${plural(f.weeks, 'week')}${range}`;
}

/**
 * The goal's one timeline (docs/SCIENCE.md 10.1), from the API's forecast: "25.0 % in about 27
 * weeks (25–28) on your plan. At your current rate: about 13 weeks (12–14)." The ranges are 80 %
 * intervals; the sentence on why the two differ is the API's explanation, shown beside it.
 */
export function forecastText(forecast: Forecast, limit: number | null): string {
  const planPart = planSentence(forecast.plan, limit);
  const observed = forecast.observed;
  if (observed === null) return planPart;
  const at = weeksText(observed);
  return `${planPart} At your current rate: ${at === null ? 'not reached' : at.replace(/^in /, '')}.`;
}

/** The plan's part alone: "25.0 % in about 39 weeks (35–43) on your plan." */
export function planSentence(plan: Weeks, limit: number | null): string {
  const weeks = weeksText(plan);
  if (weeks === null) return 'Your plan does not reach your goal at this rate: choose a faster rate.';
  return `${limit === null ? 'Your goal' : formatPercent(limit)} ${weeks} on your plan.`;
}

/** "66.6 kg trend weight (66.2 on the scale today), down 0.28 kg a week." */
export function currentWeightText(forecast: Forecast, units: Units): string | null {
  if (forecast.trend_weight_kg === null) return null;
  const scale =
    forecast.scale_weight_kg === null ? '' : ` (${formatQuantity('weight', forecast.scale_weight_kg, units)} on the scale today)`;
  const rate = forecast.weekly_weight_rate_kg;
  const moving =
    rate === null
      ? ''
      : Math.abs(rate) < 0.005
        ? ', steady'
        : `, ${rate < 0 ? 'down' : 'up'} ${formatQuantity('weight', Math.abs(rate), units, 2)} a week`;
  return `${formatQuantity('weight', forecast.trend_weight_kg, units)} trend weight${scale}${moving}.`;
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
