/**
 * An uploaded file as the readers see it (types.ts, ImportFile): its size, its first 64 KiB to
 * recognise the format by, and, for a ZIP archive, its entry names from the central directory.
 * Nothing more is read; a ZIP archive whose directory cannot be read is refused here as corrupt.
 */
import { open } from 'node:fs/promises';
import type { ImportFile } from './types.ts';
import { zipEntryNames } from './zip.ts';

const HEAD_BYTES = 64 * 1024;

export async function importFileAt(path: string): Promise<ImportFile> {
  const handle = await open(path);
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    return { path, sizeBytes: size, head, zipEntries: await zipEntryNames(path, head) };
  } finally {
    await handle.close();
  }
}
