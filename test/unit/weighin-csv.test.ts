import { describe, expect, it } from 'vitest';
import { KG_PER_LB, parseDay, parseWeighIns } from '../../src/modules/tracking/csv.ts';

describe('weigh-in CSV import', () => {
  it('reads a plain date,weight file in kg', () => {
    const { rows, error } = parseWeighIns('date,weight\n2026-01-01,80.4\n2026-01-02,80.1\n');
    expect(error).toBeUndefined();
    expect(rows).toEqual([
      { line: 2, date: '2026-01-01', weightKg: 80.4, status: 'accepted' },
      { line: 3, date: '2026-01-02', weightKg: 80.1, status: 'accepted' },
    ]);
  });

  it('reads a Libra export: comment lines, semicolons, ISO timestamps, the trend column ignored', () => {
    const libra = '#Version:6\n#Units:kg\n\ndate;weight;weight trend;body fat;body fat trend;log\n2019-01-13T06:42:00.000Z;79.2;79.4;;;\n2019-01-14T07:01:00.000Z;79,0;79.3;;;\n';
    const { rows } = parseWeighIns(libra);
    expect(rows.map((r) => [r.date, r.weightKg, r.status])).toEqual([['2019-01-13', 79.2, 'accepted'], ['2019-01-14', 79, 'accepted']]);
  });

  it('reads a Withings export with the unit in the header, and pounds', () => {
    const withings = 'Date,"Weight (kg)","Fat mass (kg)","Bone mass (kg)","Muscle mass (kg)","Hydration (kg)",Comments\n"2023-01-05 07:12:33",72.35,14.1,,,,\n';
    expect(parseWeighIns(withings).rows[0]).toMatchObject({ date: '2023-01-05', weightKg: 72.35, status: 'accepted' });
    const pounds = parseWeighIns('Date,Weight (lbs)\n2023-01-05,180\n').rows[0]!;
    expect(pounds.weightKg).toBeCloseTo(180 * KG_PER_LB, 2);
    expect(parseWeighIns('date,weight\n2023-01-05,180\n', { unit: 'lb' }).rows[0]!.weightKg).toBe(81.65);
    expect(parseWeighIns('date,weight\n2023-01-05,180 lb\n').rows[0]!.weightKg).toBe(81.65);
  });

  it('settles day/month order from the data or the option, and refuses what stays ambiguous', () => {
    expect(parseDay('25/03/2024', null)).toEqual({ day: '2024-03-25' });
    expect(parseDay('03/25/2024', null)).toEqual({ day: '2024-03-25' });
    expect(parseDay('03/04/2024', 'dmy')).toEqual({ day: '2024-04-03' });
    expect(parseDay('03/04/2024', 'mdy')).toEqual({ day: '2024-03-04' });
    expect(parseDay('03/04/2024', null)).toHaveProperty('error');
    expect(parseDay('2024-02-30', null)).toHaveProperty('error');
  });

  it('reports every rejected row with its reason, and keeps the first weigh-in of a day', () => {
    const { rows } = parseWeighIns('Date,Weight\n2026-01-01,80\nyesterday,80\n2026-01-02,\n2026-01-03,eighty\n2026-01-04,20\n2026-01-01,79\n');
    expect(rows.map((r) => [r.line, r.status, r.reason ?? ''])).toEqual([
      [2, 'accepted', ''],
      [3, 'rejected', expect.stringMatching(/not a date/)],
      [4, 'rejected', 'no weight on this row'],
      [5, 'rejected', expect.stringMatching(/not a weight/)],
      [6, 'rejected', expect.stringMatching(/outside 30–300 kg/)],
      [7, 'rejected', expect.stringMatching(/already gives this day/)],
    ]);
  });

  it('says what is missing when the header has no date or weight column', () => {
    expect(parseWeighIns('when,kilos\n2026-01-01,80\n').error).toMatch(/date column and a weight column/);
    expect(parseWeighIns('').error).toMatch(/no rows/);
  });
});
