/**
 * The `weights_csv` import format (src/modules/imports/formats/weights-csv.ts) and the detection of
 * formats (formats/index.ts), on files on disk: what is recognised, that the file is read as it is
 * streamed (progress told as it goes), and that a failure far into the file or a stop ends the
 * reading with its reason.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readerFor } from '../../src/modules/imports/formats/index.ts';
import { type ImportFile, ImportRefused } from '../../src/modules/imports/formats/types.ts';
import { weightsCsv } from '../../src/modules/imports/formats/weights-csv.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function fileOf(content: Buffer | string): Promise<ImportFile> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recomp-unit-import-'));
  dirs.push(dir);
  const bytes = Buffer.from(content);
  await writeFile(path.join(dir, 'file'), bytes);
  return { path: path.join(dir, 'file'), sizeBytes: bytes.length, head: bytes.subarray(0, 64 * 1024), zipEntries: null };
}

const read = (file: ImportFile, signal = new AbortController().signal, progress: number[] = []) =>
  weightsCsv.read(file, { signal, onProgress: (fraction) => progress.push(fraction) });

const ROWS = Array.from({ length: 20_000 }, (_, i) => `${1950 + Math.floor(i / 365)}-01-01,80`).join('\n');

describe('the weights_csv format', () => {
  it('is recognised by a header with a date and a weight column, after comments, in any of the layouts', async () => {
    for (const text of [
      'date,weight\n2024-01-01,80\n',
      '\ufeff#Version:6\n\ndate;weight;weight trend\n',
      'Date,"Weight (kg)",Comments\r\n',
    ]) {
      expect(readerFor(await fileOf(text)).format, text).toBe('weights_csv');
    }
    for (const text of ['when,kilos\n2024-01-01,80\n', '', '# only a comment\n']) {
      const file = await fileOf(text);
      expect(() => readerFor(file)).toThrow(ImportRefused);
    }
    expect(weightsCsv.recognises({ ...(await fileOf('date,weight\n')), zipEntries: ['date,weight'] })).toBe(false);
  });

  it('reads the file as it streams, telling its progress, days in date order and the first 100 refused rows', async () => {
    const progress: number[] = [];
    const csv = `date,weight\n2024-01-03,80\n2024-01-01,81\n1899-12-31,80\n2999-01-01,80\n${'x,80\n'.repeat(150)}${ROWS}\n`;
    const parsed = await read(await fileOf(csv), undefined, progress);
    // The 55 years' first of January, each once: the rows that repeat one are refused.
    expect(parsed.weights).toHaveLength(57);
    expect(parsed.weights.slice(0, 2)).toEqual([
      { day: '1950-01-01', weightKg: 80, where: 'line 156' },
      { day: '1951-01-01', weightKg: 80, where: 'line 521' },
    ]);
    expect(parsed.weights.slice(-2)).toEqual([
      { day: '2024-01-01', weightKg: 81, where: 'line 3' },
      { day: '2024-01-03', weightKg: 80, where: 'line 2' },
    ]);
    expect(parsed.weights.map((w) => w.day)).toEqual(parsed.weights.map((w) => w.day).sort());
    expect(parsed.rejected).toHaveLength(100);
    expect(parsed.rejected.slice(0, 3)).toEqual([
      { where: 'line 4', reason: '1899-12-31 is before 1900-01-01' },
      { where: 'line 5', reason: '2999-01-01 is in the future' },
      { where: 'line 6', reason: expect.stringMatching(/"x" is not a date/) },
    ]);
    expect(parsed.rejectedCount).toBe(2 + 150 + (20_000 - 55));
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('refuses bytes that are not UTF-8 and NULs, even far into the file', async () => {
    for (const bad of [Buffer.from([0xc3, 0x28]), Buffer.from('a\u0000b')]) {
      const file = await fileOf(Buffer.concat([Buffer.from(`date,weight\n${ROWS}\n`), bad, Buffer.from('\n')]));
      await expect(read(file)).rejects.toMatchObject({ name: 'ImportRefused', code: 'unreadable_file' });
    }
  });

  it('stops when told, rejecting with the reason it was given', async () => {
    const stop = new AbortController();
    const file = await fileOf(`date,weight\n${ROWS}\n${ROWS}\n`);
    const reason = new Error('the service is stopping');
    const reading = weightsCsv.read(file, {
      signal: stop.signal,
      onProgress: (fraction) => {
        if (fraction > 0.2) stop.abort(reason);
      },
    });
    await expect(reading).rejects.toBe(reason);
  });
});
