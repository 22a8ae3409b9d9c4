import { and, asc, between, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { reusable } from '../../db/prepared.ts';
import { dailyIntake, dailyWeights, measurements } from '../../db/schema.ts';

export type WeighInRow = typeof dailyWeights.$inferSelect;
export type IntakeRow = typeof dailyIntake.$inferSelect;

export async function upsertWeighIn(db: Executor, row: typeof dailyWeights.$inferInsert): Promise<WeighInRow> {
  const [saved] = await db
    .insert(dailyWeights)
    .values(row)
    .onConflictDoUpdate({
      target: [dailyWeights.userId, dailyWeights.day],
      set: { weightKg: row.weightKg, source: row.source, updatedAt: new Date() },
    })
    .returning();
  return saved!;
}

/*
 * Imported weigh-ins go in as two comma-separated lists unnested on the server: one statement text
 * and three parameters whatever the number of rows, so PostgreSQL's limit of 65,535 parameters
 * is never near, and one prepared statement serves every batch (a `values` list of each length
 * would be a statement of its own, kept by each connection, and by PGlite's statement cache).
 */
const insertImported = reusable('insert_imported_weigh_ins', (db) =>
  db
    .insert(dailyWeights)
    .select(sql`
  select ${sql.placeholder('userId')}::uuid, d.day, d.weight_kg, 'import'::weight_source, now(), now()
  from unnest(string_to_array(${sql.placeholder('days')}, ',')::date[], string_to_array(${sql.placeholder('weightsKg')}, ',')::numeric[]) as d(day, weight_kg)`)
    .onConflictDoNothing()
    .returning({ day: dailyWeights.day }),
);

/** Inserts imported weigh-ins of the days that have none yet; returns the days taken. */
export async function insertMissingWeighIns(
  db: Executor,
  userId: string,
  rows: { date: string; weightKg: number }[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await insertImported(db).execute({
    userId,
    days: rows.map((row) => row.date).join(','),
    weightsKg: rows.map((row) => row.weightKg).join(','),
  });
  return new Set(inserted.map((r) => r.day));
}

export async function deleteWeighIn(db: Executor, userId: string, day: string): Promise<boolean> {
  const deleted = await db
    .delete(dailyWeights)
    .where(and(eq(dailyWeights.userId, userId), eq(dailyWeights.day, day)))
    .returning({ day: dailyWeights.day });
  return deleted.length > 0;
}

export async function upsertIntake(db: Executor, row: typeof dailyIntake.$inferInsert): Promise<IntakeRow> {
  const { userId: _u, day: _d, ...values } = row;
  const [saved] = await db
    .insert(dailyIntake)
    .values(row)
    .onConflictDoUpdate({ target: [dailyIntake.userId, dailyIntake.day], set: { ...values, updatedAt: new Date() } })
    .returning();
  return saved!;
}

export async function deleteIntake(db: Executor, userId: string, day: string): Promise<boolean> {
  const deleted = await db
    .delete(dailyIntake)
    .where(and(eq(dailyIntake.userId, userId), eq(dailyIntake.day, day)))
    .returning({ day: dailyIntake.day });
  return deleted.length > 0;
}

export function listIntake(db: Executor, userId: string, from: string, to: string) {
  return db
    .select()
    .from(dailyIntake)
    .where(and(eq(dailyIntake.userId, userId), between(dailyIntake.day, from, to)))
    .orderBy(asc(dailyIntake.day));
}

/*
 * Everything the expenditure estimate and the weight series read, in one prepared statement (it
 * runs at every check-in): the weigh-ins, the weights of body measurements and the logged calories
 * of the range. `kind` 0 is a weigh-in, 1 a measurement (`at` orders a day's measurements), 2 a
 * day's calories (`complete` false when logged only partly); `source` is where a weight came from.
 */
const logDay = (column: unknown) => sql<string>`to_char(${column}, 'YYYY-MM-DD')`;
const inRange = (column: unknown) => sql`${column} between ${sql.placeholder('from')}::date and ${sql.placeholder('to')}::date`;
const logsOfRange = reusable('daily_logs_of_range', (db) => {
  const measuredDay = sql`(${measurements.measuredAt} at time zone 'UTC')`;
  return db
    .select({
      kind: sql<number>`0`.mapWith(Number),
      day: logDay(dailyWeights.day),
      value: sql<number>`${dailyWeights.weightKg}::float8`.mapWith(Number),
      at: sql<string | null>`null::timestamptz`,
      source: sql<WeightSource | null>`${dailyWeights.source}::text`,
      complete: sql<boolean | null>`null::boolean`,
    })
    .from(dailyWeights)
    .where(and(eq(dailyWeights.userId, sql.placeholder('userId')), inRange(dailyWeights.day)))
    .unionAll(
      db
        .select({
          kind: sql<number>`1`.mapWith(Number),
          day: logDay(measuredDay),
          value: sql<number>`${measurements.weightKg}::float8`.mapWith(Number),
          at: sql<string | null>`${measurements.measuredAt}`,
          source: sql<WeightSource | null>`'measurement'::text`,
          complete: sql<boolean | null>`null::boolean`,
        })
        .from(measurements)
        .where(
          and(
            eq(measurements.userId, sql.placeholder('userId')),
            sql`${measurements.measuredAt} >= ${sql.placeholder('from')}::date at time zone 'UTC'`,
            sql`${measurements.measuredAt} < (${sql.placeholder('to')}::date + 1) at time zone 'UTC'`,
          ),
        ),
    )
    .unionAll(
      db
        .select({
          kind: sql<number>`2`.mapWith(Number),
          day: logDay(dailyIntake.day),
          value: sql<number>`${dailyIntake.calories}::float8`.mapWith(Number),
          at: sql<string | null>`null::timestamptz`,
          source: sql<WeightSource | null>`null::text`,
          complete: sql<boolean | null>`${dailyIntake.complete}`,
        })
        .from(dailyIntake)
        .where(and(eq(dailyIntake.userId, sql.placeholder('userId')), inRange(dailyIntake.day))),
    );
});

/** Where a day's weight came from: a weigh-in (typed in or imported), or a body measurement. */
type WeightSource = WeighInRow['source'] | 'measurement';

export interface DailyLogs {
  /** one weight a day, in date order: the weigh-in, else the day's first body measurement */
  weights: { date: string; weightKg: number; source: WeightSource }[];
  /** logged calories, in date order; `complete` false for a day logged only partly */
  intake: { date: string; calories: number; complete: boolean }[];
}

/** The daily weights and intake of `from`–`to` (inclusive 'YYYY-MM-DD'), in one query. */
export async function dailyLogs(db: Executor, userId: string, from: string, to: string): Promise<DailyLogs> {
  const rows = await logsOfRange(db).execute({ userId, from, to });
  const weights = new Map<string, { weightKg: number; kind: number; at: number; source: WeightSource }>();
  const intake: DailyLogs['intake'] = [];
  for (const row of rows) {
    if (row.kind === 2) {
      intake.push({ date: row.day, calories: row.value, complete: row.complete !== false });
      continue;
    }
    const at = row.at === null ? 0 : new Date(row.at).getTime();
    const held = weights.get(row.day);
    // A weigh-in wins; among measurements the day's first.
    if (!held || row.kind < held.kind || (row.kind === held.kind && at < held.at)) {
      weights.set(row.day, { weightKg: row.value, kind: row.kind, at, source: row.source as WeightSource });
    }
  }
  const byDate = <T extends { date: string }>(a: T, b: T) => a.date.localeCompare(b.date);
  return {
    weights: [...weights.entries()].map(([date, w]) => ({ date, weightKg: w.weightKg, source: w.source })).sort(byDate),
    intake: intake.sort(byDate),
  };
}
