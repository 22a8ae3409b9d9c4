/**
 * The files a reader reads: the upload itself, or some entries of the uploaded ZIP archive, each
 * opened as a stream when its turn comes, counted by one meter (progress over all of them) and
 * checked against the abort signal.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Place } from './reading.ts';
import { ReadingMeter } from './reading.ts';
import type { ImportFile, ReadOptions } from './types.ts';
import { baseName, openArchive, type ZipEntry } from './zip.ts';

export interface Source {
  /** The entry's file name without folders; null for the upload itself. */
  name: string | null;
  /** The content, through the meter. */
  open(): Promise<Readable>;
  /** A place in this source: `food-logs.csv line 12`, or `line 12` in the upload itself. */
  place(line: number): Place;
}

const place =
  (index: number, name: string | null) =>
  (line: number): Place => ({ where: name === null ? `line ${line}` : `${name} line ${line}`, at: index * 2 ** 32 + line });

/**
 * Runs `read` over the sources: the upload when it is not an archive, else the entries `wanted`
 * picks out of it (in the order given), then reports the reading done. The archive is closed
 * whatever happens.
 */
export async function withSources<T>(
  file: ImportFile,
  options: ReadOptions,
  wanted: (entries: ZipEntry[]) => ZipEntry[],
  read: (sources: Source[]) => Promise<T>,
): Promise<T> {
  options.signal.throwIfAborted();
  if (file.zipEntries === null) {
    const meter = new ReadingMeter(file.sizeBytes, options);
    const result = await read([{ name: null, open: async () => meter.tap(createReadStream(file.path)), place: place(0, null) }]);
    meter.done();
    return result;
  }
  const archive = await openArchive(file.path);
  try {
    const entries = wanted(archive.entries);
    const meter = new ReadingMeter(
      entries.reduce((sum, e) => sum + e.uncompressedSize, 0),
      options,
    );
    const result = await read(
      entries.map((entry, index) => ({
        name: baseName(entry.name),
        open: async () => meter.tap(await archive.open(entry)),
        place: place(index, baseName(entry.name)),
      })),
    );
    meter.done();
    return result;
  } finally {
    archive.close();
  }
}
