import { calorieAdjustment } from '../adaptation.ts';
import { dietPlan, type DietPlan } from '../diet.ts';
import { DomainError, requireFinite, requirePositive } from '../errors.ts';
import { checkedGoalBodyFat, type GoalStart, maintenanceCalories, type Profile } from '../planning.ts';
import { trainingPlan, type TrainingPlan } from '../plans.ts';
import { roundHalfEven } from '../rounding.ts';
import { estimatedWeeksToGoal } from '../timeline.ts';
import type { GoalType } from '../types.ts';
import { EQUATION_TDEE_SD_FRACTION, type ExpenditureMethod, plausibleTdeeKcal } from './expenditure.ts';
import { fatMassOf } from './forbes.ts';
import { type PlanInput, planForecast } from './forecast.ts';
import type { ProjectionPoint } from './projection.ts';
import { boundedRateCalorieTarget, checkWeeklyRatePercent, rateCalorieTarget, WEEKLY_RATE_PERCENT } from './weeklyRate.ts';

// A goal planned from the adaptive expenditure and a chosen weekly rate (docs/SCIENCE.md 3.3). The target is
// expenditure ∓ the energy of the rate (weeklyRate.ts); the timeline is the plan's forecast
// (forecast.ts): the energy-balance projection (projection.ts) with its 80 % interval.

/** What the person burns, as the service estimated it (expenditure.ts, or the equation without data). */
export interface ExpenditureBasis {
  tdeeKcal: number;
  /** one standard deviation of tdeeKcal */
  sdKcal: number;
  method: ExpenditureMethod;
}

/**
 * The expenditure a plan uses while nothing logged can estimate it: the equation
 * (maintenanceCalories) at this weight, inside the estimate's own clamp (plausibleTdeeKcal: for the
 * smallest, oldest profiles the equation is under 500), with its 10 % uncertainty.
 */
export function equationExpenditure(profile: Profile, weightKg: number): ExpenditureBasis {
  const tdeeKcal = plausibleTdeeKcal(maintenanceCalories(profile, weightKg));
  return { tdeeKcal, sdKcal: EQUATION_TDEE_SD_FRACTION * tdeeKcal, method: 'equation' };
}

/** The longest curve kept with a goal: two years of weeks, enough to draw any plausible cut or bulk. */
export const STORED_PROJECTION_MAX_WEEKS = 104;

interface ProjectionBandPoint {
  week: number;
  weightKg: number;
  bodyFatPct: number;
  /** the edges of the 80 % interval at the same week (numerically lower and higher values) */
  weightLowKg: number;
  weightHighKg: number;
  bodyFatLowPct: number;
  bodyFatHighPct: number;
  intakeKcal: number;
  tdeeKcal: number;
}

export interface GoalProjection {
  weeklyRatePercent: number;
  tdeeKcal: number;
  tdeeSdKcal: number;
  method: ExpenditureMethod;
  /** weeks to the goal on the plan; null when it is not reached within PROJECTION_MAX_WEEKS */
  weeksToGoal: number | null;
  /** the ends of the plan's 80 % interval (forecast.ts, planForecast) */
  weeksToGoalFastest: number | null;
  weeksToGoalSlowest: number | null;
  /** week 0 to weeksToGoal (at most STORED_PROJECTION_MAX_WEEKS) */
  points: ProjectionBandPoint[];
}

export interface RateGoalPlan {
  weeklyRatePercent: number;
  targetCalories: number;
  /** always ≥ 1: see goalWeeks */
  estimatedWeeksToGoal: number;
  projection: GoalProjection;
  trainingPlan: TrainingPlan;
  dietPlan: DietPlan;
}

const round2 = (x: number) => roundHalfEven(x, 2);

/** The value of a scenario's curve at a week: its last point once it has reached the goal. */
function pointAtWeek(curve: readonly ProjectionPoint[], week: number): ProjectionPoint {
  return curve[Math.min(week, curve.length - 1)] as ProjectionPoint;
}

/** The plan's forecast (forecast.ts, planForecast) as a curve with its 80 % band, kept to STORED_PROJECTION_MAX_WEEKS. */
export function goalProjection(p: PlanInput & { expenditure: ExpenditureBasis }): GoalProjection {
  const sd = requireFinite(p.expenditure.sdKcal, 'tdee_sd');
  const { central, fastest, slowest, weeks, weeksLow, weeksHigh } = planForecast(p);
  const lastWeek = Math.min(central.curve.length - 1, STORED_PROJECTION_MAX_WEEKS);
  const points: ProjectionBandPoint[] = [];
  for (let week = 0; week <= lastWeek; week++) {
    const c = pointAtWeek(central.curve, week);
    const a = pointAtWeek(fastest.curve, week);
    const b = pointAtWeek(slowest.curve, week);
    points.push({
      week,
      weightKg: round2(c.weightKg),
      bodyFatPct: round2(c.bodyFatPct),
      weightLowKg: round2(Math.min(a.weightKg, b.weightKg, c.weightKg)),
      weightHighKg: round2(Math.max(a.weightKg, b.weightKg, c.weightKg)),
      bodyFatLowPct: round2(Math.min(a.bodyFatPct, b.bodyFatPct, c.bodyFatPct)),
      bodyFatHighPct: round2(Math.max(a.bodyFatPct, b.bodyFatPct, c.bodyFatPct)),
      intakeKcal: c.intakeKcal,
      tdeeKcal: c.tdeeKcal,
    });
  }
  return {
    weeklyRatePercent: p.weeklyRatePercent,
    tdeeKcal: roundHalfEven(p.expenditure.tdeeKcal),
    tdeeSdKcal: roundHalfEven(sd),
    method: p.expenditure.method,
    weeksToGoal: weeks,
    weeksToGoalFastest: weeksLow,
    weeksToGoalSlowest: weeksHigh,
    points,
  };
}

/**
 * A goal's estimated_weeks_to_goal from the projection's start: the projection's weeks when it
 * reaches the goal. When it does not (the safety floor meets the falling expenditure
 * before the target, or five years pass), the fixed-rate estimate of timeline.ts instead: the
 * API promises a whole number ≥ 1 on every goal (docs/DESIGN.md, 'Goal rules'; the load scripts check it),
 * and projection.weeks_to_goal = null already tells that the plan itself stalls.
 */
export function goalWeeks(
  projection: Pick<GoalProjection, 'weeksToGoal'>,
  p: { goalType: GoalType; bodyFatPct: number; goalBodyFatPct: number },
): number {
  return projection.weeksToGoal ?? estimatedWeeksToGoal(p.goalType, p.bodyFatPct, p.goalBodyFatPct);
}

/**
 * Everything computed at goal creation with a chosen rate (docs/DESIGN.md, 'Goal rules'; docs/SCIENCE.md 3.3):
 * the safety rules of goalRules.ts, the rate (its type's default when absent, a 422 when out of
 * range), the target from the expenditure (a 400 when the floors leave no deficit or surplus), the
 * projection and both plans. Every failure is a DomainError, so a goal that cannot be planned is a
 * 400/422 with a reason and never a database range violation.
 */
export function planGoalWithRate(p: GoalStart & { weeklyRatePercent?: number | null; expenditure: ExpenditureBasis }): RateGoalPlan {
  const goalBodyFatPct = checkedGoalBodyFat(p);
  const weeklyRatePercent = checkWeeklyRatePercent(p.goalType, p.weeklyRatePercent);
  requirePositive(p.expenditure.tdeeKcal, 'tdee');
  const targetAt = (rate: number) =>
    rateCalorieTarget({
      goalType: p.goalType,
      tdeeKcal: p.expenditure.tdeeKcal,
      weightKg: p.weightKg,
      fatMassKg: fatMassOf(p.weightKg, p.bodyFatPct),
      weeklyRatePercent: rate,
      sex: p.profile.sex,
    });
  const dietAt = (calories: number) => dietPlan({ goalType: p.goalType, calories, weightKg: p.weightKg, bodyFatPct: p.bodyFatPct });
  const targetCalories = targetAt(weeklyRatePercent);
  let diet: DietPlan;
  try {
    diet = dietAt(targetCalories);
  } catch (error) {
    throw withSlowerRate(error, p.goalType, weeklyRatePercent, (rate) => dietAt(targetAt(rate)));
  }
  const projection = goalProjection({ ...p, goalBodyFatPct, weeklyRatePercent });
  return {
    weeklyRatePercent,
    targetCalories,
    estimatedWeeksToGoal: goalWeeks(projection, { ...p, goalBodyFatPct }),
    projection,
    trainingPlan: trainingPlan(p.goalType),
    dietPlan: diet,
  };
}

/** Steps in which a slower rate is looked for (every rate of the range is a multiple of it). */
const RATE_SEARCH_STEP = 0.05;

/**
 * A macro split that does not fit is most often a heavy person's cut at the calorie floor, where
 * protein for their fat-free mass leaves no room. A slower rate moves the target off the floor
 * (a slower bulk, off the cap): when one fits, the refusal names the fastest that does.
 */
function withSlowerRate(error: unknown, goalType: GoalType, rate: number, planAt: (rate: number) => unknown): unknown {
  if (!(error instanceof DomainError) || error.code !== 'macros_cannot_fit') return error;
  const { min } = WEEKLY_RATE_PERCENT[goalType];
  for (let slower = roundHalfEven(rate - RATE_SEARCH_STEP, 2); slower >= min; slower = roundHalfEven(slower - RATE_SEARCH_STEP, 2)) {
    try {
      planAt(slower);
    } catch {
      continue;
    }
    return new DomainError(
      error.code,
      `${error.message} A slower ${goalType === 'cutting' ? 'cut' : 'bulk'} fits: a weekly rate of ${slower} % or less.`,
      error.kind,
      error.field,
    );
  }
  return error;
}

/**
 * The target recomputed at a check-in: today's expenditure estimate ∓ the rate's energy at the
 * latest weight and body fat, inside the floors and caps (never refused, see boundedRateCalorieTarget).
 * Nothing is carried over from earlier weeks, so a slow week never brings a deeper "catch-up"
 * deficit. With logged data the estimate already follows how the body responds. Without any
 * (method 'equation') the check-ins are the only feedback, so the fixed rule's (docs/SCIENCE.md 3.2) single 100 kcal
 * step for a rate clearly off the on-track band (adaptation.ts) still applies, as the fallback.
 */
export function checkInCalorieTarget(p: {
  profile: Profile;
  goalType: GoalType;
  weightKg: number;
  bodyFatPct: number;
  weeklyRatePercent: number;
  expenditure: ExpenditureBasis;
  /** %BF per week over the goal's check-ins, null until two weeks of them (adaptationRate) */
  observedRatePerWeek: number | null;
}): number {
  const step = p.expenditure.method === 'equation' ? calorieAdjustment(p.goalType, p.observedRatePerWeek) : 0;
  return boundedRateCalorieTarget({
    goalType: p.goalType,
    tdeeKcal: p.expenditure.tdeeKcal + step,
    weightKg: p.weightKg,
    fatMassKg: fatMassOf(p.weightKg, p.bodyFatPct),
    weeklyRatePercent: p.weeklyRatePercent,
    sex: p.profile.sex,
  });
}
