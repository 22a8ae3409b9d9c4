/**
 * A person's data (docs/SECURITY.md, "A person's data"): everything stored about them, as JSON, with the measurements also as
 * CSV; and the deletion of the account with all of it. Secrets (password and token hashes) are
 * never exported. It reads every other module's data and shows it as that module does, so it is a
 * module of its own that depends on them all, and none on it.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../core/context.ts';
import type { Executor } from '../../db/client.ts';
import {
  dailyIntake,
  dailyWeights,
  dietPlans,
  goals,
  goalTargets,
  measurements,
  progressEntries,
  trainingPlans,
  users,
} from '../../db/schema.ts';
import { identitiesOf } from '../auth/oidc/repository.ts';
import { confirmPassword } from '../auth/service.ts';
import { deleteMailTo } from '../mail/repository.ts';
import { toGoal } from '../goals/service.ts';
import { allImports } from '../imports/repository.ts';
import { toImport } from '../imports/service.ts';
import { toMeasurement } from '../measurements/service.ts';
import { toProgressEntry } from '../progress/service.ts';
import { toGoalTarget } from '../progress/targets.ts';
import { toIntake, toWeighIn } from '../tracking/service.ts';
import { currentUser, toUser } from '../users/service.ts';

export async function exportData(ctx: AppContext, userId: string) {
  const [user, db] = await Promise.all([currentUser(ctx, userId), ctx.reader(userId)]);
  const [measurementRows, goalRows, weighIns, intake, importRows, identities] = await Promise.all([
    db.select().from(measurements).where(eq(measurements.userId, userId)).orderBy(asc(measurements.measuredAt)),
    db.select().from(goals).where(eq(goals.userId, userId)).orderBy(asc(goals.startedAt)),
    db.select().from(dailyWeights).where(eq(dailyWeights.userId, userId)).orderBy(asc(dailyWeights.day)),
    db.select().from(dailyIntake).where(eq(dailyIntake.userId, userId)).orderBy(asc(dailyIntake.day)),
    allImports(db, userId),
    identitiesOf(db, userId),
  ]);
  const goalIds = goalRows.map((g) => g.id);
  const [entries, training, diet, targets] =
    goalIds.length === 0
      ? [[], [], [], []]
      : await Promise.all([
          db.select().from(progressEntries).where(inArray(progressEntries.goalId, goalIds)).orderBy(asc(progressEntries.measuredAt)),
          db.select().from(trainingPlans).where(inArray(trainingPlans.goalId, goalIds)),
          db.select().from(dietPlans).where(inArray(dietPlans.goalId, goalIds)),
          db
            .select()
            .from(goalTargets)
            .where(inArray(goalTargets.goalId, goalIds))
            .orderBy(asc(goalTargets.createdAt), asc(goalTargets.id)),
        ]);
  const now = ctx.now();
  return {
    exported_at: now.toISOString(),
    user: toUser(user),
    // The provider accounts that sign in here (single sign-on), by issuer and subject.
    sign_in_providers: identities.map((i) => ({ issuer: i.issuer, subject: i.subject, linked_at: i.createdAt.toISOString() })),
    measurements: measurementRows.map(toMeasurement),
    weigh_ins: weighIns.map(toWeighIn),
    intake: intake.map(toIntake),
    imports: importRows.map(toImport),
    goals: goalRows.map((goal) => {
      const plan = training.find((p) => p.goalId === goal.id);
      const meals = diet.find((p) => p.goalId === goal.id);
      return {
        ...toGoal(goal, now),
        progress: entries.filter((e) => e.goalId === goal.id).map(toProgressEntry),
        calorie_targets: targets.filter((r) => r.goalId === goal.id).map(toGoalTarget),
        training_plan: plan
          ? {
              workout_frequency: plan.workoutFrequency,
              primary_focus: plan.primaryFocus,
              plan_details: plan.planDetails,
              notes: plan.notes,
              updated_at: plan.updatedAt.toISOString(),
            }
          : null,
        diet_plan: meals
          ? {
              daily_calorie_target: meals.dailyCalorieTarget,
              protein_grams: meals.proteinGrams,
              carbs_grams: meals.carbsGrams,
              fat_grams: meals.fatGrams,
              meal_timing: meals.mealTiming,
              guidelines: meals.guidelines,
              updated_at: meals.updatedAt.toISOString(),
            }
          : null,
      };
    }),
  };
}

const CSV_COLUMNS = [
  'id',
  'measured_at',
  'calculation_method',
  'weight_kg',
  'calculated_body_fat_percentage',
  'waist_cm',
  'neck_cm',
  'hip_cm',
  'chest_mm',
  'abdomen_mm',
  'thigh_mm',
  'tricep_mm',
  'suprailiac_mm',
  'midaxillary_mm',
  'subscapular_mm',
  'notes',
  'created_at',
] as const;

/**
 * Where a spreadsheet may start a cell inside our text: at its start, or after a separator it may
 * split on (`,`, or `;` and tab in locales that use them) or a line break, past spaces and quotes.
 * A formula start there (=, +, -, @, tab, CR) gets an apostrophe before it (OWASP, "CSV Injection").
 */
const FORMULA_START = /(?<=^|[,;\t\r\n])([ "]*)(?=[=+\-@\t\r])/g;

/** RFC 4180 cells: numbers bare, every other value quoted, so a note is never read as a formula. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return `"${String(value).replace(FORMULA_START, "$1'").replace(/"/g, '""')}"`;
}

export function measurementsCsv(rows: ReturnType<typeof toMeasurement>[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((column) => csvField(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Deletes the account after the password is confirmed. */
export async function deleteAccount(ctx: AppContext, userId: string, password: string, address: string): Promise<void> {
  await confirmPassword(ctx, await currentUser(ctx, userId), password, address, 'The password does not match; the account was not deleted');
  await removeAccount(ctx.db, userId);
  ctx.sessions.forgetUser(userId);
  ctx.profiles.forget(userId);
}

/**
 * Removes an account and everything of the person's: cascades remove every row and sign-in. The API's
 * deletion and `recomp users delete` both come here. Mails queued to or sent to its address are
 * removed with it. False when there was no such account.
 */
export async function removeAccount(db: Executor, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = await tx.delete(users).where(eq(users.id, userId)).returning({ email: users.email });
    // The outbox is keyed by address, not account (src/modules/auth/passwordReset.ts): its mails to the address go too.
    if (removed[0]) await deleteMailTo(tx, removed[0].email);
    return removed.length === 1;
  });
}
