/**
 * Request bodies of the load journeys, shared by the in-repo load runner (scripts/load/) and the CI
 * smoke replay (scripts/smoke-journey.ts). scripts/performance_test_k6.js and
 * scripts/performance_test_locust.py carry the same numbers in their own languages;
 * test/scripts/journey.test.ts keeps the k6 script and this file in step.
 *
 * Tape measurements drawn at random would give a third of the bulking goals a
 * ceiling below the measured body fat, and a woman without `hip_cm` is refused (docs/DESIGN.md, 'Goal rules', 'Measurements').
 * Here each simulated person is drawn with a body fat that suits the goal they will start, and the
 * waist is solved from the US Navy equation (metric form, docs/SCIENCE.md 1.1) for that body fat, so every
 * request is valid for the domain and every check can pass.
 */

export type Sex = 'male' | 'female';
export type GoalType = 'cutting' | 'bulking';
export type Range = readonly [min: number, max: number];
export type Body = Record<string, unknown>;

export const PASSWORD = 'TestPassword123!';
export const DAY_MS = 86_400_000;

export const rand = (min: number, max: number) => min + Math.random() * (max - min);
export const within = ([min, max]: Range) => rand(min, max);
export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** k6: now in UTC, milliseconds and `Z` removed (naiveUtc in scripts/performance_test_k6.js; docs/DESIGN.md, 'Time'). */
export const naiveUtc = (ms: number) => new Date(ms).toISOString().split('.')[0] ?? '';
/** Locust: `datetime.utcnow().isoformat() + "Z"`, a 6-digit fraction (scripts/performance_test_locust.py; docs/DESIGN.md, 'Time'). */
export const microUtc = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/\.(\d{3})Z$/, (_m, f: string) => `.${f}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}Z`);

/** Navy %BF, metric form, as the service computes it (src/domain/bodyFat.ts), for expectations. */
export function navyBodyFat(sex: Sex, heightCm: number, waistCm: number, neckCm: number, hipCm = 0): number {
  return sex === 'male'
    ? 495 / (1.0324 - 0.19077 * Math.log10(waistCm - neckCm) + 0.15456 * Math.log10(heightCm)) - 450
    : 495 / (1.29579 - 0.35004 * Math.log10(waistCm + hipCm - neckCm) + 0.221 * Math.log10(heightCm)) - 450;
}

/** The waist that gives `bodyFatPct` by the Navy equation: the equation above solved for the waist. */
export function navyWaistFor(sex: Sex, heightCm: number, bodyFatPct: number, neckCm: number, hipCm = 0): number {
  const density = 495 / (bodyFatPct + 450);
  return sex === 'male'
    ? 10 ** ((1.0324 + 0.15456 * Math.log10(heightCm) - density) / 0.19077) + neckCm
    : 10 ** ((1.29579 + 0.221 * Math.log10(heightCm) - density) / 0.35004) + neckCm - hipCm;
}

/**
 * Who starts which goal: a cut from a body fat well above any cutting target, a bulk from one well
 * below any ceiling, so that a check-in (a small change, never a drift) cannot complete the goal.
 */
export interface BodyProfile {
  bodyFat: Range;
  weightKg: Range;
  neckCm: Range;
  hipCm?: Range;
}
export const BODIES: Record<Sex, Record<GoalType, BodyProfile>> = {
  male: {
    cutting: { bodyFat: [18, 28], weightKg: [80, 100], neckCm: [36, 40] },
    bulking: { bodyFat: [10, 16], weightKg: [65, 80], neckCm: [35, 39] },
  },
  female: {
    cutting: { bodyFat: [28, 36], weightKg: [62, 80], neckCm: [31, 35], hipCm: [100, 110] },
    bulking: { bodyFat: [19, 24], weightKg: [55, 66], neckCm: [30, 34], hipCm: [90, 100] },
  },
};

/** A check-in moves body fat and weight a little, the goal's way: cutting down, bulking up. */
export const CHECK_IN_CHANGE: Record<GoalType, { bodyFat: Range; weightKg: Range }> = {
  cutting: { bodyFat: [-0.8, 0.2], weightKg: [-1.0, 0.2] },
  bulking: { bodyFat: [-0.2, 0.5], weightKg: [-0.2, 0.8] },
};

/** The goal's aim. k6 keeps a fixed 12.0 target and 20.0 ceiling; Locust draws them, within the safe limits for women. */
export const K6_AIM: Record<GoalType, number> = { cutting: 12.0, bulking: 20.0 };
export const LOCUST_AIM: Record<Sex, Record<GoalType, Range>> = {
  male: { cutting: [10, 15], bulking: [18, 25] },
  female: { cutting: [18, 24], bulking: [26, 30] },
};

/** One simulated person's tape measurements for a goal; `measurementBody` turns it into a request. */
export interface Person {
  sex: Sex;
  heightCm: number;
  goalType: GoalType;
  bodyFat: number;
  weightKg: number;
  neckCm: number;
  hipCm: number | null;
}

export function drawPerson(sex: Sex, heightCm: number, goalType: GoalType): Person {
  const body = BODIES[sex][goalType];
  return {
    sex,
    heightCm,
    goalType,
    bodyFat: within(body.bodyFat),
    weightKg: within(body.weightKg),
    neckCm: within(body.neckCm),
    hipCm: body.hipCm ? within(body.hipCm) : null,
  };
}

/** The same person a little later: body fat and weight moved from the INITIAL values, so repeated check-ins never drift. */
export function checkIn(person: Person): Person {
  const change = CHECK_IN_CHANGE[person.goalType];
  return { ...person, bodyFat: person.bodyFat + within(change.bodyFat), weightKg: person.weightKg + within(change.weightKg) };
}

export function measurementBody(person: Person, measuredAt: string): Body {
  const waist = navyWaistFor(person.sex, person.heightCm, person.bodyFat, person.neckCm, person.hipCm ?? 0);
  return {
    weight_kg: person.weightKg,
    calculation_method: 'navy',
    waist_cm: waist,
    neck_cm: person.neckCm,
    ...(person.hipCm === null ? {} : { hip_cm: person.hipCm }),
    measured_at: measuredAt,
  };
}

export function goalBody(goalType: GoalType, initialMeasurementId: unknown, aim: number): Body {
  return goalType === 'cutting'
    ? { goal_type: 'cutting', initial_measurement_id: initialMeasurementId, target_body_fat_percentage: aim }
    : { goal_type: 'bulking', initial_measurement_id: initialMeasurementId, ceiling_body_fat_percentage: aim };
}

/** The k6 script's register step: "testuser" + ms timestamp + a short base-36 string. */
export const k6Email = () => `testuser${Date.now()}${Math.random().toString(36).substring(7)}@example.com`;
/** The Locust script's register step: "loadtest" + ms timestamp + 1000–9999. */
/**
 * As the Locust script makes them: `loadtest<time><1000–9999>` plus a number up to a
 * million, since hundreds of accounts set up in one millisecond collided on 9,000 values alone (a 409).
 */
export const locustEmail = () => `loadtest${Date.now()}${Math.floor(rand(1000, 10000))}${Math.floor(rand(0, 1_000_001))}@example.com`;

/** The k6 journey's user (USER in scripts/performance_test_k6.js): a 175 cm man born 1990-01-01. */
export const K6_USER = {
  password: PASSWORD,
  full_name: 'Load Test User',
  date_of_birth: '1990-01-01',
  gender: 'male',
  height_cm: 175,
  preferred_calculation_method: 'navy',
  activity_level: 'moderately_active',
} as const;

export const k6RegisterBody = (email: string): Body => ({ email, ...K6_USER });

/** Locust's activity levels, `extra_active` being an accepted alias of extremely_active (docs/DESIGN.md, 'Accepted spellings'). */
export const LOCUST_ACTIVITY = ['sedentary', 'lightly_active', 'moderately_active', 'very_active', 'extra_active'] as const;

export function locustRegisterBody(email: string, sex: Sex, heightCm: number, activity: string): Body {
  return {
    email,
    password: PASSWORD,
    full_name: 'Load Test User',
    date_of_birth: '1990-01-01',
    gender: sex,
    height_cm: heightCm,
    preferred_calculation_method: 'navy',
    activity_level: activity,
  };
}
