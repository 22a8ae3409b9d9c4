/**
 * The `weights_csv` format: a CSV of daily weigh-ins in any layout the weigh-in import reads
 * (src/modules/tracking/csv.ts: a plain `date,weight`, Libra, Withings, Fitbit-style). The file is
 * read from disk a chunk at a time, as UTF-8; only the days taken and the first rejected rows are
 * held. Day/month order is settled by the dates of the file's first part when they show it.
 */
import { createReadStream } from 'node:fs';
import { dateOrderShown, isWeighInCsv, readWeighIns, UnreadableCsv } from '../../tracking/csv.ts';
import { Rejections } from './reading.ts';
import { type DayWeight, type FormatReader, ImportRefused, type ImportFile, type ReadOptions } from './types.ts';

const CHUNK_BYTES = 16 * 1024;

const NOT_UTF8 = 'The file is not UTF-8 text; save it as UTF-8 (e.g. "CSV UTF-8") and import it again';
const HOLDS_NUL = 'The file holds NUL characters (is it UTF-16?); save it as UTF-8 and import it again';

/** The file's text as it is read, with the bytes read so far counted; refuses bytes that are not UTF-8 and NULs. */
async function* textOf(file: ImportFile, options: ReadOptions): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const decode = (chunk?: Buffer) => {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: chunk !== undefined });
    } catch {
      throw new ImportRefused('unreadable_file', NOT_UTF8);
    }
    if (text.includes('\0')) throw new ImportRefused('unreadable_file', HOLDS_NUL);
    return text;
  };
  let bytesRead = 0;
  for await (const chunk of createReadStream(file.path, { highWaterMark: CHUNK_BYTES, signal: options.signal }) as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    options.onProgress(file.sizeBytes === 0 ? 1 : bytesRead / file.sizeBytes);
    yield decode(chunk);
  }
  yield decode();
}

const byDay = (a: DayWeight, b: DayWeight) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0);

/**
 * The days a weigh-in may be of: no one alive was born before the first, and the last is a little
 * past today (the import refuses days after tomorrow, by the person's date of birth too). Refused
 * here, a file of millions of distinct dates holds no more than these days in memory.
 */
const FIRST_DAY = '1900-01-01';
const lastDay = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

export const weightsCsv: FormatReader = {
  format: 'weights_csv',

  recognises: (file) => file.zipEntries === null && isWeighInCsv(new TextDecoder().decode(file.head)),

  async read(file, options) {
    const weights: DayWeight[] = [];
    const rejections = new Rejections();
    const reject = ({ where, reason, line }: { where: string; reason: string; line: number }) =>
      rejections.add({ where, at: line }, reason);
    const dateOrder = dateOrderShown(new TextDecoder().decode(file.head));
    const last = lastDay();
    let unit: 'kg' | 'lb';
    try {
      ({ unit } = await readWeighIns(
        textOf(file, options),
        { ...(options.weightUnit ? { unit: options.weightUnit } : {}), dateOrder },
        (row) => {
          const where = `line ${row.line}`;
          if (row.status === 'accepted' && row.date < FIRST_DAY)
            reject({ where, line: row.line, reason: `${row.date} is before ${FIRST_DAY}` });
          else if (row.status === 'accepted' && row.date > last) reject({ where, line: row.line, reason: `${row.date} is in the future` });
          else if (row.status === 'accepted') weights.push({ day: row.date, weightKg: row.weightKg, where });
          // This route takes no date_format: say what the file leaves open instead.
          else if (row.reason === 'ambiguous_date')
            reject({
              where,
              line: row.line,
              reason: 'the date could be day/month or month/day, and the dates at the start of the file do not tell which',
            });
          else reject({ where, line: row.line, reason: row.detail });
        },
      ));
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      if (error instanceof UnreadableCsv) throw new ImportRefused('unreadable_file', error.message);
      throw error;
    }
    return {
      format: 'weights_csv',
      weightUnit: weights.length > 0 ? unit : null,
      weights: weights.sort(byDay),
      intake: [],
      rejected: rejections.kept,
      rejectedCount: rejections.count,
    };
  },
};
