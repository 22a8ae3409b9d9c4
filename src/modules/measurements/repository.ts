import { and, count, desc, eq, notExists, sql } from 'drizzle-orm';
import type { BodyProfile } from '../../core/context.ts';
import type { Executor } from '../../db/client.ts';
import { reusable } from '../../db/prepared.ts';
import { goals, measurements, progressEntries, users } from '../../db/schema.ts';

export type MeasurementRow = typeof measurements.$inferSelect;
export type NewMeasurement = typeof measurements.$inferInsert;

const SITES = [
  'waistCm',
  'neckCm',
  'hipCm',
  'chestMm',
  'abdomenMm',
  'thighMm',
  'tricepMm',
  'suprailiacMm',
  'midaxillaryMm',
  'subscapularMm',
] as const;

/**
 * A new measurement, inserted only if the user's row still has the profile its body fat was
 * computed from (users/profiles.ts): one statement instead of a read of the user and then the
 * insert. Every column has a slot, so one statement serves every method's set of sites. The values
 * are cast because a SELECT list gives parameters no column types; every column is listed, in the
 * table's order, as drizzle's insert-select requires (`id` and `created_at` as their defaults).
 */
const typed = (name: string, type: string) => sql`${sql.placeholder(name)}::${sql.raw(type)}`;
const insertIfProfile = reusable('insert_measurement_if_profile', (db) =>
  db
    .insert(measurements)
    .select(sql`
  SELECT gen_random_uuid(), ${users.id}, ${typed('weightKg', 'numeric')}, ${typed('calculationMethod', 'calculation_method')},
    ${sql.join(
      SITES.map((site) => typed(site, 'numeric')),
      sql`, `,
    )},
    ${typed('calculatedBodyFatPercentage', 'numeric')}, ${typed('notes', 'text')}, ${typed('measuredAt', 'timestamptz')}, now()
  FROM ${users}
  WHERE ${users.id} = ${typed('userId', 'uuid')} AND ${users.gender} = ${typed('gender', 'sex')}
    AND ${users.heightCm} = ${typed('heightCm', 'numeric')} AND ${users.dateOfBirth} = ${typed('dateOfBirth', 'date')}`)
    .returning(),
);

/** Null when the user's profile is no longer `profile` (changed, or the account deleted): nothing was inserted. */
export async function insertMeasurementIfProfile(db: Executor, row: NewMeasurement, profile: BodyProfile): Promise<MeasurementRow | null> {
  const [inserted] = await insertIfProfile(db).execute({
    ...Object.fromEntries(SITES.map((site) => [site, row[site] ?? null])),
    userId: row.userId,
    weightKg: row.weightKg,
    calculationMethod: row.calculationMethod,
    // A raw slot skips the column's encoder, and drizzle turns postgres.js's own Date encoding off.
    calculatedBodyFatPercentage: row.calculatedBodyFatPercentage,
    notes: row.notes ?? null,
    measuredAt: row.measuredAt.toISOString(),
    gender: profile.gender,
    heightCm: profile.heightCm,
    dateOfBirth: profile.dateOfBirth,
  });
  return inserted ?? null;
}

const ownMeasurement = reusable('own_measurement', (db) =>
  db
    .select()
    .from(measurements)
    .where(and(eq(measurements.id, sql.placeholder('id')), eq(measurements.userId, sql.placeholder('userId'))))
    .limit(1),
);

/** A measurement of this user; another user's id reads as absent. */
export async function findOwnMeasurement(db: Executor, userId: string, id: string): Promise<MeasurementRow | null> {
  const [row] = await ownMeasurement(db).execute({ id, userId });
  return row ?? null;
}

/** The page and the total in one query: `count(*) over ()` is computed before LIMIT applies. */
const page = reusable('measurements_page', (db) =>
  db
    .select({ row: measurements, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(measurements)
    .where(eq(measurements.userId, sql.placeholder('userId')))
    .orderBy(desc(measurements.measuredAt), desc(measurements.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset')),
);
const total = reusable('measurements_total', (db) =>
  db
    .select({ n: count() })
    .from(measurements)
    .where(eq(measurements.userId, sql.placeholder('userId'))),
);

export async function listMeasurements(db: Executor, userId: string, limit: number, offset: number) {
  const rows = await page(db).execute({ userId, limit, offset });
  // A page past the end has no row to carry the total: only then is it counted apart.
  const n = rows[0]?.total ?? (offset === 0 ? 0 : ((await total(db).execute({ userId }))[0]?.n ?? 0));
  return { rows: rows.map((r) => r.row), total: n };
}

const deleteUnused = reusable('delete_unused_measurement', (db) =>
  db
    .delete(measurements)
    .where(
      and(
        eq(measurements.id, sql.placeholder('id')),
        eq(measurements.userId, sql.placeholder('userId')),
        notExists(db.select({ one: sql`1` }).from(goals).where(eq(goals.initialMeasurementId, measurements.id))),
        notExists(db.select({ one: sql`1` }).from(progressEntries).where(eq(progressEntries.measurementId, measurements.id))),
      ),
    )
    .returning({ id: measurements.id }),
);

/**
 * Deletes this user's measurement unless a goal starts from it or a check-in uses it (their
 * foreign keys would refuse it anyway). False when nothing was deleted: absent, another user's, or in use.
 */
export async function deleteUnusedMeasurement(db: Executor, userId: string, id: string): Promise<boolean> {
  return (await deleteUnused(db).execute({ id, userId })).length > 0;
}
