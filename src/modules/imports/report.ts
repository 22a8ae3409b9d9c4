/**
 * An import's report (schemas.ts, ImportReport), kept small whatever the file's size: counts per
 * verdict and kind of day, and the first rows and days refused. The reader's refusals come first
 * (in file order), then the days the import itself refuses.
 */
import { LISTED_REJECTIONS, type ParsedImport, type RejectedRow } from './formats/types.ts';
import type { ImportReportWire } from './schemas.ts';

export type DayKind = 'weights' | 'intake';
export type Verdict = 'imported' | 'updated' | 'unchanged' | 'kept';

const noDays = () => ({ imported: 0, updated: 0, unchanged: 0, kept: 0, rejected: 0 });

/** The report of an import not read yet. */
export const emptyReport = (): ImportReportWire => ({
  weights: noDays(),
  intake: noDays(),
  first_date: null,
  last_date: null,
  rows_rejected: 0,
  rejected_rows: [],
  weight_unit: null,
  days_done: 0,
  days_total: 0,
});

/** The report once the file is read: what the reader refused, and the days to take. */
export function reportOfFile(parsed: ParsedImport, days: string[]): ImportReportWire {
  return {
    ...emptyReport(),
    rows_rejected: parsed.rejectedCount,
    rejected_rows: parsed.rejected.slice(0, LISTED_REJECTIONS),
    weight_unit: parsed.weightUnit,
    first_date: days[0] ?? null,
    last_date: days.at(-1) ?? null,
    days_total: days.length,
  };
}

export function rejectDay(report: ImportReportWire, kind: DayKind, row: RejectedRow): void {
  report[kind].rejected++;
  if (report.rejected_rows.length < LISTED_REJECTIONS) report.rejected_rows.push(row);
}

/** The verdicts of a batch of days, counted apart until the batch is stored. */
export interface Tally {
  weights: Record<Verdict, number>;
  intake: Record<Verdict, number>;
  days: number;
}

export const emptyTally = (): Tally => ({
  weights: { imported: 0, updated: 0, unchanged: 0, kept: 0 },
  intake: { imported: 0, updated: 0, unchanged: 0, kept: 0 },
  days: 0,
});

/** The report with a stored batch counted; a new object, so the report before it stands if the batch fails. */
export function withTally(report: ImportReportWire, tally: Tally): ImportReportWire {
  const add = (kind: DayKind) => {
    const counts = { ...report[kind] };
    for (const verdict of Object.keys(tally[kind]) as Verdict[]) counts[verdict] += tally[kind][verdict];
    return counts;
  };
  return {
    ...report,
    weights: add('weights'),
    intake: add('intake'),
    rejected_rows: [...report.rejected_rows],
    days_done: report.days_done + tally.days,
  };
}
