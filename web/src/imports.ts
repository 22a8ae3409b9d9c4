/**
 * An import's report in words (the Import card, components/ImportCard.tsx): the format's name, the
 * days and their range, what happens to each kind of day, and why rows were left out. Pure: web/test
 * checks it.
 */
import type { ImportFormat, ImportReport, OnConflict } from './api/types.ts';
import { formatDate, plural } from './format.ts';

/** A Record over the API's formats: a new one is a type error here until it has its name. */
export const FORMAT_NAME: Record<ImportFormat, string> = {
  myfitnesspal: 'MyFitnessPal',
  cronometer: 'Cronometer',
  loseit: 'Lose It!',
  apple_health: 'Apple Health',
  weights_csv: 'CSV of weigh-ins',
};

/** "MyFitnessPal, Cronometer, Lose It! or Apple Health": the apps whose exports are read. */
export const IMPORTED_APPS = ((apps: string[]) => `${apps.slice(0, -1).join(', ')} or ${apps.at(-1)}`)(
  Object.entries(FORMAT_NAME).flatMap(([format, name]) => (format === 'weights_csv' ? [] : [name])),
);

const dayText = (date: string) => formatDate(`${date}T12:00:00Z`);

/** "16 days, 2 Nov 2026 – 17 Nov 2026"; "1 day, 2 Nov 2026"; "No days". */
export function daysText(report: ImportReport): string {
  const { days_total: days, first_date: first, last_date: last } = report;
  if (days === 0 || first === null) return 'No days';
  const range = last === null || last === first ? dayText(first) : `${dayText(first)} – ${dayText(last)}`;
  return `${plural(days, 'day')}, ${range}`;
}

type DayCounts = ImportReport['weights'];

/** The days of one kind the import takes (stored, kept or the same already): all but the refused. */
export const daysOf = (counts: DayCounts) => counts.imported + counts.updated + counts.unchanged + counts.kept;

/** Days entered by hand whose values differ from the file's: kept with on_conflict=keep, replaced with replace. */
export const handEnteredDays = (report: ImportReport) => report.weights.kept + report.intake.kept;

/**
 * "14 new, 1 updated, 1 already the same, 2 of yours kept": one kind of day. `onConflict` says what
 * happens to the days a dry run with `keep` counted as kept: with `replace` they are replaced.
 */
export function countsText(counts: DayCounts, onConflict: OnConflict = 'keep'): string {
  const parts: [number, string][] = [
    [counts.imported, 'new'],
    [counts.updated, 'updated'],
    [counts.unchanged, 'already the same'],
    [counts.kept, onConflict === 'keep' ? 'of yours kept' : 'of yours replaced'],
    [counts.rejected, 'refused'],
  ];
  const text = parts
    .filter(([count]) => count > 0)
    .map(([count, what]) => `${count} ${what}`)
    .join(', ');
  return text === '' ? 'none' : text;
}

/** Rows the reader refused and days the import refused, listed or not. */
export const rejectedTotal = (report: ImportReport) => report.rows_rejected + report.weights.rejected + report.intake.rejected;

/** The readers' reasons are codes; the import's own are words already and shown as they come. */
const REASONS: Record<string, string> = {
  not_a_number: 'not a number',
  not_a_date: 'not a date',
  ambiguous_date: 'the date could be day/month or month/day',
  out_of_range: 'a value outside what Recomp stores',
  unknown_unit: 'a unit Recomp does not know',
  no_energy: 'no calories for the day',
  day_repeated: 'the day is given twice',
  malformed_xml: 'the XML is broken here',
};

export const reasonText = (reason: string) => REASONS[reason] ?? reason;

/** "Weights read in pounds." when the file has weights. */
export function weightUnitText(report: ImportReport): string | null {
  if (report.weight_unit === null || daysOf(report.weights) === 0) return null;
  return `Weights read in ${report.weight_unit === 'kg' ? 'kilograms' : 'pounds'}.`;
}

/** "2.4 MB": a file's size as its name's neighbour. */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const [value, unit] = bytes < 1e6 ? [bytes / 1e3, 'kB'] : bytes < 1e9 ? [bytes / 1e6, 'MB'] : [bytes / 1e9, 'GB'];
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}
