/**
 * The rows of a CSV file in an export, read as it streams in (from disk or out of a ZIP entry):
 * csv-parse splits the records (RFC 4180 quoting, a UTF-8 BOM, CRLF or LF), one chunk of the
 * stream at a time, so the event loop gets a turn between chunks while a large file is read.
 * Each row comes with the line of the file it starts on, for the report (`food-logs.csv line 12`).
 */
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { parse as parseText } from 'csv-parse/sync';
import { ImportRefused } from './types.ts';

export interface CsvRow {
  line: number;
  cells: string[];
}

/** A real row is well under 1 KiB; a longer one is a broken file (a quote never closed). */
const MAX_RECORD_BYTES = 64 * 1024;

const lineBreaks = (text: string) => {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
};

/**
 * The rows that are not blank, header included. Throws ImportRefused('unreadable_file') when the
 * file is not CSV at all (a quote never closed), and whatever error the input stream ends with
 * (the abort's reason, a corrupt archive).
 */
export async function* csvRows(input: Readable, name: string): AsyncGenerator<CsvRow> {
  const parser = parse({
    bom: true,
    raw: true,
    trim: true,
    relax_quotes: true,
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let line = 1;
  try {
    // `raw` is the record's text with (part of) the line break that ends it: one line, plus the
    // breaks inside quoted cells.
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const start = line;
      line += 1 + lineBreaks(raw.replace(/(\r\n|\r|\n)$/, ''));
      if (record.length === 1 && record[0] === '') continue;
      yield { line: start, cells: record };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new ImportRefused('unreadable_file', `${name} is not readable as CSV: ${error.message}`);
    throw error;
  } finally {
    input.destroy();
  }
}

/** The header of a file from its first bytes (the BOM and blank lines before it skipped), lower-cased; null when there is none. */
export function headerOf(head: Buffer): string[] | null {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r\n|\n|\r/).find((l) => l.trim() !== '');
  if (firstLine === undefined) return null;
  try {
    const [cells] = parseText(firstLine, { relax_quotes: true, relax_column_count: true, trim: true }) as string[][];
    return cells ? cells.map((c) => c.toLowerCase()) : null;
  } catch {
    return null;
  }
}

/** Where each wanted column is in a header (its lower-cased name), -1 when absent. */
export function columnsOf<K extends string>(header: readonly string[], wanted: Record<K, string>): Record<K, number> {
  const found = {} as Record<K, number>;
  for (const key of Object.keys(wanted) as K[]) found[key] = header.indexOf(wanted[key]);
  return found;
}
