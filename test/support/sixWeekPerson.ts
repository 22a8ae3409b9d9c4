// The six-week person the forecast is worked on (docs/SCIENCE.md 10.1): a woman of 35, 165 cm,
// moderately active, cutting from 31.6 % to 25 % at 0.5 % a week from 68 kg. Six weekly tape
// check-ins, 38 weigh-ins and 40 days of logged intake over 42 days. Deterministic.
//
// Her body follows energy balance (syntheticPerson: Forbes' split, Hall's densities): she burns
// 2,050 kcal a day and eats about 1,740, a deficit of ~310 kcal/day, so her trend weight falls
// from ~68.0 to ~66.6 kg in six weeks (about 0.23 kg a week). Her tape readings fall faster than
// that weight loss can explain: from 31.6 % to about 29.5 % (the energy balance puts her near
// 30.6 %), the typical disagreement of a plan and an observed rate.
import { syntheticPerson } from './syntheticPerson.ts';

export const SIX_WEEK_PROFILE = { sex: 'female', heightCm: 165, ageYears: 35, activityLevel: 'moderately_active' } as const;
export const SIX_WEEK_GOAL = { startBodyFatPct: 31.6, targetBodyFatPct: 25, weeklyRatePercent: 0.5, startWeightKg: 68 } as const;

/** Days (0-based) without a weigh-in (5 of the 43 days 0–42: 38 weigh-ins) and without logged intake (2 of days 0–41: 40). */
const NO_WEIGH_IN = new Set([5, 13, 20, 27, 33]);
const NO_INTAKE = new Set([9, 27]);
/** The tape's deviation from a straight fall of 0.35 points a week, per check-in (week 1..6). */
const TAPE_NOISE = [0.1, -0.15, 0.05, 0.1, -0.1, 0.05];

interface CheckIn {
  /** day number after the start (7, 14, … 42) */
  day: number;
  date: string;
  bodyFatPct: number;
  weightKg: number;
}

export interface SixWeekPerson {
  startDate: string;
  /** the initial measurement, on day 0 */
  initial: CheckIn;
  checkIns: CheckIn[];
  weights: { date: string; weightKg: number }[];
  intake: { date: string; calories: number }[];
  /** the day of the last check-in: "today" */
  today: string;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The person with day 0 on `startDate` ('YYYY-MM-DD'); the last check-in is on day 42. */
export function sixWeekPerson(startDate = '2025-01-06'): SixWeekPerson {
  const body = syntheticPerson({
    seed: 17,
    days: 43,
    startDate,
    startWeightKg: SIX_WEEK_GOAL.startWeightKg,
    startBodyFatPct: SIX_WEEK_GOAL.startBodyFatPct,
    expenditureKcal: () => 2050,
    meanIntakeKcal: 1740,
    intakeSdKcal: 200,
    waterSdKg: 0.4,
  });
  const weighIn = (day: number) => body.days[day]!.weighInKg ?? Math.round(body.days[day]!.trueWeightKg * 10) / 10;
  const checkIns = TAPE_NOISE.map((noise, i) => {
    const day = 7 * (i + 1);
    return {
      day,
      date: addDays(startDate, day),
      bodyFatPct: Math.round((31.6 - 0.35 * (i + 1) + noise) * 100) / 100,
      weightKg: weighIn(day),
    };
  });
  return {
    startDate,
    initial: { day: 0, date: startDate, bodyFatPct: SIX_WEEK_GOAL.startBodyFatPct, weightKg: SIX_WEEK_GOAL.startWeightKg },
    checkIns,
    weights: [
      { date: startDate, weightKg: SIX_WEEK_GOAL.startWeightKg },
      ...body.days.flatMap((d, i) => (i === 0 || NO_WEIGH_IN.has(i) ? [] : [{ date: d.date, weightKg: weighIn(i) }])),
    ],
    // Today's food is not logged yet.
    intake: body.days
      .slice(0, 42)
      .flatMap((d, i) => (NO_INTAKE.has(i) || d.loggedKcal === null ? [] : [{ date: d.date, calories: d.loggedKcal }])),
    today: addDays(startDate, 42),
  };
}
