/**
 * The simulation of docs/SCIENCE.md 11, through the API: 90 days of synthetic weigh-ins and intake (fixed seeds,
 * ±300 kcal intake noise, 0.5 kg SD daily water noise) are PUT day by day, then the expenditure
 * estimate and the trend weight are read back and compared with the simulated truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { rateEnergyBalanceKcal } from '../../src/domain/index.ts';
import { bornYearsAgo, navy, navyWaistFor } from '../helpers/people.ts';
import { adaptingPerson, steadyPerson, SYNTHETIC_PROFILE, type SyntheticPerson } from '../support/syntheticPerson.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const startDate = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);

async function feed(person: SyntheticPerson): Promise<Api> {
  const { api } = await signUp(t.app, {
    gender: SYNTHETIC_PROFILE.sex,
    height_cm: SYNTHETIC_PROFILE.heightCm,
    date_of_birth: bornYearsAgo(SYNTHETIC_PROFILE.ageYears),
    activity_level: SYNTHETIC_PROFILE.activityLevel,
  });
  for (const w of person.weights)
    expect((await api.request('PUT', `/api/v1/users/me/weights/${w.date}`, { weight_kg: w.weightKg })).status).toBe(200);
  for (const d of person.intake) {
    expect((await api.request('PUT', `/api/v1/users/me/intake/${d.date}`, { calories: d.calories, complete: d.complete })).status).toBe(
      200,
    );
  }
  return api;
}

async function errorsByDay(api: Api, person: SyntheticPerson, days: number[]) {
  const errors: Record<number, number> = {};
  for (const day of days) {
    const truth = person.days[day - 1]!;
    const estimate = await api.get(`/api/v1/users/me/expenditure?as_of=${truth.date}`);
    expect(estimate.status).toBe(200);
    expect(estimate.body.tdee_low_kcal).toBeLessThanOrEqual(estimate.body.tdee_kcal);
    expect(estimate.body.tdee_high_kcal).toBeGreaterThanOrEqual(estimate.body.tdee_kcal);
    errors[day] = estimate.body.tdee_kcal - truth.trueExpenditureKcal;
  }
  return errors;
}

describe('adaptive expenditure through the API', () => {
  it('converges within ±150 kcal by day 28 for a steady and an adapting person', async () => {
    const report: string[] = [];
    for (const [name, person] of [
      ['steady 2,600', steadyPerson(1, { startDate })],
      ['adapting 2,600→2,400', adaptingPerson(1, { startDate })],
    ] as const) {
      const api = await feed(person);
      const errors = await errorsByDay(api, person, [7, 14, 28, 42, 56, 90]);
      report.push(
        `${name}: ${Object.entries(errors)
          .map(([day, e]) => `day ${day} ${e > 0 ? '+' : ''}${Math.round(e)}`)
          .join(', ')}`,
      );
      for (const day of [28, 42, 56, 90]) expect(Math.abs(errors[day]!), `${name} day ${day}`).toBeLessThanOrEqual(150);

      const latest = (await api.get('/api/v1/users/me/expenditure')).body;
      expect(latest.method).toBe('adaptive');
      expect(latest.data_days).toBeGreaterThanOrEqual(80);
      expect(latest.series.length).toBeGreaterThanOrEqual(89);
    }
    console.log(`expenditure simulation (seed 1), estimate − truth in kcal:\n  ${report.join('\n  ')}`);
  });

  // The 0.1 trend weight trails a moving weight by about nine days (0.55–0.7 kg in a 0.5 kg/week
  // cut, docs/SCIENCE.md); the estimator's own weight, which models the energy balance, does not once
  // its expenditure has converged (the day-28 mark above). Both people lose 6–8 kg in the 90 days.
  it('keeps its weight estimate within 0.5 kg of the true weight from day 28 while the person loses weight', async () => {
    const report: string[] = [];
    for (const [name, person] of [
      ['steady 2,600', steadyPerson(3, { startDate })],
      ['adapting 2,600→2,400', adaptingPerson(3, { startDate })],
    ] as const) {
      const api = await feed(person);
      const { series } = (await api.get(`/api/v1/users/me/expenditure?as_of=${person.days.at(-1)!.date}`)).body as {
        series: { date: string; estimated_weight_kg: number }[];
      };
      const truth = new Map(person.days.map((d) => [d.date, d.trueWeightKg]));
      const worstFrom = (day: number) => {
        const errors = series
          .filter((d) => d.date >= person.days[day - 1]!.date)
          .map((d) => Math.abs(d.estimated_weight_kg - truth.get(d.date)!));
        expect(errors.length, name).toBe(91 - day);
        return Math.max(...errors);
      };
      const fromDay28 = worstFrom(28);
      report.push(
        `${name}: worst ${fromDay28.toFixed(2)} kg from day 28 (${worstFrom(14).toFixed(2)} kg from day 14); ` +
          `true change ${(person.days.at(-1)!.trueWeightKg - person.days[0]!.trueWeightKg).toFixed(1)} kg`,
      );
      expect(fromDay28, name).toBeLessThan(0.5);
    }
    console.log(`estimator weight − true weight (seed 3):\n  ${report.join('\n  ')}`);
  });

  it('starts from the equation with no intake logged', async () => {
    const person = steadyPerson(2, { startDate, missingIntakeRate: 1 });
    const api = await feed(person);
    const estimate = (await api.get('/api/v1/users/me/expenditure')).body;
    expect(estimate.method).toBe('equation');
    expect(estimate.tdee_kcal).toBe(estimate.equation_tdee_kcal);
    expect(estimate.data_days).toBe(0);
  });

  it('answers 404 before any weight is logged', async () => {
    const { api } = await signUp(t.app);
    const response = await api.get('/api/v1/users/me/expenditure');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('no_weight_data');
  });
});

describe('days logged only partly (docs/SCIENCE.md 9, "Incomplete days in the estimate")', () => {
  const expenditureOn = async (api: Api, date: string) => {
    const answer = await api.get(`/api/v1/users/me/expenditure?as_of=${date}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it("leaves an incomplete day's calories out, exactly as if the day had none, and counts it in the window", async () => {
    const person = steadyPerson(2, { startDate, days: 35 });
    const api = await feed(person);
    const asOf = person.days.at(-1)!.date;
    const partly = person.days.at(-4)!;
    const logged = await expenditureOn(api, asOf);
    expect(logged.window).toMatchObject({ intake_days: 28, incomplete_days: 0 });

    expect((await api.request('DELETE', `/api/v1/users/me/intake/${partly.date}`)).status).toBe(204);
    const missing = await expenditureOn(api, asOf);
    const breakfastOnly = Math.round(0.3 * partly.eatenKcal);
    expect((await api.request('PUT', `/api/v1/users/me/intake/${partly.date}`, { calories: breakfastOnly, complete: false })).status).toBe(
      200,
    );
    const marked = await expenditureOn(api, asOf);
    expect((await api.request('PUT', `/api/v1/users/me/intake/${partly.date}`, { calories: breakfastOnly })).status).toBe(200);
    const unmarked = await expenditureOn(api, asOf);

    expect(missing.window).toMatchObject({ intake_days: 27, incomplete_days: 0 });
    expect(marked.window).toMatchObject({ intake_days: 27, incomplete_days: 1 });
    expect({ ...marked, window: { ...marked.window, incomplete_days: 0 } }).toEqual(missing);
    expect(unmarked.window).toMatchObject({ intake_days: 28, incomplete_days: 0 });
    // Read as the whole day, 30 % of it lowers the mean intake and the estimate.
    expect(unmarked.window.mean_intake_kcal).toBeLessThan(marked.window.mean_intake_kcal - 40);
    expect(unmarked.tdee_kcal).toBeLessThan(marked.tdee_kcal);
    expect(unmarked.data_days).toBe(marked.data_days + 1);
  });

  it('stays within ±150 kcal of the truth from day 28 when a third of the days are logged partly and marked; unmarked it runs low', async () => {
    const person = steadyPerson(1, { startDate, partialDayRate: 1 / 3, marksPartialDays: true });
    const api = await feed(person);
    const days = [28, 42, 56, 90];
    const marked = await errorsByDay(api, person, days);
    const last = person.days.at(-1)!;
    const lastWindow = person.intake.filter((d) => d.date > person.days.at(-29)!.date);
    expect((await expenditureOn(api, last.date)).window).toMatchObject({
      incomplete_days: lastWindow.filter((d) => d.complete === false).length,
      intake_days: lastWindow.filter((d) => d.complete !== false).length,
    });
    // The same days sent again without the mark.
    for (const d of person.intake.filter((row) => row.complete === false)) {
      expect((await api.request('PUT', `/api/v1/users/me/intake/${d.date}`, { calories: d.calories })).status).toBe(200);
    }
    const unmarked = await errorsByDay(api, person, days);
    const line = (errors: Record<number, number>) =>
      days.map((day) => `day ${day} ${errors[day]! > 0 ? '+' : ''}${Math.round(errors[day]!)}`).join(', ');
    console.log(
      `expenditure with a third of the days logged partly (seed 1), estimate − truth in kcal:\n  marked: ${line(marked)}\n  unmarked: ${line(unmarked)}`,
    );
    // measured: marked +141, +125, +136, +114; unmarked −109, −297, −241, −277 (complete logs: +113, +33, +67, +68)
    for (const day of days) {
      expect(Math.abs(marked[day]!), `marked, day ${day}`).toBeLessThanOrEqual(150);
      expect(unmarked[day]!, `unmarked, day ${day}`).toBeLessThan(marked[day]! - 200);
      if (day >= 42) expect(unmarked[day]!, `unmarked, day ${day}`).toBeLessThan(-150);
    }
  });
});

describe('trend weight through the API', () => {
  // The 0.1 smoothing cannot promise 0.5 kg on every single day: with 0.5 kg SD water noise a run of
  // same-sided days pushes it a little past now and then (seed 3: 2.6 % of days, worst 0.57 kg), and
  // during a steady cut it trails the body by about 9 days (docs/SCIENCE.md).
  it('tracks the true weight of a person at maintenance within 0.5 kg on 95 % of days from day 14', async () => {
    const person = steadyPerson(3, { startDate, meanIntakeKcal: 2600 });
    const api = await feed(person);
    const series = (await api.get(`/api/v1/users/me/weights?from=${startDate}`)).body;
    expect(series.weights).toHaveLength(90);
    const errors = series.weights
      .slice(13)
      .map((d: { trend_weight_kg: number }, i: number) => Math.abs(d.trend_weight_kg - person.days[i + 13]!.trueWeightKg));
    const within = errors.filter((e: number) => e < 0.5).length / errors.length;
    console.log(
      `trend weight at maintenance (seed 3): ${(within * 100).toFixed(1)} % of days from day 14 within 0.5 kg, worst ${Math.max(...errors).toFixed(2)} kg`,
    );
    expect(within).toBeGreaterThanOrEqual(0.95);
    expect(Math.max(...errors)).toBeLessThan(0.75);
  });

  it('fills days without a weigh-in from measurements, then by interpolation', async () => {
    const { api } = await signUp(t.app);
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    await api.request('PUT', `/api/v1/users/me/weights/${day(4)}`, { weight_kg: 80 });
    await api.post('/api/v1/measurements', {
      weight_kg: 79,
      calculation_method: 'navy',
      waist_cm: 90,
      neck_cm: 38,
      measured_at: `${day(2)}T08:00:00Z`,
    });
    // The day's first measurement counts, and a weigh-in wins over any measurement of its day.
    await api.post('/api/v1/measurements', {
      weight_kg: 82,
      calculation_method: 'navy',
      waist_cm: 91,
      neck_cm: 38,
      measured_at: `${day(2)}T18:00:00Z`,
    });
    await api.post('/api/v1/measurements', {
      weight_kg: 81,
      calculation_method: 'navy',
      waist_cm: 90,
      neck_cm: 38,
      measured_at: `${day(4)}T07:00:00Z`,
    });
    const series = (await api.get(`/api/v1/users/me/weights?from=${day(4)}&to=${day(2)}`)).body;
    expect(
      series.weights.map((d: { date: string; weight_kg: number | null; source: string | null; interpolated_kg: number }) => [
        d.date,
        d.weight_kg,
        d.source,
        d.interpolated_kg,
      ]),
    ).toEqual([
      [day(4), 80, 'manual', 80],
      [day(3), null, null, 79.5],
      [day(2), 79, 'measurement', 79],
    ]);
    expect(series.weights[2].trend_weight_kg).toBeCloseTo(80 - 0.1 * 0.5 - 0.1 * (80 - 0.05 - 79), 2);
  });
});

describe("a goal's calorie target follows the simulated person's true expenditure", () => {
  // The service's clock walks through the person's 90 days (2025-01-06 on), so the goal is planned
  // on day 28 and recomputed at check-ins on days 56 and 90 with only what was logged by then.
  it.each([
    ['steady 2,600', steadyPerson(1)],
    ['adapting 2,600→2,400', adaptingPerson(1)],
  ] as const)('%s: the planned expenditure within ±150 kcal of the truth at creation and each check-in', async (name, person) => {
    let clock = new Date(`${person.days[0]!.date}T12:00:00Z`);
    const app = await createTestApp({ now: () => clock });
    try {
      const { api } = await signUp(app.app, {
        gender: SYNTHETIC_PROFILE.sex,
        height_cm: SYNTHETIC_PROFILE.heightCm,
        date_of_birth: bornYearsAgo(SYNTHETIC_PROFILE.ageYears),
        activity_level: SYNTHETIC_PROFILE.activityLevel,
      });
      let fed = 0;
      const feedThrough = async (day: number) => {
        for (; fed < day; fed++) {
          const d = person.days[fed]!;
          clock = new Date(`${d.date}T12:00:00Z`);
          if (d.weighInKg !== null)
            expect((await api.request('PUT', `/api/v1/users/me/weights/${d.date}`, { weight_kg: d.weighInKg })).status).toBe(200);
          if (d.loggedKcal !== null)
            expect((await api.request('PUT', `/api/v1/users/me/intake/${d.date}`, { calories: d.loggedKcal })).status).toBe(200);
        }
      };
      /** A tape measurement on `day` at the true weight and body fat. */
      const measureOn = async (day: number) => {
        const d = person.days[day - 1]!;
        const bf = (d.fatMassKg / d.trueWeightKg) * 100;
        const m = await api.post(
          '/api/v1/measurements',
          navy({
            weight_kg: Math.round(d.trueWeightKg * 100) / 100,
            waist_cm: navyWaistFor(bf, SYNTHETIC_PROFILE.heightCm),
            measured_at: `${d.date}T12:00:00`,
          }),
        );
        expect(m.status, JSON.stringify(m.body)).toBe(201);
        return m.body;
      };
      const rows: string[] = [];
      const checkAgainstTruth = async (goalId: string, day: number) => {
        const d = person.days[day - 1]!;
        const goal = (await api.get(`/api/v1/goals/${goalId}`)).body;
        const diet = (await api.get(`/api/v1/goals/${goalId}/diet-plan`)).body;
        expect(diet.daily_calorie_target).toBe(goal.target_calories);
        // What a coach who knew the truth would plan: true expenditure less 0.5 % of the true weight's energy.
        const ideal =
          d.trueExpenditureKcal +
          rateEnergyBalanceKcal({ goalType: 'cutting', weightKg: d.trueWeightKg, fatMassKg: d.fatMassKg, weeklyRatePercent: 0.5 });
        const expenditureError = goal.expenditure_kcal - d.trueExpenditureKcal;
        const targetError = goal.target_calories - ideal;
        rows.push(
          `day ${day}: expenditure ${goal.expenditure_kcal} (${goal.expenditure_method}) vs true ${Math.round(d.trueExpenditureKcal)}, ` +
            `target ${goal.target_calories} vs ideal ${Math.round(ideal)} (${targetError > 0 ? '+' : ''}${Math.round(targetError)})`,
        );
        expect(goal.expenditure_method).toBe('adaptive');
        expect(Math.abs(expenditureError), `${name} day ${day}`).toBeLessThanOrEqual(150);
        expect(Math.abs(targetError), `${name} day ${day}`).toBeLessThanOrEqual(150);
        return goal;
      };

      await feedThrough(28);
      const initial = await measureOn(28);
      const created = await api.post('/api/v1/goals', {
        goal_type: 'cutting',
        initial_measurement_id: initial.id,
        target_body_fat_percentage: 12,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      await checkAgainstTruth(created.body.id, 28);
      expect(created.body.projection.tdee_kcal).toBe(created.body.expenditure_kcal);
      for (const day of [56, 90]) {
        await feedThrough(day);
        const m = await measureOn(day);
        expect((await api.post(`/api/v1/goals/${created.body.id}/progress`, { measurement_id: m.id })).status).toBe(201);
        await checkAgainstTruth(created.body.id, day);
      }
      const trends = (await api.get(`/api/v1/goals/${created.body.id}/trends`)).body;
      rows.push(
        `trends day 90: ${trends.projection_comparison.status}, ${trends.projection_comparison.by_body_fat_points} points, ` +
          `${trends.projection_comparison.by_weight_kg} kg, ${trends.projection_comparison.by_days} days`,
      );
      console.log(`goal targets on the simulated ${name} person (seed 1):\n  ${rows.join('\n  ')}`);
    } finally {
      await app.close();
    }
  });
});
