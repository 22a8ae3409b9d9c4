import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { rawSlot, reusable } from '../../db/prepared.ts';
import { goalTargets } from '../../db/schema.ts';

// A goal's calorie targets as they took effect (docs/DESIGN.md, 'Check-ins'). Written here because a
// goal's start and a change of rate write them; a check-in (src/modules/progress) writes and
// undoes its own.

export type GoalTargetRow = typeof goalTargets.$inferSelect;
export type NewGoalTarget = Omit<typeof goalTargets.$inferInsert, 'id' | 'createdAt'>;

const FIELDS = ['goalId', 'progressEntryId', 'effectiveOn', 'calories', 'expenditureKcal', 'expenditureMethod', 'reason'] as const;
/** Nullable numerics take raw slots (see rawSlot); the rate is never null but shares the encoding. */
const NUMERIC_FIELDS = [
  'previousCalories',
  'previousExpenditureKcal',
  'rawCalories',
  'weeklyRatePercent',
  'planWeightKg',
  'planBodyFatPercentage',
] as const;
const insertTarget = reusable('insert_goal_target', (db) =>
  db
    .insert(goalTargets)
    .values({
      ...Object.fromEntries(FIELDS.map((f) => [f, sql.placeholder(f)])),
      ...Object.fromEntries(NUMERIC_FIELDS.map((f) => [f, rawSlot(f)])),
    } as unknown as typeof goalTargets.$inferInsert)
    .returning(),
);

export async function recordTarget(db: Executor, row: NewGoalTarget): Promise<GoalTargetRow> {
  const values: Record<string, unknown> = {};
  for (const f of [...FIELDS, ...NUMERIC_FIELDS]) values[f] = row[f] ?? null;
  const [stored] = await insertTarget(db).execute(values);
  return stored!;
}

const inOrder = [asc(goalTargets.createdAt), asc(goalTargets.id)];
const allTargets = reusable('goal_targets', (db) =>
  db
    .select()
    .from(goalTargets)
    .where(eq(goalTargets.goalId, sql.placeholder('goalId')))
    .orderBy(...inOrder),
);
const lastTarget = reusable('latest_goal_target', (db) =>
  db
    .select()
    .from(goalTargets)
    .where(eq(goalTargets.goalId, sql.placeholder('goalId')))
    .orderBy(desc(goalTargets.createdAt), desc(goalTargets.id))
    .limit(1),
);

/** A goal's targets, oldest first. The caller has checked that the goal is the person's. */
export function listTargets(db: Executor, goalId: string): Promise<GoalTargetRow[]> {
  return allTargets(db).execute({ goalId });
}

/** The target in force: the latest row (null only if the goal has none). */
export async function latestTarget(db: Executor, goalId: string): Promise<GoalTargetRow | null> {
  const [row] = await lastTarget(db).execute({ goalId });
  return row ?? null;
}
