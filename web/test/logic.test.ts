/** The web app's pure logic: unit conversions, error wording and placement, method sites, the chart's series and sentence. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.ts';
import type { Trends } from '../src/api/types.ts';
import { chartSeries, chartSummary } from '../src/components/chartSeries.ts';
import { convertHeight, heightCm } from '../src/components/heightField.tsx';
import { measurementBody, parseNumber } from '../src/components/measurementForm.tsx';
import { plainMessage, toFormErrors } from '../src/errors.ts';
import { sitesFor } from '../src/methods.ts';
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
    expect(plainMessage('weight_kg', 'must be >= 30', 'imperial')).toBe('Must be at least 66.1 lb.');
    expect(plainMessage('height_cm', 'must be <= 250', 'metric')).toBe('Must be at most 250 cm.');
    expect(plainMessage('chest_mm', 'must be >= 1', 'imperial')).toBe('Must be at least 1 mm.');
    expect(plainMessage('password', 'must NOT have fewer than 8 characters', 'metric')).toBe('Must be at least 8 characters.');
    expect(plainMessage('email', 'must match format "email"', 'metric')).toMatch(/email address/);
    expect(plainMessage('weight_kg', 'Field required', 'metric')).toBe('This is required.');
  });

  it('puts field errors next to their field and the rest at the top', () => {
    const schema = new ApiError({ status: 422, detail: 'The request has fields that failed validation', code: 'validation_failed', errors: [{ field: 'body.weight_kg', message: 'must be <= 300' }] });
    expect(toFormErrors(schema, ['weight_kg'], 'metric')).toEqual({ top: 'Please correct the field marked below.', fields: { weight_kg: 'Must be at most 300 kg.' } });

    const unsafe = new ApiError({ status: 400, detail: 'A target of 5 % is too low to be safe.', code: 'target_below_safe_minimum' });
    expect(toFormErrors(unsafe, ['target_body_fat_percentage'], 'metric').fields).toEqual({ target_body_fat_percentage: 'A target of 5 % is too low to be safe.' });

    const conflict = new ApiError({ status: 409, detail: 'You already have an active goal', code: 'active_goal_exists' });
    expect(toFormErrors(conflict, ['target_body_fat_percentage'], 'metric')).toEqual({ top: 'You already have an active goal', fields: {} });

    const elsewhere = new ApiError({ status: 422, detail: 'The navy method needs waist_cm.', code: 'missing_sites', errors: [{ field: 'body', message: 'The navy method needs waist_cm.' }] });
    expect(toFormErrors(elsewhere, ['weight_kg'], 'metric').top).toBe('The navy method needs waist_cm.');
  });
});

describe('the chart', () => {
  const trends: Trends = {
    goal_id: 'g', progress_percentage: 22, weeks_elapsed: 2, is_on_track: true, weekly_bf_change_avg: -0.85, weekly_weight_change_avg: -0.85,
    trend: 'improving', adjustment_suggestion: null, estimated_weeks_remaining: 7, initial_body_fat: 19.8, current_body_fat: 18.1, target_body_fat: 12,
    data_points: [
      { week: 0, date: '2026-01-01T07:00:00Z', body_fat_percentage: 19.8, weight_kg: 85 },
      { week: 1, date: '2026-01-08T07:00:00Z', body_fat_percentage: 18.9, weight_kg: 84.1 },
      { week: 2, date: '2026-01-15T07:00:00Z', body_fat_percentage: 18.1, weight_kg: 83.3 },
    ],
    moving_average_4week: [],
    trend_line: { slope: -0.85, intercept: 19.78, projected_completion_week: 9.15 },
    velocity: { current_rate: -0.85, expected_rate: -0.5, is_on_pace: true },
  };

  it('places points by weeks since the start and draws the trend, the projection and the target', () => {
    const s = chartSeries(trends, 'metric');
    expect(s.bodyFat.map((p) => p.x)).toEqual([0, 1, 2]);
    expect(s.trend).toEqual([{ x: 0, y: 19.78 }, { x: 2, y: 18.08 }]);
    expect(s.projection).toEqual([{ x: 2, y: 18.08 }, { x: 9.15, y: 12 }]);
    expect(s.limit).toEqual([{ x: 0, y: 12 }, { x: 9.15, y: 12 }]);
    expect(chartSeries(trends, 'imperial').weight[0]?.y).toBe(187.39);
  });

  it('says the same in a sentence', () => {
    expect(chartSummary(trends, 'cutting', 'metric')).toBe(
      'Body fat 18.1 %, down 1.7 points in 2 weeks. Weight 83.3 kg, down 1.7 kg. Average change −0.85 points a week. Your target is 12.0 %.',
    );
    expect(chartSummary({ ...trends, data_points: trends.data_points.slice(0, 1) }, 'bulking', 'imperial')).toBe(
      'Body fat 19.8 %, weight 187.4 lb, at the start of your goal. Your ceiling is 12.0 %.',
    );
  });
});
