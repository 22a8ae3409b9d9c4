/**
 * The rate rule (docs/SCIENCE.md 3.3) through the goals API: a chosen weekly rate, calorie targets from the adaptive
 * expenditure (the equation when nothing is logged), recomputed at each check-in, the
 * energy-balance projection on the goal and the trends' comparison with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  boundedRateCalorieTarget,
  CALORIE_FLOOR_KCAL,
  estimatedWeeksToGoal,
  maintenanceCalories,
  rateEnergyBalanceKcal,
  smoothedCalorieTarget,
  TARGET_STEP_PER_WEEK_KCAL,
} from '../../src/domain/index.ts';
import { type Api, daysFrom, expectProblem, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { bornYearsAgo, navy, navyWaistFor, quickstartMan } from '../helpers/people.ts';
import { steadyPerson } from '../support/syntheticPerson.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const DAY_MS = 86_400_000;
/** The reference man's profile as the domain sees it (175 cm, 35, moderately active). */
const MAN = { sex: 'male', heightCm: 175, ageYears: 35, activityLevel: 'moderately_active' } as const;

async function measure(api: Api, fields: Record<string, unknown>) {
  const response = await api.post('/api/v1/measurements', navy(fields));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function startGoal(
  goal: Record<string, unknown>,
  initial: Record<string, unknown> = {},
  person: Record<string, unknown> = quickstartMan(),
) {
  const session = await signUp(t.app, person);
  const measurement = await measure(session.api, { measured_at: daysFrom(-7), ...initial });
  const created = await session.api.post('/api/v1/goals', { initial_measurement_id: measurement.id, ...goal });
  return { ...session, created, measurement };
}

const cut = (extra: Record<string, unknown> = {}) => ({ goal_type: 'cutting', target_body_fat_percentage: 15, ...extra });
const bulk = (extra: Record<string, unknown> = {}) => ({ goal_type: 'bulking', ceiling_body_fat_percentage: 18, ...extra });

/** What the domain plans for the reference man at this weight, body fat, expenditure and rate. */
function expectedTarget(goalType: 'cutting' | 'bulking', tdeeKcal: number, weightKg: number, bodyFatPct: number, rate: number) {
  return boundedRateCalorieTarget({
    goalType,
    tdeeKcal,
    weightKg,
    fatMassKg: (weightKg * bodyFatPct) / 100,
    weeklyRatePercent: rate,
    sex: 'male',
  });
}

describe('weekly_rate_percent on goals', () => {
  it('defaults to 0.5 % for a cut and 0.25 % for a bulk, on every representation', async () => {
    const cutting = await startGoal(cut());
    expect(cutting.created.status).toBe(201);
    expect(cutting.created.body.weekly_rate_percent).toBe(0.5);
    expect((await cutting.api.get(`/api/v1/goals/${cutting.created.body.id}`)).body.weekly_rate_percent).toBe(0.5);
    expect((await cutting.api.get('/api/v1/goals')).body.goals[0].weekly_rate_percent).toBe(0.5);

    const bulking = await startGoal(bulk(), { weight_kg: 70, waist_cm: 75, neck_cm: 36 });
    expect(bulking.created.status).toBe(201);
    expect(bulking.created.body.weekly_rate_percent).toBe(0.25);
  });

  it('plans the target from the rate: a faster cut eats less, a slower bulk eats less', async () => {
    const targets: Record<string, number> = {};
    for (const rate of [0.25, 0.5, 1]) {
      const { created, measurement } = await startGoal(cut({ weekly_rate_percent: rate }));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.weekly_rate_percent).toBe(rate);
      const equation = maintenanceCalories(MAN, 90);
      expect(created.body).toMatchObject({ expenditure_kcal: equation, expenditure_method: 'equation' });
      expect(created.body.target_calories).toBe(expectedTarget('cutting', equation, 90, measurement.calculated_body_fat_percentage, rate));
      targets[rate] = created.body.target_calories;
    }
    expect(targets[0.25]).toBeGreaterThan(targets[0.5]!);
    expect(targets[0.5]).toBeGreaterThan(targets[1]!);
    // 1 %/week of 90 kg at 24 % fat is ~900 kcal/day: still above the men's floor.
    expect(targets[1]).toBeGreaterThanOrEqual(CALORIE_FLOOR_KCAL.male);

    const slow = await startGoal(bulk({ weekly_rate_percent: 0.1 }), { weight_kg: 70, waist_cm: 75, neck_cm: 36 });
    const fast = await startGoal(bulk({ weekly_rate_percent: 0.5 }), { weight_kg: 70, waist_cm: 75, neck_cm: 36 });
    expect(slow.created.body.target_calories).toBeLessThan(fast.created.body.target_calories);
    expect(slow.created.body.estimated_weeks_to_goal).toBeGreaterThan(fast.created.body.estimated_weeks_to_goal);
  });

  it.each([
    ['a cut below 0.25 %', cut({ weekly_rate_percent: 0.2 })],
    ['a cut above 1 % (schema)', cut({ weekly_rate_percent: 1.5 })],
    ['a bulk above 0.5 %', bulk({ weekly_rate_percent: 0.75 })],
    ['a bulk below 0.1 % (schema)', bulk({ weekly_rate_percent: 0.05 })],
    ['a rate that is not a number', cut({ weekly_rate_percent: 'fast' })],
  ])('refuses %s with 422 naming the field', async (_label, goal) => {
    const { created } = await startGoal(goal, goal.goal_type === 'bulking' ? { weight_kg: 70, waist_cm: 75, neck_cm: 36 } : {});
    expectProblem(created, 422);
    expect(JSON.stringify(created.body.errors)).toMatch(/weekly_rate_percent/);
  });

  it('takes null as "the default"', async () => {
    const { created } = await startGoal(cut({ weekly_rate_percent: null }));
    expect(created.status).toBe(201);
    expect(created.body.weekly_rate_percent).toBe(0.5);
  });
});

describe('the projection on the goal', () => {
  it('runs from the initial measurement to the target, inside its band, week by week', async () => {
    const { created, measurement } = await startGoal(cut());
    const projection = created.body.projection;
    expect(projection).toMatchObject({
      start: measurement.measured_at,
      weekly_rate_percent: 0.5,
      tdee_kcal: created.body.expenditure_kcal,
      expenditure_method: 'equation',
      weeks_to_goal: created.body.estimated_weeks_to_goal,
    });
    // The equation's uncertainty is 10 %: the band is ± one SD of it.
    expect(projection.tdee_sd_kcal).toBe(Math.round(0.1 * created.body.expenditure_kcal));
    const points = projection.points;
    expect(points).toHaveLength(projection.weeks_to_goal + 1);
    expect(points[0]).toMatchObject({
      week: 0,
      weight_kg: 90,
      body_fat_percentage: measurement.calculated_body_fat_percentage,
      intake_kcal: created.body.target_calories,
    });
    expect(points.at(-1).body_fat_percentage).toBeLessThanOrEqual(15);
    expect(points.at(-2).body_fat_percentage).toBeGreaterThan(15);
    for (const [i, p] of points.entries()) {
      expect(p.week).toBe(i);
      expect(Date.parse(p.date) - Date.parse(measurement.measured_at)).toBe(7 * i * DAY_MS);
      expect(p.body_fat_low_percentage).toBeLessThanOrEqual(p.body_fat_percentage);
      expect(p.body_fat_high_percentage).toBeGreaterThanOrEqual(p.body_fat_percentage);
      expect(p.weight_low_kg).toBeLessThanOrEqual(p.weight_kg);
      expect(p.weight_high_kg).toBeGreaterThanOrEqual(p.weight_kg);
      if (i > 0) {
        expect(p.body_fat_percentage).toBeLessThan(points[i - 1].body_fat_percentage);
        expect(p.weight_kg).toBeLessThan(points[i - 1].weight_kg);
        // Expenditure falls with weight, and the plan follows it down.
        expect(p.tdee_kcal).toBeLessThanOrEqual(points[i - 1].tdee_kcal);
      }
    }
    // About 0.5 % of body weight a week at the start (~0.45 kg of 90 kg).
    expect(90 - points[1].weight_kg).toBeGreaterThan(0.35);
    expect(90 - points[1].weight_kg).toBeLessThan(0.55);
    expect(projection.weeks_to_goal_fastest).toBeLessThan(projection.weeks_to_goal);
    // Burning 283 kcal less than the equation says leaves a 165 kcal deficit: slower, or stalled (null).
    if (projection.weeks_to_goal_slowest !== null) expect(projection.weeks_to_goal_slowest).toBeGreaterThan(projection.weeks_to_goal);
  });

  it('still gives a whole number of weeks when the plan stalls at the floor before the target', async () => {
    // 165 cm, 60, sedentary: his expenditure falls to the men's 1,500 kcal floor near 13 % body fat,
    // so 11.73 % is never reached on the plan (found by the CI smoke run's random Locust people).
    const older = { gender: 'male', height_cm: 165, date_of_birth: bornYearsAgo(60), activity_level: 'sedentary' };
    const { api, created, measurement } = await startGoal(
      cut({ target_body_fat_percentage: 11.73 }),
      { weight_kg: 93.33, waist_cm: navyWaistFor(35.12, 165) },
      older,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.projection.weeks_to_goal).toBeNull();
    // The fixed 0.75 points a month of docs/SCIENCE.md 5, from the stored body fat.
    const fixedRule = estimatedWeeksToGoal('cutting', measurement.calculated_body_fat_percentage, 11.73);
    expect(created.body.estimated_weeks_to_goal).toBe(fixedRule);
    expect(fixedRule).toBeGreaterThan(100);

    const slower = await api.patch(`/api/v1/goals/${created.body.id}`, { weekly_rate_percent: 0.25 });
    expect(slower.status, JSON.stringify(slower.body)).toBe(200);
    expect(slower.body.projection.weeks_to_goal).toBeNull();
    expect(slower.body.estimated_weeks_to_goal).toBe(fixedRule);
  });

  it('is documented in /openapi.json with the new goal fields', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const text = JSON.stringify(doc);
    for (const field of [
      'weekly_rate_percent',
      'expenditure_kcal',
      'expenditure_method',
      'projection',
      'body_fat_low_percentage',
      'projection_comparison',
      'by_days',
    ]) {
      expect(text).toContain(`"${field}"`);
    }
  });
});

describe('calorie targets at check-in', () => {
  it('without daily logs: the equation at the new weight with the rate (the fallback), diet plan updated', async () => {
    const { api, created } = await startGoal(cut({ weekly_rate_percent: 0.75 }));
    const bf = 22.5;
    const m = await measure(api, { weight_kg: 88, waist_cm: navyWaistFor(bf), measured_at: daysFrom(0) });
    const entry = await api.post(`/api/v1/goals/${created.body.id}/progress`, { measurement_id: m.id });
    expect(entry.status).toBe(201);
    const goal = (await api.get(`/api/v1/goals/${created.body.id}`)).body;
    const equation = maintenanceCalories(MAN, 88);
    expect(goal).toMatchObject({ expenditure_method: 'equation', expenditure_kcal: equation, weekly_rate_percent: 0.75 });
    // One week of check-ins: no observed rate yet, so no ±100 kcal step. The stored target is that,
    // smoothed from the start's (docs/SCIENCE.md 3.4).
    const raw = expectedTarget('cutting', equation, 88, m.calculated_body_fat_percentage, 0.75);
    expect(entry.body.target_change.raw_calories).toBe(raw);
    expect(goal.target_calories).toBe(
      smoothedCalorieTarget({
        previousCalories: created.body.target_calories,
        rawCalories: raw,
        previousRawCalories: null,
        daysSincePrevious: 0,
      }).calories,
    );
    expect((await api.get(`/api/v1/goals/${created.body.id}/diet-plan`)).body.daily_calorie_target).toBe(goal.target_calories);
  });

  it('with a month of weigh-ins and intake: the adaptive estimate the person sees, ∓ the rate', async () => {
    // A synthetic man burning 2,600 kcal/day while the equation says ~2,830: the target follows him.
    const person = steadyPerson(11, { days: 35, startDate: daysFrom(-34).slice(0, 10), meanIntakeKcal: 2100 });
    const { api, created } = await startGoal(cut(), { weight_kg: 85, waist_cm: navyWaistFor(20), measured_at: daysFrom(-35) });
    expect(created.body.expenditure_method).toBe('equation');
    for (const w of person.weights)
      expect((await api.request('PUT', `/api/v1/users/me/weights/${w.date}`, { weight_kg: w.weightKg })).status).toBe(200);
    for (const d of person.intake)
      expect((await api.request('PUT', `/api/v1/users/me/intake/${d.date}`, { calories: d.calories })).status).toBe(200);
    const last = person.days.at(-1)!;
    const m = await measure(api, {
      weight_kg: Math.round(last.trueWeightKg * 10) / 10,
      waist_cm: navyWaistFor(19),
      measured_at: daysFrom(0),
    });
    const entry = await api.post(`/api/v1/goals/${created.body.id}/progress`, { measurement_id: m.id });
    expect(entry.status).toBe(201);

    const estimate = (await api.get('/api/v1/users/me/expenditure')).body;
    expect(estimate.method).not.toBe('equation');
    const goal = (await api.get(`/api/v1/goals/${created.body.id}`)).body;
    expect(goal).toMatchObject({ expenditure_kcal: estimate.tdee_kcal, expenditure_method: estimate.method });
    const raw = expectedTarget('cutting', estimate.tdee_kcal, m.weight_kg, m.calculated_body_fat_percentage, 0.5);
    expect(entry.body.target_change.raw_calories).toBe(raw);
    expect(goal.target_calories).toBe(
      smoothedCalorieTarget({
        previousCalories: created.body.target_calories,
        rawCalories: raw,
        previousRawCalories: null,
        daysSincePrevious: 0,
      }).calories,
    );
    expect(Math.abs(estimate.tdee_kcal - 2600)).toBeLessThanOrEqual(150);
    expect(goal.expenditure_kcal).not.toBe(estimate.equation_tdee_kcal);
    expect((await api.get(`/api/v1/goals/${created.body.id}/diet-plan`)).body.daily_calorie_target).toBe(goal.target_calories);
  });

  it('never deepens the deficit to catch up after a slow fortnight when the estimate is data-based', async () => {
    // Eats at maintenance for five weeks (no loss at all): the estimate finds ~2,600 and the target
    // stays that less the rate's energy, with no extra "catch-up" cut.
    const person = steadyPerson(12, { days: 35, startDate: daysFrom(-34).slice(0, 10), meanIntakeKcal: 2600 });
    const { api, created } = await startGoal(cut(), { weight_kg: 85, waist_cm: navyWaistFor(20), measured_at: daysFrom(-35) });
    for (const w of person.weights) await api.request('PUT', `/api/v1/users/me/weights/${w.date}`, { weight_kg: w.weightKg });
    for (const d of person.intake) await api.request('PUT', `/api/v1/users/me/intake/${d.date}`, { calories: d.calories });
    let last;
    for (const day of [-21, -14, -7, 0]) {
      const m = await measure(api, { weight_kg: 85, waist_cm: navyWaistFor(20), measured_at: daysFrom(day) });
      last = await api.post(`/api/v1/goals/${created.body.id}/progress`, { measurement_id: m.id });
      expect(last.status).toBe(201);
    }
    const estimate = (await api.get('/api/v1/users/me/expenditure')).body;
    // The target computed at the check-in, before smoothing (docs/SCIENCE.md 3.4) moves towards it.
    const raw = last!.body.target_change.raw_calories;
    const planned = expectedTarget('cutting', estimate.tdee_kcal, 85, 20, 0.5);
    expect(Math.abs(raw - planned)).toBeLessThanOrEqual(1); // the measurement's body fat is 20 ± 0.01
    const deficit = estimate.tdee_kcal - raw;
    expect(deficit).toBeCloseTo(-rateEnergyBalanceKcal({ goalType: 'cutting', weightKg: 85, fatMassKg: 17, weeklyRatePercent: 0.5 }), -1);
  });

  it("keeps a small woman's fast cut at her floor rather than refusing the check-in", async () => {
    const woman = { gender: 'female', height_cm: 152, date_of_birth: bornYearsAgo(60), activity_level: 'sedentary' };
    const session = await signUp(t.app, woman);
    const first = await session.api.post('/api/v1/measurements', {
      weight_kg: 52,
      calculation_method: 'navy',
      waist_cm: 80,
      neck_cm: 31,
      hip_cm: 98,
      measured_at: daysFrom(-7),
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const created = await session.api.post('/api/v1/goals', {
      goal_type: 'cutting',
      initial_measurement_id: first.body.id,
      target_body_fat_percentage: 25,
      weekly_rate_percent: 1,
    });
    // The equation says 1,211 kcal: 1 % a week would be ~1,000, so the target is her 1,200 floor.
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.target_calories).toBe(CALORIE_FLOOR_KCAL.female);
    const m = await session.api.post('/api/v1/measurements', {
      weight_kg: 50,
      calculation_method: 'navy',
      waist_cm: 79,
      neck_cm: 31,
      hip_cm: 97,
      measured_at: daysFrom(0),
    });
    expect((await session.api.post(`/api/v1/goals/${created.body.id}/progress`, { measurement_id: m.body.id })).status).toBe(201);
    expect((await session.api.get(`/api/v1/goals/${created.body.id}`)).body.target_calories).toBe(CALORIE_FLOOR_KCAL.female);
  });
});

describe('changing the rate (PATCH)', () => {
  it('redoes the target, the diet plan and the projection from the latest point: the trend weight and the latest body fat', async () => {
    const { api, created } = await startGoal(cut());
    const m = await measure(api, { weight_kg: 89, waist_cm: navyWaistFor(23.5), measured_at: daysFrom(0) });
    expect((await api.post(`/api/v1/goals/${created.body.id}/progress`, { measurement_id: m.id })).status).toBe(201);
    const changed = await api.patch(`/api/v1/goals/${created.body.id}`, { weekly_rate_percent: 1 });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.weekly_rate_percent).toBe(1);
    // The one current weight (docs/SCIENCE.md 7): the trend of the two measurements' weights, 90 → 89
    // kg over a week, is still above 89 (it trails the scale); the equation reads the latest weigh-in.
    const trendKg = (await api.get('/api/v1/users/me/weights')).body.weights.at(-1).trend_weight_kg;
    expect(trendKg).toBeGreaterThan(89);
    expect(trendKg).toBeLessThan(90);
    expect(changed.body.target_calories).toBe(
      expectedTarget('cutting', maintenanceCalories(MAN, 89), trendKg, m.calculated_body_fat_percentage, 1),
    );
    expect(changed.body.projection.start).toBe(m.measured_at);
    expect(changed.body.projection.points[0]).toMatchObject({ week: 0, weight_kg: trendKg });
    // Twice the speed: the goal is reached in fewer weeks, counted from the goal's start.
    expect(changed.body.estimated_weeks_to_goal).toBeLessThan(created.body.estimated_weeks_to_goal);
    expect(changed.body.estimated_weeks_to_goal).toBe(1 + changed.body.projection.weeks_to_goal);
    expect((await api.get(`/api/v1/goals/${created.body.id}/diet-plan`)).body.daily_calorie_target).toBe(changed.body.target_calories);
  });

  it("refuses a rate outside the goal type's range, a change on an ended goal, and a change with abandonment", async () => {
    const { api, created } = await startGoal(cut());
    const id = created.body.id;
    expectProblem(await api.patch(`/api/v1/goals/${id}`, { weekly_rate_percent: 0.1 }), 422);
    expectProblem(await api.patch(`/api/v1/goals/${id}`, { weekly_rate_percent: 0.5, status: 'abandoned' }), 422);
    expectProblem(await api.patch(`/api/v1/goals/${id}`, {}), 422);
    expect((await api.patch(`/api/v1/goals/${id}`, { status: 'abandoned' })).status).toBe(200);
    const ended = await api.patch(`/api/v1/goals/${id}`, { weekly_rate_percent: 0.5 });
    expectProblem(ended, 409);
  });
});

describe('trends against the projection', () => {
  /** Checks in weekly for `weeks` weeks at `share` of the projected body-fat change (1 = on plan). */
  async function followAt(share: number, weeks = 6) {
    const { api, created } = await startGoal(cut(), { measured_at: daysFrom(-7 * weeks) });
    const points = created.body.projection.points;
    const start = points[0].body_fat_percentage;
    for (let week = 1; week <= weeks; week++) {
      const bf = start + share * (points[week].body_fat_percentage - start);
      const kg = 90 + share * (points[week].weight_kg - 90);
      const m = await measure(api, {
        weight_kg: Math.round(kg * 10) / 10,
        waist_cm: navyWaistFor(bf),
        measured_at: daysFrom(-7 * (weeks - week)),
      });
      expect((await api.post(`/api/v1/goals/${created.body.id}/progress`, { measurement_id: m.id })).status).toBe(201);
    }
    const report = await api.get(`/api/v1/goals/${created.body.id}/trends`);
    expect(report.status).toBe(200);
    return report.body;
  }

  it('reads a person on plan as on track', async () => {
    const report = await followAt(1);
    expect(report.projection_comparison).toMatchObject({ status: 'on_track', basis: 'body_fat', days_since_start: 42 });
    expect(Math.abs(report.projection_comparison.by_body_fat_points)).toBeLessThan(0.1);
    expect(Math.abs(report.projection_comparison.by_weight_kg)).toBeLessThan(0.2);
    expect(Math.abs(report.projection_comparison.by_days)).toBeLessThanOrEqual(2);
    // The existing fields are still there.
    expect(report).toMatchObject({ trend: 'improving', initial_body_fat: 24.09, target_body_fat: 15 });
  });

  it('reads a person who is not losing as behind, by points, kg and days', async () => {
    const c = (await followAt(0)).projection_comparison;
    expect(c.status).toBe('behind');
    expect(c.by_body_fat_points).toBeLessThan(-c.tolerance);
    expect(c.by_weight_kg).toBeLessThan(0);
    expect(c.by_days).toBeLessThanOrEqual(-30);
    expect(c.observed_body_fat_percentage).toBeGreaterThan(c.expected_body_fat_percentage);
  });

  it('reads a person losing twice as fast as ahead', async () => {
    const c = (await followAt(2)).projection_comparison;
    expect(c.status).toBe('ahead');
    expect(c.by_body_fat_points).toBeGreaterThan(c.tolerance);
    expect(c.by_weight_kg).toBeGreaterThan(0);
    expect(c.by_days).toBeGreaterThan(14);
  });
});

describe('implausible logs', () => {
  it('a month of "0 kcal" at a steady weight: the goal is refused for want of a deficit, a check-in keeps the floor, never a 500', async () => {
    const session = await signUp(t.app, quickstartMan());
    const { api } = session;
    const first = await measure(api, { measured_at: daysFrom(-40) });
    const goal = await api.post('/api/v1/goals', cut({ initial_measurement_id: first.id }));
    expect(goal.status).toBe(201);
    for (let d = 35; d >= 0; d--) {
      const date = daysFrom(-d).slice(0, 10);
      expect((await api.request('PUT', `/api/v1/users/me/weights/${date}`, { weight_kg: 90 })).status).toBe(200);
      expect((await api.request('PUT', `/api/v1/users/me/intake/${date}`, { calories: 0 })).status).toBe(200);
    }
    // The data say about 0 kcal; what is reported and planned with is clamped to 500.
    const estimate = (await api.get('/api/v1/users/me/expenditure')).body;
    expect(estimate).toMatchObject({ tdee_kcal: 500, tdee_low_kcal: 500 });

    // The check-in's target is the floor. The stored one waits for a second check-in pointing the
    // same way, then steps towards it by a week's step (docs/SCIENCE.md 3.4).
    const early = await measure(api, { measured_at: daysFrom(-7) });
    const firstCheckIn = await api.post(`/api/v1/goals/${goal.body.id}/progress`, { measurement_id: early.id });
    expect(firstCheckIn.status).toBe(201);
    expect(firstCheckIn.body.target_change).toMatchObject({
      raw_calories: CALORIE_FLOOR_KCAL.male,
      reason_code: 'check_in_kept',
      calories: goal.body.target_calories,
    });
    const m = await measure(api, { measured_at: daysFrom(0) });
    const entry = await api.post(`/api/v1/goals/${goal.body.id}/progress`, { measurement_id: m.id });
    expect(entry.status).toBe(201);
    expect(entry.body.target_change).toMatchObject({ raw_calories: CALORIE_FLOOR_KCAL.male, reason_code: 'check_in_capped' });
    const after = (await api.get(`/api/v1/goals/${goal.body.id}`)).body;
    expect(after).toMatchObject({ expenditure_kcal: 500, target_calories: goal.body.target_calories - TARGET_STEP_PER_WEEK_KCAL });

    expect((await api.patch(`/api/v1/goals/${goal.body.id}`, { status: 'abandoned' })).status).toBe(200);
    const again = await api.post('/api/v1/goals', cut({ initial_measurement_id: m.id }));
    expectProblem(again, 400);
    expect(again.body.code).toBe('no_calorie_deficit_possible');
  });

  it('the smallest, oldest profile: an equation under 500 kcal plans from 500 at creation, check-in and rate change, never a 422', async () => {
    // Mifflin–St Jeor × 1.2 for a sedentary woman of 120 cm and 30 kg is under 500 kcal from about 95.
    const { api } = await signUp(t.app, { gender: 'female', height_cm: 120, date_of_birth: bornYearsAgo(90), activity_level: 'sedentary' });
    const skinfolds = (thigh: number, daysAgo: number) =>
      api.post('/api/v1/measurements', {
        weight_kg: 30,
        calculation_method: '3_site',
        tricep_mm: 12,
        suprailiac_mm: 12,
        thigh_mm: thigh,
        measured_at: daysFrom(-daysAgo),
      });
    const first = await skinfolds(12, 10);
    const goal = await api.post('/api/v1/goals', {
      goal_type: 'bulking',
      initial_measurement_id: first.body.id,
      ceiling_body_fat_percentage: first.body.calculated_body_fat_percentage + 3,
    });
    expect(goal.status, JSON.stringify(goal.body)).toBe(201);

    expect((await api.patch('/api/v1/users/me', { date_of_birth: bornYearsAgo(119) })).status).toBe(200);
    const equation = maintenanceCalories({ sex: 'female', heightCm: 120, ageYears: 119, activityLevel: 'sedentary' }, 30);
    expect(equation).toBeLessThan(500);
    const later = await skinfolds(12.5, 1);
    const entry = await api.post(`/api/v1/goals/${goal.body.id}/progress`, { measurement_id: later.body.id });
    expect(entry.status, JSON.stringify(entry.body)).toBe(201);
    expect((await api.get(`/api/v1/goals/${goal.body.id}`)).body.expenditure_kcal).toBe(500);
    const slower = await api.patch(`/api/v1/goals/${goal.body.id}`, { weekly_rate_percent: 0.2 });
    expect(slower.status, JSON.stringify(slower.body)).toBe(200);
    expect((await api.get('/api/v1/users/me/expenditure')).body).toMatchObject({ tdee_kcal: 500, method: 'equation' });
  });
});
