/**
 * What the import format tests share: a file on disk as the readers see it, options that record the
 * progress told, temporary folders and ZIP archives made from fixtures.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ReadOptions } from '../../../src/modules/imports/formats/types.ts';
import { FIXTURES, type ZipEntries, zipOf } from '../../helpers/imports.ts';

export const fixture = (name: string) => path.join(FIXTURES, name);

/** Options for a read, and the fractions it reported. */
export function readOptions(extra: Partial<ReadOptions> = {}): { options: ReadOptions; progress: number[] } {
  const progress: number[] = [];
  return { options: { onProgress: (f) => progress.push(f), signal: new AbortController().signal, ...extra }, progress };
}

/** A temporary folder, removed by the returned function. */
export async function tempFolder(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recomp-imports-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a ZIP archive of the given entries (name → fixture file or content). */
export async function writeZip(out: string, entries: ZipEntries): Promise<string> {
  await writeFile(out, await zipOf(entries));
  return out;
}
