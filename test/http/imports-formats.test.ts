/**
 * Every import format, by its fixtures (test/fixtures/imports/): each file is recognised as its
 * format, imported through POST /api/v1/users/me/imports, and its days stored with the values the
 * table gives. A new format's reader adds its fixtures and their rows here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { FIXTURES, imported, spoolFolder, storedWeights } from '../helpers/imports.ts';

interface Fixture {
  file: string;
  query?: string;
  format: string;
  weightUnit: 'kg' | 'lb' | null;
  /** The weigh-ins stored, by day. */
  weights: Record<string, number>;
  /** Rows of the file its reader refuses. */
  rowsRejected: number;
}

const FIXTURE_TABLE: Fixture[] = [
  { file: 'weights-plain.csv', format: 'weights_csv', weightUnit: 'kg', weights: { '2024-03-01': 80.4, '2024-03-02': 80.1, '2024-03-05': 79.6 }, rowsRejected: 2 },
  { file: 'weights-libra.csv', format: 'weights_csv', weightUnit: 'kg', weights: { '2024-03-01': 80.4, '2024-03-02': 80.1, '2024-03-03': 79.8 }, rowsRejected: 0 },
  { file: 'weights-withings.csv', format: 'weights_csv', weightUnit: 'kg', weights: { '2024-03-01': 80.4, '2024-03-02': 80.1, '2024-03-03': 79.8 }, rowsRejected: 0 },
  // No unit in the file: the person says pounds. 03/13 shows the dates are month first.
  { file: 'weights-fitbit-lb.csv', query: '?weight_unit=lb', format: 'weights_csv', weightUnit: 'lb', weights: { '2024-03-01': 80.38, '2024-03-02': 80.1, '2024-03-13': 79.83 }, rowsRejected: 0 },
];

let t: TestApp;
let spool: Awaited<ReturnType<typeof spoolFolder>>;
beforeAll(async () => {
  spool = await spoolFolder();
  t = await createTestApp({ env: { IMPORT_SPOOL_DIR: spool.dir } });
});
afterAll(async () => { await t.close(); await spool.remove(); });

describe('import formats, by fixture', () => {
  it.each(FIXTURE_TABLE)('$file is read as $format and its days are stored', async (fixture) => {
    const { api } = await signUp(t.app, { date_of_birth: '1980-01-01' });
    const file = await readFile(path.join(FIXTURES, fixture.file));
    const job = await imported(t.app, api, file, fixture.query === undefined ? {} : { query: fixture.query });
    expect(job).toMatchObject({ status: 'done', format: fixture.format, progress: 1, error: null });
    const days = Object.keys(fixture.weights).sort();
    expect(job.report).toMatchObject({
      weights: { imported: days.length, updated: 0, unchanged: 0, kept: 0, rejected: 0 },
      rows_rejected: fixture.rowsRejected, weight_unit: fixture.weightUnit,
      first_date: days[0], last_date: days.at(-1), days_done: days.length, days_total: days.length,
    });
    expect(job.report.rejected_rows).toHaveLength(fixture.rowsRejected);
    const stored = await storedWeights(api, '2024-01-01', '2024-06-30');
    expect(Object.fromEntries(Object.entries(stored).map(([day, w]) => [day, w.weight_kg]))).toEqual(fixture.weights);
    expect(Object.values(stored).every((w) => w.source === 'import')).toBe(true);
    expect(await spool.files()).toEqual([]);
  });
});
