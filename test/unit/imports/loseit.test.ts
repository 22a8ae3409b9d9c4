import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loseIt } from '../../../src/modules/imports/formats/loseit.ts';
import { importFileAt } from '../../../src/modules/imports/formats/file.ts';
import { fixture, readOptions, tempFolder, writeZip } from './files.ts';

describe('Lose It! export', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  let archive: string;
  beforeAll(async () => {
    folder = await tempFolder();
    archive = await writeZip(
      path.join(folder.dir, 'loseit.zip'),
      Object.fromEntries(
        ['food-logs.csv', 'daily-calorie-summary.csv', 'weights.csv', 'exercise-logs.csv', 'profile.csv'].map((name) => [
          name,
          { fixture: `loseit/${name}` },
        ]),
      ),
    );
  });
  afterAll(() => folder.remove());

  it('sums the food rows without the deleted ones, fills the other days from the daily summary, reads the weights', async () => {
    const { options, progress } = readOptions();
    const parsed = await loseIt.read(await importFileAt(archive), options);
    expect(parsed.intake).toEqual([
      // 120 + 105 + 280 + 350: the deleted 999 kcal row does not count.
      { day: '2026-03-02', calories: 855, proteinG: 110.3, carbsG: 36, fatG: 26.4, complete: true, where: 'food-logs.csv line 2' },
      { day: '2026-03-03', calories: 2055, proteinG: 70, carbsG: 332, fatG: 34, complete: true, where: 'food-logs.csv line 7' },
      // The median day is 855 kcal: without dinner, 245 and 250 are under half of it.
      { day: '2026-03-04', calories: 245, proteinG: 5.5, carbsG: 52, fatG: 3.3, complete: false, where: 'food-logs.csv line 10' },
      {
        day: '2026-03-05',
        calories: 1800,
        proteinG: null,
        carbsG: null,
        fatG: null,
        complete: true,
        where: 'daily-calorie-summary.csv line 3',
      },
      { day: '2026-03-06', calories: 250, proteinG: 12, carbsG: 30, fatG: 8, complete: false, where: 'food-logs.csv line 13' },
    ]);
    // Weights of 188–190 with no unit named: pounds.
    expect(parsed.weightUnit).toBe('lb');
    expect(parsed.weightUnitInferred).toBe(true);
    expect(parsed.weights).toEqual([
      { day: '2026-03-02', weightKg: 86.27, where: 'weights.csv line 2' },
      { day: '2026-03-04', weightKg: 86.09, where: 'weights.csv line 4' },
      { day: '2026-03-06', weightKg: 85.55, where: 'weights.csv line 6' },
    ]);
    expect(parsed.rejected).toEqual([
      { where: 'food-logs.csv line 12', reason: 'not_a_date' }, // 02/30/2026
      { where: 'daily-calorie-summary.csv line 5', reason: 'out_of_range' },
      { where: 'weights.csv line 5', reason: 'not_a_number' },
    ]);
    expect(parsed.rejectedCount).toBe(3);
    expect(progress.at(-1)).toBe(1);
  });

  it('reads the weights in the unit the person names', async () => {
    const parsed = await loseIt.read(await importFileAt(archive), readOptions({ weightUnit: 'kg' }).options);
    expect(parsed.weightUnit).toBe('kg');
    expect(parsed.weightUnitInferred).toBeUndefined();
    expect(parsed.weights.map((w) => w.weightKg)).toEqual([190.2, 189.8, 188.6]);
  });

  it('reads food-logs.csv uploaded on its own', async () => {
    const parsed = await loseIt.read(await importFileAt(fixture('loseit/food-logs.csv')), readOptions().options);
    expect(parsed.intake.map((d) => [d.day, d.calories, d.where])).toEqual([
      ['2026-03-02', 855, 'line 2'],
      ['2026-03-03', 2055, 'line 7'],
      ['2026-03-04', 245, 'line 10'],
      ['2026-03-06', 250, 'line 13'],
    ]);
    expect(parsed.weights).toEqual([]);
    expect(parsed.weightUnit).toBeNull();
  });
});
