/**
 * The formats an import reads, and which one a file is in (docs/DESIGN.md, 'Imports'): told from
 * the file's content, never from its name or the Content-Type it was sent with. Each reader looks
 * at the file's head or, for a ZIP archive, its entry names; the first in READERS that recognises
 * the file reads it, so the specific exports come before the plain weigh-in CSV, which any CSV with
 * a date and a weight column is.
 */
import { type FormatReader, type ImportFile, type ImportFormat, ImportRefused } from './types.ts';
import { appleHealth } from './apple-health.ts';
import { cronometer } from './cronometer.ts';
import { loseIt } from './loseit.ts';
import { myFitnessPal } from './myfitnesspal.ts';
import { weightsCsv } from './weights-csv.ts';

/** In order of precedence: a new format's reader goes here, before `weightsCsv`. */
const READERS: readonly FormatReader[] = [appleHealth, loseIt, myFitnessPal, cronometer, weightsCsv];

const NAMES: Record<ImportFormat, string> = {
  myfitnesspal: 'a MyFitnessPal export',
  cronometer: 'a Cronometer export',
  loseit: 'a Lose It! export',
  apple_health: 'an Apple Health export',
  weights_csv: 'a CSV of daily weigh-ins with a date and a weight column',
};

const known = () => READERS.map((reader) => NAMES[reader.format]).join('; ');

/** The head, past a byte order mark and white space, opens an XML document. */
const isXml = (head: Buffer) => /^\s*<[?!A-Za-z]/.test(head.toString('latin1', 0, 256).replace(/^\xEF\xBB\xBF/, ''));

/** The reader of the file; ImportRefused when none recognises it. */
export function readerFor(file: ImportFile): FormatReader {
  const reader = READERS.find((candidate) => candidate.recognises(file));
  if (reader) return reader;
  if (file.zipEntries === null && isXml(file.head)) {
    throw new ImportRefused(
      'not_apple_health',
      `The file is XML but not an Apple Health export; the formats this service reads: ${known()}`,
    );
  }
  const what = file.zipEntries === null ? 'The file is in no format' : 'The ZIP archive holds no export';
  throw new ImportRefused('unknown_format', `${what} this service reads; it reads ${known()}`);
}
