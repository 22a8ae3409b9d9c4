import { and, count, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { measurements } from '../../db/schema.ts';

export type MeasurementRow = typeof measurements.$inferSelect;
export type NewMeasurement = typeof measurements.$inferInsert;

export async function insertMeasurement(db: Executor, row: NewMeasurement): Promise<MeasurementRow> {
  const [inserted] = await db.insert(measurements).values(row).returning();
  return inserted!;
}

/** A measurement of this user; another user's id reads as absent. */
export async function findOwnMeasurement(db: Executor, userId: string, id: string): Promise<MeasurementRow | null> {
  const [row] = await db.select().from(measurements)
    .where(and(eq(measurements.id, id), eq(measurements.userId, userId))).limit(1);
  return row ?? null;
}

export async function listMeasurements(db: Executor, userId: string, limit: number, offset: number) {
  const [rows, [total]] = await Promise.all([
    db.select().from(measurements).where(eq(measurements.userId, userId))
      .orderBy(desc(measurements.measuredAt), desc(measurements.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(measurements).where(eq(measurements.userId, userId)),
  ]);
  return { rows, total: total?.n ?? 0 };
}
