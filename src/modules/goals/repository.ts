import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { rawSlot, reusable } from '../../db/prepared.ts';
import { dietPlans, goals, progressEntries, trainingPlans } from '../../db/schema.ts';
import { type NewGoalTarget, recordTarget } from './targets.ts';

export type GoalRow = typeof goals.$inferSelect;
export type NewGoal = typeof goals.$inferInsert;

const GOAL_FIELDS = [
  'id',
  'userId',
  'initialMeasurementId',
  'goalType',
  'initialBodyFatPercentage',
  'initialWeightKg',
  'initialMeasuredAt',
  'calculationMethod',
  'currentBodyFatPercentage',
  'targetCalories',
  'estimatedWeeksToGoal',
  'weeklyRatePercent',
  'expenditureKcal',
  'expenditureMethod',
  'projection',
  'startedAt',
] as const;
/** Nullable numerics take raw slots (see rawSlot). */
const GOAL_AIMS = ['targetBodyFatPercentage', 'ceilingBodyFatPercentage'] as const;
const TRAINING_FIELDS = ['goalId', 'workoutFrequency', 'primaryFocus', 'planDetails', 'notes'] as const;
const DIET_FIELDS = ['goalId', 'dailyCalorieTarget', 'proteinGrams', 'carbsGrams', 'fatGrams', 'mealTiming', 'guidelines'] as const;
const slots = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, sql.placeholder(f)]));
const insertGoal = reusable('insert_goal', (db) =>
  db
    .insert(goals)
    .values({ ...slots(GOAL_FIELDS), ...Object.fromEntries(GOAL_AIMS.map((f) => [f, rawSlot(f)])) } as unknown as NewGoal)
    .returning(),
);
const insertTraining = reusable('insert_training_plan', (db) =>
  db.insert(trainingPlans).values(slots(TRAINING_FIELDS) as unknown as typeof trainingPlans.$inferInsert),
);
// meal_timing is always an object here: a null would be encoded as JSON null, not SQL NULL.
const insertDiet = reusable('insert_diet_plan', (db) =>
  db.insert(dietPlans).values(slots(DIET_FIELDS) as unknown as typeof dietPlans.$inferInsert),
);
const valuesOf = (fields: readonly string[], row: Record<string, unknown>) => Object.fromEntries(fields.map((f) => [f, row[f] ?? null]));

export async function insertGoalWithPlans(
  db: Executor,
  goal: Omit<NewGoal, 'id'>,
  training: Omit<typeof trainingPlans.$inferInsert, 'goalId'>,
  diet: Omit<typeof dietPlans.$inferInsert, 'goalId'>,
  target: Omit<NewGoalTarget, 'goalId'>,
): Promise<GoalRow> {
  // One transaction: a goal never exists without both plans and its first target (docs/DESIGN.md, 'Goal rules'). The id is
  // made here so the inserts go to the server together (one round trip, run in order) instead of one by one.
  const goalId = randomUUID();
  return db.transaction(async (tx) => {
    const [[row]] = await Promise.all([
      insertGoal(tx).execute({ ...valuesOf(GOAL_FIELDS, { ...goal, id: goalId }), ...valuesOf(GOAL_AIMS, goal) }),
      insertTraining(tx).execute(valuesOf(TRAINING_FIELDS, { ...training, goalId })),
      insertDiet(tx).execute(valuesOf(DIET_FIELDS, { ...diet, goalId })),
      recordTarget(tx, { ...target, goalId }),
    ]);
    return row!;
  });
}

const activeGoalOf = reusable('active_goal_of', (db) =>
  db
    .select({ id: goals.id })
    .from(goals)
    .where(and(eq(goals.userId, sql.placeholder('userId')), eq(goals.status, 'active')))
    .limit(1),
);

/** Whether the user has an active goal: the rows of the partial unique index that allows one. */
export async function hasActiveGoal(db: Executor, userId: string) {
  return (await activeGoalOf(db).execute({ userId })).length > 0;
}

const ownGoal = reusable('own_goal', (db) =>
  db
    .select()
    .from(goals)
    .where(and(eq(goals.id, sql.placeholder('goalId')), eq(goals.userId, sql.placeholder('userId'))))
    .limit(1),
);

/** A goal of this user; another user's goal reads as absent (404: docs/DESIGN.md, 'Status codes'). */
export async function findOwnGoal(db: Executor, userId: string, goalId: string) {
  const [row] = await ownGoal(db).execute({ goalId, userId });
  return row ?? null;
}

/** The page and the total in one query (`count(*) over ()` is computed before LIMIT). */
const pageOf = (name: string, where: () => SQL) =>
  reusable(name, (db) =>
    db
      .select({ row: goals, total: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(goals)
      .where(where())
      .orderBy(desc(goals.startedAt), desc(goals.id))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset')),
  );
const totalOf = (name: string, where: () => SQL) => reusable(name, (db) => db.select({ n: count() }).from(goals).where(where()));
const mine = () => eq(goals.userId, sql.placeholder('userId'));
const mineWithStatus = () => and(eq(goals.userId, sql.placeholder('userId')), eq(goals.status, sql.placeholder('status')))!;
const pages = { all: pageOf('goals_page', mine), status: pageOf('goals_page_by_status', mineWithStatus) };
const totals = { all: totalOf('goals_total', mine), status: totalOf('goals_total_by_status', mineWithStatus) };

export async function listGoals(db: Executor, userId: string, status: GoalRow['status'] | undefined, limit: number, offset: number) {
  const which = status === undefined ? 'all' : 'status';
  const values = { userId, status, limit, offset };
  const rows = await pages[which](db).execute(values);
  // A page past the end has no row to carry the total: only then is it counted apart.
  const n = rows[0]?.total ?? (offset === 0 ? 0 : ((await totals[which](db).execute(values))[0]?.n ?? 0));
  return { rows: rows.map((r) => r.row), total: n };
}

export async function abandonActiveGoal(db: Executor, userId: string, goalId: string): Promise<GoalRow | null> {
  const [row] = await db
    .update(goals)
    .set({ status: 'abandoned', updatedAt: new Date() })
    .where(and(eq(goals.id, goalId), eq(goals.userId, userId), eq(goals.status, 'active')))
    .returning();
  return row ?? null;
}

/**
 * A new rate's plan (PATCH weekly_rate_percent): the goal's fields, its diet plan and the target's history row, in one
 * transaction; null if it is no longer active.
 */
export async function updateActiveGoalPlan(
  db: Executor,
  userId: string,
  goalId: string,
  change: Pick<NewGoal, 'weeklyRatePercent' | 'targetCalories' | 'expenditureKcal' | 'expenditureMethod'> &
    Partial<Pick<NewGoal, 'projection' | 'estimatedWeeksToGoal'>>,
  diet: Omit<typeof dietPlans.$inferInsert, 'goalId'>,
  target: Omit<NewGoalTarget, 'goalId'>,
): Promise<GoalRow | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(goals)
      .set({ ...change, updatedAt: new Date() })
      .where(and(eq(goals.id, goalId), eq(goals.userId, userId), eq(goals.status, 'active')))
      .returning();
    if (!row) return null;
    await tx
      .update(dietPlans)
      .set({ ...diet, updatedAt: new Date() })
      .where(eq(dietPlans.goalId, goalId));
    await recordTarget(tx, { ...target, goalId });
    return row;
  });
}

/** The order of a goal's check-ins: as they happened. */
export const checkInsInOrder = [asc(progressEntries.measuredAt), asc(progressEntries.id)];
/** The columns the domain reads (a check-in's evaluation, the trends): a third of the row, parsed for every entry. */
const pointColumns = {
  measuredAt: progressEntries.measuredAt,
  bodyFatPct: progressEntries.bodyFatPercentage,
  weightKg: progressEntries.weightKg,
  weekNumber: progressEntries.weekNumber,
  bodyFatChange: progressEntries.bodyFatChange,
  weightChangeKg: progressEntries.weightChangeKg,
  isOnTrack: progressEntries.isOnTrack,
};
const allPoints = reusable('progress_points', (db) =>
  db
    .select(pointColumns)
    .from(progressEntries)
    .where(eq(progressEntries.goalId, sql.placeholder('goalId')))
    .orderBy(...checkInsInOrder),
);

/**
 * A goal's check-ins as trend points, in the order they happened: the check-ins and trends
 * (src/modules/progress) and a change of the goal's rate read them.
 */
export function listProgressPoints(db: Executor, goalId: string) {
  return allPoints(db).execute({ goalId });
}
