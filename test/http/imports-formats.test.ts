/**
 * Every import format, by its fixtures (test/fixtures/imports/): each file, or ZIP archive made of
 * them, is recognised as its format, imported through POST /api/v1/users/me/imports, and its days
 * read back through GET /weights and /intake with the values the table gives: the readers' own
 * (test/unit/imports/), as stored (kg to 0.01, grams to 0.1, whole kcal). A new format's reader adds
 * its fixtures and their rows here. Then, with an intake file: the same file again, a dry run, and a
 * day typed in by hand kept or replaced.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { FIXTURES, imported, spoolFolder, storedWeights, type ZipEntries, zipOf } from '../helpers/imports.ts';

/** A day's intake as GET /api/v1/users/me/intake gives it. */
interface Intake {
  calories: number;
  protein_g: number | null;
  carbs_g: number | null;
  fat_g: number | null;
  complete: boolean;
}
const ate = (calories: number, proteinG: number | null, carbsG: number | null, fatG: number | null, complete = true): Intake => ({
  calories,
  protein_g: proteinG,
  carbs_g: carbsG,
  fat_g: fatG,
  complete,
});

interface Fixture {
  /** A fixture file, or a ZIP archive of fixtures. */
  file: string | { zip: string; entries: ZipEntries };
  query?: string;
  format: string;
  weightUnit: 'kg' | 'lb' | null;
  /** The weigh-ins stored, by day. */
  weights: Record<string, number>;
  /** The intake stored, by day. */
  intake: Record<string, Intake>;
  /** Rows of the file its reader refuses. */
  rowsRejected: number;
}

const MFP_ZIP: ZipEntries = {
  'File-Export-2026-03-02-to-2026-03-06/Nutrition-Summary-2026-03-02-to-2026-03-06.csv': { fixture: 'myfitnesspal-nutrition-summary.csv' },
  'File-Export-2026-03-02-to-2026-03-06/Measurement-Summary-2026-03-02-to-2026-03-06.csv': {
    fixture: 'myfitnesspal-measurement-summary.csv',
  },
  'File-Export-2026-03-02-to-2026-03-06/Exercise-Summary-2026-03-02-to-2026-03-06.csv': { fixture: 'myfitnesspal-exercise-summary.csv' },
};
const MFP_INTAKE = {
  '2026-03-02': ate(2510, 140.3, 280.5, 93.7), // 2510.5 kcal, half to even
  '2026-03-03': ate(2100, 115, 230, 80),
  '2026-03-04': ate(1000, 50, 120, 30, false), // no dinner, under half the median day
  '2026-03-05': ate(350, 15, 40, 12, false),
  '2026-03-06': ate(2100, 90, 240, 75), // no dinner, a full day's calories
};
const LOSEIT_FILES = ['food-logs.csv', 'daily-calorie-summary.csv', 'weights.csv', 'exercise-logs.csv', 'profile.csv'];
const HEALTH_WEIGHTS = { '2026-03-01': 81.2, '2026-03-02': 81, '2026-03-03': 80.8 };
const HEALTH_INTAKE = {
  // 23:50 -0500 is still March 1st there; 55.25 g half to even.
  '2026-03-01': ate(1450, 70.5, 55.2, 20),
  // YAZIO's kJ, 1600 kcal, outweigh MyFitnessPal's 200 kcal just after midnight.
  '2026-03-02': ate(1600, 50, null, null),
  '2026-03-04': ate(800, null, null, null),
};

const FIXTURE_TABLE: Fixture[] = [
  {
    file: 'weights-plain.csv',
    format: 'weights_csv',
    weightUnit: 'kg',
    weights: { '2024-03-01': 80.4, '2024-03-02': 80.1, '2024-03-05': 79.6 },
    intake: {},
    rowsRejected: 2,
  },
  {
    file: 'weights-libra.csv',
    format: 'weights_csv',
    weightUnit: 'kg',
    weights: { '2024-03-01': 80.4, '2024-03-02': 80.1, '2024-03-03': 79.8 },
    intake: {},
    rowsRejected: 0,
  },
  {
    file: 'weights-withings.csv',
    format: 'weights_csv',
    weightUnit: 'kg',
    weights: { '2024-03-01': 80.4, '2024-03-02': 80.1, '2024-03-03': 79.8 },
    intake: {},
    rowsRejected: 0,
  },
  // No unit in the file: the person says pounds. 03/13 shows the dates are month first.
  {
    file: 'weights-fitbit-lb.csv',
    query: '?weight_unit=lb',
    format: 'weights_csv',
    weightUnit: 'lb',
    weights: { '2024-03-01': 80.38, '2024-03-02': 80.1, '2024-03-13': 79.83 },
    intake: {},
    rowsRejected: 0,
  },
  {
    file: 'myfitnesspal-nutrition-summary.csv',
    format: 'myfitnesspal',
    weightUnit: null,
    weights: {},
    intake: MFP_INTAKE,
    rowsRejected: 2,
  },
  // With a Time column, a meal at 17:00 or later is the evening meal whatever its name.
  {
    file: 'myfitnesspal-with-time.csv',
    format: 'myfitnesspal',
    weightUnit: null,
    weights: {},
    rowsRejected: 0,
    intake: {
      '2026-04-01': ate(700, 25, 85, 25),
      '2026-04-02': ate(4500, 240, 450, 180),
      '2026-04-03': ate(2600, 135, 270, 100),
      '2026-04-04': ate(300, 12, 35, 10, false),
    },
  },
  // Weights of 180 or so with no unit named: pounds.
  {
    file: { zip: 'myfitnesspal.zip', entries: MFP_ZIP },
    format: 'myfitnesspal',
    weightUnit: 'lb',
    weights: { '2026-03-02': 82.28, '2026-03-04': 81.92 },
    intake: MFP_INTAKE,
    rowsRejected: 3,
  },
  {
    file: { zip: 'myfitnesspal.zip', entries: MFP_ZIP },
    query: '?weight_unit=kg',
    format: 'myfitnesspal',
    weightUnit: 'kg',
    weights: { '2026-03-02': 181.4, '2026-03-04': 180.6 },
    intake: MFP_INTAKE,
    rowsRejected: 3,
  },
  // 2026-03-06 is all zeros: not logged. 2026-03-07 has no macros.
  {
    file: 'cronometer-dailysummary.csv',
    format: 'cronometer',
    weightUnit: null,
    weights: {},
    rowsRejected: 2,
    intake: {
      '2026-03-02': ate(2250, 150.3, 250.2, 80.5),
      '2026-03-03': ate(1100, 60, 120, 35, false),
      '2026-03-07': ate(1850, null, null, null),
    },
  },
  // Never marked complete: only 900 is under half the median day.
  {
    file: 'cronometer-dailysummary-unmarked.csv',
    format: 'cronometer',
    weightUnit: null,
    weights: {},
    rowsRejected: 0,
    intake: {
      '2026-03-02': ate(2000, 120, 200, 70),
      '2026-03-03': ate(2200, 130, 220, 75),
      '2026-03-04': ate(900, 50, 90, 30, false),
      '2026-03-05': ate(2100, 125, 210, 72),
    },
  },
  {
    file: 'cronometer-servings.csv',
    format: 'cronometer',
    weightUnit: null,
    weights: {},
    rowsRejected: 1,
    intake: {
      '2026-03-02': ate(1709, 118.6, 142.5, 68.2),
      '2026-03-03': ate(274, 5.6, 31.5, 14.1, false),
      '2026-03-04': ate(1950, 68.5, 277, 53.8),
    },
  },
  // The deleted rows do not count; 2026-03-05 comes from the daily summary; weights of 188–190: pounds.
  {
    file: { zip: 'loseit.zip', entries: Object.fromEntries(LOSEIT_FILES.map((name) => [name, { fixture: `loseit/${name}` }])) },
    format: 'loseit',
    weightUnit: 'lb',
    weights: { '2026-03-02': 86.27, '2026-03-04': 86.09, '2026-03-06': 85.55 },
    rowsRejected: 3,
    intake: {
      '2026-03-02': ate(855, 110.3, 36, 26.4),
      '2026-03-03': ate(2055, 70, 332, 34),
      '2026-03-04': ate(245, 5.5, 52, 3.3, false),
      '2026-03-05': ate(1800, null, null, null),
      '2026-03-06': ate(250, 12, 30, 8, false),
    },
  },
  // The first weigh-in of the local day; 23:50 -0500 is March 3rd there.
  {
    file: 'apple-health-export.xml',
    format: 'apple_health',
    weightUnit: 'kg',
    weights: HEALTH_WEIGHTS,
    intake: HEALTH_INTAKE,
    rowsRejected: 7,
  },
  {
    file: {
      zip: 'apple-health.zip',
      entries: {
        'apple_health_export/export.xml': { fixture: 'apple-health-export.xml' },
        'apple_health_export/export_cda.xml': '<ClinicalDocument/>',
      },
    },
    format: 'apple_health',
    weightUnit: 'kg',
    weights: HEALTH_WEIGHTS,
    intake: HEALTH_INTAKE,
    rowsRejected: 7,
  },
  {
    file: { zip: 'apple-health-lb.zip', entries: { 'apple_health_export/exportar.xml': { fixture: 'apple-health-export-lb.xml' } } },
    format: 'apple_health',
    weightUnit: 'lb',
    weights: { '2026-03-02': 81.83, '2026-03-03': 81.47 },
    intake: {},
    rowsRejected: 0,
  },
];

let t: TestApp;
let spool: Awaited<ReturnType<typeof spoolFolder>>;
beforeAll(async () => {
  spool = await spoolFolder();
  t = await createTestApp({ env: { IMPORT_SPOOL_DIR: spool.dir } });
});
afterAll(async () => {
  await t.close();
  await spool.remove();
});

const bytesOf = async (file: Fixture['file']) => (typeof file === 'string' ? readFile(path.join(FIXTURES, file)) : zipOf(file.entries));
const contentTypeOf = (file: Fixture['file']) =>
  typeof file !== 'string' ? 'application/zip' : file.endsWith('.xml') ? 'application/xml' : 'text/csv';
const days = (counts: Partial<Record<'imported' | 'updated' | 'unchanged' | 'kept' | 'rejected', number>>) => ({
  imported: 0,
  updated: 0,
  unchanged: 0,
  kept: 0,
  rejected: 0,
  ...counts,
});

/** The intake stored in the year of `day`, by day, as the API gives it. */
async function storedIntake(api: Api, day: string): Promise<Record<string, Intake & { source: string }>> {
  const year = day.slice(0, 4);
  const list = (await api.get(`/api/v1/users/me/intake?from=${year}-01-01&to=${year}-12-31`)).body;
  return Object.fromEntries(
    list.intake.map(({ date, calories, protein_g, carbs_g, fat_g, complete, source }: Intake & { date: string; source: string }) => [
      date,
      { calories, protein_g, carbs_g, fat_g, complete, source },
    ]),
  );
}

describe('import formats, by fixture', () => {
  it.each(
    FIXTURE_TABLE.map((fixture) => ({
      ...fixture,
      name: `${typeof fixture.file === 'string' ? fixture.file : fixture.file.zip}${fixture.query ?? ''}`,
    })),
  )('$name is read as $format and its days are stored', async (fixture) => {
    const { api } = await signUp(t.app, { date_of_birth: '1980-01-01' });
    const job = await imported(t.app, api, await bytesOf(fixture.file), {
      contentType: contentTypeOf(fixture.file),
      ...(fixture.query === undefined ? {} : { query: fixture.query }),
    });
    expect(job).toMatchObject({ status: 'done', format: fixture.format, progress: 1, error: null });
    const weighed = Object.keys(fixture.weights);
    const eaten = Object.keys(fixture.intake);
    const all = [...new Set([...weighed, ...eaten])].sort();
    expect(job.report).toMatchObject({
      weights: days({ imported: weighed.length }),
      intake: days({ imported: eaten.length }),
      rows_rejected: fixture.rowsRejected,
      weight_unit: fixture.weightUnit,
      first_date: all[0],
      last_date: all.at(-1),
      days_done: all.length,
      days_total: all.length,
    });
    expect(job.report.rejected_rows).toHaveLength(fixture.rowsRejected);
    const year = all[0]!.slice(0, 4);
    const weights = await storedWeights(api, `${year}-01-01`, `${year}-12-31`);
    expect(Object.fromEntries(Object.entries(weights).map(([day, w]) => [day, w.weight_kg]))).toEqual(fixture.weights);
    expect(Object.values(weights).every((w) => w.source === 'import')).toBe(true);
    const intake = Object.fromEntries(Object.entries(fixture.intake).map(([day, i]) => [day, { ...i, source: 'import' }]));
    expect(await storedIntake(api, all[0]!)).toEqual(intake);
    expect(await spool.files()).toEqual([]);
  });
});

describe('an intake file through the API', () => {
  const file = () => readFile(path.join(FIXTURES, 'myfitnesspal-nutrition-summary.csv'));
  const asImported = Object.fromEntries(Object.entries(MFP_INTAKE).map(([day, i]) => [day, { ...i, source: 'import' }]));

  it('is idempotent: the same file again finds every day unchanged and changes nothing', async () => {
    const { api } = await signUp(t.app, { date_of_birth: '1980-01-01' });
    expect((await imported(t.app, api, await file())).report.intake).toEqual(days({ imported: 5 }));
    const before = (await api.get('/api/v1/users/me/intake?from=2026-03-01&to=2026-03-31')).body;
    const again = await imported(t.app, api, await file());
    expect(again.report).toMatchObject({ intake: days({ unchanged: 5 }), weights: days({}), days_done: 5, rows_rejected: 2 });
    // updated_at too: no day was written again.
    expect((await api.get('/api/v1/users/me/intake?from=2026-03-01&to=2026-03-31')).body).toEqual(before);
  });

  it('stores nothing on a dry run, and reports what the import then does', async () => {
    const { api } = await signUp(t.app, { date_of_birth: '1980-01-01' });
    expect((await api.put('/api/v1/users/me/intake/2026-03-03', { calories: 1900, protein_g: 120 })).status).toBe(200);
    const dry = await imported(t.app, api, await file(), { query: '?dry_run=true' });
    expect(dry).toMatchObject({ status: 'done', dry_run: true, report: { intake: days({ imported: 4, kept: 1 }) } });
    expect(await storedIntake(api, '2026-03-01')).toEqual({ '2026-03-03': { ...ate(1900, 120, null, null), source: 'manual' } });
    expect((await imported(t.app, api, await file())).report).toEqual(dry.report);
  });

  it('keeps a day typed in by hand by default, replaces it with on_conflict=replace, and leaves one with the same values alone', async () => {
    const { api } = await signUp(t.app, { date_of_birth: '1980-01-01' });
    const same = MFP_INTAKE['2026-03-02'];
    await api.put('/api/v1/users/me/intake/2026-03-02', same);
    await api.put('/api/v1/users/me/intake/2026-03-03', { calories: 1900, protein_g: 120 });
    const kept = await imported(t.app, api, await file());
    expect(kept.report.intake).toEqual(days({ imported: 3, unchanged: 1, kept: 1 }));
    expect(await storedIntake(api, '2026-03-01')).toEqual({
      ...asImported,
      '2026-03-02': { ...same, source: 'manual' },
      '2026-03-03': { ...ate(1900, 120, null, null), source: 'manual' },
    });

    const replaced = await imported(t.app, api, await file(), { query: '?on_conflict=replace' });
    expect(replaced).toMatchObject({ on_conflict: 'replace', report: { intake: days({ updated: 1, unchanged: 4 }) } });
    expect(await storedIntake(api, '2026-03-01')).toEqual({ ...asImported, '2026-03-02': { ...same, source: 'manual' } });
  });
});
