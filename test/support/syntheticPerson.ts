// A deterministic synthetic person for the energy-balance tests (domain and HTTP): daily
// weigh-ins and logged intake generated from a KNOWN true expenditure, so an estimator can be
// scored against the truth. Seeded (mulberry32), no dependency, no clock.
//
// The body follows energy balance day by day, independently of src/domain (so a bug there cannot
// cancel itself out here): the day's intake minus the day's true expenditure is stored or released
// as fat and lean tissue in Forbes' proportions, FM / (10.4 + FM) fat (Forbes 1987), priced at
// 39.5 MJ/kg fat and 7.6 MJ/kg lean (Hall 2008). The scale adds water noise; intake varies from
// day to day around the plan and is logged exactly (what was eaten is what was logged), unless
// the person logs some days only partly (partialDayRate).
//
// Conventions: day i is startDate + i; weightKg on day i is that morning's weigh-in, before the
// day's intake; calories on day i are eaten after it, so they show on the scale from day i + 1.

/** mulberry32 (Tommy Ettinger, public domain): a small, fast 32-bit seeded generator in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export function gaussian(random: () => number): number {
  const u = 1 - random(); // (0, 1], so the log is finite
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const FAT_KCAL_PER_KG = 39_500 / 4.184;
const LEAN_KCAL_PER_KG = 7_600 / 4.184;
const FORBES_KG = 10.4;

/** The profile the synthetic people register with: Mifflin–St Jeor × 1.55 says 2,798 kcal at 85 kg, ~200 above the truth. */
export const SYNTHETIC_PROFILE = { sex: 'male', heightCm: 180, ageYears: 35, activityLevel: 'moderately_active' } as const;

export interface SyntheticOptions {
  seed: number;
  /** number of days, default 90 */
  days?: number;
  /** 'YYYY-MM-DD' of day 0, default 2025-01-06 */
  startDate?: string;
  startWeightKg?: number;
  startBodyFatPct?: number;
  /** true expenditure on day i, kcal */
  expenditureKcal?: (day: number, days: number) => number;
  /** planned mean intake, kcal/day */
  meanIntakeKcal?: number;
  /** day-to-day SD of what is eaten, kcal */
  intakeSdKcal?: number;
  /** SD of the daily water noise on the scale, kg (±1 kg ≈ ±2 SD with the default 0.5) */
  waterSdKg?: number;
  /** share of days without a weigh-in / without logged intake */
  missingWeighInRate?: number;
  missingIntakeRate?: number;
  /** share of logged days on which only part of what was eaten is logged (meals left out) */
  partialDayRate?: number;
  /** the share of the day's eating a partly logged day holds, default 0.55 */
  partialLogShare?: number;
  /** whether the person marks a partly logged day incomplete (`complete: false`) */
  marksPartialDays?: boolean;
}

interface SyntheticDay {
  date: string;
  /** water-free morning weight */
  trueWeightKg: number;
  fatMassKg: number;
  leanMassKg: number;
  trueExpenditureKcal: number;
  /** eaten that day (logged or not) */
  eatenKcal: number;
  /** the scale, rounded to 0.1 kg; null when not weighed */
  weighInKg: number | null;
  /** logged calories (whole kcal); null when not logged */
  loggedKcal: number | null;
  /** false when the day was logged only partly */
  loggedCompletely: boolean;
}

export interface SyntheticPerson {
  options: Required<Omit<SyntheticOptions, 'expenditureKcal'>>;
  days: SyntheticDay[];
  /** the inputs the service receives; `complete: false` on partly logged days the person marks */
  weights: { date: string; weightKg: number }[];
  intake: { date: string; calories: number; complete?: false }[];
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function syntheticPerson(options: SyntheticOptions): SyntheticPerson {
  const o = {
    seed: options.seed,
    days: options.days ?? 90,
    startDate: options.startDate ?? '2025-01-06',
    startWeightKg: options.startWeightKg ?? 85,
    startBodyFatPct: options.startBodyFatPct ?? 20,
    meanIntakeKcal: options.meanIntakeKcal ?? 2100,
    intakeSdKcal: options.intakeSdKcal ?? 300,
    waterSdKg: options.waterSdKg ?? 0.5,
    missingWeighInRate: options.missingWeighInRate ?? 0,
    missingIntakeRate: options.missingIntakeRate ?? 0,
    partialDayRate: options.partialDayRate ?? 0,
    partialLogShare: options.partialLogShare ?? 0.55,
    marksPartialDays: options.marksPartialDays ?? false,
  };
  const expenditure = options.expenditureKcal ?? (() => 2600);
  const random = mulberry32(o.seed);
  // Partly logged days come from a stream of their own: the four draws a day above stay the same,
  // so a seed keeps its body, noise and gaps whatever the share of partial days.
  const partialDays = mulberry32(o.seed ^ 0x9e3779b9);
  let fat = (o.startWeightKg * o.startBodyFatPct) / 100;
  let lean = o.startWeightKg - fat;
  const days: SyntheticDay[] = [];
  for (let i = 0; i < o.days; i++) {
    // Four draws every day whatever the options, so changing one option keeps the others' noise.
    const eaten = Math.max(0, o.meanIntakeKcal + o.intakeSdKcal * gaussian(random));
    const water = o.waterSdKg * gaussian(random);
    const weighed = random() >= o.missingWeighInRate;
    const logged = random() >= o.missingIntakeRate;
    const partly = partialDays() < o.partialDayRate;
    const trueWeightKg = fat + lean;
    const trueExpenditureKcal = expenditure(i, o.days);
    days.push({
      date: addDays(o.startDate, i),
      trueWeightKg,
      fatMassKg: fat,
      leanMassKg: lean,
      trueExpenditureKcal,
      eatenKcal: eaten,
      weighInKg: weighed ? Math.round((trueWeightKg + water) * 10) / 10 : null,
      loggedKcal: logged ? Math.round(partly ? o.partialLogShare * eaten : eaten) : null,
      loggedCompletely: !partly,
    });
    // The day's balance becomes tissue in Forbes' proportions at today's fat mass.
    const fatShare = fat / (FORBES_KG + fat);
    const kcalPerKg = fatShare * FAT_KCAL_PER_KG + (1 - fatShare) * LEAN_KCAL_PER_KG;
    const changeKg = (eaten - trueExpenditureKcal) / kcalPerKg;
    fat += fatShare * changeKg;
    lean += (1 - fatShare) * changeKg;
  }
  return {
    options: o,
    days,
    weights: days.flatMap((d) => (d.weighInKg === null ? [] : [{ date: d.date, weightKg: d.weighInKg }])),
    intake: days.flatMap((d) => {
      if (d.loggedKcal === null) return [];
      return [
        d.loggedCompletely || !o.marksPartialDays
          ? { date: d.date, calories: d.loggedKcal }
          : { date: d.date, calories: d.loggedKcal, complete: false as const },
      ];
    }),
  };
}

/** Burns a steady 2,600 kcal/day and eats 2,100 ± 300: a ~0.5 kg/week cut. */
export function steadyPerson(seed: number, overrides: Partial<SyntheticOptions> = {}): SyntheticPerson {
  return syntheticPerson({ seed, expenditureKcal: () => 2600, ...overrides });
}

/** Metabolic adaptation: expenditure falls linearly from 2,600 to 2,400 kcal/day over the days, same diet. */
export function adaptingPerson(seed: number, overrides: Partial<SyntheticOptions> = {}): SyntheticPerson {
  return syntheticPerson({ seed, expenditureKcal: (day, days) => 2600 - (200 * day) / (days - 1), ...overrides });
}
