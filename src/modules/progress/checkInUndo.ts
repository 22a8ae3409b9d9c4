import { DomainError, dietPlan } from '../../domain/index.ts';
import type { AppContext } from '../../core/context.ts';
import { conflict, notFound } from '../../core/errors.ts';
import type { Executor } from '../../db/client.ts';
import { activeGoalExists } from '../goals/errors.ts';
import { hasActiveGoal, listProgressPoints } from '../goals/repository.ts';
import { dietPlanRow } from '../goals/service.ts';
import { listTargets } from '../goals/targets.ts';
import { type CheckInGoal, findLatestEntry, isEntryOfGoal, lockOwnGoal, undoCheckIn } from './repository.ts';

/**
 * Undo the goal's latest check-in (docs/DESIGN.md, 'Check-ins'): the entry goes (its measurement
 * stays, unlinked), and the goal is put back as it was before it: its current body fat from the
 * remaining latest point, its target and expenditure from the target history's row before the
 * check-in's, and the diet plan recomputed from that row's calories and the point it was computed
 * from (the same function at the same inputs gives the same plan). A completed goal goes back to
 * active. Only the latest check-in, and only while no change of rate came after it: an older one
 * would leave the later targets computed from a point that no longer exists.
 * The caller holds the goal's lock.
 */
export async function undoLatestCheckIn(tx: Executor, userId: string, goal: CheckInGoal, entryId: string): Promise<void> {
  if (goal.status === 'abandoned') throw conflict('This goal is abandoned; its check-ins can no longer change', 'goal_not_active');
  const [latest, targets, points] = await Promise.all([
    findLatestEntry(tx, goal.id),
    listTargets(tx, goal.id),
    listProgressPoints(tx, goal.id),
  ]);
  if (latest?.id !== entryId) {
    throw conflict('Only the latest check-in can be deleted: delete the later ones first', 'check_in_not_latest');
  }
  const [before, own] = targets.slice(-2);
  if (own?.progressEntryId !== entryId || !before) {
    throw conflict(
      "The goal's calorie target was set again after this check-in (a change of weekly rate), so it can no longer be deleted",
      'target_changed_after_check_in',
    );
  }
  // Another goal started after this one was completed: reopening it would make two active goals.
  if (goal.status === 'completed' && (await hasActiveGoal(tx, userId))) throw activeGoalExists();
  const remaining = points.at(-2) ?? { bodyFatPct: goal.initialBodyFatPercentage, weightKg: goal.initialWeightKg };
  await undoCheckIn(tx, {
    goalId: goal.id,
    entryId,
    goal: {
      currentBodyFatPercentage: remaining.bodyFatPct,
      targetCalories: before.calories,
      expenditureKcal: before.expenditureKcal,
      expenditureMethod: before.expenditureMethod,
    },
    plan: restoredDietPlan(goal, before.calories, {
      weightKg: before.planWeightKg ?? remaining.weightKg,
      bodyFatPct: before.planBodyFatPercentage ?? remaining.bodyFatPct,
    }),
  });
}

/** The diet plan as it was: null (left as it is) should the macros not fit, as a check-in leaves it then. */
function restoredDietPlan(goal: CheckInGoal, calories: number, at: { weightKg: number; bodyFatPct: number }) {
  try {
    return dietPlanRow(dietPlan({ goalType: goal.goalType, calories, ...at }));
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

/** DELETE /goals/{goal_id}/progress/{entry_id}: 404 for another person's goal or entry, as for a missing one. */
export async function deleteCheckIn(ctx: AppContext, userId: string, goalId: string, entryId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const goal = await lockOwnGoal(tx, userId, goalId);
    if (!goal) throw notFound('Goal');
    if (!(await isEntryOfGoal(tx, goalId, entryId))) throw notFound('Progress entry');
    await undoLatestCheckIn(tx, userId, goal, entryId);
  });
}
