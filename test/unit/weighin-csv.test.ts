import { describe, expect, it } from 'vitest';
import { KG_PER_LB } from '../../src/domain/index.ts';
import { type DateOrder, parseDay, readWeighIns, type RowVerdict, type WeightUnit } from '../../src/modules/tracking/csv.ts';

/** Every verdict of a file, or the reason it cannot be read at all. */
async function read(
  text: string,
  options: { unit?: WeightUnit; dateOrder?: DateOrder | null } = {},
): Promise<{ rows: RowVerdict[]; error?: string }> {
  const rows: RowVerdict[] = [];
  try {
    await readWeighIns(text, options, (row) => rows.push(row));
    return { rows };
  } catch (error) {
    return { rows, error: (error as Error).message };
  }
}

const summary = (rows: RowVerdict[]) => rows.map((r) => [r.line, r.status, r.status === 'rejected' ? r.reason : '']);

describe('weigh-in CSV import', () => {
  it('reads a plain date,weight file in kg', async () => {
    const { rows, error } = await read('date,weight\n2026-01-01,80.4\n2026-01-02,80.1\n');
    expect(error).toBeUndefined();
    expect(rows).toEqual([
      { line: 2, date: '2026-01-01', weightKg: 80.4, status: 'accepted' },
      { line: 3, date: '2026-01-02', weightKg: 80.1, status: 'accepted' },
    ]);
  });

  it('reads a Libra export: comment lines, semicolons, ISO timestamps, the trend column ignored', async () => {
    const libra =
      '#Version:6\n#Units:kg\n\ndate;weight;weight trend;body fat;body fat trend;log\n2019-01-13T06:42:00.000Z;79.2;79.4;;;\n2019-01-14T07:01:00.000Z;79,0;79.3;;;\n';
    const { rows } = await read(libra);
    expect(rows.map((r) => [r.line, r.date, r.weightKg, r.status])).toEqual([
      [5, '2019-01-13', 79.2, 'accepted'],
      [6, '2019-01-14', 79, 'accepted'],
    ]);
  });

  it('reads a Withings export with the unit in the header, and pounds', async () => {
    const withings =
      'Date,"Weight (kg)","Fat mass (kg)","Bone mass (kg)","Muscle mass (kg)","Hydration (kg)",Comments\n"2023-01-05 07:12:33",72.35,14.1,,,,\n';
    expect((await read(withings)).rows[0]).toMatchObject({ date: '2023-01-05', weightKg: 72.35, status: 'accepted' });
    const pounds = (await read('Date,Weight (lbs)\n2023-01-05,180\n')).rows[0]!;
    expect(pounds.weightKg).toBeCloseTo(180 * KG_PER_LB, 2);
    expect((await read('date,weight\n2023-01-05,180\n', { unit: 'lb' })).rows[0]!.weightKg).toBe(81.65);
    expect((await read('date,weight\n2023-01-05,180 lb\n')).rows[0]!.weightKg).toBe(81.65);
  });

  it('reads tab-separated files, a byte order mark and Windows or old Mac line ends', async () => {
    const expected = [
      [2, 'accepted', ''],
      [3, 'accepted', ''],
    ];
    expect(summary((await read('\uFEFFdate\tweight\n2026-01-01\t80,5\n2026-01-02\t80\n')).rows)).toEqual(expected);
    expect((await read('\uFEFFdate\tweight\n2026-01-01\t80,5\n')).rows[0]!.weightKg).toBe(80.5);
    expect(summary((await read('date,weight\r\n2026-01-01,80\r\n2026-01-02,80\r\n')).rows)).toEqual(expected);
    expect(summary((await read('date,weight\r2026-01-01,80\r2026-01-02,80\r')).rows)).toEqual(expected);
  });

  it('settles day/month order from the data or the option, and refuses what stays ambiguous', () => {
    expect(parseDay('25/03/2024', null)).toEqual({ day: '2024-03-25' });
    expect(parseDay('03/25/2024', null)).toEqual({ day: '2024-03-25' });
    expect(parseDay('03/04/2024', 'dmy')).toEqual({ day: '2024-04-03' });
    expect(parseDay('03/04/2024', 'mdy')).toEqual({ day: '2024-03-04' });
    expect(parseDay('03/04/2024', null)).toMatchObject({ reason: 'ambiguous_date' });
    expect(parseDay('2024-02-30', null)).toMatchObject({ reason: 'not_a_date' });
  });

  it('reports every rejected row with its reason, and keeps the first weigh-in of a day', async () => {
    const { rows } = await read(
      'Date,Weight\n2026-01-01,80\nyesterday,80\n2026-01-02,\n2026-01-03,eighty\n2026-01-04,20\n2026-01-01,79\n03/04/2026,80\n',
    );
    expect(summary(rows)).toEqual([
      [2, 'accepted', ''],
      [3, 'rejected', 'not_a_date'],
      [4, 'rejected', 'no_weight'],
      [5, 'rejected', 'not_a_weight'],
      [6, 'rejected', 'weight_out_of_range'],
      [7, 'rejected', 'day_repeated'],
      [8, 'rejected', 'ambiguous_date'],
    ]);
    expect(rows.map((r) => (r.status === 'rejected' ? r.detail : ''))).toEqual([
      '',
      expect.stringMatching(/"yesterday" is not a date/),
      'no weight on this row',
      expect.stringMatching(/"eighty" is not a weight/),
      expect.stringMatching(/outside 30–300 kg/),
      expect.stringMatching(/already gives this day/),
      expect.stringMatching(/date_format=dmy/),
    ]);
  });

  it('reads quoted fields with delimiters, quotes and line breaks, numbering a row by the line it starts on', async () => {
    const csv =
      'date,weight,note\n' +
      '2026-01-01,80,"slept badly, again"\n' +
      '2026-01-02,80,"two\r\nlines"\n' +
      '# a comment between rows\n' +
      '\n' +
      '2026-01-03,80,"said ""hi""\nand\nleft"\n' +
      '2026-01-04,eighty,plain\n';
    const { rows, error } = await read(csv);
    expect(error).toBeUndefined();
    expect(summary(rows)).toEqual([
      [2, 'accepted', ''],
      [3, 'accepted', ''],
      [7, 'accepted', ''],
      [10, 'rejected', 'not_a_weight'],
    ]);
  });

  it('numbers rows by line across the slices the file is read in', async () => {
    let csv = '#Version:6\ndate;weight\n';
    for (let i = 0; i < 5000; i++) csv += i % 1000 === 999 ? `2026-01-01;"a\nb"\n` : `${2000 + Math.floor(i / 365)}-01-01;80,5;"x"\n`;
    const { rows } = await read(csv);
    const lines = rows.map((r) => r.line);
    // Lines 3 onwards; each fifth thousand-th record spans two lines.
    const expected: number[] = [];
    for (let i = 0, line = 3; i < 5000; i++) {
      expected.push(line);
      line += i % 1000 === 999 ? 2 : 1;
    }
    expect(lines).toEqual(expected);
  });

  it('says what is wrong when the file as a whole cannot be read', async () => {
    expect((await read('when,kilos\n2026-01-01,80\n')).error).toMatch(/date column and a weight column/);
    expect((await read('')).error).toMatch(/no rows/);
    expect((await read('# only a comment\n\n')).error).toMatch(/no rows/);
    expect((await read('date,weight\n2026-01-01,80\n"2026-01-02,80\n2026-01-03,80\n')).error).toMatch(
      /not readable as CSV: Quote Not Closed/,
    );
  });
});
