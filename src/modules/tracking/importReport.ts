/**
 * The report of an import, kept small whatever the size of the file: counts, and the first
 * LISTED_REJECTIONS rejected rows by line (rows are rejected while the file is read and, for days
 * that already have a weigh-in, while it is stored, so they do not arrive in line order).
 */
import type { Static } from 'typebox';
import { type ImportReport, LISTED_REJECTIONS, REJECTION_REASONS, type RejectionReason } from './schemas.ts';

export interface RejectedRow {
  line: number;
  date?: string;
  weightKg?: number;
  reason: RejectionReason;
  detail: string;
}

export function createImportReport() {
  let imported = 0;
  let rejected = 0;
  const byReason = Object.fromEntries(REJECTION_REASONS.map((reason) => [reason, 0])) as Record<RejectionReason, number>;
  const listed: RejectedRow[] = [];
  return {
    imported() {
      imported++;
    },
    reject(row: RejectedRow) {
      rejected++;
      byReason[row.reason]++;
      if (listed.length === LISTED_REJECTIONS && row.line > listed[LISTED_REJECTIONS - 1]!.line) return;
      let at = listed.length;
      while (at > 0 && listed[at - 1]!.line > row.line) at--;
      listed.splice(at, 0, row);
      if (listed.length > LISTED_REJECTIONS) listed.pop();
    },
    result(): Static<typeof ImportReport> {
      return {
        imported,
        rejected,
        rejected_by_reason: byReason,
        rejected_rows: listed.map((row) => ({
          line: row.line,
          ...(row.date === undefined ? {} : { date: row.date }),
          ...(row.weightKg === undefined ? {} : { weight_kg: row.weightKg }),
          reason: row.reason,
          detail: row.detail,
        })),
      };
    },
  };
}
