// Elapsed time in the units the rules use. Every instant is a Date passed in by the caller
// (never the clock), so results are reproducible.

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** Fractional weeks from `from` to `to` (negative if `to` is earlier). */
export function weeksBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / WEEK_MS;
}

/** Whole 24 h days elapsed, floored (never negative). */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
}

/** Whole weeks elapsed = floor(whole days / 7), never negative. */
export function wholeWeeksBetween(from: Date, to: Date): number {
  return Math.floor(wholeDaysBetween(from, to) / 7);
}
