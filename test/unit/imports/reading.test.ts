import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvRows } from '../../../src/modules/imports/formats/csv-rows.ts';
import { parseAmount } from '../../../src/modules/imports/formats/numbers.ts';
import { minutesAfterMidnight } from '../../../src/modules/imports/formats/days.ts';
import { Rejections } from '../../../src/modules/imports/formats/reading.ts';
import { ImportRefused } from '../../../src/modules/imports/formats/types.ts';

const rows = async (text: string, chunk = 7) => {
  const chunks = [];
  for (let at = 0; at < text.length; at += chunk) chunks.push(Buffer.from(text.slice(at, at + chunk)));
  const out = [];
  for await (const row of csvRows(Readable.from(chunks), 'test.csv')) out.push(row);
  return out;
};

describe("reading the exports' cells and rows", () => {
  it('numbers the rows by the line they start on: blank lines, CRLF, line breaks inside quoted cells, across chunks', async () => {
    const text = '\uFEFFDate,Note\r\n\r\n2026-03-01,"two\r\nlines"\r\n2026-03-02,plain\r\n   \r\n2026-03-03,"é, ü"';
    expect(await rows(text)).toEqual([
      { line: 1, cells: ['Date', 'Note'] },
      { line: 3, cells: ['2026-03-01', 'two\r\nlines'] },
      { line: 5, cells: ['2026-03-02', 'plain'] },
      { line: 7, cells: ['2026-03-03', 'é, ü'] },
    ]);
    expect((await rows('a,b\n1,"x\ny"\n2,3\n', 3)).map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('a quote never closed makes the file unreadable, not a row', async () => {
    const error = await rows(`a,b\n1,"${'x'.repeat(70_000)}\n`, 4096).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRefused);
    expect((error as ImportRefused).code).toBe('unreadable_file');
  });

  it('amounts as the apps write them', () => {
    expect(parseAmount('1020')).toBe(1020);
    expect(parseAmount('1,020')).toBe(1020);
    expect(parseAmount('12,345.5')).toBe(12345.5);
    expect(parseAmount('12,5')).toBe(12.5);
    expect(parseAmount(' 830.5 ')).toBe(830.5);
    expect(parseAmount('')).toBeNull();
    expect(parseAmount('abc')).toBeNaN();
    expect(parseAmount('1.2.3')).toBeNaN();
  });

  it('times of day', () => {
    expect(minutesAfterMidnight('19:30')).toBe(1170);
    expect(minutesAfterMidnight('7:45 PM')).toBe(1185);
    expect(minutesAfterMidnight('12:10 am')).toBe(10);
    expect(minutesAfterMidnight('12:30 PM')).toBe(750);
    expect(minutesAfterMidnight('07:30:00')).toBe(450);
    expect(minutesAfterMidnight('')).toBeNull();
    expect(minutesAfterMidnight('25:00')).toBeNull();
    expect(minutesAfterMidnight('13:00 PM')).toBeNull();
  });

  it('keeps the first 100 refusals in file order, and counts them all', () => {
    const rejections = new Rejections();
    for (let line = 2; line <= 151; line++) rejections.add({ where: `line ${line}`, at: line }, 'not_a_date');
    rejections.add({ where: 'line 1', at: 1 }, 'out_of_range'); // a day refused at the end, placed at its first row
    expect(rejections.count).toBe(151);
    expect(rejections.kept).toHaveLength(100);
    expect(rejections.kept[0]).toEqual({ where: 'line 1', reason: 'out_of_range' });
    expect(rejections.kept.at(-1)).toEqual({ where: 'line 100', reason: 'not_a_date' });
  });
});
