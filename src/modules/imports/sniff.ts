/**
 * What is known of a spooled file before it is read (formats/types.ts, ImportFile): its head, and,
 * for a ZIP archive, the names of its entries, read from the archive's central directory without
 * unpacking anything.
 */
import yauzl from 'yauzl';
import { type ImportFile, ImportRefused } from './formats/types.ts';
import type { SpooledFile } from './spool.ts';

/** Enough for any export's layout (an Apple Health export with its workout routes has a few thousand). */
const MAX_ENTRY_NAMES = 100_000;

/** A ZIP archive starts with a local file header, or is an empty archive's end record. */
const isZip = (head: Buffer) =>
  head.length >= 4 &&
  head[0] === 0x50 &&
  head[1] === 0x4b &&
  ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06));

const corrupt = (error: Error) =>
  new ImportRefused('corrupt_archive', `The file looks like a ZIP archive but cannot be read as one (${error.message}); export it again`);

function entryNames(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error) return reject(corrupt(error));
      const names: string[] = [];
      let ended = false;
      const end = (failure?: Error) => {
        if (ended) return;
        ended = true;
        zip.close();
        if (failure) reject(corrupt(failure));
        else resolve(names);
      };
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        if (names.length >= MAX_ENTRY_NAMES) end();
        else zip.readEntry();
      });
      zip.once('end', () => end());
      zip.on('error', end);
      zip.readEntry();
    });
  });
}

export async function describeFile(file: SpooledFile): Promise<ImportFile> {
  return { path: file.path, sizeBytes: file.sizeBytes, head: file.head, zipEntries: isZip(file.head) ? await entryNames(file.path) : null };
}
