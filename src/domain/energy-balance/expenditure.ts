import { DomainError, requireFinite, requirePositive } from '../errors.ts';
import { roundHalfEven } from '../rounding.ts';
import { dateOfDayNumber, dayNumber } from './calendar.ts';
import { WindowStats, valuesByDay, waterNoiseSdKg } from './dailyLogs.ts';
import { predictDay, startFilter, updateWithWeighIn } from './energyBalanceFilter.ts';
import type { DayBalance, FilterState } from './energyBalanceFilter.ts';
import { energyDensityKcalPerKg } from './forbes.ts';
import { leastSquaresLine } from './leastSquares.ts';
import type { DailyWeight } from './trendWeight.ts';

// Adaptive expenditure: what a person burns, from what they eat and how their weight moves.
// Energy balance says, for every day, weight(tomorrow) = weight(today) + (intake − TDEE) / ρ, with
// ρ the energy density of the change (forbes.ts). Over a window that is "TDEE = mean intake −
// ρ × weight change / days" (the window formula of docs/SCIENCE.md 9, reported in `window`, with the change read off
// a least-squares line through the window's weigh-ins). The estimate itself is
// the same equation run day by day as a Kalman filter with two unknowns, true weight and TDEE:
//  - the scale reads true weight plus water noise (its size measured from the person's own
//    day-to-day swings), so water is averaged out the way a trend does, but without the 9-day
//    lag of the Hacker's Diet average, because the filter knows what the intake should do;
//  - the filter starts from the equation estimate (Mifflin–St Jeor × activity) with a standard
//    deviation of 10 % and weighs it against the data by precision (inverse variance): with no
//    data the answer is the equation, with a month of logs it is almost all data;
//  - TDEE may drift ±10 kcal/day each day (random walk), so the filter forgets old days: about
//    6–8 weeks of memory at typical noise, a 300 kcal step absorbed in about 5 weeks.
// A hard 21–28-day window cannot do better than ~±75 kcal (1 SD) with ±0.5 kg daily noise, since
// that is the precision of a least-squares slope over 28 days; the filter keeps the information of
// earlier weeks while expenditure is steady, which keeps every synthetic person within ±150 kcal
// from day 42 and 9 in 10 by day 28 (test/domain/expenditureSimulation.test.ts). The window still
// decides whether there are enough logs to report anything but the equation.

export interface DailyIntake {
  /** 'YYYY-MM-DD' */
  date: string;
  /** kcal eaten that day */
  calories: number;
  /**
   * false when only part of the day was logged: its calories are left out and the day counts as
   * one without intake (docs/SCIENCE.md 9, "Incomplete days in the estimate"). Absent means true.
   */
  complete?: boolean;
}

/** The window that must hold enough logs (21–28 days: docs/SCIENCE.md 9). */
const EXPENDITURE_WINDOW_DAYS = { min: 21, max: 28, default: 28 } as const;
/**
 * One standard deviation of the equation estimate, as a share of it. Mifflin–St Jeor predicts
 * resting energy within ±10 % for about 80 % of non-obese adults (Frankenfield et al. 2005,
 * J Am Diet Assoc 105:775), i.e. an SD near 7.5 %; the activity factor adds its own error, so 10 %
 * (≈ 260 kcal at 2,600) is a moderate, round choice.
 */
export const EQUATION_TDEE_SD_FRACTION = 0.1;
/** Random-walk step of TDEE per day (kcal): lets metabolic adaptation and activity changes in. */
const EXPENDITURE_DRIFT_KCAL_PER_DAY = 10;
/** Random error of a logged day's calories, as a share of them (portions, labels, forgotten bites). */
const INTAKE_LOGGING_SD_FRACTION = 0.1;
/** At least this share of the window's days must have logged intake (missing days are not zero). */
const MIN_INTAKE_DAYS_FRACTION = 0.5;
/** …and at least this many weigh-ins, about one a week. */
const MIN_WEIGH_INS_IN_WINDOW = 4;
/** From this share of the precision coming from data, the method is 'adaptive' (else 'blended'). */
const ADAPTIVE_DATA_WEIGHT = 0.8;
/** tdee_low/high_kcal are a 95 % band: ±1.96 standard deviations. */
export const EXPENDITURE_BAND_Z = 1.96;
/** Body fat assumed for the energy density when none was ever measured. */
export const DEFAULT_BODY_FAT_PCT = 25;
/** A weigh-in moves the estimate by at most this many standard deviations of surprise. */
const MAX_SURPRISE_SD = 3;
/** A day with no intake logged and none in the window: the balance is unknown (±1,000 kcal). */
const UNKNOWN_BALANCE_SD_KCAL = 1000;
const UNKNOWN_BALANCE = { intakeKcal: 0, intakeVar: UNKNOWN_BALANCE_SD_KCAL ** 2, coupled: false } as const;
/**
 * The water-free weight the energy density is priced at never goes below this share of the
 * latest weigh-in: a guard for the stretch before a far-off weigh-in corrects a drifting estimate.
 */
const MIN_ESTIMATED_WEIGHT_SHARE = 0.5;

/**
 * The expenditure reported and planned with, kcal/day. Logs can say anything (a month of "0 kcal"
 * at a steady weight estimates ~0, a month of it while the scale climbs estimates less than 0), and
 * Mifflin–St Jeor itself falls under 500 for the smallest, oldest profiles the schema allows; every
 * estimate is clamped into this range, so such data end in the floors' refusal (a new goal: "no
 * deficit possible") or the floor (a check-in), never in nonsense. Wider than any adult's real
 * expenditure either way. goals.expenditure_kcal has the same CHECK.
 */
const PLAUSIBLE_TDEE_KCAL = { min: 500, max: 10_000 } as const;

/** `kcal` clamped into PLAUSIBLE_TDEE_KCAL. */
export const plausibleTdeeKcal = (kcal: number): number => Math.min(PLAUSIBLE_TDEE_KCAL.max, Math.max(PLAUSIBLE_TDEE_KCAL.min, kcal));

export type ExpenditureMethod = 'equation' | 'blended' | 'adaptive';

interface ExpenditureDay {
  date: string;
  tdeeKcal: number;
  tdeeLowKcal: number;
  tdeeHighKcal: number;
  method: ExpenditureMethod;
  /**
   * The filter's water-free weight that morning, kg: unlike the Hacker's Diet trend it does not
   * lag a steady loss (it knows what the intake should do), but it needs logged intake to be right.
   */
  estimatedWeightKg: number;
}

interface ExpenditureWindow {
  startDate: string;
  endDate: string;
  days: number;
  /** days with complete logged intake: the ones the estimate uses */
  intakeDays: number;
  /** days logged but marked incomplete, left out like days without intake */
  incompleteDays: number;
  weighInDays: number;
  /** the window's logs needed before anything but the equation is reported */
  minIntakeDays: number;
  minWeighIns: number;
  /** mean of the complete days' calories; null without any */
  meanIntakeKcal: number | null;
  /** least-squares slope of the window's weigh-ins, kg per week; null with fewer than 2 */
  weightChangeKgPerWeek: number | null;
  /** the window alone: mean intake − ρ × weekly change / 7 (noisier than tdeeKcal); null unless enough logs */
  observedTdeeKcal: number | null;
}

export interface ExpenditureEstimate {
  tdeeKcal: number;
  tdeeLowKcal: number;
  tdeeHighKcal: number;
  /** one standard deviation of tdeeKcal */
  sdKcal: number;
  /** days with complete logged intake since the first weigh-in behind a data-based estimate; 0 for 'equation' */
  dataDays: number;
  /** share of the estimate's precision that comes from data (0 = equation only) */
  dataWeight: number;
  method: ExpenditureMethod;
  equationTdeeKcal: number;
  /** kcal per kg of weight change at the current weight and body fat; null without weigh-ins */
  energyDensityKcalPerKg: number | null;
  waterNoiseSdKg: number;
  window: ExpenditureWindow;
  /** the estimate as of each day from the first weigh-in to asOf (only asOf with `series: false`) */
  series: ExpenditureDay[];
}

export interface ExpenditureInput {
  weights: readonly DailyWeight[];
  intake: readonly DailyIntake[];
  /** latest known %BF, for the energy density; null = DEFAULT_BODY_FAT_PCT */
  bodyFatPct: number | null;
  /** Mifflin–St Jeor × activity at the current weight (planning.ts maintenanceCalories) */
  equationTdeeKcal: number;
  /** 'YYYY-MM-DD': data after it are ignored */
  asOf: string;
  /** 21–28, default 28 */
  windowDays?: number;
  /**
   * false: `series` holds only the last day. A goal's plan needs only today's estimate, and the
   * daily rows (a date string and three roundings a day) are most of the cost over months of logs.
   */
  series?: boolean;
}

function checkWindowDays(windowDays: number): number {
  if (!Number.isInteger(windowDays) || windowDays < EXPENDITURE_WINDOW_DAYS.min || windowDays > EXPENDITURE_WINDOW_DAYS.max) {
    throw new DomainError(
      'invalid_window_days',
      `The expenditure window must be a whole number of days in ${EXPENDITURE_WINDOW_DAYS.min}–${EXPENDITURE_WINDOW_DAYS.max}.`,
      'invalid',
      'window_days',
    );
  }
  return windowDays;
}

const kcal = (x: number): number => roundHalfEven(x);
const plausible = (x: number): number => kcal(plausibleTdeeKcal(x));

/**
 * TDEE from logged intake and weigh-ins (see the header): the equation while the window holds too
 * few logs, then the filter's estimate, with a 95 % band from its variance. Intake on day D is
 * read as eaten after the morning weigh-in of D, so it shows on the scale from D + 1.
 */
export function estimateExpenditure(input: ExpenditureInput): ExpenditureEstimate {
  const asOfDay = dayNumber(input.asOf, 'as_of');
  const windowDays = checkWindowDays(input.windowDays ?? EXPENDITURE_WINDOW_DAYS.default);
  const equation = requirePositive(input.equationTdeeKcal, 'equation_tdee_kcal');
  const bodyFatPct = input.bodyFatPct ?? DEFAULT_BODY_FAT_PCT;
  requireFinite(bodyFatPct, 'body_fat_percentage');
  if (bodyFatPct <= 0 || bodyFatPct >= 100) {
    throw new DomainError('invalid_body_fat', 'Body fat must be between 0 and 100 %.', 'invalid', 'body_fat_percentage');
  }
  const weights = valuesByDay(
    input.weights,
    (w) => w.date,
    (w) => requirePositive(w.weightKg, 'weight_kg'),
    'weigh-in',
    asOfDay,
  );
  const { intake, incomplete } = intakeByDay(input.intake, asOfDay);

  const priorSd = EQUATION_TDEE_SD_FRACTION * equation;
  const priorVar = priorSd * priorSd;
  const minIntakeDays = Math.ceil(MIN_INTAKE_DAYS_FRACTION * windowDays);
  const noiseSd = waterNoiseSdKg(weights);
  const waterVar = noiseSd * noiseSd;
  const firstDay = weights.size > 0 ? Math.min(...weights.keys()) : null;

  const series: ExpenditureDay[] = [];
  const keepSeries = input.series ?? true;
  const equationDay = (day: number, weightKg: number): ExpenditureDay => ({
    date: dateOfDayNumber(day),
    estimatedWeightKg: weightKg,
    tdeeKcal: plausible(equation),
    tdeeLowKcal: plausible(equation - EXPENDITURE_BAND_Z * priorSd),
    tdeeHighKcal: plausible(equation + EXPENDITURE_BAND_Z * priorSd),
    method: 'equation',
  });

  let state: FilterState | null = null;
  let rho = 0;
  let lastWeighIn = { day: firstDay ?? asOfDay, kg: 0 };
  let dataDays = 0;
  let sufficient = false;
  const intakeWindow = new WindowStats();
  let weighInsInWindow = 0;

  for (let day = firstDay ?? asOfDay + 1; day <= asOfDay; day++) {
    const scale = weights.get(day);
    if (state === null) {
      state = startFilter(scale as number, waterVar, equation, priorVar);
    } else {
      // Intake alone says nothing about expenditure: only the scale does. Past a window without a
      // weigh-in the days stop moving the weight by the logs, which would otherwise drift for months
      // (500 kcal logged a day for half a year "loses" more than a small person weighs).
      const balance = day - lastWeighIn.day > windowDays ? UNKNOWN_BALANCE : yesterdaysBalance(intake.get(day - 1), intakeWindow);
      state = predictDay(state, { ...balance, rho, driftVar: EXPENDITURE_DRIFT_KCAL_PER_DAY ** 2 });
      if (scale !== undefined) state = updateWithWeighIn(state, scale, waterVar, MAX_SURPRISE_SD);
    }
    if (scale !== undefined) lastWeighIn = { day, kg: scale };
    const pricedKg = Math.max(state.weightKg, MIN_ESTIMATED_WEIGHT_SHARE * lastWeighIn.kg);
    rho = energyDensityKcalPerKg((pricedKg * bodyFatPct) / 100);

    // Slide the window to end today.
    const eatenToday = intake.get(day);
    if (eatenToday !== undefined) {
      intakeWindow.add(eatenToday);
      dataDays += 1;
    }
    if (scale !== undefined) weighInsInWindow += 1;
    const leaving = intake.get(day - windowDays);
    if (leaving !== undefined && day - windowDays >= (firstDay as number)) intakeWindow.remove(leaving);
    if (weights.has(day - windowDays)) weighInsInWindow -= 1;

    sufficient = intakeWindow.count >= minIntakeDays && weighInsInWindow >= MIN_WEIGH_INS_IN_WINDOW;
    if (!keepSeries && day < asOfDay) continue;
    if (!sufficient) {
      series.push(equationDay(day, state.weightKg));
      continue;
    }
    const sd = Math.sqrt(state.pee);
    series.push({
      date: dateOfDayNumber(day),
      estimatedWeightKg: state.weightKg,
      tdeeKcal: plausible(state.tdeeKcal),
      tdeeLowKcal: plausible(state.tdeeKcal - EXPENDITURE_BAND_Z * sd),
      tdeeHighKcal: plausible(state.tdeeKcal + EXPENDITURE_BAND_Z * sd),
      method: dataWeightOf(state.pee, priorVar) >= ADAPTIVE_DATA_WEIGHT ? 'adaptive' : 'blended',
    });
  }

  const window = summariseWindow({ weights, intake, incomplete, asOfDay, windowDays, rho, sufficient, minIntakeDays });
  const today = series.at(-1);
  const useData = sufficient && today !== undefined && state !== null;
  const posteriorVar = useData && state ? state.pee : priorVar;
  const result = useData ? today : equationDay(asOfDay, state?.weightKg ?? 0);
  return {
    tdeeKcal: result.tdeeKcal,
    tdeeLowKcal: result.tdeeLowKcal,
    tdeeHighKcal: result.tdeeHighKcal,
    sdKcal: roundHalfEven(Math.sqrt(posteriorVar), 1),
    dataDays: useData ? dataDays : 0,
    dataWeight: roundHalfEven(dataWeightOf(posteriorVar, priorVar), 3),
    method: result.method,
    equationTdeeKcal: kcal(equation),
    energyDensityKcalPerKg: state === null ? null : kcal(rho),
    waterNoiseSdKg: roundHalfEven(noiseSd, 2),
    window,
    series,
  };
}

/**
 * The calories of each completely logged day up to `asOfDay`, and the days logged but marked
 * incomplete. A partly logged day's calories are a floor, not an estimate of what was eaten:
 * read as the day's intake they would make the person seem to burn less than they do, so such a
 * day counts as one without intake (docs/SCIENCE.md 9, "Incomplete days in the estimate").
 */
function intakeByDay(rows: readonly DailyIntake[], asOfDay: number): { intake: Map<number, number>; incomplete: Set<number> } {
  const intake = valuesByDay(
    rows,
    (i) => i.date,
    (i) => {
      const c = requireFinite(i.calories, 'calories');
      if (c < 0) throw new DomainError('negative_calories', 'calories must not be negative.', 'invalid', 'calories');
      return c;
    },
    'intake',
    asOfDay,
  );
  const incomplete = new Set<number>();
  for (const row of rows) {
    if (row.complete !== false) continue;
    const day = dayNumber(row.date, 'date');
    if (intake.delete(day)) incomplete.add(day);
  }
  return { intake, incomplete };
}

/**
 * Yesterday's intake for the prediction: the log; without one, the window's mean with its
 * day-to-day spread (a missing day is never 0 kcal); without even that, unknown.
 */
function yesterdaysBalance(logged: number | undefined, window: WindowStats): Pick<DayBalance, 'intakeKcal' | 'intakeVar' | 'coupled'> {
  if (logged !== undefined) return { intakeKcal: logged, intakeVar: (INTAKE_LOGGING_SD_FRACTION * logged) ** 2, coupled: true };
  if (window.count >= 2) {
    const mean = window.mean();
    return { intakeKcal: mean, intakeVar: window.variance() + (INTAKE_LOGGING_SD_FRACTION * mean) ** 2, coupled: true };
  }
  return UNKNOWN_BALANCE;
}

function dataWeightOf(posteriorVar: number, priorVar: number): number {
  return Math.min(1, Math.max(0, 1 - posteriorVar / priorVar));
}

/** The window formula (docs/SCIENCE.md 9) over the window alone, for explaining the estimate. */
function summariseWindow(p: {
  weights: ReadonlyMap<number, number>;
  intake: ReadonlyMap<number, number>;
  incomplete: ReadonlySet<number>;
  asOfDay: number;
  windowDays: number;
  rho: number;
  sufficient: boolean;
  minIntakeDays: number;
}): ExpenditureWindow {
  const start = p.asOfDay - p.windowDays + 1;
  const xs: number[] = [];
  const ys: number[] = [];
  let intakeSum = 0;
  let intakeDays = 0;
  let incompleteDays = 0;
  for (let day = start; day <= p.asOfDay; day++) {
    if (p.incomplete.has(day)) incompleteDays += 1;
    const kg = p.weights.get(day);
    if (kg !== undefined) {
      xs.push(day);
      ys.push(kg);
    }
    const eaten = p.intake.get(day);
    if (eaten !== undefined) {
      intakeSum += eaten;
      intakeDays += 1;
    }
  }
  const fit = leastSquaresLine(xs, ys);
  const meanIntakeKcal = intakeDays > 0 ? intakeSum / intakeDays : null;
  return {
    startDate: dateOfDayNumber(start),
    endDate: dateOfDayNumber(p.asOfDay),
    days: p.windowDays,
    intakeDays,
    incompleteDays,
    weighInDays: xs.length,
    minIntakeDays: p.minIntakeDays,
    minWeighIns: MIN_WEIGH_INS_IN_WINDOW,
    meanIntakeKcal: meanIntakeKcal === null ? null : kcal(meanIntakeKcal),
    weightChangeKgPerWeek: fit === null ? null : roundHalfEven(fit.slope * 7, 3),
    observedTdeeKcal: p.sufficient && fit !== null && meanIntakeKcal !== null ? kcal(meanIntakeKcal - p.rho * fit.slope) : null,
  };
}
