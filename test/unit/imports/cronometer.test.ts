import { describe, expect, it } from 'vitest';
import { cronometer } from '../../../src/modules/imports/formats/cronometer.ts';
import { importFileAt } from '../../../src/modules/imports/formats/file.ts';
import { fixture, readOptions } from './files.ts';

describe('Cronometer', () => {
  it('daily nutrition: one day a row, the Completed mark as the person set it, the bad rows refused', async () => {
    const { options, progress } = readOptions();
    const parsed = await cronometer.read(await importFileAt(fixture('cronometer-dailysummary.csv')), options);
    expect(parsed).toEqual({
      format: 'cronometer',
      weightUnit: null,
      weights: [],
      intake: [
        { day: '2026-03-02', calories: 2250, proteinG: 150.3, carbsG: 250.2, fatG: 80.5, complete: true, where: 'line 2' },
        { day: '2026-03-03', calories: 1100, proteinG: 60, carbsG: 120, fatG: 35, complete: false, where: 'line 3' },
        // 2026-03-06 is all zeros: not logged, not a day of eating nothing. 2026-03-07 has no macros.
        { day: '2026-03-07', calories: 1850, proteinG: null, carbsG: null, fatG: null, complete: true, where: 'line 7' },
      ],
      rejected: [
        { where: 'line 4', reason: 'out_of_range' },
        { where: 'line 5', reason: 'not_a_number' },
      ],
      rejectedCount: 2,
    });
    expect(progress.at(-1)).toBe(1);
  });

  it('daily nutrition never marked complete: the calorie half of the partial-day rule decides', async () => {
    const parsed = await cronometer.read(await importFileAt(fixture('cronometer-dailysummary-unmarked.csv')), readOptions().options);
    // Median (2000 + 2100) / 2 = 2050: only 900 is under half of it.
    expect(parsed.intake.map((d) => [d.day, d.calories, d.complete])).toEqual([
      ['2026-03-02', 2000, true],
      ['2026-03-03', 2200, true],
      ['2026-03-04', 900, false],
      ['2026-03-05', 2100, true],
    ]);
  });

  it('servings: summed by day, with the partial-day rule on their groups and times', async () => {
    const parsed = await cronometer.read(await importFileAt(fixture('cronometer-servings.csv')), readOptions().options);
    expect(parsed.intake).toEqual([
      // 303.2 + 124.5 + 650 + 370.8 + 260.2
      { day: '2026-03-02', calories: 1709, proteinG: 118.6, carbsG: 142.5, fatG: 68.2, complete: true, where: 'line 2' },
      // Breakfast only, 274 kcal: under half the median day (1709).
      { day: '2026-03-03', calories: 274, proteinG: 5.6, carbsG: 31.5, fatG: 14.1, complete: false, where: 'line 7' },
      // No "Dinner" group, but a snack at 9:30 PM.
      { day: '2026-03-04', calories: 1950, proteinG: 68.5, carbsG: 277, fatG: 53.8, complete: true, where: 'line 9' },
    ]);
    expect(parsed.rejected).toEqual([{ where: 'line 12', reason: 'not_a_number' }]);
  });
});
