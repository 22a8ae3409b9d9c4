import type { Static } from 'typebox';
import { TARGET_DEAD_BAND_KCAL, TARGET_STEP_PER_WEEK_KCAL } from '../../domain/index.ts';
import type { AppContext } from '../../core/context.ts';
import { getGoal } from '../goals/service.ts';
import { type GoalTargetRow, listTargets } from '../goals/targets.ts';
import type { GoalTarget } from './schemas.ts';

const kcal = (n: number) => `${n.toLocaleString('en-US')} kcal`;
const number = (n: number) => n.toLocaleString('en-US');

/**
 * Why the target moved with a check-in: the expenditure when it moved, else the body it was planned
 * for. "Measured" only when the expenditure came from the person's logs (adaptive or blended,
 * docs/SCIENCE.md 9); the equation's is an estimate from weight, height and age.
 */
function because(row: GoalTargetRow): string {
  const [from, to] = [row.previousExpenditureKcal, row.expenditureKcal];
  if (from !== null && to !== null && from !== to) {
    const which = row.expenditureMethod === 'equation' ? 'estimated' : 'measured';
    return `because your ${which} expenditure moved from ${number(from)} to ${number(to)} kcal`;
  }
  if (to !== null && from === null) return `because your expenditure is now estimated at ${kcal(to)}`;
  return 'because your weight and body fat changed the energy of your weekly rate';
}

/** The sentence a person reads for a row of the target history (docs/DESIGN.md, 'Check-ins'). */
function targetReason(row: GoalTargetRow): string {
  const previous = row.previousCalories ?? row.calories;
  switch (row.reason) {
    case 'start':
      return row.expenditureKcal === null
        ? `Your target started at ${kcal(row.calories)} with a weekly rate of ${row.weeklyRatePercent} %.`
        : `Your target started at ${kcal(row.calories)} from your expenditure of ${kcal(row.expenditureKcal)} and a weekly rate of ${row.weeklyRatePercent} %.`;
    case 'history_start':
      return `Your target was ${kcal(row.calories)} when this history began.`;
    case 'rate_change':
      return `Your target changed from ${number(previous)} to ${kcal(row.calories)} because you changed the weekly rate to ${row.weeklyRatePercent} %.`;
    case 'check_in_changed':
      return `Your target changed from ${number(previous)} to ${kcal(row.calories)} ${because(row)}.`;
    case 'check_in_capped':
      return (
        `Your target changed from ${number(previous)} to ${kcal(row.calories)} ${because(row)}; ` +
        `it moves at most ${TARGET_STEP_PER_WEEK_KCAL} kcal a week, towards ${kcal(row.rawCalories ?? row.calories)}.`
      );
    case 'check_in_kept':
      return row.rawCalories === null
        ? `Your target was kept at ${kcal(row.calories)}: a diet plan for a new target would not fit.`
        : Math.abs(row.rawCalories - row.calories) < TARGET_DEAD_BAND_KCAL
          ? `Your target was kept at ${kcal(row.calories)}: the change to ${number(row.rawCalories)} was under ${TARGET_DEAD_BAND_KCAL} kcal, within the estimate's noise.`
          : `Your target was kept at ${kcal(row.calories)}: this week's estimate points to ${kcal(row.rawCalories)}, and it moves once a second check-in in a row, or two weeks of data, point the same way.`;
    case 'check_in_completed':
      return `Your target stayed at ${kcal(row.calories)}: this check-in reached your goal.`;
  }
}

export function toGoalTarget(row: GoalTargetRow): Static<typeof GoalTarget> {
  return {
    date: row.effectiveOn,
    calories: row.calories,
    expenditure_kcal: row.expenditureKcal,
    reason: targetReason(row),
    reason_code: row.reason,
    previous_calories: row.previousCalories,
    previous_expenditure_kcal: row.previousExpenditureKcal,
    raw_calories: row.rawCalories,
    weekly_rate_percent: row.weeklyRatePercent,
    progress_entry_id: row.progressEntryId,
  };
}

/** GET /goals/{id}/targets: the history of the caller's goal, oldest first (404 for another person's). */
export async function goalTargetHistory(ctx: AppContext, userId: string, goalId: string): Promise<GoalTargetRow[]> {
  const goal = await getGoal(ctx, userId, goalId);
  return listTargets(await ctx.reader(userId), goal.id);
}
