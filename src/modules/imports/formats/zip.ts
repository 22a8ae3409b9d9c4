/**
 * ZIP archives on disk (the spooled upload), read with yauzl: the central directory gives the entry
 * names without reading the rest, and an entry is inflated as a stream, so a 1 GB export.xml inside
 * is never held in memory. Anything yauzl cannot read, up front or halfway through an entry (a
 * truncated upload, a broken deflate stream), is a corrupt archive.
 */
import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ImportRefused } from './types.ts';

export interface ZipEntry {
  name: string;
  uncompressedSize: number;
}

export interface Archive {
  entries: ZipEntry[];
  /** The entry's content, inflated; it fails with ImportRefused('corrupt_archive') when the archive is broken there. */
  open(entry: ZipEntry): Promise<Readable>;
  close(): void;
}

const corrupt = (error: unknown) =>
  error instanceof ImportRefused
    ? error
    : new ImportRefused('corrupt_archive', `The ZIP archive cannot be read: ${error instanceof Error ? error.message : String(error)}`);

export async function openArchive(path: string): Promise<Archive> {
  let zip: yauzl.ZipFile;
  const found = new Map<string, yauzl.Entry>();
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, strictFileNames: false });
    for await (const entry of zip.eachEntry()) if (!entry.fileName.endsWith('/')) found.set(entry.fileName, entry);
  } catch (error) {
    throw corrupt(error);
  }
  return {
    entries: [...found.values()].map((e) => ({ name: e.fileName, uncompressedSize: e.uncompressedSize })),
    async open(entry) {
      const raw = await zip.openReadStreamPromise(found.get(entry.name)!).catch((error: unknown) => {
        throw corrupt(error);
      });
      const out = new PassThrough();
      raw.on('error', (error) => out.destroy(corrupt(error)));
      out.on('close', () => raw.destroy());
      return raw.pipe(out);
    },
    close: () => zip.close(),
  };
}

const ZIP_SIGNATURES = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];

/**
 * The names of the files in a ZIP archive, for `ImportFile.zipEntries`: null when the file does not
 * start as a ZIP archive does; ImportRefused('corrupt_archive') when it does but its directory
 * cannot be read (a truncated upload loses the directory at the end).
 */
export async function zipEntryNames(path: string, head: Buffer): Promise<string[] | null> {
  if (!ZIP_SIGNATURES.some((signature) => head.subarray(0, 4).equals(signature))) return null;
  const archive = await openArchive(path);
  archive.close();
  return archive.entries.map((e) => e.name);
}

/** The file name of an entry without its folders. */
export const baseName = (name: string) => name.slice(name.lastIndexOf('/') + 1);
