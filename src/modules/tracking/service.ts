import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Static } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { notFound, unprocessable } from '../../core/errors.ts';
import { isCalendarDate } from '../../core/schemas.ts';
import { currentUser } from '../users/service.ts';
import { type DateOrder, readWeighIns, UnreadableCsv, type WeightUnit } from './csv.ts';
import { createImportReport } from './importReport.ts';
import {
  deleteIntake,
  deleteWeighIn,
  insertMissingWeighIns,
  type IntakeRow,
  listIntake,
  upsertIntake,
  upsertWeighIn,
  type WeighInRow,
} from './repository.ts';
import type { ImportReport, Intake, IntakeBody, WeighIn } from './schemas.ts';

const DAY_MS = 86_400_000;
/** A list covers at most two years; without `from` it shows the last 90 days. */
const MAX_RANGE_DAYS = 731;
const DEFAULT_RANGE_DAYS = 90;

export const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const addDays = (day: string, days: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));

/**
 * A day a person can log: a real date, not before their birth and not after tomorrow (UTC; a
 * person east of UTC may already be a day ahead).
 */
async function loggableDay(ctx: AppContext, userId: string, day: string): Promise<void> {
  const field = 'path.date';
  if (!isCalendarDate(day))
    throw unprocessable('The request has fields that failed validation', [{ field, message: 'must be a real calendar date' }]);
  if (day > addDays(dayOf(ctx.now()), 1))
    throw unprocessable('The request has fields that failed validation', [{ field, message: 'must not be in the future' }]);
  const user = await currentUser(ctx, userId);
  if (day < user.dateOfBirth)
    throw unprocessable('The request has fields that failed validation', [{ field, message: 'must not be before the date of birth' }]);
}

/** `from`–`to` inclusive, validated; defaults to the last 90 days up to today. */
export function dayRange(ctx: AppContext, query: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const to = query.to ?? dayOf(ctx.now());
  const from = query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isCalendarDate(value))
      throw unprocessable('The request has fields that failed validation', [
        { field: `query.${name}`, message: 'must be a real calendar date' },
      ]);
  }
  if (from > to)
    throw unprocessable('The request has fields that failed validation', [{ field: 'query.from', message: 'must not be after `to`' }]);
  if (Date.parse(to) - Date.parse(from) >= MAX_RANGE_DAYS * DAY_MS) {
    throw unprocessable('The request has fields that failed validation', [
      { field: 'query.from', message: `the range may span at most ${MAX_RANGE_DAYS} days` },
    ]);
  }
  return { from, to };
}

export async function putWeighIn(ctx: AppContext, userId: string, day: string, weightKg: number): Promise<WeighInRow> {
  await loggableDay(ctx, userId, day);
  return upsertWeighIn(ctx.db, { userId, day, weightKg: Math.round(weightKg * 100) / 100, source: 'manual' });
}

export async function removeWeighIn(ctx: AppContext, userId: string, day: string): Promise<void> {
  if (!(await deleteWeighIn(ctx.db, userId, day))) throw notFound('Weigh-in');
}

/**
 * Rows per INSERT of an import. Measured on 20,000 rows: PGlite stores them fastest from about 250
 * rows a statement, PostgreSQL from about 1,000; and on PGlite, which runs in this thread, a
 * statement of 1,000 holds the event loop some 10–40 ms.
 */
const IMPORT_BATCH_ROWS = 1000;

/**
 * Imports a CSV of weigh-ins; days that already have one keep it. The whole file is read and
 * checked first (an unreadable file stores nothing), then the accepted rows are stored in batches,
 * the event loop getting a turn between them; `abandoned` stops it between batches.
 */
export async function importWeighIns(
  ctx: AppContext,
  userId: string,
  text: string,
  options: { unit?: WeightUnit | undefined; date_format?: DateOrder | undefined },
  abandoned: AbortSignal,
): Promise<Static<typeof ImportReport>> {
  const user = await currentUser(ctx, userId);
  const latest = addDays(dayOf(ctx.now()), 1);
  const report = createImportReport();
  const accepted: { line: number; date: string; weightKg: number }[] = [];
  try {
    await readWeighIns(text, { unit: options.unit ?? 'kg', dateOrder: options.date_format ?? null }, (row) => {
      if (row.status === 'rejected') report.reject(row);
      else if (row.date > latest) report.reject({ ...row, reason: 'in_the_future', detail: 'the date is in the future' });
      else if (row.date < user.dateOfBirth)
        report.reject({ ...row, reason: 'before_birth', detail: 'the date is before the date of birth' });
      else accepted.push(row);
    });
  } catch (error) {
    if (error instanceof UnreadableCsv) throw unprocessable(error.message, [{ field: 'body', message: error.message }], 'csv_unreadable');
    throw error;
  }
  for (let start = 0; start < accepted.length; start += IMPORT_BATCH_ROWS) {
    await nextTurn();
    abandoned.throwIfAborted();
    const batch = accepted.slice(start, start + IMPORT_BATCH_ROWS);
    const taken = await insertMissingWeighIns(ctx.db, userId, batch);
    for (const row of batch) {
      if (taken.has(row.date)) report.imported();
      else report.reject({ ...row, reason: 'day_already_logged', detail: 'a weigh-in already exists for this day' });
    }
  }
  return report.result();
}

/** Replaces the day's intake: a field left out takes its default (no macros, a complete day), not the old value. */
export async function putIntake(ctx: AppContext, userId: string, day: string, body: Static<typeof IntakeBody>): Promise<IntakeRow> {
  await loggableDay(ctx, userId, day);
  const grams = (value: number | null | undefined) => (value === undefined || value === null ? null : Math.round(value * 10) / 10);
  // Typed in: a day an import wrote becomes the person's own (docs/DESIGN.md, 'Imports': a later import keeps it).
  return upsertIntake(ctx.db, {
    userId,
    day,
    calories: body.calories,
    proteinG: grams(body.protein_g),
    carbsG: grams(body.carbs_g),
    fatG: grams(body.fat_g),
    complete: body.complete ?? true,
    source: 'manual',
  });
}

export async function removeIntake(ctx: AppContext, userId: string, day: string): Promise<void> {
  if (!(await deleteIntake(ctx.db, userId, day))) throw notFound('Intake');
}

export async function intakeBetween(ctx: AppContext, userId: string, range: { from: string; to: string }) {
  return listIntake(await ctx.reader(userId), userId, range.from, range.to);
}

export const toWeighIn = (row: WeighInRow): Static<typeof WeighIn> => ({
  date: row.day,
  weight_kg: row.weightKg,
  source: row.source,
  updated_at: row.updatedAt.toISOString(),
});

export const toIntake = (row: IntakeRow): Static<typeof Intake> => ({
  date: row.day,
  calories: row.calories,
  protein_g: row.proteinG,
  carbs_g: row.carbsG,
  fat_g: row.fatG,
  complete: row.complete,
  source: row.source,
  updated_at: row.updatedAt.toISOString(),
});
