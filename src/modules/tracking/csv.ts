/**
 * Reads weigh-ins from the CSV exports people already have: a plain `date,weight`, and the layouts
 * of common trackers' exports — Libra (`#` comment lines, `;`-separated, ISO timestamps, columns
 * `date;weight;weight trend;…`), Withings (`Date,"Weight (kg)",…` with `YYYY-MM-DD HH:MM:SS`),
 * Fitbit / TrendWeight / Happy Scale style `Date,Weight,…`. Every row gets a verdict, so a person
 * sees exactly what was taken and why the rest was not.
 *
 * csv-parse reads the records (RFC 4180 quoting: delimiters, quotes and line breaks inside quoted
 * fields). The text goes to it a slice at a time, and the event loop gets a turn after each slice,
 * so a file of 100,000 rows does not hold up the requests of everyone else.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { parse as parseLine } from 'csv-parse/sync';
import { KG_PER_LB } from '../../domain/index.ts';

export type DateOrder = 'ymd' | 'dmy' | 'mdy';
export type WeightUnit = 'kg' | 'lb';

/** Why the file itself gives a row no weigh-in. */
type RowProblem = 'not_a_date' | 'ambiguous_date' | 'no_weight' | 'not_a_weight' | 'weight_out_of_range' | 'day_repeated';

/** A row's verdict; `line` is the line of the file its record starts on. */
export type RowVerdict =
  | { line: number; status: 'accepted'; date: string; weightKg: number }
  | { line: number; status: 'rejected'; reason: RowProblem; detail: string; date?: string; weightKg?: number };

/** The file as a whole cannot be read: no header, no date or weight column, broken quoting. */
export class UnreadableCsv extends Error {
  override name = 'UnreadableCsv';
}

const WEIGHT_RANGE_KG = { min: 30, max: 300 };

/** About a thousand rows: parsing a slice takes a few milliseconds of the event loop. */
const SLICE_CHARS = 16 * 1024;
/** A real row is well under 1 KiB; a longer one is a broken file (a quote never closed). */
const MAX_RECORD_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '\t'] as const;

/** Columns that mention weight but are not the body weight itself. */
const NOT_BODY_WEIGHT = /trend|fat|bmi|lean|muscle|bone|water|goal|target|change|diff|avg|average|mass/i;

const isSkipped = (line: string) => {
  const text = line.trim();
  return text === '' || text.startsWith('#');
};

/** The first line that is neither blank nor a `#` comment, without splitting the whole file. */
function firstDataLine(text: string): string | null {
  const lineBreak = /\r\n|\n|\r/g;
  for (let start = 0; ; ) {
    lineBreak.lastIndex = start;
    const found = lineBreak.exec(text);
    const line = text.slice(start, found ? found.index : text.length);
    if (!isSkipped(line)) return line;
    if (!found) return null;
    start = found.index + found[0].length;
  }
}

/** The delimiter that splits the header into the most cells; a tie goes to the earlier of , ; tab. */
function detectDelimiter(header: string): string {
  const cells = (delimiter: string) => {
    try {
      return (parseLine(header, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][])[0]?.length ?? 0;
    } catch {
      return 0;
    }
  };
  let best: { delimiter: string; count: number } = { delimiter: ',', count: 0 };
  for (const delimiter of DELIMITERS) {
    const count = cells(delimiter);
    if (count > best.count) best = { delimiter, count };
  }
  return best.delimiter;
}

const isLineBreak = (code: number) => code === 10 || code === 13;

/** A longer stretch without a line break is passed on whole, for the parser to refuse (MAX_RECORD_BYTES). */
const MAX_LINE_CHARS = 1024 * 1024;

/** A string in pieces of SLICE_CHARS (a stream comes in pieces of its own). */
async function* piecesOf(text: string): AsyncGenerator<string> {
  for (let at = 0; at < text.length; at += SLICE_CHARS) yield text.slice(at, at + SLICE_CHARS);
}

/** Line breaks made `\n`, and `#` comment lines left empty (so every line of the file is still one line, and line numbers hold). */
const normalised = (lines: string) => lines.replace(/\r\n?/g, '\n').replace(/^[^\S\n]*#.*$/gm, '');

/**
 * The text in slices of whole lines, normalised, the event loop getting a turn after each. A
 * comment is a line whose first non-blank character is `#`, as in Libra's exports; like a blank
 * line it is skipped. (A line of a quoted multi-line field that starts with `#` is emptied too:
 * only a note can be such.) A piece is cut after its last line break, the rest carried over to the
 * next (a CR at its very end too, which may be the first half of a CRLF), so a line, and a
 * character whose UTF-16 halves two pieces split, reaches the parser whole.
 */
async function* lineSlices(pieces: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  let first = true;
  for await (const piece of pieces) {
    let text = carry + piece;
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let end = text.length;
    if (text.charCodeAt(end - 1) === 13) end--;
    while (end > 0 && !isLineBreak(text.charCodeAt(end - 1))) end--;
    if (end === 0 && text.length > MAX_LINE_CHARS) end = text.length;
    carry = text.slice(end);
    if (end > 0) {
      yield normalised(text.slice(0, end));
      await nextTurn();
    }
  }
  if (carry !== '') yield normalised(carry);
}

const lineBreaks = (cells: string[]) => {
  let count = 0;
  for (const cell of cells) for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) count++;
  return count;
};

/**
 * The records of the file that are not blank, each with the line it starts on: every line is part
 * of exactly one record (a blank one for a blank or comment line), so a record starts where the one
 * before it ended, plus the line breaks inside its quoted fields.
 */
async function* records(slices: AsyncIterable<string>, delimiter: string): AsyncGenerator<{ cells: string[]; line: number }> {
  // One slice read ahead of the parser, not sixteen: a file's text is held a slice at a time.
  const text = Readable.from(slices, { objectMode: true, highWaterMark: 1 });
  const parser = text.pipe(
    parse({
      delimiter,
      record_delimiter: '\n',
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  // A file's text can fail as it is read (not UTF-8, the reading stopped): the failure ends the records.
  text.once('error', (error) => parser.destroy(error));
  let line = 1;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      const start = line;
      line += 1 + lineBreaks(cells);
      if (cells.length === 1 && cells[0] === '') continue;
      yield { cells, line: start };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new UnreadableCsv(`The file is not readable as CSV: ${error.message}`);
    throw error;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

function calendarDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** The calendar day a cell names; the time of day, if any, is dropped (a weigh-in is per day). */
export function parseDay(
  cell: string,
  order: DateOrder | null,
): { day: string } | { error: string; reason: 'not_a_date' | 'ambiguous_date' } {
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(cell);
  if (iso) {
    const day = calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return day ? { day } : { error: `"${cell}" is not a real date`, reason: 'not_a_date' };
  }
  const local = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T ].*)?$/.exec(cell);
  if (local) {
    const [a, b, y] = [Number(local[1]), Number(local[2]), Number(local[3])];
    let effective = order;
    if (effective === null || effective === 'ymd') {
      if (a > 12 && b <= 12) effective = 'dmy';
      else if (b > 12 && a <= 12) effective = 'mdy';
      else return { error: `"${cell}" could be day/month or month/day: pass date_format=dmy or date_format=mdy`, reason: 'ambiguous_date' };
    }
    const day = effective === 'dmy' ? calendarDate(y, b, a) : calendarDate(y, a, b);
    return day ? { day } : { error: `"${cell}" is not a real date`, reason: 'not_a_date' };
  }
  return { error: `"${cell}" is not a date this import reads (YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY)`, reason: 'not_a_date' };
}

/**
 * The order of day and month the DD/MM/YYYY or MM/DD/YYYY dates of a text show: `dmy` when some
 * date's first number is over 12 and none's second is, `mdy` the other way round; null when no date
 * tells, or they disagree.
 */
export function dateOrderShown(text: string): DateOrder | null {
  let dayFirst = false;
  let monthFirst = false;
  for (const [, a, b] of text.matchAll(/(?<![\d/.-])(\d{1,2})[-/.](\d{1,2})[-/.]\d{4}(?!\d)/g)) {
    if (Number(a) > 12) dayFirst = true;
    if (Number(b) > 12) monthFirst = true;
  }
  return dayFirst === monthFirst ? null : dayFirst ? 'dmy' : 'mdy';
}

function parseWeight(
  cell: string,
  unit: WeightUnit,
  decimalComma: boolean,
): { kg: number } | { error: string; reason: 'not_a_weight' | 'weight_out_of_range' } {
  const text = (decimalComma ? cell.replace(',', '.') : cell).replace(/\s*(kg|kgs|lb|lbs)$/i, '');
  if (!/^\d+(\.\d+)?$/.test(text)) return { error: `"${cell}" is not a weight`, reason: 'not_a_weight' };
  const explicit = /lbs?$/i.test(cell.trim()) ? 'lb' : /kgs?$/i.test(cell.trim()) ? 'kg' : unit;
  const kg = Number(text) * (explicit === 'lb' ? KG_PER_LB : 1);
  if (kg < WEIGHT_RANGE_KG.min || kg > WEIGHT_RANGE_KG.max) {
    return { error: `${cell} ${explicit} is outside ${WEIGHT_RANGE_KG.min}–${WEIGHT_RANGE_KG.max} kg`, reason: 'weight_out_of_range' };
  }
  return { kg: Math.round(kg * 100) / 100 };
}

/** The columns of a header row (its cells in lower case) that hold the date and the body weight; -1 where none does. */
function columnsOf(header: string[]): { dateColumn: number; weightColumn: number } {
  return {
    dateColumn: header.findIndex((h) => /date|time|day/.test(h)),
    weightColumn: header.findIndex((h) => /weight|gewicht|poids|peso/.test(h) && !NOT_BODY_WEIGHT.test(h)),
  };
}

/**
 * Whether the start of a file reads as a weigh-in CSV: its first row that is not blank or a comment
 * is a header with a date column and a weight column, as `readWeighIns` needs.
 */
export function isWeighInCsv(start: string): boolean {
  const line = firstDataLine(normalised(start.charCodeAt(0) === 0xfeff ? start.slice(1) : start));
  if (line === null) return false;
  let cells: string[];
  try {
    cells =
      (parseLine(line, { delimiter: detectDelimiter(line), relax_quotes: true, relax_column_count: true, trim: true }) as string[][])[0] ??
      [];
  } catch {
    return false;
  }
  const { dateColumn, weightColumn } = columnsOf(cells.map((cell) => cell.toLowerCase()));
  return dateColumn !== -1 && weightColumn !== -1;
}

/**
 * Reads the file, handing each row's verdict to `onRow` in file order; throws UnreadableCsv when
 * the file as a whole cannot be read (then before any verdict that depends on it is final: read the
 * whole file before acting on the verdicts). The file is a string, or its text as it arrives (a
 * file read from disk: only a slice of it is held at a time). `unit` is the default when neither
 * the header ("Weight (lb)") nor the cell ("72.5 kg") says; `dateOrder` settles dates like
 * 03/04/2024. The first weigh-in of a day is kept (the morning weight, as trend-weight methods
 * assume); later ones that day are rejected as such. Resolves with the unit the weights without
 * one of their own were read in.
 */
export async function readWeighIns(
  file: string | AsyncIterable<string>,
  options: { unit?: WeightUnit; dateOrder?: DateOrder | null },
  onRow: (row: RowVerdict) => void,
): Promise<{ unit: WeightUnit }> {
  const slices = lineSlices(typeof file === 'string' ? piecesOf(file) : file);
  // The slices up to the one holding the header, which sets the delimiter; then the rest, all to the parser.
  const read: string[] = [];
  let headerLine: string | null = null;
  while (headerLine === null) {
    const next = await slices.next();
    if (next.done) break;
    read.push(next.value);
    headerLine = firstDataLine(next.value);
  }
  if (headerLine === null) throw new UnreadableCsv('The file has no rows');
  const delimiter = detectDelimiter(headerLine);
  const rows = records(
    (async function* () {
      yield* read;
      yield* slices;
    })(),
    delimiter,
  );
  const first = await rows.next();
  const header = first.done ? [] : first.value.cells.map((h) => h.toLowerCase());
  const { dateColumn, weightColumn } = columnsOf(header);
  if (dateColumn === -1 || weightColumn === -1) {
    await rows.return(undefined);
    await slices.return(undefined);
    throw new UnreadableCsv('The header needs a date column and a weight column (e.g. "date,weight")');
  }
  const headerUnit = /\(?\b(lbs?|pounds?)\b\)?/.test(header[weightColumn]!) ? 'lb' : /\bkg\b/.test(header[weightColumn]!) ? 'kg' : null;
  const unit = headerUnit ?? options.unit ?? 'kg';
  const decimalComma = delimiter !== ',';
  const seen = new Set<string>();
  for await (const { cells, line } of rows) {
    const dateCell = cells[dateColumn] ?? '';
    const weightCell = cells[weightColumn] ?? '';
    const date = parseDay(dateCell, options.dateOrder ?? null);
    if ('error' in date) {
      onRow({ line, status: 'rejected', reason: date.reason, detail: date.error });
      continue;
    }
    if (weightCell === '') {
      onRow({ line, date: date.day, status: 'rejected', reason: 'no_weight', detail: 'no weight on this row' });
      continue;
    }
    const weight = parseWeight(weightCell, unit, decimalComma);
    if ('error' in weight) {
      onRow({ line, date: date.day, status: 'rejected', reason: weight.reason, detail: weight.error });
      continue;
    }
    if (seen.has(date.day)) {
      onRow({
        line,
        date: date.day,
        weightKg: weight.kg,
        status: 'rejected',
        reason: 'day_repeated',
        detail: "an earlier row already gives this day's weigh-in",
      });
      continue;
    }
    seen.add(date.day);
    onRow({ line, date: date.day, weightKg: weight.kg, status: 'accepted' });
  }
  return { unit };
}
