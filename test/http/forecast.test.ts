/**
 * The goal's forecast through the API (docs/SCIENCE.md 10.1): GET /goals/{id}/trends carries it
 * for the six-week person, the rate preview shows what PATCH would set, and PATCH then sets it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { navy, quickstartMan } from '../helpers/people.ts';
import { type SeededSixWeekPerson, seedSixWeekPerson } from '../helpers/sixWeekPerson.ts';

let t: TestApp;
let clock = new Date();
/** Today, a fixed morning: the person's last check-in. */
const TODAY = new Date(Date.UTC(2026, 5, 15, 8));
let person: SeededSixWeekPerson;

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  person = await seedSixWeekPerson(
    t.app,
    (now) => {
      clock = now;
    },
    TODAY,
  );
});
afterAll(async () => {
  await t.close();
});

describe('the forecast on GET /goals/{id}/trends', () => {
  it('gives the six-week person the plan and her observed rate, which disagree, and why', async () => {
    const trends = await person.api.get(`/api/v1/goals/${person.goalId}/trends`);
    expect(trends.status, JSON.stringify(trends.body)).toBe(200);
    const { forecast } = trends.body;
    // The numbers test/domain/forecast.test.ts derives: 13 weeks (12–14) at 0.35 points a week,
    // about 27 weeks on the plan from her trend weight (~66.6 kg) and latest tape (29.55 %).
    expect(forecast.as_of).toBe('2026-06-15');
    expect(forecast.observed).toMatchObject({ weeks: 13, weeks_low: 12, weeks_high: 14, rate_per_week: -0.35, date: '2026-09-14' });
    expect(forecast.plan.weeks).toBeGreaterThanOrEqual(26);
    expect(forecast.plan.weeks).toBeLessThanOrEqual(28);
    expect(forecast.plan.weeks - forecast.plan.weeks_low).toBeLessThanOrEqual(3);
    expect(forecast.plan.weeks_high - forecast.plan.weeks).toBeLessThanOrEqual(3);
    expect(forecast.agrees).toBe(false);
    expect(forecast.explanation).toMatch(/^Your body fat readings fall faster \(0\.35 points a week\) than your weight loss explains/);
    expect(forecast.trend_weight_kg).toBeCloseTo(66.6, 1);
    expect(forecast.scale_weight_kg).toBe(person.person.weights.at(-1)!.weightKg);

    // The old fields agree with it: one weight rate, one "weeks remaining".
    const weights = await person.api.get('/api/v1/users/me/weights');
    expect(weights.body.weekly_rate_kg).toBe(forecast.weekly_weight_rate_kg);
    expect(trends.body.weekly_weight_change_avg).toBe(forecast.weekly_weight_rate_kg);
    expect(trends.body.estimated_weeks_remaining).toBe(forecast.observed.weeks);
    expect(weights.body.weights.at(-1).trend_weight_kg).toBe(forecast.trend_weight_kg);
  });

  it('plans the goal at its start with an 80 % interval of a few weeks, not 23–161', async () => {
    const goal = (await person.api.get(`/api/v1/goals/${person.goalId}`)).body;
    // 39 weeks (35–43): test/domain/forecast.test.ts works it out by hand.
    expect(goal.projection).toMatchObject({ weeks_to_goal: 39, expenditure_method: 'equation' });
    expect(goal.projection).toMatchObject({ weeks_to_goal_fastest: 35, weeks_to_goal_slowest: 43 });
    expect(goal.estimated_weeks_to_goal).toBe(39);
  });

  it('moves her target at most 100 kcal a week, and says why each time (docs/SCIENCE.md 3.4)', async () => {
    const history = await person.api.get(`/api/v1/goals/${person.goalId}/targets`);
    expect(history.status).toBe(200);
    const rows: { calories: number; raw_calories: number | null; reason_code: string; reason: string }[] = history.body;
    // Unsmoothed, her check-ins would have set the target between about 1,640 and 1,800 kcal
    // (the exact values move with her age on the test's date): a swing of over 100 kcal.
    const raw = rows.slice(1).map((r) => r.raw_calories!);
    expect(Math.max(...raw) - Math.min(...raw)).toBeGreaterThan(100);
    // Smoothed, it moved once, by at most 100 kcal, and only where the raw value was 50 kcal or more away.
    const moves = rows.slice(1).filter((r, i) => r.calories !== rows[i]!.calories);
    expect(moves).toHaveLength(1);
    for (const [i, row] of rows.entries()) {
      if (i === 0) continue;
      const previous = rows[i - 1]!.calories;
      expect(Math.abs(row.calories - previous)).toBeLessThanOrEqual(100);
      if (Math.abs(row.raw_calories! - previous) < 50) expect(row.calories).toBe(previous);
    }
    expect(moves[0]!.reason_code).toBe('check_in_capped');
    // Her expenditure came from her logs: "measured".
    expect(moves[0]!.reason).toMatch(
      /^Your target changed from [\d,]+ to [\d,]+ kcal because your measured expenditure moved from [\d,]+ to [\d,]+ kcal; it moves at most 100 kcal a week, towards [\d,]+ kcal\.$/,
    );
  });
});

describe('GET /goals/{id}/rate-preview', () => {
  it('shows the target and forecast of a new rate, and PATCH then sets the same numbers', async () => {
    const before = (await person.api.get(`/api/v1/goals/${person.goalId}`)).body;
    const preview = await person.api.get(`/api/v1/goals/${person.goalId}/rate-preview?weekly_rate_percent=0.75`);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.weekly_rate_percent).toBe(0.75);
    // Faster: less to eat, sooner there; nothing saved yet.
    expect(preview.body.target_calories).toBeLessThan(before.target_calories);
    const trendsBefore = (await person.api.get(`/api/v1/goals/${person.goalId}/trends`)).body;
    expect(preview.body.forecast.plan.weeks).toBeLessThan(trendsBefore.forecast.plan.weeks);
    expect(preview.body.forecast.observed).toEqual(trendsBefore.forecast.observed);
    expect((await person.api.get(`/api/v1/goals/${person.goalId}`)).body).toMatchObject({
      weekly_rate_percent: 0.5,
      target_calories: before.target_calories,
    });

    const changed = await person.api.patch(`/api/v1/goals/${person.goalId}`, { weekly_rate_percent: 0.75 });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      weekly_rate_percent: 0.75,
      target_calories: preview.body.target_calories,
      expenditure_kcal: preview.body.expenditure_kcal,
    });
    const plan = preview.body.forecast.plan;
    expect(changed.body.projection).toMatchObject({
      weeks_to_goal: plan.weeks,
      weeks_to_goal_fastest: plan.weeks_low,
      weeks_to_goal_slowest: plan.weeks_high,
    });
    const trendsAfter = (await person.api.get(`/api/v1/goals/${person.goalId}/trends`)).body;
    expect(trendsAfter.forecast).toEqual(preview.body.forecast);
    expect((await person.api.get(`/api/v1/goals/${person.goalId}/diet-plan`)).body.daily_calorie_target).toBe(preview.body.target_calories);
  });

  it("refuses a rate out of the goal type's range (422), another person's goal (404) and an ended goal (409)", async () => {
    expectProblem(await person.api.get(`/api/v1/goals/${person.goalId}/rate-preview?weekly_rate_percent=0.1`), 422);
    expectProblem(await person.api.get(`/api/v1/goals/${person.goalId}/rate-preview?weekly_rate_percent=2`), 422);
    expectProblem(await person.api.get(`/api/v1/goals/${person.goalId}/rate-preview?weekly_rate_percent=fast`), 422);

    const other = await signUp(t.app, quickstartMan());
    expectProblem(await other.api.get(`/api/v1/goals/${person.goalId}/rate-preview?weekly_rate_percent=0.5`), 404);

    const measured = await other.api.post('/api/v1/measurements', navy({ measured_at: clock.toISOString().slice(0, 19) }));
    const goal = await other.api.post('/api/v1/goals', {
      initial_measurement_id: measured.body.id,
      goal_type: 'cutting',
      target_body_fat_percentage: 15,
    });
    expect(goal.status, JSON.stringify(goal.body)).toBe(201);
    // Without a rate it previews the goal's own: the target it has now.
    const own = await other.api.get(`/api/v1/goals/${goal.body.id}/rate-preview`);
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body).toMatchObject({ weekly_rate_percent: 0.5, target_calories: goal.body.target_calories });
    expect((await other.api.patch(`/api/v1/goals/${goal.body.id}`, { status: 'abandoned' })).status).toBe(200);
    const ended = await other.api.get(`/api/v1/goals/${goal.body.id}/rate-preview?weekly_rate_percent=0.5`);
    expectProblem(ended, 409);
    expect(ended.body.code).toBe('goal_not_active');
  });
});

describe('POST /goals/preview', () => {
  const measuredAt = TODAY.toISOString();

  it('plans what POST /goals then starts: the same target, weeks and 80 % interval', async () => {
    const someone = await signUp(t.app, quickstartMan());
    const m = (await someone.api.post('/api/v1/measurements', navy({ measured_at: measuredAt }))).body;
    const body = { goal_type: 'cutting', initial_measurement_id: m.id, target_body_fat_percentage: 15, weekly_rate_percent: 0.75 };
    const preview = await someone.api.post('/api/v1/goals/preview', body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    // 0.75 % of 90 kg a week.
    expect(preview.body).toMatchObject({ weekly_rate_percent: 0.75, weekly_change_kg: 0.68, expenditure_method: 'equation' });
    expect(preview.body.weeks_to_goal_fastest).toBeLessThanOrEqual(preview.body.weeks_to_goal);
    expect(preview.body.weeks_to_goal_slowest).toBeGreaterThanOrEqual(preview.body.weeks_to_goal);
    // Nothing was saved.
    expect((await someone.api.get('/api/v1/goals')).body.goals).toHaveLength(0);

    const created = await someone.api.post('/api/v1/goals', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      target_calories: preview.body.target_calories,
      expenditure_kcal: preview.body.expenditure_kcal,
      estimated_weeks_to_goal: preview.body.estimated_weeks_to_goal,
    });
    expect(created.body.projection).toMatchObject({
      weeks_to_goal: preview.body.weeks_to_goal,
      weeks_to_goal_fastest: preview.body.weeks_to_goal_fastest,
      weeks_to_goal_slowest: preview.body.weeks_to_goal_slowest,
    });
    // An active goal does not stop a preview (it only shows numbers).
    const again = await someone.api.post('/api/v1/goals/preview', { ...body, weekly_rate_percent: undefined });
    expect(again.status).toBe(200);
    expect(again.body.weekly_rate_percent).toBe(0.5);
  });

  it('refuses what POST /goals refuses, with the same statuses', async () => {
    const someone = await signUp(t.app, quickstartMan());
    const m = (await someone.api.post('/api/v1/measurements', navy({ measured_at: measuredAt }))).body;
    const cut = (extra: Record<string, unknown>) => ({ goal_type: 'cutting', initial_measurement_id: m.id, ...extra });
    const fast = await someone.api.post('/api/v1/goals/preview', cut({ target_body_fat_percentage: 15, weekly_rate_percent: 2 }));
    expectProblem(fast, 422);
    const unsafe = await someone.api.post('/api/v1/goals/preview', cut({ target_body_fat_percentage: 5 }));
    expectProblem(unsafe, 400);
    expect(unsafe.body.code).toBe('target_below_safe_minimum');
    expectProblem(await someone.api.post('/api/v1/goals/preview', cut({})), 422);
    const other = await signUp(t.app, quickstartMan());
    expectProblem(await other.api.post('/api/v1/goals/preview', cut({ target_body_fat_percentage: 15 })), 404);
  });
});
