/**
 * The imports' queries: the jobs (`imports`), and the stored days they compare and write. The
 * days go in as comma-separated lists unnested on the server, as the weigh-in import's do
 * (tracking/repository.ts): a few parameters whatever the number of days, far from PostgreSQL's
 * 65,535.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { reusable, slot } from '../../db/prepared.ts';
import { dailyIntake, dailyWeights, imports } from '../../db/schema.ts';

export type ImportRow = typeof imports.$inferSelect;

export async function insertImport(db: Executor, row: typeof imports.$inferInsert): Promise<ImportRow> {
  const [saved] = await db.insert(imports).values(row).returning();
  return saved!;
}

const ownImport = reusable('own_import', (db) =>
  db
    .select()
    .from(imports)
    .where(and(eq(imports.id, sql.placeholder('id')), eq(imports.userId, sql.placeholder('userId'))))
    .limit(1),
);

/** An import of this user; another user's id reads as absent. */
export async function findOwnImport(db: Executor, userId: string, id: string): Promise<ImportRow | null> {
  const [row] = await ownImport(db).execute({ id, userId });
  return row ?? null;
}

/** The page and the total in one query, as the measurements' list (measurements/repository.ts). */
const page = reusable('imports_page', (db) =>
  db
    .select({ row: imports, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(imports)
    .where(eq(imports.userId, sql.placeholder('userId')))
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset')),
);
const total = reusable('imports_total', (db) =>
  db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(imports)
    .where(eq(imports.userId, sql.placeholder('userId'))),
);

export async function listImports(db: Executor, userId: string, limit: number, offset: number) {
  const rows = await page(db).execute({ userId, limit, offset });
  const n = rows[0]?.total ?? (offset === 0 ? 0 : ((await total(db).execute({ userId }))[0]?.n ?? 0));
  return { rows: rows.map((r) => r.row), total: n };
}

export function allImports(db: Executor, userId: string) {
  return db.select().from(imports).where(eq(imports.userId, userId)).orderBy(imports.createdAt, imports.id);
}

const beat = reusable('import_heartbeat', (db) =>
  db
    .update(imports)
    .set({ heartbeatAt: sql`now()`, progress: slot('progress') })
    .where(and(eq(imports.id, sql.placeholder('id')), eq(imports.status, 'running')))
    .returning({ id: imports.id }),
);

/** Moves the job's heartbeat and progress; false when it is no longer running (failed by a sweep, or its person deleted). */
export async function heartbeat(db: Executor, id: string, progress: number): Promise<boolean> {
  return (await beat(db).execute({ id, progress })).length > 0;
}

const saveReport = reusable('import_progress', (db) =>
  db
    .update(imports)
    .set({ heartbeatAt: sql`now()`, progress: slot('progress'), report: slot('report') })
    .where(and(eq(imports.id, sql.placeholder('id')), eq(imports.status, 'running')))
    .returning({ id: imports.id }),
);

/** The report so far with the progress, in the transaction of the days it counts; false when the job is no longer running. */
export async function saveProgress(db: Executor, id: string, progress: number, report: unknown): Promise<boolean> {
  return (await saveReport(db).execute({ id, progress, report })).length > 0;
}

const finish = reusable('import_finish', (db) =>
  db
    .update(imports)
    .set({
      status: slot('status'),
      progress: slot('progress'),
      error: slot('error'),
      report: slot('report'),
      finishedAt: sql`now()`,
      heartbeatAt: sql`now()`,
    })
    .where(and(eq(imports.id, sql.placeholder('id')), eq(imports.status, 'running')))
    .returning({ id: imports.id }),
);

export async function finishImport(
  db: Executor,
  id: string,
  outcome: { status: 'done' | 'failed'; progress: number; error: unknown; report: unknown },
) {
  await finish(db).execute({ id, ...outcome });
}

const stale = reusable('imports_stale', (db) =>
  db
    .update(imports)
    .set({ status: 'failed', error: slot('error'), finishedAt: sql`now()` })
    .where(
      and(eq(imports.status, 'running'), sql`${imports.heartbeatAt} < now() - ${sql.placeholder('staleMs')} * interval '1 millisecond'`),
    )
    .returning({ id: imports.id }),
);

/** Marks failed the running jobs whose heartbeat stopped `staleMs` ago or more (the database's clock, shared by every instance); their ids. */
export async function failStaleImports(db: Executor, staleMs: number, error: unknown): Promise<string[]> {
  return (await stale(db).execute({ staleMs, error })).map((row) => row.id);
}

export interface StoredWeight {
  day: string;
  weightKg: number;
  source: 'manual' | 'import';
}
export interface StoredIntake {
  day: string;
  calories: number;
  proteinG: number | null;
  carbsG: number | null;
  fatG: number | null;
  complete: boolean;
  source: 'manual' | 'import';
}

/** The weigh-ins (kind 0) and the intake (kind 1) of a range of days, in one statement: one round trip a batch. */
const inRange = (column: unknown) => sql`${column} between ${sql.placeholder('from')}::date and ${sql.placeholder('to')}::date`;
const daysOfRange = reusable('import_stored_days', (db) =>
  db
    .select({
      kind: sql<number>`0`.mapWith(Number),
      day: sql<string>`to_char(${dailyWeights.day}, 'YYYY-MM-DD')`,
      weightKg: sql<number | null>`${dailyWeights.weightKg}::float8`,
      calories: sql<number | null>`null::integer`,
      proteinG: sql<number | null>`null::float8`,
      carbsG: sql<number | null>`null::float8`,
      fatG: sql<number | null>`null::float8`,
      complete: sql<boolean | null>`null::boolean`,
      source: sql<'manual' | 'import'>`${dailyWeights.source}::text`,
    })
    .from(dailyWeights)
    .where(and(eq(dailyWeights.userId, sql.placeholder('userId')), inRange(dailyWeights.day)))
    .unionAll(
      db
        .select({
          kind: sql<number>`1`.mapWith(Number),
          day: sql<string>`to_char(${dailyIntake.day}, 'YYYY-MM-DD')`,
          weightKg: sql<number | null>`null::float8`,
          calories: sql<number | null>`${dailyIntake.calories}`,
          proteinG: sql<number | null>`${dailyIntake.proteinG}::float8`,
          carbsG: sql<number | null>`${dailyIntake.carbsG}::float8`,
          fatG: sql<number | null>`${dailyIntake.fatG}::float8`,
          complete: sql<boolean | null>`${dailyIntake.complete}`,
          source: sql<'manual' | 'import'>`${dailyIntake.source}::text`,
        })
        .from(dailyIntake)
        .where(and(eq(dailyIntake.userId, sql.placeholder('userId')), inRange(dailyIntake.day))),
    ),
);

/** What is stored of `from`–`to` (inclusive), by day. */
export async function storedDays(db: Executor, userId: string, from: string, to: string) {
  const weights = new Map<string, StoredWeight>();
  const intake = new Map<string, StoredIntake>();
  for (const row of await daysOfRange(db).execute({ userId, from, to })) {
    if (row.kind === 0) weights.set(row.day, { day: row.day, weightKg: Number(row.weightKg), source: row.source });
    else {
      const grams = (value: number | null) => (value === null ? null : Number(value));
      intake.set(row.day, {
        day: row.day,
        calories: Number(row.calories),
        proteinG: grams(row.proteinG),
        carbsG: grams(row.carbsG),
        fatG: grams(row.fatG),
        complete: row.complete === true,
        source: row.source,
      });
    }
  }
  return { weights, intake };
}

const list = (values: string[]) => sql`string_to_array(${values.join(',')}, ',', '')`;

/*
 * The writes of a batch are built for it (a batch is up to a thousand days: building the statement
 * is nothing beside it). A day typed in by hand is replaced only with on_conflict=replace, whatever
 * the comparison before found: a day the person entered meanwhile keeps its value.
 */

/** Writes these days' weigh-ins as imported: new days added, the others replaced as `replace` allows. */
export async function writeWeights(
  db: Executor,
  userId: string,
  rows: { day: string; weightKg: number }[],
  replace: boolean,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(dailyWeights)
    .select(sql`
    select ${userId}::uuid, d.day, d.weight_kg, 'import'::weight_source, now(), now()
    from unnest(${list(rows.map((r) => r.day))}::date[], ${list(rows.map((r) => String(r.weightKg)))}::numeric[]) as d(day, weight_kg)`)
    .onConflictDoUpdate({
      target: [dailyWeights.userId, dailyWeights.day],
      set: { weightKg: sql`excluded.weight_kg`, source: sql`'import'`, updatedAt: sql`now()` },
      setWhere: sql`${dailyWeights.source} = 'import' or ${replace}::boolean`,
    });
}

const cell = (value: number | null) => (value === null ? '' : String(value));

/** Writes these days' intake as imported, as `writeWeights` does. A missing macro is an empty cell: NULL. */
export async function writeIntake(db: Executor, userId: string, rows: Omit<StoredIntake, 'source'>[], replace: boolean): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(dailyIntake)
    .select(sql`
    select ${userId}::uuid, d.day, d.calories, d.protein_g, d.carbs_g, d.fat_g, d.complete, 'import'::weight_source, now(), now()
    from unnest(${list(rows.map((r) => r.day))}::date[], ${list(rows.map((r) => String(r.calories)))}::integer[],
      ${list(rows.map((r) => cell(r.proteinG)))}::numeric[], ${list(rows.map((r) => cell(r.carbsG)))}::numeric[],
      ${list(rows.map((r) => cell(r.fatG)))}::numeric[], ${list(rows.map((r) => (r.complete ? 't' : 'f')))}::boolean[])
      as d(day, calories, protein_g, carbs_g, fat_g, complete)`)
    .onConflictDoUpdate({
      target: [dailyIntake.userId, dailyIntake.day],
      set: {
        calories: sql`excluded.calories`,
        proteinG: sql`excluded.protein_g`,
        carbsG: sql`excluded.carbs_g`,
        fatG: sql`excluded.fat_g`,
        complete: sql`excluded.complete`,
        source: sql`'import'`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${dailyIntake.source} = 'import' or ${replace}::boolean`,
    });
}
