import { and, asc, between, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { dailyIntake, dailyWeights, measurements } from '../../db/schema.ts';

export type WeighInRow = typeof dailyWeights.$inferSelect;
export type IntakeRow = typeof dailyIntake.$inferSelect;

export async function upsertWeighIn(db: Executor, row: typeof dailyWeights.$inferInsert): Promise<WeighInRow> {
  const [saved] = await db.insert(dailyWeights).values(row)
    .onConflictDoUpdate({ target: [dailyWeights.userId, dailyWeights.day], set: { weightKg: row.weightKg, source: row.source, updatedAt: new Date() } })
    .returning();
  return saved!;
}

/** Inserts the weigh-ins of days that have none yet; returns the days taken. */
export async function insertMissingWeighIns(db: Executor, rows: (typeof dailyWeights.$inferInsert)[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await db.insert(dailyWeights).values(rows).onConflictDoNothing().returning({ day: dailyWeights.day });
  return new Set(inserted.map((r) => r.day));
}

export async function deleteWeighIn(db: Executor, userId: string, day: string): Promise<boolean> {
  const deleted = await db.delete(dailyWeights).where(and(eq(dailyWeights.userId, userId), eq(dailyWeights.day, day))).returning({ day: dailyWeights.day });
  return deleted.length > 0;
}

export function listWeighIns(db: Executor, userId: string, from: string, to: string) {
  return db.select().from(dailyWeights)
    .where(and(eq(dailyWeights.userId, userId), between(dailyWeights.day, from, to))).orderBy(asc(dailyWeights.day));
}

/** The weight of each day's first body measurement in the range (UTC days). */
export function measurementWeights(db: Executor, userId: string, from: string, to: string) {
  const day = sql<string>`to_char(${measurements.measuredAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  return db.selectDistinctOn([day], { day, weightKg: measurements.weightKg }).from(measurements)
    .where(and(eq(measurements.userId, userId),
      sql`${measurements.measuredAt} >= ${from}::date at time zone 'UTC'`,
      sql`${measurements.measuredAt} < (${to}::date + 1) at time zone 'UTC'`))
    .orderBy(day, asc(measurements.measuredAt));
}

export async function upsertIntake(db: Executor, row: typeof dailyIntake.$inferInsert): Promise<IntakeRow> {
  const { userId: _u, day: _d, ...values } = row;
  const [saved] = await db.insert(dailyIntake).values(row)
    .onConflictDoUpdate({ target: [dailyIntake.userId, dailyIntake.day], set: { ...values, updatedAt: new Date() } })
    .returning();
  return saved!;
}

export async function deleteIntake(db: Executor, userId: string, day: string): Promise<boolean> {
  const deleted = await db.delete(dailyIntake).where(and(eq(dailyIntake.userId, userId), eq(dailyIntake.day, day))).returning({ day: dailyIntake.day });
  return deleted.length > 0;
}

export function listIntake(db: Executor, userId: string, from: string, to: string) {
  return db.select().from(dailyIntake)
    .where(and(eq(dailyIntake.userId, userId), between(dailyIntake.day, from, to))).orderBy(asc(dailyIntake.day));
}
