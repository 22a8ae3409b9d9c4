import { requireFinite } from '../errors.ts';
import type { Profile } from '../planning.ts';
import { MIN_RATE_HORIZON_WEEKS, rateTowardsGoal } from '../rates.ts';
import { roundHalfEven } from '../rounding.ts';
import { WEEK_MS } from '../time.ts';
import type { BodyPoint, GoalType } from '../types.ts';
import { leastSquaresLine } from './leastSquares.ts';
import { type Projection, projectGoal } from './projection.ts';

// The one forecast of a goal (docs/SCIENCE.md 10.1): how many weeks until the goal's body fat
// (target when cutting, ceiling when bulking), told twice, each with an 80 % interval:
//  - the plan: the chosen weekly rate through the energy balance (projection.ts) with the measured
//    expenditure, from where the person is now;
//  - the observed: the check-ins' own rate of body fat (least squares), carried on.
// When the two disagree, one sentence says why, from the data. Goal creation, the rate change
// (and its preview) and GET /goals/{id}/trends all call these, so every screen tells one story.

/** The normal quantile of an 80 % two-sided interval: 10 % each side. */
export const Z_80 = 1.2816;

/**
 * How long an error of the expenditure estimate lasts, weeks. The target is recomputed at each
 * check-in from the adaptive estimate, which absorbs a 300 kcal step in about five weeks
 * (expenditure.ts); without logged intake the fixed rule's 100 kcal step a week, from the second
 * week of check-ins, closes a 1.28 SD equation error (~270 kcal) in about as long (adaptation.ts).
 */
export const ESTIMATE_CATCH_UP_WEEKS = 5;

/** A check-in span shorter than this, or fewer entries after the start, gives no observed rate (trends.ts). */
const MIN_OBSERVED = { entries: 2, spanWeeks: 2 } as const;

export interface WeeksForecast {
  /** whole weeks from now; null when it is not reached at this rate */
  weeks: number | null;
  /** the fast end of the 80 % interval */
  weeksLow: number | null;
  /** the slow end; null when the slow edge does not head to the goal (or the plan stalls there) */
  weeksHigh: number | null;
}

export interface PlanForecast extends WeeksForecast {
  central: Projection;
  fastest: Projection;
  slowest: Projection;
}

interface ObservedForecast extends WeeksForecast {
  /** %BF points per week, signed, and its standard error */
  ratePerWeek: number;
  rateSe: number | null;
}

/** A plan to forecast: who, from where, to which body fat, at which rate, with which expenditure. */
export interface PlanInput {
  goalType: GoalType;
  profile: Profile;
  weightKg: number;
  bodyFatPct: number;
  goalBodyFatPct: number;
  weeklyRatePercent: number;
  expenditure: { tdeeKcal: number; sdKcal: number };
}

const weeksOf = (projection: Projection): number | null => (projection.reachesGoal ? projection.weeks : null);

/**
 * The plan from a starting point: the central projection, and the two edges of its 80 % interval.
 * An edge is the body burning Z_80 standard deviations more (or less) than the estimate says,
 * for the ESTIMATE_CATCH_UP_WEEKS until the recomputed target has caught up; after that the plan
 * runs at its rate again, from wherever those weeks left the person. An error kept for ever (a
 * target never corrected) would turn a slightly low expenditure into a stalled plan: "23–161 weeks".
 */
export function planForecast(p: PlanInput): PlanForecast {
  const error = Z_80 * requireFinite(p.expenditure.sdKcal, 'tdee_sd');
  const run = (expenditureErrorKcal: number): Projection =>
    projectGoal({
      goalType: p.goalType,
      profile: p.profile,
      weightKg: p.weightKg,
      bodyFatPct: p.bodyFatPct,
      goalBodyFatPct: p.goalBodyFatPct,
      tdeeKcal: p.expenditure.tdeeKcal,
      plan: { weeklyRatePercent: p.weeklyRatePercent },
      expenditureErrorKcal,
      expenditureErrorWeeks: ESTIMATE_CATCH_UP_WEEKS,
    });
  const central = run(0);
  // Cutting, burning more than estimated gets there sooner; bulking, burning less does.
  const [fastest, slowest] = p.goalType === 'cutting' ? [run(error), run(-error)] : [run(-error), run(error)];
  return { central, fastest, slowest, weeks: weeksOf(central), weeksLow: weeksOf(fastest), weeksHigh: weeksOf(slowest) };
}

/** Whole weeks to cover `gap` points at `towards` points a week (towards > 0); at least 1. */
const weeksFor = (gap: number, towards: number): number => Math.max(1, roundHalfEven(gap / towards));

/**
 * The observed forecast: the least-squares rate of body fat over the goal's points (the initial
 * measurement and every check-in), carried from the latest body fat to the goal. Its interval
 * takes the rate Z_80 standard errors faster and slower; when the slower edge does not head to
 * the goal the interval is open ("or longer"). Null with too little data (two check-ins over two
 * weeks, as trends.ts asks before it names a trend).
 */
function observedForecast(p: {
  goalType: GoalType;
  /** the initial measurement first, then the check-ins */
  points: readonly BodyPoint[];
  goalBodyFatPct: number;
  currentBodyFatPct: number;
}): ObservedForecast | null {
  if (p.points.length < MIN_OBSERVED.entries + 1) return null;
  const origin = Math.min(...p.points.map((pt) => pt.measuredAt.getTime()));
  const xs = p.points.map((pt) => (pt.measuredAt.getTime() - origin) / WEEK_MS);
  const span = Math.max(...xs);
  if (span < Math.max(MIN_OBSERVED.spanWeeks, MIN_RATE_HORIZON_WEEKS)) return null;
  const base = p.points[0]!.bodyFatPct;
  const fit = leastSquaresLine(
    xs,
    p.points.map((pt) => pt.bodyFatPct - base),
  );
  if (!fit) return null;
  const gap = p.goalType === 'cutting' ? p.currentBodyFatPct - p.goalBodyFatPct : p.goalBodyFatPct - p.currentBodyFatPct;
  const towards = rateTowardsGoal(p.goalType, fit.slope);
  const margin = Z_80 * (fit.slopeSe ?? 0);
  const at = (rate: number): number | null => (gap <= 0 ? 0 : rate > 0 ? weeksFor(gap, rate) : null);
  return {
    ratePerWeek: fit.slope,
    rateSe: fit.slopeSe,
    weeks: at(towards),
    weeksLow: at(towards + margin),
    weeksHigh: at(towards - margin),
  };
}

/** Two intervals overlap; an open end (null) reaches for ever, no forecast at all overlaps nothing. */
function overlaps(a: WeeksForecast, b: WeeksForecast): boolean {
  const lowA = a.weeksLow ?? a.weeks;
  const lowB = b.weeksLow ?? b.weeks;
  if (lowA === null || lowB === null) return lowA === lowB;
  return lowA <= (b.weeksHigh ?? Infinity) && lowB <= (a.weeksHigh ?? Infinity);
}

interface ForecastFacts {
  goalType: GoalType;
  /** the plan's rates in its first week: %BF points and kg, signed */
  plannedBodyFatPerWeek: number;
  plannedWeightKgPerWeek: number;
  /** the one weekly weight rate (weeklyWeightRateKg), signed; null without enough weigh-ins */
  observedWeightKgPerWeek: number | null;
}

export interface GoalForecast {
  plan: WeeksForecast;
  observed: ObservedForecast | null;
  agrees: boolean;
  explanation: string | null;
}

const fmt = (x: number, digits: number) => Math.abs(x).toFixed(digits);

/**
 * Why the plan and the observed rate part, in one sentence chosen from the data: whether body
 * fat moves faster or slower than the plan, and whether the weight does too (the weight says
 * whether the energy balance is as planned; body fat alone may be the tape or the lean mass).
 */
function disagreement(plan: WeeksForecast, observed: ObservedForecast | null, facts: ForecastFacts): string {
  if (observed === null) return 'Too few check-ins yet for a rate of your own: it needs two of them over at least two weeks.';
  const cutting = facts.goalType === 'cutting';
  const down = cutting ? 'fall' : 'rise';
  const bf = `${fmt(observed.ratePerWeek, 2)} points a week`;
  const plannedBf = `${fmt(facts.plannedBodyFatPerWeek, 2)}`;
  if (observed.weeks === null) {
    return `Your body fat readings do not ${down} (${observed.ratePerWeek >= 0 ? '+' : '−'}${bf}), while the plan expects them to ${down} ${plannedBf} points a week.`;
  }
  const faster = plan.weeks === null || observed.weeks < plan.weeks;
  const weight = facts.observedWeightKgPerWeek;
  const weightWord = cutting ? 'loss' : 'gain';
  const planned = Math.abs(facts.plannedWeightKgPerWeek);
  if (weight === null) {
    return `Your body fat readings ${down} ${bf}, ${faster ? 'faster' : 'slower'} than the ${plannedBf} the plan expects; log your weight daily to tell whether the energy balance or the readings differ.`;
  }
  const actual = rateTowardsGoal(facts.goalType, weight);
  const weightText = `${fmt(weight, 2)} kg a week against the planned ${planned.toFixed(2)} kg`;
  if (faster) {
    return actual <= planned * 1.25
      ? `Your body fat readings ${down} faster (${bf}) than your weight ${weightWord} explains (${weightText}): you may keep more lean mass than the energy-balance model assumes, or the tape or calipers read low.`
      : `Your weight ${weightWord} is faster than planned (${weightText}): you eat ${cutting ? 'less' : 'more'} than the target or burn ${cutting ? 'more' : 'less'} than measured.`;
  }
  return actual < planned * 0.75
    ? `Your weight ${weightWord} is slower than planned (${weightText}): intake ${cutting ? 'above' : 'below'} the target, or an expenditure ${cutting ? 'lower' : 'higher'} than measured.`
    : `Your weight follows the plan (${weightText}) but your body fat readings ${down} only ${bf}: the ${weightWord} may hold more lean mass than expected, or the readings vary.`;
}

/** The plan and the observed forecast side by side, whether they agree, and why not. */
function compareForecasts(plan: WeeksForecast, observed: ObservedForecast | null, facts: ForecastFacts): GoalForecast {
  const agrees = observed === null ? plan.weeks === null : overlaps(plan, observed);
  return { plan, observed, agrees, explanation: agrees ? null : disagreement(plan, observed, facts) };
}

/** The plan's rates over its first week, for compareForecasts. */
function plannedRates(central: Projection): Pick<ForecastFacts, 'plannedBodyFatPerWeek' | 'plannedWeightKgPerWeek'> {
  const [start, next] = central.curve;
  if (!start || !next) return { plannedBodyFatPerWeek: 0, plannedWeightKgPerWeek: 0 };
  return { plannedBodyFatPerWeek: next.bodyFatPct - start.bodyFatPct, plannedWeightKgPerWeek: next.weightKg - start.weightKg };
}

/**
 * Both forecasts of a goal from where the person is now: `current` is the trend weight and the
 * latest body fat; `points` the initial measurement and the check-ins (the observed rate); the
 * weight rate is weeklyRateKg's. A goal already at its aim has 0 weeks on both.
 */
export function goalForecast(p: {
  goalType: GoalType;
  profile: Profile;
  goalBodyFatPct: number;
  weeklyRatePercent: number;
  expenditure: { tdeeKcal: number; sdKcal: number };
  current: { weightKg: number; bodyFatPct: number };
  points: readonly BodyPoint[];
  weightKgPerWeek: number | null;
  /**
   * Whole weeks from the latest point to now: both forecasts count from the latest body fat, so
   * they are told from now less the weeks already gone (never below 1 while the goal is not reached).
   */
  weeksSinceLatest?: number;
}): GoalForecast {
  const observed = observedForecast({
    goalType: p.goalType,
    points: p.points,
    goalBodyFatPct: p.goalBodyFatPct,
    currentBodyFatPct: p.current.bodyFatPct,
  });
  const gap = p.goalType === 'cutting' ? p.current.bodyFatPct - p.goalBodyFatPct : p.goalBodyFatPct - p.current.bodyFatPct;
  if (gap <= 0) {
    const done = { weeks: 0, weeksLow: 0, weeksHigh: 0 };
    return { plan: done, observed, agrees: true, explanation: null };
  }
  const gone = p.weeksSinceLatest ?? 0;
  const fromNow = (weeks: number | null) => (weeks === null ? null : Math.max(1, weeks - gone));
  const later = (f: WeeksForecast): WeeksForecast => ({
    weeks: fromNow(f.weeks),
    weeksLow: fromNow(f.weeksLow),
    weeksHigh: fromNow(f.weeksHigh),
  });
  const plan = planForecast({ ...p, weightKg: p.current.weightKg, bodyFatPct: p.current.bodyFatPct });
  return compareForecasts(later(plan), observed && { ...observed, ...later(observed) }, {
    goalType: p.goalType,
    ...plannedRates(plan.central),
    observedWeightKgPerWeek: p.weightKgPerWeek,
  });
}
