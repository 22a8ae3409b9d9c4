import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, daysFrom, expectProblem, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { bornYearsAgo, navy, navyWaistFor, quickstartMan } from '../helpers/people.ts';

// The target history, same-day check-ins and deleting a check-in (docs/DESIGN.md, 'Check-ins').

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const start = new Date(Date.now() - 21 * 86_400_000);
const at = (days: number, hour = 8) => {
  const day = new Date(daysFrom(days, start));
  day.setUTCHours(hour, 0, 0, 0);
  return day.toISOString();
};
const today = new Date().toISOString().slice(0, 10);

async function measure(api: Api, fields: Record<string, unknown>) {
  const response = await api.post('/api/v1/measurements', navy(fields));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function goalFor(goal: Record<string, unknown> = {}) {
  const session = await signUp(t.app, quickstartMan());
  const measurement = await measure(session.api, { measured_at: at(0) });
  const created = await session.api.post('/api/v1/goals', {
    goal_type: 'cutting',
    target_body_fat_percentage: 15,
    initial_measurement_id: measurement.id,
    ...goal,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { api: session.api, goal: created.body };
}

async function checkIn(api: Api, goalId: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const measurement = await measure(api, fields);
  const response = await api.post(`/api/v1/goals/${goalId}/progress`, { measurement_id: measurement.id, ...extra });
  return { measurement, response };
}

async function logged(api: Api, goalId: string, fields: Record<string, unknown>) {
  const { response } = await checkIn(api, goalId, fields);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** What a deleted check-in must put back: the goal's values and its diet plan, without the times of change. */
async function planState(api: Api, goalId: string) {
  const { updated_at: _goalUpdated, ...goal } = (await api.get(`/api/v1/goals/${goalId}`)).body;
  const { updated_at: _dietUpdated, ...diet } = (await api.get(`/api/v1/goals/${goalId}/diet-plan`)).body;
  return { goal, diet };
}

describe('the target history', () => {
  it('has a row for the start, each check-in and a change of rate, each with its reason', async () => {
    const { api, goal } = await goalFor();
    const first = await logged(api, goal.id, { weight_kg: 89.5, waist_cm: 94.8, measured_at: at(7) });
    // Eight kilograms lighter at nearly the same body fat: the equation's expenditure falls by far more than the dead band.
    const second = await logged(api, goal.id, { weight_kg: 82, waist_cm: navyWaistFor(23.9), measured_at: at(14) });
    // The same again: the second check-in in a row that points the same way moves the target (docs/SCIENCE.md 3.4).
    const third = await logged(api, goal.id, { weight_kg: 82, waist_cm: navyWaistFor(23.9), measured_at: at(20) });
    const beforeRate = (await api.get(`/api/v1/goals/${goal.id}`)).body;
    expect((await api.patch(`/api/v1/goals/${goal.id}`, { weekly_rate_percent: 0.75 })).status).toBe(200);
    const after = (await api.get(`/api/v1/goals/${goal.id}`)).body;

    const history = await api.get(`/api/v1/goals/${goal.id}/targets`);
    expect(history.status).toBe(200);
    const rows = history.body;
    expect(rows.map((r: { reason_code: string }) => r.reason_code)).toEqual([
      'start',
      'check_in_kept',
      'check_in_kept',
      'check_in_changed',
      'rate_change',
    ]);
    expect(rows.every((r: { date: string }) => r.date === today)).toBe(true);
    expect(rows[0]).toMatchObject({ calories: goal.target_calories, expenditure_kcal: goal.expenditure_kcal, previous_calories: null });
    expect(rows[0].reason).toBe(
      `Your target started at ${goal.target_calories.toLocaleString('en-US')} kcal from your expenditure of ` +
        `${goal.expenditure_kcal.toLocaleString('en-US')} kcal and a weekly rate of 0.5 %.`,
    );
    // Each check-in answers with its row.
    expect(first.target_change).toEqual(rows[1]);
    expect(second.target_change).toEqual(rows[2]);
    expect(third.target_change).toEqual(rows[3]);
    expect(rows[1].calories).toBe(goal.target_calories);
    expect(rows[1].reason).toMatch(/^Your target was kept at [\d,]+ kcal: the change to [\d,]+ was under 50 kcal/);
    // One week beyond the dead band is not yet a change.
    expect(rows[2]).toMatchObject({ calories: goal.target_calories, previous_calories: goal.target_calories });
    expect(Math.abs(rows[2].raw_calories - goal.target_calories)).toBeGreaterThanOrEqual(50);
    expect(rows[2].reason).toMatch(
      /^Your target was kept at [\d,]+ kcal: this week's estimate points to [\d,]+ kcal, and it moves once a second check-in/,
    );
    expect(rows[3]).toMatchObject({
      calories: beforeRate.target_calories,
      expenditure_kcal: beforeRate.expenditure_kcal,
      previous_calories: goal.target_calories,
    });
    expect(Math.abs(rows[3].calories - rows[3].previous_calories)).toBeGreaterThanOrEqual(50);
    expect(Math.abs(rows[3].calories - rows[3].previous_calories)).toBeLessThanOrEqual(100);
    const n = (x: number) => x.toLocaleString('en-US');
    // Nothing logged: the expenditure is the equation's, an estimate, not a measurement.
    expect(rows[3].reason).toBe(
      `Your target changed from ${n(rows[3].previous_calories)} to ${n(rows[3].calories)} kcal because your estimated expenditure moved ` +
        `from ${n(rows[3].previous_expenditure_kcal)} to ${n(rows[3].expenditure_kcal)} kcal.`,
    );
    expect(rows[4]).toMatchObject({
      calories: after.target_calories,
      previous_calories: beforeRate.target_calories,
      weekly_rate_percent: 0.75,
    });
    expect(rows[4].reason).toBe(
      `Your target changed from ${n(beforeRate.target_calories)} to ${n(after.target_calories)} kcal because you changed the weekly rate to 0.75 %.`,
    );
  });

  it('is 404 for a goal that is not the caller’s', async () => {
    const { goal } = await goalFor();
    const other = await signUp(t.app, quickstartMan());
    expectProblem(await other.api.get(`/api/v1/goals/${goal.id}/targets`), 404);
  });
});

describe('a check-in whose diet plan would not fit', () => {
  it('keeps the target and the plan, says so, and can still be deleted', async () => {
    const woman = { gender: 'female', height_cm: 152, date_of_birth: bornYearsAgo(60), activity_level: 'sedentary' };
    const { api } = await signUp(t.app, woman);
    const body = (weight: number, days: number) => ({
      weight_kg: weight,
      calculation_method: 'navy',
      waist_cm: 80,
      neck_cm: 31,
      hip_cm: 98,
      measured_at: at(days),
    });
    const first = await api.post('/api/v1/measurements', body(52, 0));
    const goal = (
      await api.post('/api/v1/goals', { goal_type: 'cutting', initial_measurement_id: first.body.id, target_body_fat_percentage: 25 })
    ).body;
    const before = await planState(api, goal.id);
    // At 300 kg the fat floor alone (0.5 g/kg: 1,350 kcal) is more than any target a week's step allows: no macro split fits.
    const heavy = await api.post('/api/v1/measurements', body(300, 7));
    const entry = await api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: heavy.body.id });
    expect(entry.status, JSON.stringify(entry.body)).toBe(201);
    expect(entry.body.target_change).toMatchObject({ reason_code: 'check_in_kept', raw_calories: null, calories: goal.target_calories });
    expect(entry.body.target_change.reason).toMatch(/a diet plan for a new target would not fit/);
    const after = await planState(api, goal.id);
    expect(after.diet).toEqual(before.diet);
    expect(after.goal.target_calories).toBe(goal.target_calories);
    expect((await api.request('DELETE', `/api/v1/goals/${goal.id}/progress/${entry.body.id}`)).status).toBe(204);
    expect(await planState(api, goal.id)).toEqual(before);
  });
});

describe('check-ins on the same day', () => {
  it('refuses a second check-in on the day of the previous one with 400, and replaces it when asked', async () => {
    const { api, goal } = await goalFor();
    const morning = await logged(api, goal.id, { weight_kg: 89.5, waist_cm: 94.8, measured_at: at(7, 7) });
    const refused = await checkIn(api, goal.id, { weight_kg: 89.2, waist_cm: 94.6, measured_at: at(7, 19) });
    expectProblem(refused.response, 400);
    expect(refused.response.body.code).toBe('check_in_same_day');
    expect((await api.get(`/api/v1/goals/${goal.id}/progress`)).body.map((e: { id: string }) => e.id)).toEqual([morning.id]);

    const replaced = await api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: refused.measurement.id, replace: true });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(201);
    expect(replaced.body).toMatchObject({ week_number: 1, weight_kg: 89.2, measurement_id: refused.measurement.id });
    const entries = (await api.get(`/api/v1/goals/${goal.id}/progress`)).body;
    expect(entries.map((e: { id: string }) => e.id)).toEqual([replaced.body.id]);
    // The replaced check-in's delta is from the goal's start again, and its target row is gone.
    expect(entries[0].weight_change_kg).toBe(-0.8);
    const reasons = (await api.get(`/api/v1/goals/${goal.id}/targets`)).body.map((r: { reason_code: string }) => r.reason_code);
    expect(reasons).toHaveLength(2);
    expect((await api.get(`/api/v1/goals/${goal.id}`)).body.current_body_fat_percentage).toBe(replaced.body.body_fat_percentage);
    // The first measurement stays, no longer linked: it can check in again on another day's goal flow.
    expect((await api.get(`/api/v1/measurements/${morning.measurement_id}`)).status).toBe(200);
  });

  it('takes replace: true as no-op when the day is new', async () => {
    const { api, goal } = await goalFor();
    const { response } = await checkIn(api, goal.id, { weight_kg: 89.5, waist_cm: 94.8, measured_at: at(7) }, { replace: true });
    expect(response.status).toBe(201);
  });
});

describe('deleting a check-in', () => {
  it('puts the goal and its diet plan back as they were before it; a second delete is 404', async () => {
    const { api, goal } = await goalFor();
    const created = await planState(api, goal.id);
    const first = await logged(api, goal.id, { weight_kg: 89.5, waist_cm: 94.8, measured_at: at(7) });
    const second = await logged(api, goal.id, { weight_kg: 82, waist_cm: navyWaistFor(23.9), measured_at: at(14) });
    const afterSecond = await planState(api, goal.id);
    // The same again: the second check-in in a row that points the same way moves the target (docs/SCIENCE.md 3.4).
    const third = await logged(api, goal.id, { weight_kg: 82, waist_cm: navyWaistFor(23.9), measured_at: at(20) });
    const afterThird = await planState(api, goal.id);
    expect(afterThird.goal.target_calories).not.toBe(afterSecond.goal.target_calories);
    expect(afterThird.diet).not.toEqual(afterSecond.diet);

    const deleted = await api.request('DELETE', `/api/v1/goals/${goal.id}/progress/${third.id}`);
    expect(deleted.status).toBe(204);
    expect(await planState(api, goal.id)).toEqual(afterSecond);
    expectProblem(await api.request('DELETE', `/api/v1/goals/${goal.id}/progress/${third.id}`), 404);
    // The measurement stays and can check in again.
    const again = await api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: third.measurement_id });
    expect(again.status).toBe(201);
    expect(await planState(api, goal.id)).toEqual(afterThird);

    for (const id of [again.body.id, second.id, first.id]) {
      expect((await api.request('DELETE', `/api/v1/goals/${goal.id}/progress/${id}`)).status).toBe(204);
    }
    expect(await planState(api, goal.id)).toEqual(created);
    expect((await api.get(`/api/v1/goals/${goal.id}/targets`)).body.map((r: { reason_code: string }) => r.reason_code)).toEqual(['start']);
  });

  it('refuses an older check-in (409: delete the later ones first) and one followed by a change of rate', async () => {
    const { api, goal } = await goalFor();
    const first = await logged(api, goal.id, { weight_kg: 89.5, waist_cm: 94.8, measured_at: at(7) });
    const second = await logged(api, goal.id, { weight_kg: 89, waist_cm: 94.5, measured_at: at(14) });
    const older = await api.request('DELETE', `/api/v1/goals/${goal.id}/progress/${first.id}`);
    expectProblem(older, 409);
    expect(older.body.code).toBe('check_in_not_latest');

    expect((await api.patch(`/api/v1/goals/${goal.id}`, { weekly_rate_percent: 0.75 })).status).toBe(200);
    const afterRate = await api.request('DELETE', `/api/v1/goals/${goal.id}/progress/${second.id}`);
    expectProblem(afterRate, 409);
    expect(afterRate.body.code).toBe('target_changed_after_check_in');
    expect((await api.get(`/api/v1/goals/${goal.id}/progress`)).body).toHaveLength(2);
  });

  it('reopens a goal that the check-in completed, unless another goal is active by then', async () => {
    const { api, goal } = await goalFor({ target_body_fat_percentage: 22 });
    const before = await planState(api, goal.id);
    const done = await logged(api, goal.id, { weight_kg: 86, waist_cm: 88, measured_at: at(14) });
    expect((await api.get(`/api/v1/goals/${goal.id}`)).body.status).toBe('completed');
    expect(done.target_change.reason_code).toBe('check_in_completed');
    expect((await api.request('DELETE', `/api/v1/goals/${goal.id}/progress/${done.id}`)).status).toBe(204);
    expect(await planState(api, goal.id)).toEqual(before);

    const again = await logged(api, goal.id, { weight_kg: 86, waist_cm: 88, measured_at: at(15) });
    const next = await measure(api, { measured_at: at(16) });
    expect(
      (await api.post('/api/v1/goals', { goal_type: 'cutting', target_body_fat_percentage: 15, initial_measurement_id: next.id })).status,
    ).toBe(201);
    const refused = await api.request('DELETE', `/api/v1/goals/${goal.id}/progress/${again.id}`);
    expectProblem(refused, 409);
    expect(refused.body.code).toBe('active_goal_exists');
    expect((await api.get(`/api/v1/goals/${goal.id}`)).body.status).toBe('completed');
  });

  it('is 404 for another person’s goal or entry, an unknown entry, and an entry of another goal', async () => {
    const { api, goal } = await goalFor();
    const entry = await logged(api, goal.id, { weight_kg: 89.5, waist_cm: 94.8, measured_at: at(7) });
    const other = await signUp(t.app, quickstartMan());
    expectProblem(await other.api.request('DELETE', `/api/v1/goals/${goal.id}/progress/${entry.id}`), 404);
    expectProblem(await api.request('DELETE', `/api/v1/goals/${goal.id}/progress/00000000-0000-4000-8000-000000000000`), 404);
    const theirs = await goalFor();
    expectProblem(await api.request('DELETE', `/api/v1/goals/${theirs.goal.id}/progress/${entry.id}`), 404);
    expectProblem(await theirs.api.request('DELETE', `/api/v1/goals/${theirs.goal.id}/progress/${entry.id}`), 404);
    expect((await api.get(`/api/v1/goals/${goal.id}/progress`)).body).toHaveLength(1);
  });
});
