import { DomainError } from '../errors.ts';
import { DAY_MS } from '../time.ts';

// Weigh-ins and a day's intake belong to a calendar day, not to an instant: dates are
// 'YYYY-MM-DD' strings read as UTC days. Internally a date is its day number since 1970-01-01,
// so a gap between two dates is a subtraction and a daily series is a run of integers.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date; a 422 naming `field` for anything else. */
export function dayNumber(date: string, field = 'date'): number {
  const match = typeof date === 'string' ? ISO_DATE.exec(date) : null;
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const ms = Date.UTC(year, month - 1, day);
    const parsed = new Date(ms);
    // Date.UTC rolls 2025-02-30 over to March and maps years 0–99 to the 1900s: both are refused.
    if (parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day) {
      return ms / DAY_MS;
    }
  }
  throw new DomainError('invalid_date', `${field} must be a calendar date YYYY-MM-DD, got "${String(date)}".`, 'invalid', field);
}

/** The 'YYYY-MM-DD' date of a day number. */
export function dateOfDayNumber(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
