/** The web app's pure logic: unit conversions, error wording and placement, method sites, the chart's series and sentence. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.ts';
import type { Expenditure, Intake, IntakeList, Projection, ProjectionComparison, Trends, WeightSeries } from '../src/api/types.ts';
import { chartSeries, chartSummary } from '../src/components/chartSeries.ts';
import { convertHeight, heightCm } from '../src/components/heightField.tsx';
import { measurementBody, parseNumber } from '../src/components/measurementForm.tsx';
import {
  comparisonText,
  daysLogged,
  expenditureSeries,
  expenditureSummary,
  intakeWithComplete,
  macrosText,
  projectionSummary,
  rateHint,
  rateLabel,
  todayValue,
  WEEKLY_RATES,
  weightSeries,
  weightSummary,
} from '../src/daily.ts';
import { plainMessage, toFormErrors } from '../src/errors.ts';
import { sitesFor } from '../src/methods.ts';
import { TWO_CHECK_INS } from './fixtures.ts';
import { cmToFeetInches, feetInchesToCm, formatQuantity, toDisplay, toMetric } from '../src/units.ts';

describe('units', () => {
  it('converts pounds and inches to the API’s kilograms and centimetres, and back', () => {
    expect(toMetric('weight', 185, 'imperial')).toBe(83.91);
    expect(toMetric('tape', 35, 'imperial')).toBe(88.9);
    expect(toMetric('skinfold', 12, 'imperial')).toBe(12);
    expect(toMetric('weight', 84.2, 'metric')).toBe(84.2);
    expect(toDisplay('weight', 83.91, 'imperial')).toBeCloseTo(184.99, 2);
    expect(formatQuantity('weight', 83.91, 'imperial')).toBe('185.0 lb');
    expect(formatQuantity('tape', 88.9, 'imperial')).toBe('35.0 in');
  });

  it('splits a height into feet and inches and joins it again', () => {
    expect(cmToFeetInches(180)).toEqual({ feet: 5, inches: 10.9 });
    expect(feetInchesToCm(5, 10.9)).toBe(180.1);
    expect(cmToFeetInches(182.88)).toEqual({ feet: 6, inches: 0 });
  });

  it('keeps a typed height when the units change', () => {
    expect(convertHeight({ cm: '180', feet: '', inches: '' }, true)).toEqual({ cm: '180', feet: '5', inches: '10.9' });
    expect(convertHeight({ cm: '180', feet: '6', inches: '0' }, false)).toEqual({ cm: '182.9', feet: '6', inches: '0' });
    expect(heightCm(true, { cm: '', feet: '5', inches: '' })).toBe(152.4);
    expect(heightCm(false, { cm: 'tall', feet: '', inches: '' })).toMatch(/centimetres/);
  });
});

describe('measurement input', () => {
  it('reads decimal commas and refuses what is not a number', () => {
    expect(parseNumber('84,5')).toBe(84.5);
    expect(parseNumber(' 90 ')).toBe(90);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('9O')).toBeNull();
    expect(parseNumber('')).toBeNull();
  });

  it('asks for every site of the method before sending, and sends metric values', () => {
    const input = { measured_at: '2026-01-05T07:30', weight: '185', sites: { waist_cm: '35', neck_cm: '15' }, notes: '' };
    expect(measurementBody('navy', 'female', 'imperial', input)).toEqual({ body: null, errors: { hip_cm: 'Enter the hip measurement.' } });
    const ok = measurementBody('navy', 'male', 'imperial', input);
    expect(ok.body).toMatchObject({ calculation_method: 'navy', weight_kg: 83.91, waist_cm: 88.9, neck_cm: 38.1 });
    expect(ok.body).not.toHaveProperty('hip_cm');
  });

  it('shows exactly each method’s sites for each sex', () => {
    const labels = (method: 'navy' | '3_site' | '7_site', sex: 'male' | 'female') => sitesFor(method, sex).map((s) => s.label);
    expect(labels('navy', 'male')).toEqual(['Waist', 'Neck']);
    expect(labels('navy', 'female')).toEqual(['Waist', 'Neck', 'Hip']);
    expect(labels('3_site', 'male')).toEqual(['Chest', 'Abdomen', 'Thigh']);
    expect(labels('3_site', 'female')).toEqual(['Triceps', 'Suprailiac', 'Thigh']);
    expect(labels('7_site', 'female')).toEqual(['Chest', 'Midaxillary', 'Triceps', 'Subscapular', 'Abdomen', 'Suprailiac', 'Thigh']);
    for (const site of sitesFor('7_site', 'male')) expect(site.hint.length).toBeGreaterThan(20);
  });
});

describe('API errors in plain words', () => {
  it('rephrases schema messages in the person’s units', () => {
    expect(plainMessage('weight_kg', 'must be >= 30', 'imperial')).toBe('Must be at least 66.2 lb.');
    expect(plainMessage('height_cm', 'must be <= 250', 'metric')).toBe('Must be at most 250 cm.');
    expect(plainMessage('chest_mm', 'must be >= 1', 'imperial')).toBe('Must be at least 1 mm.');
    expect(plainMessage('password', 'must NOT have fewer than 8 characters', 'metric')).toBe('Must be at least 8 characters.');
    expect(plainMessage('email', 'must match format "email"', 'metric')).toMatch(/email address/);
    expect(plainMessage('weight_kg', 'Field required', 'metric')).toBe('This is required.');
  });

  it('puts field errors next to their field and the rest at the top', () => {
    const schema = new ApiError({
      status: 422,
      detail: 'The request has fields that failed validation',
      code: 'validation_failed',
      errors: [{ field: 'body.weight_kg', message: 'must be <= 300' }],
    });
    expect(toFormErrors(schema, ['weight_kg'], 'metric')).toEqual({
      top: 'Please correct the field marked below.',
      fields: { weight_kg: 'Must be at most 300 kg.' },
    });

    const unsafe = new ApiError({ status: 400, detail: 'A target of 5 % is too low to be safe.', code: 'target_below_safe_minimum' });
    expect(toFormErrors(unsafe, ['target_body_fat_percentage'], 'metric').fields).toEqual({
      target_body_fat_percentage: 'A target of 5 % is too low to be safe.',
    });

    const conflict = new ApiError({ status: 409, detail: 'You already have an active goal', code: 'active_goal_exists' });
    expect(toFormErrors(conflict, ['target_body_fat_percentage'], 'metric')).toEqual({
      top: 'You already have an active goal',
      fields: {},
    });

    const elsewhere = new ApiError({
      status: 422,
      detail: 'The navy method needs waist_cm.',
      code: 'missing_sites',
      errors: [{ field: 'body', message: 'The navy method needs waist_cm.' }],
    });
    expect(toFormErrors(elsewhere, ['weight_kg'], 'metric').top).toBe('The navy method needs waist_cm.');

    // One code, two forms: the password to confirm is `current_password` in one and `password` in the other.
    const mismatch = new ApiError({ status: 403, detail: 'The password does not match', code: 'password_mismatch' });
    expect(toFormErrors(mismatch, ['current_password', 'new_password'], 'metric')).toEqual({
      top: 'Please correct the field marked below.',
      fields: { current_password: 'The password does not match' },
    });
    expect(toFormErrors(mismatch, ['password'], 'metric').fields).toEqual({ password: 'The password does not match' });
    expect(toFormErrors(mismatch, ['email'], 'metric')).toEqual({ top: 'The password does not match', fields: {} });
  });
});

describe('the chart', () => {
  const trends = TWO_CHECK_INS;

  it('places points by weeks since the start and draws the trend, the projection and the target', () => {
    const s = chartSeries(trends, 'metric');
    expect(s.bodyFat.map((p) => p.x)).toEqual([0, 1, 2]);
    expect(s.trend).toEqual([
      { x: 0, y: 19.78 },
      { x: 2, y: 18.08 },
    ]);
    // From the latest reading to the observed forecast's date (2026-03-05).
    expect(s.projection).toEqual([
      { x: 2, y: 18.1 },
      { x: 8.96, y: 12 },
    ]);
    expect(s.limit).toEqual([
      { x: 0, y: 12 },
      { x: 8.96, y: 12 },
    ]);
    expect(chartSeries(trends, 'imperial').weight[0]?.y).toBe(187.39);
  });

  it('says the same in a sentence', () => {
    expect(chartSummary(trends, 'cutting', 'metric')).toBe(
      'Body fat 18.1 %, down 1.7 points in 2 weeks. Weight 83.6 kg trend weight, down 0.80 kg a week. Average change −0.85 points a week. Your target is 12.0 %.',
    );
    // Without daily weigh-ins, the check-ins' own weights.
    const noTrend = { ...trends, forecast: { ...trends.forecast, trend_weight_kg: null, weekly_weight_rate_kg: null } };
    expect(chartSummary(noTrend, 'cutting', 'metric')).toBe(
      'Body fat 18.1 %, down 1.7 points in 2 weeks. Weight 83.3 kg, down 1.7 kg. Average change −0.85 points a week. Your target is 12.0 %.',
    );
    expect(chartSummary({ ...trends, data_points: trends.data_points.slice(0, 1) }, 'bulking', 'imperial')).toBe(
      'Body fat 19.8 %, weight 187.4 lb, at the start of your goal. Your ceiling is 12.0 %.',
    );
  });
});

describe('daily logs, expenditure and the plan', () => {
  const point = (week: number, bf: number, low: number, high: number) => ({
    week,
    date: `2026-01-${String(1 + 7 * week).padStart(2, '0')}T07:00:00Z`,
    weight_kg: 85 - 0.4 * week,
    body_fat_percentage: bf,
    weight_low_kg: 85 - 0.5 * week,
    weight_high_kg: 85 - 0.3 * week,
    body_fat_low_percentage: low,
    body_fat_high_percentage: high,
    intake_kcal: 2200,
    tdee_kcal: 2600,
  });
  const projection: Projection = {
    start: '2026-01-01T07:00:00Z',
    weekly_rate_percent: 0.5,
    tdee_kcal: 2600,
    tdee_sd_kcal: 80,
    expenditure_method: 'adaptive',
    weeks_to_goal: 2,
    weeks_to_goal_fastest: 2,
    weeks_to_goal_slowest: 3,
    points: [point(0, 19.8, 19.8, 19.8), point(1, 19.4, 19.3, 19.5), point(2, 19, 18.8, 19.2)],
  };

  it("offers the API's rates per goal type, the default marked", () => {
    expect(WEEKLY_RATES.cutting.values).toEqual([0.25, 0.5, 0.75, 1]);
    expect(WEEKLY_RATES.bulking.default).toBe(0.25);
    expect(rateLabel('cutting', 0.5)).toBe('0.5 % of body weight a week (recommended)');
    expect(rateLabel('cutting', 1)).toBe('1 % of body weight a week');
    expect(rateHint('cutting', 90, 'metric')).toMatch(/At 90\.0 kg, 0\.5 % is about 0\.45 kg a week\.$/);
  });

  it("puts the plan and its band on the chart's weeks, and stretches the axis to its end", () => {
    const trends: Trends = {
      goal_id: 'g',
      progress_percentage: 0,
      weeks_elapsed: 0,
      is_on_track: true,
      weekly_bf_change_avg: 0,
      weekly_weight_change_avg: 0,
      trend: 'insufficient_data',
      adjustment_suggestion: null,
      estimated_weeks_remaining: 2,
      initial_body_fat: 19.8,
      current_body_fat: 19.8,
      target_body_fat: 19,
      data_points: [{ week: 0, date: '2026-01-01T07:00:00Z', body_fat_percentage: 19.8, weight_kg: 85 }],
      moving_average_4week: [],
      trend_line: null,
      velocity: { current_rate: null, expected_rate: -0.2, is_on_pace: false },
      projection_comparison: null,
      forecast: { ...TWO_CHECK_INS.forecast, observed: null },
    };
    const s = chartSeries(trends, 'metric', projection);
    expect(s.plan).toEqual([
      { x: 0, y: 19.8 },
      { x: 1, y: 19.4 },
      { x: 2, y: 19 },
    ]);
    expect(s.planLow.map((p) => p.y)).toEqual([19.8, 19.3, 18.8]);
    expect(s.planHigh.map((p) => p.y)).toEqual([19.8, 19.5, 19.2]);
    expect(s.xMax).toBe(2);
    expect(s.limit).toEqual([
      { x: 0, y: 19 },
      { x: 2, y: 19 },
    ]);
    // The dashboard's plan wording, with the 80 % interval's ends (goalOutlook.ts, planSentence).
    expect(projectionSummary(projection, 19)).toBe('19.0 % in about 2 weeks (2–3) on your plan.');
    expect(projectionSummary({ ...projection, weeks_to_goal: null }, 19)).toMatch(/does not reach/);
  });

  it('says how the trend compares with the plan', () => {
    const c: ProjectionComparison = {
      status: 'ahead',
      basis: 'body_fat',
      as_of: '2026-02-12',
      days_since_start: 42,
      observed_body_fat_percentage: 18,
      expected_body_fat_percentage: 18.7,
      by_body_fat_points: 0.7,
      observed_weight_kg: 82,
      expected_weight_kg: 83.4,
      by_weight_kg: 1.4,
      by_days: 25,
      tolerance: 0.5,
    };
    // No days: how long is left is the forecast's to say, once.
    expect(comparisonText(c)).toBe('Ahead of the plan by 0.7 points.');
    expect(comparisonText({ ...c, status: 'behind', by_body_fat_points: -0.9, by_days: -1 })).toBe('Behind the plan by 0.9 points.');
    expect(comparisonText({ ...c, status: 'on_track' })).toBe('On track with the plan: within 0.5 points of where it expected you.');
  });

  it('draws raw weigh-ins as points and the trend over every day, and the expenditure with its band', () => {
    const series: WeightSeries = {
      from: '2026-01-01',
      to: '2026-01-03',
      weekly_rate_kg: -0.42,
      weights: [
        { date: '2026-01-01', weight_kg: 85, source: 'manual', interpolated_kg: 85, trend_weight_kg: 85 },
        { date: '2026-01-02', weight_kg: null, source: null, interpolated_kg: 84.8, trend_weight_kg: 84.98 },
        { date: '2026-01-03', weight_kg: 84.6, source: 'manual', interpolated_kg: 84.6, trend_weight_kg: 84.94 },
      ],
    };
    const s = weightSeries(series, 'metric');
    expect(s.raw.map((p) => [p.x, p.y])).toEqual([
      [0, 85],
      [2, 84.6],
    ]);
    expect(s.trend.map((p) => p.x)).toEqual([0, 1, 2]);
    expect(weightSummary(series, 'metric', '2026-01-04')).toBe('Trend weight 84.9 kg. Trend down 0.42 kg a week.');
    // Weighed today: the scale's weight beside the one current weight, the trend.
    expect(weightSummary(series, 'metric', '2026-01-03')).toBe(
      'Trend weight 84.9 kg (84.6 kg on the scale today). Trend down 0.42 kg a week.',
    );
    const e: Expenditure = {
      as_of: '2026-01-03',
      tdee_kcal: 2610,
      tdee_low_kcal: 2480,
      tdee_high_kcal: 2740,
      data_days: 35,
      method: 'adaptive',
      equation_tdee_kcal: 2798,
      data_weight: 1,
      window: {
        start_date: '2025-11-30',
        end_date: '2026-01-03',
        days: 35,
        intake_days: 35,
        incomplete_days: 0,
        weigh_in_days: 30,
        mean_intake_kcal: 2150,
        weight_change_kg_per_week: -0.42,
        observed_tdee_kcal: 2600,
      },
      series: [
        { date: '2026-01-02', tdee_kcal: 2620, tdee_low_kcal: 2470, tdee_high_kcal: 2770, method: 'adaptive', estimated_weight_kg: 84.98 },
        { date: '2026-01-03', tdee_kcal: 2610, tdee_low_kcal: 2480, tdee_high_kcal: 2740, method: 'adaptive', estimated_weight_kg: 84.94 },
      ],
    };
    expect(expenditureSeries(e)).toEqual({
      estimate: [
        { x: 0, y: 2620 },
        { x: 1, y: 2610 },
      ],
      low: [
        { x: 0, y: 2470 },
        { x: 1, y: 2480 },
      ],
      high: [
        { x: 0, y: 2770 },
        { x: 1, y: 2740 },
      ],
    });
    expect(expenditureSummary(e)).toBe('About 2,610 kcal a day (likely 2,480–2,740 kcal). Measured from 35 days of your logs.');
    expect(expenditureSummary({ ...e, method: 'equation', data_days: 0 })).toMatch(/profile only/);
    expect(todayValue(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
    // Days logged only partly are left out of the estimate, and it says so.
    const partial = { ...e, data_days: 32, window: { ...e.window, days: 28, intake_days: 25, incomplete_days: 3 } };
    expect(expenditureSummary(partial)).toBe(
      'About 2,610 kcal a day (likely 2,480–2,740 kcal). Measured from 32 days of your logs. Left out: 3 partial days of the last 28.',
    );
    expect(expenditureSummary({ ...partial, method: 'equation', window: { ...partial.window, incomplete_days: 1 } })).toMatch(
      /profile only: .*\. Left out: 1 partial day of the last 28\.$/,
    );
  });
});

describe('logged days', () => {
  const day: Intake = {
    date: '2026-01-05',
    calories: 2150,
    protein_g: 150,
    carbs_g: null,
    fat_g: 70.5,
    complete: true,
    source: 'import',
    updated_at: '2026-01-05T20:00:00.000Z',
  };

  it('names the macros logged with a day', () => {
    expect(macrosText(day)).toBe('150 g protein, 70.5 g fat');
    expect(macrosText({ protein_g: null, carbs_g: null, fat_g: null })).toBe('');
  });

  it('sends the whole day again when only Complete changes: a PUT replaces the day', () => {
    expect(intakeWithComplete(day, false)).toEqual({ calories: 2150, protein_g: 150, carbs_g: null, fat_g: 70.5, complete: false });
    expect(intakeWithComplete({ ...day, complete: false }, true)).toMatchObject({ calories: 2150, complete: true });
  });

  it('counts the days logged (for the suggestion to import) once each, with a weigh-in, food or both; a day of trend alone is not logged', () => {
    const weights = {
      weights: [
        { date: '2026-11-01', weight_kg: 80, trend_weight_kg: 80 },
        { date: '2026-11-02', weight_kg: null, trend_weight_kg: 80 },
        { date: '2026-11-03', weight_kg: 79.8, trend_weight_kg: 79.9 },
      ],
    } as WeightSeries;
    const intake = { intake: [{ date: '2026-11-03' }, { date: '2026-11-04' }] } as IntakeList;
    expect(daysLogged(weights, intake)).toBe(3);
  });
});
