/**
 * The six-week person (test/support/sixWeekPerson.ts) through the API: registered, with her
 * weigh-ins, intake, initial tape measurement, goal and six check-ins, ending today.
 */
import { expect } from 'vitest';
import type { App } from '../../src/http/app.ts';
import { type Api, signUp } from './api.ts';
import { bornYearsAgo } from './people.ts';
import { SIX_WEEK_GOAL, SIX_WEEK_PROFILE, sixWeekPerson, type SixWeekPerson } from '../support/sixWeekPerson.ts';

const NECK_CM = 33;
const HIP_CM = 100;

/**
 * A woman's Navy tape (Hodgdon & Beckett 1984, with Siri) that measures `bodyFatPct` at this
 * height: the equation solved for waist + hip − neck, with the hip and neck fixed.
 */
function navyWomanTape(bodyFatPct: number, heightCm: number = SIX_WEEK_PROFILE.heightCm) {
  const density = 495 / (bodyFatPct + 450);
  const sum = 10 ** ((1.29579 + 0.221 * Math.log10(heightCm) - density) / 0.35004);
  return { waist_cm: Math.round((sum - HIP_CM + NECK_CM) * 100) / 100, hip_cm: HIP_CM, neck_cm: NECK_CM };
}

function daysAgo(days: number, now: Date): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

async function ok(response: Promise<{ status: number; body: any }>, status = 200) {
  const r = await response;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

export interface SeededSixWeekPerson {
  api: Api;
  goalId: string;
  person: SixWeekPerson;
}

/**
 * The person lived day by day on the app's clock: `setNow` moves it to each morning (the start
 * `42 days` before `today`), so the goal is planned on day 0 from what was logged by then and
 * each check-in recomputes the target from that day's estimate, as for a real person.
 */
export async function seedSixWeekPerson(
  app: App,
  setNow: (now: Date) => void,
  today: Date,
  /** More of the registration (an email a suite finds her by). */
  registration: Record<string, unknown> = {},
): Promise<SeededSixWeekPerson> {
  const person = sixWeekPerson(daysAgo(42, today));
  const morning = (date: string) => new Date(`${date}T08:00:00Z`);
  setNow(morning(person.startDate));
  const { api } = await signUp(app, {
    gender: SIX_WEEK_PROFILE.sex,
    height_cm: SIX_WEEK_PROFILE.heightCm,
    date_of_birth: bornYearsAgo(SIX_WEEK_PROFILE.ageYears),
    activity_level: SIX_WEEK_PROFILE.activityLevel,
    ...registration,
  });
  const measure = (point: { date: string; bodyFatPct: number; weightKg: number }) =>
    ok(
      api.post('/api/v1/measurements', {
        calculation_method: 'navy',
        weight_kg: point.weightKg,
        measured_at: `${point.date}T07:00:00`,
        ...navyWomanTape(point.bodyFatPct),
      }),
      201,
    );
  const weights = new Map(person.weights.map((w) => [w.date, w.weightKg]));
  const intake = new Map(person.intake.map((d) => [d.date, d.calories]));
  const checkIns = new Map(person.checkIns.map((c) => [c.date, c]));
  let goalId = '';
  for (let day = 0; day <= 42; day++) {
    const date = daysAgo(42 - day, today);
    setNow(morning(date));
    const weight = weights.get(date);
    if (weight !== undefined) await ok(api.put(`/api/v1/users/me/weights/${date}`, { weight_kg: weight }));
    if (day === 0) {
      const initial = await measure(person.initial);
      const goal = await ok(
        api.post('/api/v1/goals', {
          initial_measurement_id: initial.id,
          goal_type: 'cutting',
          target_body_fat_percentage: SIX_WEEK_GOAL.targetBodyFatPct,
          weekly_rate_percent: SIX_WEEK_GOAL.weeklyRatePercent,
        }),
        201,
      );
      goalId = goal.id;
    }
    const checkIn = checkIns.get(date);
    if (checkIn) {
      const measurement = await measure(checkIn);
      await ok(api.post(`/api/v1/goals/${goalId}/progress`, { measurement_id: measurement.id }), 201);
    }
    const calories = intake.get(date);
    if (calories !== undefined) await ok(api.put(`/api/v1/users/me/intake/${date}`, { calories }));
  }
  return { api, goalId, person };
}
