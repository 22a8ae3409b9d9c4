/**
 * Dates and times of day as the exports write them. A date is read as the weigh-in CSV import reads
 * it (src/modules/tracking/csv.ts): ISO `2026-03-01` (a time after it ignored), or a day/month/year
 * whose order the file settles: US month first for Lose It!, an American app whose export writes
 * `03/01/2026`; otherwise only a date no other reading could give (`25/03/2026`).
 */
import { parseDay, type DateOrder } from '../../tracking/csv.ts';

export type DayCell = { day: string } | { reason: 'not_a_date' | 'ambiguous_date' };

export function readDay(cell: string, order: DateOrder | null): DayCell {
  const parsed = parseDay(cell.trim(), order);
  return 'day' in parsed ? parsed : { reason: parsed.reason };
}

/** `19:30`, `7:30 PM`, `07:30:00`, `7:30pm` → minutes after midnight; null when the cell is empty or not a time. */
export function minutesAfterMidnight(cell: string): number | null {
  const match = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*([ap])?\.?m?\.?$/i.exec(cell.trim());
  if (!match) return null;
  let hours = Number(match[1]);
  const minutes = Number(match[2]);
  const half = match[3]?.toLowerCase();
  if (half !== undefined) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (half === 'p' ? 12 : 0);
  }
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}
