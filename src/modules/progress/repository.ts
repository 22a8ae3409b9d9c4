import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { reusable, slot } from '../../db/prepared.ts';
import { dietPlans, goals, measurements, progressEntries, users } from '../../db/schema.ts';
import { checkInsInOrder } from '../goals/repository.ts';

export type ProgressEntryRow = typeof progressEntries.$inferSelect;

const ENTRY_FIELDS = [
  'goalId',
  'measurementId',
  'weekNumber',
  'bodyFatPercentage',
  'weightKg',
  'bodyFatChange',
  'weightChangeKg',
  'isOnTrack',
  'ceilingWarning',
  'rateWarning',
  'notes',
  'measuredAt',
  'loggedAt',
] as const;
type NewEntry = Pick<typeof progressEntries.$inferInsert, (typeof ENTRY_FIELDS)[number]>;
const ownPage = reusable('own_progress_entries_page', (db) =>
  db
    .select({ entry: progressEntries })
    .from(progressEntries)
    .innerJoin(goals, eq(goals.id, progressEntries.goalId))
    .where(and(eq(progressEntries.goalId, sql.placeholder('goalId')), eq(goals.userId, sql.placeholder('userId'))))
    .orderBy(...checkInsInOrder)
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset')),
);

/**
 * A page of the entries of this user's goal, in one query. Empty both for a goal that is not the
 * user's and for one without entries on that page: the caller tells them apart when it is empty.
 */
export async function listOwnProgressEntries(db: Executor, userId: string, goalId: string, limit: number, offset: number) {
  const rows = await ownPage(db).execute({ userId, goalId, limit, offset });
  return rows.map((r) => r.entry);
}

const PLAN_FIELDS = ['dailyCalorieTarget', 'proteinGrams', 'carbsGrams', 'fatGrams', 'mealTiming', 'guidelines'] as const;
type DietPlanChange = Pick<typeof dietPlans.$inferInsert, (typeof PLAN_FIELDS)[number]>;
/**
 * What a check-in reads about its goal in one statement: the goal (locked for the transaction, so
 * concurrent check-ins on one goal run one at a time), its owner's profile and the caller's
 * measurement. No row: the goal is missing or not the caller's (or the caller no longer exists).
 */
const { projection: _projection, ...checkInGoalColumns } = getTableColumns(goals);
/** The goal row without its stored projection (up to ~25 kB of JSON a check-in has no use for). */
export type CheckInGoal = Omit<typeof goals.$inferSelect, 'projection'>;
const checkInState = reusable('check_in_state', (db) =>
  db
    .select({ goal: checkInGoalColumns, user: users, measurement: measurements })
    .from(goals)
    .innerJoin(users, eq(users.id, goals.userId))
    .leftJoin(measurements, and(eq(measurements.id, sql.placeholder('measurementId')), eq(measurements.userId, goals.userId)))
    .where(and(eq(goals.id, sql.placeholder('goalId')), eq(goals.userId, sql.placeholder('userId'))))
    .limit(1)
    .for('update', { of: goals }),
);

export async function findCheckInState(db: Executor, userId: string, goalId: string, measurementId: string) {
  const [row] = await checkInState(db).execute({ userId, goalId, measurementId });
  return row ?? null;
}

const entryOfMeasurement = reusable('entry_of_measurement', (db) =>
  db
    .select({ id: progressEntries.id })
    .from(progressEntries)
    .where(eq(progressEntries.measurementId, sql.placeholder('measurementId')))
    .limit(1),
);

/**
 * Whether an entry already uses the measurement. Its own statement, run after the goal's lock is
 * held, so it sees a concurrent check-in that committed meanwhile (a statement's snapshot is taken
 * when it starts, before it waits for a lock).
 */
export async function isMeasurementLinked(db: Executor, measurementId: string) {
  return (await entryOfMeasurement(db).execute({ measurementId })).length > 0;
}

/**
 * A diet plan's update that applies only when `withPlan` is true: a check-in that keeps the plan
 * (its macros would not fit) runs the same statement, so there is one statement to prepare and index.
 */
function planChange(db: Executor) {
  return db.$with('plan_change').as(
    db
      .update(dietPlans)
      .set({ ...Object.fromEntries(PLAN_FIELDS.map((f) => [f, slot(f)])), updatedAt: slot<Date>('updatedAt') })
      .where(and(eq(dietPlans.goalId, sql.placeholder('goalId')), sql`${sql.placeholder('withPlan')}::boolean`))
      .returning({ id: dietPlans.id }),
  );
}
/** The values planChange reads: the plan's, or none (the update then touches no row). */
const planValues = (plan: DietPlanChange | null) =>
  plan ? { ...plan, withPlan: true } : { ...Object.fromEntries(PLAN_FIELDS.map((f) => [f, null])), withPlan: false };

/**
 * A check-in's three writes as one statement (data-modifying CTEs run once each, atomically): the
 * entry, the recomputed diet plan when there is one, and the goal's current body fat with either
 * its new calorie target or its completion. One variant for each, each prepared once.
 */
function saveCheckInQuery(name: string, completes: boolean) {
  return reusable(name, (db) => {
    const entry = db.$with('entry').as(
      db
        .insert(progressEntries)
        .values(Object.fromEntries(ENTRY_FIELDS.map((f) => [f, sql.placeholder(f)])) as unknown as typeof progressEntries.$inferInsert)
        .returning(),
    );
    const goalChange = completes
      ? { status: 'completed' as const, completedAt: slot<Date>('completedAt') }
      : {
          targetCalories: slot<number>('targetCalories'),
          expenditureKcal: slot<number>('expenditureKcal'),
          expenditureMethod: slot<'equation'>('expenditureMethod'),
        };
    const goal = db.$with('goal_change').as(
      db
        .update(goals)
        .set({ currentBodyFatPercentage: slot<number>('currentBodyFatPercentage'), ...goalChange, updatedAt: slot<Date>('updatedAt') })
        .where(eq(goals.id, sql.placeholder('goalId')))
        .returning({ id: goals.id }),
    );
    if (completes) return db.with(entry, goal).select().from(entry);
    return db.with(entry, goal, planChange(db)).select().from(entry);
  });
}
const saveCheckInVariants = {
  goesOn: saveCheckInQuery('save_check_in_with_plan', false),
  completes: saveCheckInQuery('save_completing_check_in', true),
};

export async function saveCheckIn(
  db: Executor,
  check: {
    entry: NewEntry;
    goal: { currentBodyFatPercentage: number } & (
      | { targetCalories: number; expenditureKcal: number; expenditureMethod: 'equation' | 'blended' | 'adaptive' }
      | { completedAt: Date }
    );
    plan: DietPlanChange | null;
  },
): Promise<ProgressEntryRow> {
  const completes = 'completedAt' in check.goal;
  const query = completes ? saveCheckInVariants.completes : saveCheckInVariants.goesOn;
  const [row] = await query(db).execute({
    ...Object.fromEntries(ENTRY_FIELDS.map((f) => [f, check.entry[f] ?? null])),
    ...(completes ? {} : planValues(check.plan)),
    ...check.goal,
    goalId: check.entry.goalId,
    updatedAt: new Date(),
  });
  return row!;
}

const latestEntry = reusable('latest_progress_entry', (db) =>
  db
    .select({ id: progressEntries.id, measuredAt: progressEntries.measuredAt })
    .from(progressEntries)
    .where(eq(progressEntries.goalId, sql.placeholder('goalId')))
    .orderBy(desc(progressEntries.measuredAt), desc(progressEntries.id))
    .limit(1),
);

/** The goal's latest check-in (as checkInsInOrder orders them), or null. */
export async function findLatestEntry(db: Executor, goalId: string) {
  const [row] = await latestEntry(db).execute({ goalId });
  return row ?? null;
}

const ownEntry = reusable('own_progress_entry', (db) =>
  db
    .select({ id: progressEntries.id })
    .from(progressEntries)
    .where(and(eq(progressEntries.id, sql.placeholder('entryId')), eq(progressEntries.goalId, sql.placeholder('goalId'))))
    .limit(1),
);

/** Whether the entry belongs to the goal (whose owner the caller has checked). */
export async function isEntryOfGoal(db: Executor, goalId: string, entryId: string) {
  return (await ownEntry(db).execute({ goalId, entryId })).length > 0;
}

/**
 * A check-in undone (progress/checkInUndo.ts), as one statement: the entry deleted (its target row
 * goes with it, ON DELETE CASCADE), and the goal put back as it was before it; the diet plan too
 * when one is given.
 */
const undoCheckInQuery = reusable('undo_check_in', (db) => {
  const entry = db.$with('entry').as(
    db
      .delete(progressEntries)
      .where(and(eq(progressEntries.id, sql.placeholder('entryId')), eq(progressEntries.goalId, sql.placeholder('goalId'))))
      .returning({ id: progressEntries.id }),
  );
  const goal = db.$with('goal_change').as(
    db
      .update(goals)
      .set({
        status: 'active',
        completedAt: null,
        currentBodyFatPercentage: slot<number>('currentBodyFatPercentage'),
        targetCalories: slot<number>('targetCalories'),
        expenditureKcal: sql`${sql.placeholder('expenditureKcal')}::integer`,
        expenditureMethod: sql`${sql.placeholder('expenditureMethod')}::expenditure_method`,
        updatedAt: slot<Date>('updatedAt'),
      })
      .where(eq(goals.id, sql.placeholder('goalId')))
      .returning({ id: goals.id }),
  );
  return db.with(entry, goal, planChange(db)).select().from(entry);
});

export async function undoCheckIn(
  db: Executor,
  undo: {
    goalId: string;
    entryId: string;
    goal: {
      currentBodyFatPercentage: number;
      targetCalories: number;
      expenditureKcal: number | null;
      expenditureMethod: 'equation' | 'blended' | 'adaptive' | null;
    };
    plan: DietPlanChange | null;
  },
): Promise<boolean> {
  const rows = await undoCheckInQuery(db).execute({
    ...planValues(undo.plan),
    ...undo.goal,
    goalId: undo.goalId,
    entryId: undo.entryId,
    updatedAt: new Date(),
  });
  return rows.length > 0;
}

const lockedGoal = reusable('locked_own_goal', (db) =>
  db
    .select(checkInGoalColumns)
    .from(goals)
    .where(and(eq(goals.id, sql.placeholder('goalId')), eq(goals.userId, sql.placeholder('userId'))))
    .limit(1)
    .for('update'),
);

/** The caller's goal, locked for the transaction as a check-in locks it; null when it is not theirs. */
export async function lockOwnGoal(db: Executor, userId: string, goalId: string): Promise<CheckInGoal | null> {
  const [row] = await lockedGoal(db).execute({ userId, goalId });
  return row ?? null;
}
