/** History's rows: each measurement with the check-in or the goal start it belongs to, and whether it may be deleted. */
import type { Goal, Measurement, ProgressEntry } from './api/types.ts';
import { SITES } from './methods.ts';
import { formatQuantity, type Units } from './units.ts';

export interface HistoryRow {
  measurement: Measurement;
  entry?: { goal: Goal; progress: ProgressEntry };
  startOf?: Goal;
}

/** `entries`: every goal with all its check-ins (each check-in links one measurement). */
export function historyRows(measurements: Measurement[], entries: { goal: Goal; progress: ProgressEntry[] }[]): HistoryRow[] {
  const byMeasurement = new Map<string, { goal: Goal; progress: ProgressEntry }>();
  for (const { goal, progress } of entries) for (const p of progress) byMeasurement.set(p.measurement_id, { goal, progress: p });
  const starts = new Map(entries.map(({ goal }) => [goal.initial_measurement_id, goal]));
  return measurements.map((m) => {
    const entry = byMeasurement.get(m.id);
    const startOf = starts.get(m.id);
    return { measurement: m, ...(entry ? { entry } : {}), ...(startOf ? { startOf } : {}) };
  });
}

/** A goal's start and a check-in's measurement stay with them (the API refuses with 409 measurement_in_use). */
export const isDeletable = (row: HistoryRow): boolean => !row.entry && !row.startOf;

/** "Waist 90.0 cm, Neck 38.0 cm" or "Chest 12.0 mm, …": the sites a measurement was taken at, in the display units. */
export const measurementSites = (m: Measurement, units: Units): string =>
  Object.values(SITES)
    .flatMap((site) => {
      const value = m[site.key];
      return value === null ? [] : [`${site.label} ${formatQuantity(site.kind, value, units)}`];
    })
    .join(', ');
