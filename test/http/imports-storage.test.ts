/**
 * How an import stores days (src/modules/imports/store.ts), weigh-ins and intake alike, on both
 * databases: the verdicts, `complete` and `source` kept, batches of whole days each in one
 * transaction (an import stopped between two leaves the first whole and nothing of the second),
 * and a day typed in by hand never overwritten unless the import says replace.
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyIntake, dailyWeights } from '../../src/db/schema.ts';
import type { DayIntake, DayWeight, ParsedImport } from '../../src/modules/imports/formats/types.ts';
import { writeWeights } from '../../src/modules/imports/repository.ts';
import type { ImportReportWire } from '../../src/modules/imports/schemas.ts';
import { ImportGone, storeDays, type StoreOptions } from '../../src/modules/imports/store.ts';
import { signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const parsed = (weights: DayWeight[], intake: DayIntake[]): ParsedImport => ({
  format: 'myfitnesspal',
  weightUnit: weights.length > 0 ? 'kg' : null,
  weights,
  intake,
  rejected: [],
  rejectedCount: 0,
});
const meal = (day: string, calories: number, complete = true): DayIntake => ({
  day,
  calories,
  proteinG: 150.04,
  carbsG: null,
  fatG: 70,
  complete,
  where: `day ${day}`,
});

async function store(userId: string, file: ParsedImport, options: Partial<StoreOptions> = {}): Promise<ImportReportWire> {
  return storeDays(
    t.database.db,
    file,
    {
      userId,
      dateOfBirth: '1980-01-01',
      latestDay: '2030-01-01',
      onConflict: 'keep',
      dryRun: false,
      signal: new AbortController().signal,
      save: async () => true,
      ...options,
    },
    () => {},
  );
}

const intakeOf = (userId: string) =>
  t.database.db
    .select({
      day: dailyIntake.day,
      calories: dailyIntake.calories,
      proteinG: dailyIntake.proteinG,
      carbsG: dailyIntake.carbsG,
      complete: dailyIntake.complete,
      source: dailyIntake.source,
    })
    .from(dailyIntake)
    .where(eq(dailyIntake.userId, userId))
    .orderBy(asc(dailyIntake.day));

const days = (counts: Record<string, number>) => ({ imported: 0, updated: 0, unchanged: 0, kept: 0, rejected: 0, ...counts });

describe('storing intake', () => {
  it('stores intake with its completeness as imported, then counts it unchanged, updated and kept', async () => {
    const { api, user } = await signUp(t.app, { date_of_birth: '1980-01-01' });
    const first = await store(user.id, parsed([], [meal('2024-03-01', 2100), meal('2024-03-02', 900, false), meal('2024-03-03', 2400)]));
    expect(first).toMatchObject({
      intake: days({ imported: 3 }),
      weights: days({}),
      days_done: 3,
      first_date: '2024-03-01',
      last_date: '2024-03-03',
    });
    expect(await intakeOf(user.id)).toEqual([
      { day: '2024-03-01', calories: 2100, proteinG: 150, carbsG: null, complete: true, source: 'import' },
      { day: '2024-03-02', calories: 900, proteinG: 150, carbsG: null, complete: false, source: 'import' },
      { day: '2024-03-03', calories: 2400, proteinG: 150, carbsG: null, complete: true, source: 'import' },
    ]);

    // Typed in by hand: the day is the person's from now on.
    expect((await api.put('/api/v1/users/me/intake/2024-03-03', { calories: 2500 })).status).toBe(200);
    const second = await store(user.id, parsed([], [meal('2024-03-01', 2100), meal('2024-03-02', 900, true), meal('2024-03-03', 2400)]));
    expect(second.intake).toEqual(days({ unchanged: 1, updated: 1, kept: 1 }));
    expect((await intakeOf(user.id)).map((d) => [d.day, d.calories, d.complete, d.source])).toEqual([
      ['2024-03-01', 2100, true, 'import'],
      ['2024-03-02', 900, true, 'import'],
      ['2024-03-03', 2500, true, 'manual'],
    ]);

    const replaced = await store(user.id, parsed([], [meal('2024-03-03', 2400)]), { onConflict: 'replace' });
    expect(replaced.intake).toEqual(days({ updated: 1 }));
    expect((await intakeOf(user.id)).at(-1)).toMatchObject({ calories: 2400, source: 'import' });
  });

  it('refuses intake it cannot store and a day given twice, and stores the rest', async () => {
    const { user } = await signUp(t.app, { date_of_birth: '1980-01-01' });
    const report = await store(
      user.id,
      parsed(
        [],
        [meal('2024-03-01', 20_000), meal('2024-03-02', 2000), meal('2024-03-02', 2100), { ...meal('2024-03-03', 2000), fatG: 5000 }],
      ),
    );
    expect(report.intake).toEqual(days({ imported: 1, rejected: 3 }));
    expect(report.rejected_rows.map((r) => r.reason)).toEqual([
      expect.stringMatching(/20000 kcal is outside/),
      expect.stringMatching(/2024-03-02 is given twice/),
      expect.stringMatching(/5000 g of fat is outside/),
    ]);
    expect((await intakeOf(user.id)).map((d) => d.calories)).toEqual([2000]);
  });
});

describe('batches of whole days', () => {
  const DAY_MS = 86_400_000;
  const dayAt = (i: number) => new Date(Date.UTC(2010, 0, 1) + i * DAY_MS).toISOString().slice(0, 10);
  const history = (n: number) =>
    parsed(
      Array.from({ length: n }, (_, i) => ({ day: dayAt(i), weightKg: 80 + (i % 10) / 10, where: `line ${i + 2}` })),
      Array.from({ length: n }, (_, i) => meal(dayAt(i), 2000 + (i % 7))),
    );
  const stored = async (userId: string) =>
    Promise.all([
      t.database.db.$count(dailyWeights, eq(dailyWeights.userId, userId)),
      t.database.db.$count(dailyIntake, eq(dailyIntake.userId, userId)),
    ]);

  it('leaves the batches before a stop whole, with their weigh-ins and intake, and nothing of the one it stopped in', async () => {
    const { user } = await signUp(t.app, { date_of_birth: '1980-01-01' });
    const saved: ImportReportWire[] = [];
    const stopped = store(user.id, history(2500), {
      save: async (_db, report) => {
        saved.push(report);
        return saved.length < 2;
      },
    });
    await expect(stopped).rejects.toBeInstanceOf(ImportGone);
    // The first batch's thousand days are there whole; the second's are not, though its days were written before the save said stop.
    expect(await stored(user.id)).toEqual([1000, 1000]);
    expect(saved[0]).toMatchObject({
      days_done: 1000,
      days_total: 2500,
      weights: days({ imported: 1000 }),
      intake: days({ imported: 1000 }),
    });
  });

  it('counts a dry run as the import would, storing nothing, and stops between batches when asked', async () => {
    const { user } = await signUp(t.app, { date_of_birth: '1980-01-01' });
    const dry = await store(user.id, history(1500), { dryRun: true });
    expect(dry).toMatchObject({ days_done: 1500, weights: days({ imported: 1500 }), intake: days({ imported: 1500 }) });
    expect(await stored(user.id)).toEqual([0, 0]);
    expect(await store(user.id, history(1500))).toEqual(dry);

    const stop = new AbortController();
    stop.abort(new Error('stopping'));
    await expect(store(user.id, history(1500), { signal: stop.signal })).rejects.toThrow('stopping');
  });
});

describe('the write', () => {
  it('never overwrites a day typed in by hand unless told to replace, whatever the comparison before found', async () => {
    const { api, user } = await signUp(t.app, { date_of_birth: '1980-01-01' });
    await api.put('/api/v1/users/me/weights/2024-03-01', { weight_kg: 82 });
    const weightOf = async () =>
      (
        await t.database.db
          .select({ kg: dailyWeights.weightKg, source: dailyWeights.source })
          .from(dailyWeights)
          .where(and(eq(dailyWeights.userId, user.id), eq(dailyWeights.day, '2024-03-01')))
      )[0];
    await writeWeights(t.database.db, user.id, [{ day: '2024-03-01', weightKg: 80 }], false);
    expect(await weightOf()).toEqual({ kg: 82, source: 'manual' });
    await writeWeights(t.database.db, user.id, [{ day: '2024-03-01', weightKg: 80 }], true);
    expect(await weightOf()).toEqual({ kg: 80, source: 'import' });
  });
});
