import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { myFitnessPal } from '../../../src/modules/imports/formats/myfitnesspal.ts';
import { importFileAt } from '../../../src/modules/imports/formats/file.ts';
import { fixture, readOptions, tempFolder, writeZip } from './files.ts';

const day = (d: string, calories: number, fatG: number, carbsG: number, proteinG: number, complete: boolean, where: string) => ({
  day: d,
  calories,
  proteinG,
  carbsG,
  fatG,
  complete,
  where,
});

describe('MyFitnessPal Nutrition Summary', () => {
  it('sums each date\'s meals (BOM, CRLF, blank lines, quoted "1,020"), marks partial days, refuses the bad rows', async () => {
    const { options, progress } = readOptions();
    const parsed = await myFitnessPal.read(await importFileAt(fixture('myfitnesspal-nutrition-summary.csv')), options);
    expect(parsed).toEqual({
      format: 'myfitnesspal',
      weightUnit: null,
      weights: [],
      intake: [
        // 450 + 1,020 + 830.5 + 210 = 2510.5: half to even gives 2510.
        day('2026-03-02', 2510, 93.7, 280.5, 140.3, true, 'line 2'),
        day('2026-03-03', 2100, 80, 230, 115, true, 'line 7'),
        // The median day is 2100 kcal: without dinner, 1000 and 350 are under half of it.
        day('2026-03-04', 1000, 30, 120, 50, false, 'line 12'),
        day('2026-03-05', 350, 12, 40, 15, false, 'line 14'),
        // No dinner either, but a full day's calories.
        day('2026-03-06', 2100, 75, 240, 90, true, 'line 16'),
      ],
      rejected: [
        { where: 'line 10', reason: 'not_a_number' },
        { where: 'line 11', reason: 'not_a_date' },
      ],
      rejectedCount: 2,
    });
    expect(progress.at(-1)).toBe(1);
  });

  it('does not start once the signal has aborted, and rejects with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    controller.abort(reason);
    const file = await importFileAt(fixture('myfitnesspal-nutrition-summary.csv'));
    await expect(myFitnessPal.read(file, readOptions({ signal: controller.signal }).options)).rejects.toBe(reason);
  });

  it('with a Time column, a meal at 17:00 or later is the evening meal whatever its name', async () => {
    const parsed = await myFitnessPal.read(await importFileAt(fixture('myfitnesspal-with-time.csv')), readOptions().options);
    expect(parsed.intake).toEqual([
      day('2026-04-01', 700, 25, 85, 25, true, 'line 2'), // "Snacks" at 7:45 PM
      day('2026-04-02', 4500, 180, 450, 240, true, 'line 4'),
      day('2026-04-03', 2600, 100, 270, 135, true, 'line 7'), // "Meal 4" at 18:30
      day('2026-04-04', 300, 10, 35, 12, false, 'line 10'),
    ]);
    expect(parsed.rejectedCount).toBe(0);
  });

  describe('the ZIP archive MyFitnessPal sends', () => {
    let folder: Awaited<ReturnType<typeof tempFolder>>;
    let archive: string;
    beforeAll(async () => {
      folder = await tempFolder();
      archive = await writeZip(path.join(folder.dir, 'export.zip'), {
        'File-Export-2026-03-02-to-2026-03-06/Nutrition-Summary-2026-03-02-to-2026-03-06.csv': {
          fixture: 'myfitnesspal-nutrition-summary.csv',
        },
        'File-Export-2026-03-02-to-2026-03-06/Measurement-Summary-2026-03-02-to-2026-03-06.csv': {
          fixture: 'myfitnesspal-measurement-summary.csv',
        },
        'File-Export-2026-03-02-to-2026-03-06/Exercise-Summary-2026-03-02-to-2026-03-06.csv': {
          fixture: 'myfitnesspal-exercise-summary.csv',
        },
      });
    });
    afterAll(() => folder.remove());

    it('reads the nutrition and the weights, inferring pounds from their size', async () => {
      const parsed = await myFitnessPal.read(await importFileAt(archive), readOptions().options);
      expect(parsed.intake.map((d) => [d.day, d.calories, d.where])).toEqual([
        ['2026-03-02', 2510, 'Nutrition-Summary-2026-03-02-to-2026-03-06.csv line 2'],
        ['2026-03-03', 2100, 'Nutrition-Summary-2026-03-02-to-2026-03-06.csv line 7'],
        ['2026-03-04', 1000, 'Nutrition-Summary-2026-03-02-to-2026-03-06.csv line 12'],
        ['2026-03-05', 350, 'Nutrition-Summary-2026-03-02-to-2026-03-06.csv line 14'],
        ['2026-03-06', 2100, 'Nutrition-Summary-2026-03-02-to-2026-03-06.csv line 16'],
      ]);
      expect(parsed.weightUnit).toBe('lb');
      expect(parsed.weightUnitInferred).toBe(true);
      expect(parsed.weights).toEqual([
        { day: '2026-03-02', weightKg: 82.28, where: 'Measurement-Summary-2026-03-02-to-2026-03-06.csv line 2' },
        { day: '2026-03-04', weightKg: 81.92, where: 'Measurement-Summary-2026-03-02-to-2026-03-06.csv line 3' },
      ]);
      expect(parsed.rejected).toEqual([
        { where: 'Nutrition-Summary-2026-03-02-to-2026-03-06.csv line 10', reason: 'not_a_number' },
        { where: 'Nutrition-Summary-2026-03-02-to-2026-03-06.csv line 11', reason: 'not_a_date' },
        { where: 'Measurement-Summary-2026-03-02-to-2026-03-06.csv line 4', reason: 'not_a_number' },
      ]);
    });

    it('takes the unit the person names', async () => {
      const parsed = await myFitnessPal.read(await importFileAt(archive), readOptions({ weightUnit: 'kg' }).options);
      expect(parsed.weightUnit).toBe('kg');
      expect(parsed.weightUnitInferred).toBeUndefined();
      // 181.4 kg is a weight; the person said kilograms.
      expect(parsed.weights.map((w) => w.weightKg)).toEqual([181.4, 180.6]);
    });
  });
});
