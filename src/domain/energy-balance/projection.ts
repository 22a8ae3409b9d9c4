import { DomainError, requireFinite, requirePositive } from '../errors.ts';
import { maintenanceCalories } from '../planning.ts';
import type { Profile } from '../planning.ts';
import { roundHalfEven } from '../rounding.ts';
import type { GoalType } from '../types.ts';
import { compositionChangeForEnergy, fatMassOf } from './forbes.ts';
import { TREND_SMOOTHING } from './trendWeight.ts';
import { boundedRateCalorieTarget, checkWeeklyRatePercent } from './weeklyRate.ts';

// Energy-balance projection (docs/SCIENCE.md 10), replacing the fixed 0.75 %BF a month of timeline.ts when
// there is a plan to simulate. Week by week: expenditure = the equation at the new weight × the
// person's calibration (adaptive / equation, measured at the start, so a person who burns 8 %
// more than the equation keeps doing so); intake = the plan (a fixed target, or the rate rule
// recomputed each week as the service does at each check-in); the week's energy balance becomes
// fat and lean mass along Forbes' curve (forbes.ts). It stops when body fat reaches the target
// (cut) or ceiling (bulk), or after PROJECTION_MAX_WEEKS.
// Assumptions and limits: the person follows the plan exactly; age, activity and the calibration
// stay as they are; no extra adaptive thermogenesis beyond what the lighter body burns (the
// adaptive estimate catches the rest as it happens, and the projection is redone with it).

export const PROJECTION_MAX_WEEKS = 260;

export interface ProjectionPoint {
  week: number;
  weightKg: number;
  bodyFatPct: number;
  fatMassKg: number;
  leanMassKg: number;
  /** the week's planned daily intake and expenditure, kcal (at the last point: what the next week would use) */
  intakeKcal: number;
  tdeeKcal: number;
}

export interface Projection {
  /** whole weeks until the goal is reached (≥ 1); when it is not: PROJECTION_MAX_WEEKS (or maxWeeks), or the week the plan stopped moving towards it */
  weeks: number;
  reachesGoal: boolean;
  /** week 0 (now) to the last simulated week */
  curve: ProjectionPoint[];
}

type ProjectionPlan = { weeklyRatePercent: number } | { intakeKcal: number };

export interface ProjectionInput {
  goalType: GoalType;
  profile: Profile;
  weightKg: number;
  bodyFatPct: number;
  /** target %BF when cutting, ceiling when bulking */
  goalBodyFatPct: number;
  /** expenditure now: the adaptive estimate, or the equation when there is no data */
  tdeeKcal: number;
  plan: ProjectionPlan;
  maxWeeks?: number;
  /**
   * kcal/day the body really burns above (or below, negative) the expenditure the plan is made
   * from: the plan still eats what tdeeKcal says, the body follows tdeeKcal + this. The projection
   * interval runs it at the edges of the estimate's 80 % interval (forecast.ts). Default 0.
   */
  expenditureErrorKcal?: number;
  /**
   * Weeks the error lasts, from week 0: after them the estimate has caught up and the target
   * eaten is the right one again (forecast.ts, planForecast). Default: every week.
   */
  expenditureErrorWeeks?: number;
}

function reached(goalType: GoalType, bodyFatPct: number, goalBodyFatPct: number): boolean {
  return goalType === 'cutting' ? bodyFatPct <= goalBodyFatPct : bodyFatPct >= goalBodyFatPct;
}

/** Week-by-week fat and lean mass under the plan until the goal, or the cap. */
export function projectGoal(p: ProjectionInput): Projection {
  const maxWeeks = p.maxWeeks ?? PROJECTION_MAX_WEEKS;
  if (!Number.isInteger(maxWeeks) || maxWeeks < 1) {
    throw new DomainError('invalid_max_weeks', 'maxWeeks must be a whole number of weeks, at least 1.', 'invalid');
  }
  const goalBodyFatPct = requireFinite(p.goalBodyFatPct, 'goal_body_fat_percentage');
  const tdeeNow = requirePositive(p.tdeeKcal, 'tdee');
  const rate = 'weeklyRatePercent' in p.plan ? checkWeeklyRatePercent(p.goalType, p.plan.weeklyRatePercent) : null;
  const fixedIntake = 'intakeKcal' in p.plan ? requirePositive(p.plan.intakeKcal, 'intake_kcal') : null;
  const error = requireFinite(p.expenditureErrorKcal ?? 0, 'expenditure_error_kcal');
  const errorWeeks = p.expenditureErrorWeeks ?? maxWeeks;

  let fat = fatMassOf(p.weightKg, p.bodyFatPct);
  let lean = p.weightKg - fat;
  // Personal calibration: how far this person is from the equation, carried to every new weight.
  const calibration = tdeeNow / maintenanceCalories(p.profile, p.weightKg);

  const pointAt = (week: number): ProjectionPoint => {
    const weightKg = fat + lean;
    const tdeeKcal = roundHalfEven(calibration * maintenanceCalories(p.profile, weightKg));
    const intakeKcal =
      fixedIntake ??
      boundedRateCalorieTarget({
        goalType: p.goalType,
        tdeeKcal,
        weightKg,
        fatMassKg: fat,
        weeklyRatePercent: rate as number,
        sex: p.profile.sex,
      });
    return { week, weightKg, bodyFatPct: (fat / weightKg) * 100, fatMassKg: fat, leanMassKg: lean, intakeKcal, tdeeKcal };
  };

  const sign = p.goalType === 'cutting' ? -1 : 1;
  const curve: ProjectionPoint[] = [pointAt(0)];
  for (let week = 1; week <= maxWeeks; week++) {
    const previous = curve[curve.length - 1] as ProjectionPoint;
    const weekError = week <= errorWeeks ? error : 0;
    const change = compositionChangeForEnergy(fat, 7 * (previous.intakeKcal - previous.tdeeKcal - weekError));
    fat += change.fatChangeKg;
    lean += change.leanChangeKg;
    const point = pointAt(week);
    curve.push(point);
    if (reached(p.goalType, point.bodyFatPct, goalBodyFatPct)) return { weeks: week, reachesGoal: true, curve };
    // A week that does not move towards the goal means the plan never will (the balance only
    // shrinks as the body nears it): stop rather than simulate years of standstill or drift away.
    if (!(sign * (point.bodyFatPct - previous.bodyFatPct) > 0)) return { weeks: week, reachesGoal: false, curve };
  }
  return { weeks: maxWeeks, reachesGoal: false, curve };
}

type ProjectionStatus = 'ahead' | 'on_track' | 'behind';

/**
 * The band inside which the observed trend counts as on track: a quarter of the change the
 * projection expected so far, but at least half a point of body fat or half a kilogram.
 * - A quarter: the expenditure estimate is good to roughly ±100–150 kcal/day, a quarter of a
 *   typical 400–600 kcal planned balance, so a smaller gap cannot be told from estimate error.
 * - Half a point / half a kilogram: below that, tape, calipers and the smoothed weight (whose
 *   day-to-day noise is about a quarter of the raw swings) cannot resolve a difference.
 */
export const PROJECTION_TOLERANCE = { fraction: 0.25, minPoints: 0.5, minKg: 0.5 } as const;

export interface ProjectionComparison {
  status: ProjectionStatus;
  /** body-fat points further towards the goal than projected (negative = behind); null without body fat */
  byPoints: number | null;
  /** kg further in the goal's direction than projected (negative = behind); null without weight */
  byKg: number | null;
  /** the projection at this time, seen through the same trend smoothing as the observed values */
  expectedBodyFatPct: number;
  expectedWeightKg: number;
  /** which measure decided the status: body fat when given (the goal's unit), else weight */
  basis: 'body_fat' | 'weight';
  tolerance: number;
}

/**
 * The projection as a trend would show it: the weekly curve filled in day by day and smoothed
 * with the Hacker's Diet factor from day 0. Observed trends lag a steady change by ~9 days; so
 * does this, so a person exactly on plan compares as on track rather than "behind by 9 days".
 */
function smoothedProjection(curve: readonly ProjectionPoint[], value: (pt: ProjectionPoint) => number): (day: number) => number {
  const at = (day: number): number => {
    const week = day / 7;
    const i = Math.min(Math.floor(week), curve.length - 1);
    const a = curve[i] as ProjectionPoint;
    const b = curve[i + 1];
    if (!b) return value(a);
    return value(a) + (value(b) - value(a)) * (week - i);
  };
  const trend = [at(0)];
  return (day) => {
    for (let d = trend.length; d <= day; d++) trend.push((trend[d - 1] as number) + TREND_SMOOTHING * (at(d) - (trend[d - 1] as number)));
    return trend[day] as number;
  };
}

function smoothedProjectionAt(curve: readonly ProjectionPoint[], value: (pt: ProjectionPoint) => number, elapsedDays: number): number {
  return smoothedProjection(curve, value)(elapsedDays);
}

/**
 * How many days ahead of the projection (negative: behind) an observed trend value is: the first
 * day on which the smoothed projection gets as far, in the goal's direction, minus the days
 * elapsed. Null when the projection never gets that far (the observation is past its end).
 */
export function daysAheadOfProjection(p: {
  goalType: GoalType;
  curve: readonly ProjectionPoint[];
  elapsedDays: number;
  observed: number;
  basis: 'body_fat' | 'weight';
}): number | null {
  const sign = p.goalType === 'cutting' ? -1 : 1;
  const expected = smoothedProjection(p.curve, p.basis === 'body_fat' ? (pt) => pt.bodyFatPct : (pt) => pt.weightKg);
  // The smoothed curve approaches its end value without reaching it; a month past the last week it is within 5 %.
  const lastDay = 7 * (p.curve.length - 1) + 30;
  for (let day = 0; day <= lastDay; day++) {
    if (sign * (expected(day) - p.observed) >= 0) return day - p.elapsedDays;
  }
  return null;
}

/**
 * Observed trend against the projection at `elapsedDays` since week 0: ahead, on track or behind,
 * and by how much, in the goal's direction. Pass trend values (trendWeightSeries,
 * bodyFatTrendSeries), not single readings.
 */
export function compareWithProjection(p: {
  goalType: GoalType;
  curve: readonly ProjectionPoint[];
  elapsedDays: number;
  observedBodyFatPct?: number | null;
  observedWeightKg?: number | null;
}): ProjectionComparison {
  if (p.curve.length === 0) throw new DomainError('empty_projection', 'The projection has no points.', 'invalid');
  if (!Number.isInteger(p.elapsedDays) || p.elapsedDays < 0) {
    throw new DomainError('invalid_elapsed_days', 'elapsedDays must be a whole number of days, at least 0.', 'invalid');
  }
  const bf = p.observedBodyFatPct ?? null;
  const kg = p.observedWeightKg ?? null;
  if (bf === null && kg === null) {
    throw new DomainError('nothing_to_compare', 'A comparison needs an observed body fat or weight.', 'invalid');
  }
  const start = p.curve[0] as ProjectionPoint;
  const sign = p.goalType === 'cutting' ? -1 : 1; // the goal's direction
  const expectedBodyFatPct = smoothedProjectionAt(p.curve, (pt) => pt.bodyFatPct, p.elapsedDays);
  const expectedWeightKg = smoothedProjectionAt(p.curve, (pt) => pt.weightKg, p.elapsedDays);
  const byPoints = bf === null ? null : sign * (requireFinite(bf, 'body_fat_percentage') - expectedBodyFatPct);
  const byKg = kg === null ? null : sign * (requirePositive(kg, 'weight_kg') - expectedWeightKg);

  const basis = byPoints !== null ? 'body_fat' : 'weight';
  const gap = (byPoints ?? byKg) as number;
  const expectedChange = basis === 'body_fat' ? expectedBodyFatPct - start.bodyFatPct : expectedWeightKg - start.weightKg;
  const floor = basis === 'body_fat' ? PROJECTION_TOLERANCE.minPoints : PROJECTION_TOLERANCE.minKg;
  const tolerance = Math.max(floor, PROJECTION_TOLERANCE.fraction * Math.abs(expectedChange));
  const status: ProjectionStatus = gap > tolerance ? 'ahead' : gap < -tolerance ? 'behind' : 'on_track';
  return { status, byPoints, byKg, expectedBodyFatPct, expectedWeightKg, basis, tolerance };
}
