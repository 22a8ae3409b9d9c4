import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goals } from '../../src/db/schema.ts';
import { daysFrom, expectProblem, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { navy, quickstartMan } from '../helpers/people.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function manWithMeasurement(measurement: Record<string, unknown> = {}) {
  const session = await signUp(t.app, quickstartMan());
  const created = await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-7), ...measurement }));
  expect(created.status).toBe(201);
  return { ...session, measurement: created.body };
}

describe('a goal made before projections existed', () => {
  it('is sent with projection null, alone and in the list', async () => {
    const { api, measurement } = await manWithMeasurement();
    const created = await api.post('/api/v1/goals', {
      goal_type: 'cutting',
      initial_measurement_id: measurement.id,
      target_body_fat_percentage: 15,
    });
    expect(created.body.projection.points.length).toBeGreaterThan(1);
    await t.database.db
      .update(goals)
      .set({ projection: null, expenditureKcal: null, expenditureMethod: null })
      .where(eq(goals.id, created.body.id));
    const alone = await api.get(`/api/v1/goals/${created.body.id}`);
    expect(alone.status).toBe(200);
    expect(alone.body).toMatchObject({
      id: created.body.id,
      projection: null,
      expenditure_kcal: null,
      expenditure_method: null,
      estimated_weeks_to_goal: created.body.estimated_weeks_to_goal,
    });
    const listed = await api.get('/api/v1/goals');
    expect(listed.body.goals.map((g: { projection: unknown }) => g.projection)).toEqual([null]);
  });
});

describe('creating a cutting goal', () => {
  it('plans calories, timeline and both plans from the initial measurement', async () => {
    const { api, measurement } = await manWithMeasurement();
    const response = await api.post('/api/v1/goals', {
      goal_type: 'cutting',
      initial_measurement_id: measurement.id,
      target_body_fat_percentage: 15,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      goal_type: 'cutting',
      status: 'active',
      initial_measurement_id: measurement.id,
      initial_body_fat_percentage: 24.09,
      initial_weight_kg: 90,
      target_body_fat_percentage: 15,
      ceiling_body_fat_percentage: null,
      // No daily logs: the equation's 2,827 kcal less the default 0.5 %/week (0.45 kg of tissue at
      // 21.7 kg fat, 6,969 kcal/kg: 448 kcal/day); the projection reaches 15 % in 45 weeks.
      target_calories: 2379,
      estimated_weeks_to_goal: 45,
      weekly_rate_percent: 0.5,
      expenditure_kcal: 2827,
      expenditure_method: 'equation',
      current_body_fat_percentage: 24.09,
      progress_percentage: 0,
      weeks_elapsed: 0,
      is_on_track: true,
      completed_at: null,
    });
    const goalId = response.body.id;

    const training = await api.get(`/api/v1/goals/${goalId}/training-plan`);
    expect(training.status).toBe(200);
    expect(training.body.goal_id).toBe(goalId);
    expect(training.body.workout_frequency).toBeGreaterThanOrEqual(3);
    expect(training.body.plan_details.strength_training.frequency).toBeGreaterThanOrEqual(3);
    expect(training.body.plan_details.cardio.frequency).toBeGreaterThanOrEqual(2);

    const diet = await api.get(`/api/v1/goals/${goalId}/diet-plan`);
    expect(diet.status).toBe(200);
    const { daily_calorie_target: kcal, protein_grams: p, carbs_grams: c, fat_grams: f } = diet.body;
    expect(kcal).toBe(2379);
    // docs/SCIENCE.md 4: 2.7 g protein per kg fat-free mass; macro energy within 1 % of the target.
    expect(Math.abs(p - 2.7 * 90 * (1 - 0.2409))).toBeLessThanOrEqual(1);
    expect(Math.abs(4 * p + 4 * c + 9 * f - kcal)).toBeLessThanOrEqual(kcal * 0.01);
    expect(diet.body.guidelines).toContain('2379');

    expect((await api.get(`/api/v1/goals/${goalId}`)).body).toEqual(response.body);
  });

  it.each([
    ['a target below the safe minimum', 7.5, /safe/i],
    ['a target not below the current body fat', 24.09, /below/i],
  ])('refuses %s with 400', async (_label, target, detail) => {
    const { api, measurement } = await manWithMeasurement();
    const response = await api.post('/api/v1/goals', {
      goal_type: 'cutting',
      initial_measurement_id: measurement.id,
      target_body_fat_percentage: target,
    });
    expectProblem(response, 400);
    expect(response.body.detail).toMatch(detail);
  });

  it('checks the type/target cross-rule with 422', async () => {
    const { api, measurement } = await manWithMeasurement();
    for (const body of [
      { goal_type: 'cutting', initial_measurement_id: measurement.id },
      { goal_type: 'cutting', initial_measurement_id: measurement.id, target_body_fat_percentage: 15, ceiling_body_fat_percentage: 20 },
      { goal_type: 'bulking', initial_measurement_id: measurement.id, target_body_fat_percentage: 15 },
      { goal_type: 'recomp', initial_measurement_id: measurement.id, target_body_fat_percentage: 15 },
      { goal_type: 'cutting', initial_measurement_id: 'nope', target_body_fat_percentage: 15 },
      { goal_type: 'cutting', initial_measurement_id: measurement.id, target_body_fat_percentage: 2 },
    ]) {
      expectProblem(await api.post('/api/v1/goals', body), 422);
    }
  });

  it('answers 404 for a missing or foreign initial measurement', async () => {
    const { api } = await manWithMeasurement();
    const other = await manWithMeasurement();
    for (const id of [other.measurement.id, '00000000-0000-4000-8000-000000000000']) {
      expectProblem(
        await api.post('/api/v1/goals', { goal_type: 'cutting', initial_measurement_id: id, target_body_fat_percentage: 15 }),
        404,
      );
    }
  });
});

describe('creating a bulking goal', () => {
  it('plans a surplus and a long timeline (10.23 → 18 % at 0.25 %/week: 85 weeks)', async () => {
    const { api, measurement } = await manWithMeasurement({ weight_kg: 70, waist_cm: 75, neck_cm: 36 });
    const response = await api.post('/api/v1/goals', {
      goal_type: 'BULKING',
      initial_measurement_id: measurement.id,
      ceiling_body_fat_percentage: 18,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      goal_type: 'bulking',
      initial_body_fat_percentage: 10.23,
      target_calories: 2640,
      estimated_weeks_to_goal: 85,
      weekly_rate_percent: 0.25,
      ceiling_body_fat_percentage: 18,
      target_body_fat_percentage: null,
    });
    const training = await api.get(`/api/v1/goals/${response.body.id}/training-plan`);
    expect(training.body.plan_details.strength_training.frequency).toBeGreaterThanOrEqual(4);
    expect(training.body.plan_details.cardio.frequency).toBeLessThanOrEqual(2);
  });

  it.each([
    ['a ceiling above 30', 31],
    ['a ceiling not above the current body fat', 24],
  ])('refuses %s with 400', async (_label, ceiling) => {
    const { api, measurement } = await manWithMeasurement();
    expectProblem(
      await api.post('/api/v1/goals', {
        goal_type: 'bulking',
        initial_measurement_id: measurement.id,
        ceiling_body_fat_percentage: ceiling,
      }),
      400,
    );
  });
});

describe('one active goal', () => {
  it('answers 409 for a second active goal, and allows a new one after abandoning', async () => {
    const { api, measurement } = await manWithMeasurement();
    const body = { goal_type: 'cutting', initial_measurement_id: measurement.id, target_body_fat_percentage: 15 };
    const first = await api.post('/api/v1/goals', body);
    const second = await api.post('/api/v1/goals', body);
    expectProblem(second, 409);
    expect(second.body).toMatchObject({ code: 'active_goal_exists', detail: expect.stringMatching(/active/) });
    // docs/DESIGN.md, 'Which check answers first': the active goal is told before a missing measurement or an unsafe target.
    for (const refused of [
      { ...body, initial_measurement_id: randomUUID() },
      { ...body, target_body_fat_percentage: 5 },
    ]) {
      expect((await api.post('/api/v1/goals', refused)).body).toMatchObject({ status: 409, code: 'active_goal_exists' });
    }

    const abandoned = await api.patch(`/api/v1/goals/${first.body.id}`, { status: 'cancelled' });
    expect(abandoned.status).toBe(200);
    expect(abandoned.body.status).toBe('abandoned');
    expectProblem(await api.patch(`/api/v1/goals/${first.body.id}`, { status: 'active' }), 409);
    expectProblem(await api.patch(`/api/v1/goals/${first.body.id}`, { status: 'finished' }), 422);
    expect((await api.post('/api/v1/goals', body)).status).toBe(201);

    const listed = await api.get('/api/v1/goals');
    expect(listed.body.total).toBe(2);
    expect(listed.body.goals[0].status).toBe('active');
    const onlyAbandoned = await api.get('/api/v1/goals?status=CANCELLED');
    expect(onlyAbandoned.body).toMatchObject({ total: 1, goals: [{ id: first.body.id, status: 'abandoned' }] });
  });

  it('lets exactly one of concurrent goal creations win', async () => {
    const { api, measurement } = await manWithMeasurement();
    const body = { goal_type: 'cutting', initial_measurement_id: measurement.id, target_body_fat_percentage: 15 };
    const results = await Promise.all([1, 2, 3].map(() => api.post('/api/v1/goals', body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('lists an empty page for a user without goals', async () => {
    const { api } = await signUp(t.app);
    expect((await api.get('/api/v1/goals')).body).toEqual({ goals: [], total: 0 });
  });
});

describe('ownership', () => {
  it("hides another user's goal, plans, progress and trends behind 404 and changes nothing", async () => {
    const owner = await manWithMeasurement();
    const goal = await owner.api.post('/api/v1/goals', {
      goal_type: 'cutting',
      initial_measurement_id: owner.measurement.id,
      target_body_fat_percentage: 15,
    });
    const intruder = await manWithMeasurement();
    const id = goal.body.id;
    for (const url of [
      `/api/v1/goals/${id}`,
      `/api/v1/goals/${id}/training-plan`,
      `/api/v1/goals/${id}/diet-plan`,
      `/api/v1/goals/${id}/progress`,
      `/api/v1/goals/${id}/trends`,
    ]) {
      expectProblem(await intruder.api.get(url), 404);
    }
    expectProblem(await intruder.api.patch(`/api/v1/goals/${id}`, { status: 'abandoned' }), 404);
    expectProblem(await intruder.api.post(`/api/v1/goals/${id}/progress`, { measurement_id: intruder.measurement.id }), 404);
    const after = await owner.api.get(`/api/v1/goals/${id}`);
    expect(after.body.status).toBe('active');
    expect((await owner.api.get(`/api/v1/goals/${id}/progress`)).body).toEqual([]);
  });
});
