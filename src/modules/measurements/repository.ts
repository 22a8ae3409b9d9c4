import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { rawSlot, reusable } from '../../db/prepared.ts';
import { measurements } from '../../db/schema.ts';

export type MeasurementRow = typeof measurements.$inferSelect;
export type NewMeasurement = typeof measurements.$inferInsert;

const SITES = ['waistCm', 'neckCm', 'hipCm', 'chestMm', 'abdomenMm', 'thighMm', 'tricepMm', 'suprailiacMm', 'midaxillaryMm', 'subscapularMm'] as const;

/** Every column has a slot, so one statement serves every method's set of sites. */
const insert = reusable('insert_measurement', (db) => db.insert(measurements).values({
  userId: sql.placeholder('userId'),
  weightKg: sql.placeholder('weightKg'),
  calculationMethod: sql.placeholder('calculationMethod'),
  ...Object.fromEntries(SITES.map((site) => [site, rawSlot(site)])),
  calculatedBodyFatPercentage: sql.placeholder('calculatedBodyFatPercentage'),
  notes: sql.placeholder('notes'),
  measuredAt: sql.placeholder('measuredAt'),
}).returning());

export async function insertMeasurement(db: Executor, row: NewMeasurement): Promise<MeasurementRow> {
  const [inserted] = await insert(db).execute({
    ...Object.fromEntries(SITES.map((site) => [site, row[site] ?? null])),
    userId: row.userId, weightKg: row.weightKg, calculationMethod: row.calculationMethod,
    calculatedBodyFatPercentage: row.calculatedBodyFatPercentage, notes: row.notes ?? null, measuredAt: row.measuredAt,
  });
  return inserted!;
}

const ownMeasurement = reusable('own_measurement', (db) => db.select().from(measurements)
  .where(and(eq(measurements.id, sql.placeholder('id')), eq(measurements.userId, sql.placeholder('userId')))).limit(1));

/** A measurement of this user; another user's id reads as absent. */
export async function findOwnMeasurement(db: Executor, userId: string, id: string): Promise<MeasurementRow | null> {
  const [row] = await ownMeasurement(db).execute({ id, userId });
  return row ?? null;
}

/** The page and the total in one query: `count(*) over ()` is computed before LIMIT applies. */
const page = reusable('measurements_page', (db) => db.select({ row: measurements, total: sql<number>`count(*) over ()`.mapWith(Number) })
  .from(measurements).where(eq(measurements.userId, sql.placeholder('userId')))
  .orderBy(desc(measurements.measuredAt), desc(measurements.id)).limit(sql.placeholder('limit')).offset(sql.placeholder('offset')));
const total = reusable('measurements_total', (db) => db.select({ n: count() }).from(measurements).where(eq(measurements.userId, sql.placeholder('userId'))));

export async function listMeasurements(db: Executor, userId: string, limit: number, offset: number) {
  const rows = await page(db).execute({ userId, limit, offset });
  // A page past the end has no row to carry the total: only then is it counted apart.
  const n = rows[0]?.total ?? (offset === 0 ? 0 : (await total(db).execute({ userId }))[0]?.n ?? 0);
  return { rows: rows.map((r) => r.row), total: n };
}
