import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appleHealth } from '../../../src/modules/imports/formats/apple-health.ts';
import { ImportRefused } from '../../../src/modules/imports/formats/types.ts';
import { generateAppleHealthExport } from '../../../scripts/imports/apple-health-export.ts';
import { importFileAt } from '../../../src/modules/imports/formats/file.ts';
import { fixture, readOptions, tempFolder, writeZip } from './files.ts';

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportRefused);
  return (error as ImportRefused).code;
};

describe('Apple Health export', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  beforeAll(async () => {
    folder = await tempFolder();
  });
  afterAll(() => folder.remove());

  it('reads export.xml: first weigh-in of the day, meals summed per local day from one app, kJ and Cal, correlations not counted twice', async () => {
    const { options, progress } = readOptions();
    const parsed = await appleHealth.read(await importFileAt(fixture('apple-health-export.xml')), options);
    expect(parsed).toEqual({
      format: 'apple_health',
      weightUnit: 'kg',
      weights: [
        // 07:12 comes before 21:30, though later in the file.
        { day: '2026-03-01', weightKg: 81.2, where: 'export.xml record 3' },
        // 8.1 kg at 06:55 is a typo: refused, and not the day's first weigh-in.
        { day: '2026-03-02', weightKg: 81, where: 'export.xml record 5' },
        // 23:50 -0500 is March 3rd where it was written (March 4th in UTC).
        { day: '2026-03-03', weightKg: 80.8, where: 'export.xml record 6' },
      ],
      intake: [
        // 450.5 + 700 + 300 (23:50 -0500, still March 1st there) = 1450.5: half to even; 55.25 g likewise → 55.2.
        { day: '2026-03-01', calories: 1450, proteinG: 70.5, carbsG: 55.2, fatG: 20, complete: true, where: 'export.xml record 10' },
        // YAZIO's 4184 + 2510.4 kJ = 1600 kcal outweighs MyFitnessPal's 200 kcal just after midnight: YAZIO's day.
        { day: '2026-03-02', calories: 1600, proteinG: 50, carbsG: null, fatG: null, complete: true, where: 'export.xml record 14' },
        { day: '2026-03-04', calories: 800, proteinG: null, carbsG: null, fatG: null, complete: true, where: 'export.xml record 20' },
      ],
      rejected: [
        { where: 'export.xml record 4', reason: 'out_of_range' },
        { where: 'export.xml record 7', reason: 'not_a_number' },
        { where: 'export.xml record 8', reason: 'not_a_date' },
        { where: 'export.xml record 16', reason: 'out_of_range' }, // 20,500 kcal on March 3rd
        { where: 'export.xml record 18', reason: 'unknown_unit' },
        { where: 'export.xml record 19', reason: 'out_of_range' },
        { where: 'export.xml record 27', reason: 'no_energy' },
      ],
      rejectedCount: 7,
    });
    expect(progress.at(-1)).toBe(1);
  });

  it("reads the ZIP the Health app shares, with the XML named in the phone's language and pounds; the clinical copy is not read", async () => {
    const archive = await writeZip(path.join(folder.dir, 'exportar.zip'), {
      'apple_health_export/export_cda.xml': '<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"/>\n',
      'apple_health_export/exportar.xml': { fixture: 'apple-health-export-lb.xml' },
      'apple_health_export/workout-routes/route_2026-03-01_6.15pm.gpx': { fixture: 'not-apple-health.xml' },
    });
    const parsed = await appleHealth.read(await importFileAt(archive), readOptions().options);
    expect(parsed.weightUnit).toBe('lb');
    expect(parsed.weights).toEqual([
      { day: '2026-03-02', weightKg: 81.83, where: 'exportar.xml record 1' }, // 180.4 lb
      { day: '2026-03-03', weightKg: 81.47, where: 'exportar.xml record 2' },
    ]);
    expect(parsed.intake).toEqual([]);
  });

  it('refuses XML that is not a Health export, and an archive without one', async () => {
    const gpx = await importFileAt(fixture('not-apple-health.xml'));
    expect(appleHealth.recognises(gpx)).toBe(false);
    expect(await refusal(appleHealth.read(gpx, readOptions().options))).toBe('not_apple_health');
    const text = path.join(folder.dir, 'notes.xml');
    await writeFile(text, 'Not XML at all, though the file says .xml\n');
    expect(await refusal(appleHealth.read(await importFileAt(text), readOptions().options))).toBe('not_apple_health');
    const onlyClinical = await writeZip(path.join(folder.dir, 'cda.zip'), { 'apple_health_export/export_cda.xml': '<ClinicalDocument/>' });
    expect(await refusal(appleHealth.read(await importFileAt(onlyClinical), readOptions().options))).toBe('not_apple_health');
  });

  describe('a corrupt archive', () => {
    let archive: string;
    beforeAll(async () => {
      archive = path.join(folder.dir, 'export.zip');
      await generateAppleHealthExport(archive, { sizeMb: 1, zip: true });
    });

    it('cut short (its directory lost) is refused when its entries are listed', async () => {
      const bytes = await readFile(archive);
      const cut = path.join(folder.dir, 'cut.zip');
      await writeFile(cut, bytes.subarray(0, bytes.length - 2000));
      expect(await refusal(importFileAt(cut))).toBe('corrupt_archive');
    });

    it('damaged inside an entry is refused while reading it', async () => {
      const bytes = Buffer.from(await readFile(archive));
      bytes.fill(0x5a, 40_000, 42_000);
      const damaged = path.join(folder.dir, 'damaged.zip');
      await writeFile(damaged, bytes);
      expect(await refusal(appleHealth.read(await importFileAt(damaged), readOptions().options))).toBe('corrupt_archive');
    });
  });

  it('stops when the signal aborts, with its reason', async () => {
    const file = path.join(folder.dir, 'abort.xml');
    await generateAppleHealthExport(file, { sizeMb: 2 });
    const controller = new AbortController();
    const reason = new Error('the import was cancelled');
    const fractions: number[] = [];
    const reading = appleHealth.read(await importFileAt(file), {
      signal: controller.signal,
      onProgress: (fraction) => {
        fractions.push(fraction);
        if (fraction > 0.2) controller.abort(reason);
      },
    });
    await expect(reading).rejects.toBe(reason);
    expect(fractions.at(-1)).toBeLessThan(1);
  });
});
