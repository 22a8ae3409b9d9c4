import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, daysFrom, expectProblem, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { navy, quickstartMan } from '../helpers/people.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const start = new Date(Date.now() - 21 * 86_400_000);
const at = (days: number) => daysFrom(days, start);

async function measure(api: Api, fields: Record<string, unknown>) {
  const response = await api.post('/api/v1/measurements', navy(fields));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function goalFor(goal: Record<string, unknown>, initial: Record<string, unknown>) {
  const session = await signUp(t.app, quickstartMan());
  const measurement = await measure(session.api, { measured_at: at(0), ...initial });
  const created = await session.api.post('/api/v1/goals', { initial_measurement_id: measurement.id, ...goal });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { api: session.api, goal: created.body, initial: measurement };
}

async function checkIn(api: Api, goalId: string, fields: Record<string, unknown>) {
  const measurement = await measure(api, fields);
  return api.post(`/api/v1/goals/${goalId}/progress`, { measurement_id: measurement.id });
}

describe('weekly progress on a cut (docs/SCIENCE.md 12.5)', () => {
  it('records week 1 with exact deltas, updates the goal and recomputes the diet plan', async () => {
    const { api, goal } = await goalFor({ goal_type: 'cutting', target_body_fat_percentage: 15 }, {});
    const dietBefore = (await api.get(`/api/v1/goals/${goal.id}/diet-plan`)).body;

    const entry = await checkIn(api, goal.id, { weight_kg: 89.3, waist_cm: 94.2, measured_at: at(7) });
    expect(entry.status).toBe(201);
    expect(entry.body).toMatchObject({
      goal_id: goal.id,
      week_number: 1,
      body_fat_percentage: 23.55,
      weight_kg: 89.3,
      body_fat_change: -0.54,
      weight_change_kg: -0.7,
      is_on_track: true,
      ceiling_warning: null,
      rate_warning: null,
    });

    const updated = (await api.get(`/api/v1/goals/${goal.id}`)).body;
    expect(updated.current_body_fat_percentage).toBe(23.55);
    expect(updated.progress_percentage).toBeCloseTo(((24.09 - 23.55) / (24.09 - 15)) * 100, 1);

    const dietAfter = (await api.get(`/api/v1/goals/${goal.id}/diet-plan`)).body;
    expect(dietAfter.updated_at >= dietBefore.updated_at).toBe(true);
    expect(dietAfter.daily_calorie_target).toBe(updated.target_calories);
    // Lighter body, less expenditure: the target does not rise on a cut that is on pace.
    expect(dietAfter.daily_calorie_target).toBeLessThanOrEqual(dietBefore.daily_calorie_target);

    const history = await api.get(`/api/v1/goals/${goal.id}/progress`);
    expect(history.status).toBe(200);
    const { target_change: _change, ...stored } = entry.body;
    expect(history.body).toEqual([stored]);
  });

  it('allows daily check-ins and numbers weeks by elapsed time (docs/DESIGN.md, "Check-ins")', async () => {
    const { api, goal } = await goalFor({ goal_type: 'cutting', target_body_fat_percentage: 15 }, {});
    const weeks = [];
    for (const [day, waist] of [
      [1, 94.9],
      [2, 94.8],
      [8, 94.4],
      [15, 94],
    ] as const) {
      const entry = await checkIn(api, goal.id, { weight_kg: 90 - day * 0.1, waist_cm: waist, measured_at: at(day) });
      expect(entry.status, JSON.stringify(entry.body)).toBe(201);
      weeks.push(entry.body.week_number);
    }
    expect(weeks).toEqual([0, 0, 1, 2]);
    const history = (await api.get(`/api/v1/goals/${goal.id}/progress`)).body;
    expect(history.map((e: { week_number: number }) => e.week_number)).toEqual([0, 0, 1, 2]);
    expect((await api.get(`/api/v1/goals/${goal.id}/progress?limit=2&offset=1`)).body).toHaveLength(2);
  });

  it('refuses a measurement not later than the previous point, of another method, or already linked', async () => {
    const { api, goal, initial } = await goalFor({ goal_type: 'cutting', target_body_fat_percentage: 15 }, {});
    const earlier = await measure(api, { measured_at: at(-1) });
    const notLater = await api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: earlier.id });
    expectProblem(notLater, 400);
    expect(notLater.body.code).toBe('measurement_not_after_previous');
    expectProblem(await api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: initial.id }), 400);

    const skinfold = await api.post('/api/v1/measurements', {
      weight_kg: 89,
      calculation_method: '3_site',
      chest_mm: 10,
      abdomen_mm: 20,
      thigh_mm: 15,
      measured_at: at(3),
    });
    const mismatch = await api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: skinfold.body.id });
    expectProblem(mismatch, 400);
    expect(mismatch.body.code).toBe('method_mismatch');

    const ok = await measure(api, { waist_cm: 94.5, measured_at: at(4) });
    expect((await api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: ok.id })).status).toBe(201);
    const linked = await api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: ok.id });
    expectProblem(linked, 409);
    expectProblem(await api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: '00000000-0000-4000-8000-000000000000' }), 404);
    expectProblem(await api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: ok.id, notes: 'x'.repeat(1001) }), 422);
  });

  it('lets one of two concurrent check-ins with one measurement win', async () => {
    const { api, goal } = await goalFor({ goal_type: 'cutting', target_body_fat_percentage: 15 }, {});
    const m = await measure(api, { waist_cm: 94.5, measured_at: at(7) });
    const results = await Promise.all([1, 2].map(() => api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: m.id })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('completes the goal when the target is reached, then refuses more progress', async () => {
    const { api, goal } = await goalFor({ goal_type: 'cutting', target_body_fat_percentage: 22 }, {});
    const reached = await checkIn(api, goal.id, { weight_kg: 86, waist_cm: 91, measured_at: at(14) });
    expect(reached.status).toBe(201);
    const done = (await api.get(`/api/v1/goals/${goal.id}`)).body;
    expect(done.status).toBe('completed');
    expect(done.completed_at).toMatch(/Z$/);
    expect(done.progress_percentage).toBe(100);
    const after = await checkIn(api, goal.id, { weight_kg: 85, waist_cm: 90.5, measured_at: at(15) });
    expectProblem(after, 400);
    expect(after.body.code).toBe('goal_not_active');
  });
});

describe('a bulk with its warnings', () => {
  it('warns near the ceiling and about a fast rate, then completes at the ceiling', async () => {
    const { api, goal } = await goalFor(
      { goal_type: 'bulking', ceiling_body_fat_percentage: 18 },
      { weight_kg: 70, waist_cm: 75, neck_cm: 36 },
    );
    const healthy = await checkIn(api, goal.id, { weight_kg: 70.4, waist_cm: 75.3, neck_cm: 36, measured_at: at(7) });
    expect(healthy.body).toMatchObject({
      week_number: 1,
      body_fat_percentage: 10.5,
      body_fat_change: 0.27,
      weight_change_kg: 0.4,
      is_on_track: true,
      ceiling_warning: null,
      rate_warning: null,
    });

    const near = await checkIn(api, goal.id, { weight_kg: 74, waist_cm: 83.7, neck_cm: 36, measured_at: at(14) });
    expect(near.status).toBe(201);
    expect(near.body.ceiling_warning).toMatch(/ceiling/i);
    expect(near.body.rate_warning).not.toBeNull();
    expect(near.body.is_on_track).toBe(false);

    const reached = await checkIn(api, goal.id, { weight_kg: 75, waist_cm: 85, neck_cm: 36, measured_at: at(21) });
    expect(reached.status).toBe(201);
    expect(reached.body.ceiling_warning).toMatch(/ceiling/i);
    expect((await api.get(`/api/v1/goals/${goal.id}`)).body.status).toBe('completed');

    // The warnings stay in the history (docs/DESIGN.md, 'Check-ins').
    const history = (await api.get(`/api/v1/goals/${goal.id}/progress`)).body;
    expect(history[1].ceiling_warning).toBe(near.body.ceiling_warning);
  });

  it('rate-checks the first entry against the initial measurement', async () => {
    const { api, goal } = await goalFor(
      { goal_type: 'bulking', ceiling_body_fat_percentage: 25 },
      { weight_kg: 70, waist_cm: 75, neck_cm: 36 },
    );
    const fast = await checkIn(api, goal.id, { weight_kg: 72, waist_cm: 78, neck_cm: 36, measured_at: at(7) });
    expect(fast.status).toBe(201);
    expect(fast.body.body_fat_change).toBeGreaterThan(2);
    expect(fast.body.rate_warning).toMatch(/week/);
  });
});

describe('trends', () => {
  it('reports insufficient data before two entries and the full report after four weeks', async () => {
    const { api, goal } = await goalFor({ goal_type: 'cutting', target_body_fat_percentage: 15 }, {});
    const empty = await api.get(`/api/v1/goals/${goal.id}/trends`);
    expect(empty.status).toBe(200);
    // Before two entries the estimate is the plan's 45 weeks less the 3 already elapsed.
    expect(empty.body).toMatchObject({
      goal_id: goal.id,
      trend: 'insufficient_data',
      progress_percentage: 0,
      adjustment_suggestion: null,
      estimated_weeks_remaining: 42,
    });
    expect(empty.body.projection_comparison).toBeNull();
    expect(empty.body.data_points).toHaveLength(1);

    for (const [week, waist] of [
      [1, 94.2],
      [2, 93.5],
      [3, 92.8],
    ] as const) {
      expect((await checkIn(api, goal.id, { weight_kg: 90 - week * 0.7, waist_cm: waist, measured_at: at(week * 7) })).status).toBe(201);
    }
    const report = (await api.get(`/api/v1/goals/${goal.id}/trends`)).body;
    expect(report).toMatchObject({
      goal_id: goal.id,
      trend: 'improving',
      is_on_track: true,
      weeks_elapsed: 3,
      initial_body_fat: 24.09,
      target_body_fat: 15,
    });
    expect(report.weekly_bf_change_avg).toBeLessThan(0);
    // The one weekly rate of weight (docs/SCIENCE.md 7): the slope of the trend weight, which in its
    // first three weeks (started at the first weight, 90 kg) shows only part of the 0.7 kg a week.
    expect(report.weekly_weight_change_avg).toBe((await api.get('/api/v1/users/me/weights')).body.weekly_rate_kg);
    expect(report.weekly_weight_change_avg).toBeLessThan(-0.3);
    expect(report.weekly_weight_change_avg).toBeGreaterThan(-0.7);
    expect(report.adjustment_suggestion).toMatch(/maintain/i);
    expect(report.data_points.map((p: { week: number }) => p.week)).toEqual([0, 1, 2, 3]);
    expect(report.trend_line.slope).toBeLessThan(0);
    expect(report.estimated_weeks_remaining).toBeGreaterThan(0);
    expect(report.velocity.expected_rate).toBeLessThan(0);
  });

  it('calls a cut whose body fat rises "worsening" and gives no remaining time', async () => {
    const { api, goal } = await goalFor({ goal_type: 'cutting', target_body_fat_percentage: 15 }, {});
    for (const [week, waist] of [
      [1, 95.5],
      [2, 96],
      [3, 96.5],
    ] as const) {
      await checkIn(api, goal.id, { weight_kg: 90 + week * 0.5, waist_cm: waist, measured_at: at(week * 7) });
    }
    const report = (await api.get(`/api/v1/goals/${goal.id}/trends`)).body;
    expect(report.trend).toBe('worsening');
    expect(report.estimated_weeks_remaining).toBeNull();
    expect(report.is_on_track).toBe(false);
  });
});
