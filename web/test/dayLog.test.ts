/** The Daily log's days and what Save changes (web/src/dayLog.ts), and History's measurement sites (web/src/history.ts). */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.ts';
import type { Intake, IntakeList, Measurement, WeightSeries } from '../src/api/types.ts';
import { dayChanges, dayFields, ignoreGone, type LoggedDay, loggedDays } from '../src/dayLog.ts';
import { measurementSites } from '../src/history.ts';

const intake = (date: string, fields: Partial<Intake> = {}): Intake => ({
  date,
  calories: 2150,
  protein_g: 150,
  carbs_g: null,
  fat_g: 70.5,
  complete: true,
  source: 'manual',
  updated_at: `${date}T08:00:00Z`,
  ...fields,
});

describe('the Daily log’s days', () => {
  it('lists every day with a weight or food once, newest first, and leaves out the days the trend fills in', () => {
    const weights = {
      weights: [
        { date: '2026-11-01', weight_kg: 80, source: 'manual', interpolated_kg: 80, trend_weight_kg: 80 },
        { date: '2026-11-02', weight_kg: null, source: null, interpolated_kg: 79.9, trend_weight_kg: 80 },
        { date: '2026-11-03', weight_kg: 79.8, source: 'measurement', interpolated_kg: 79.8, trend_weight_kg: 79.9 },
      ],
    } as WeightSeries;
    const food = { intake: [intake('2026-11-03'), intake('2026-11-04', { complete: false })] } as IntakeList;
    const days = loggedDays(weights, food);
    expect(days.map((d) => d.date)).toEqual(['2026-11-04', '2026-11-03', '2026-11-01']);
    expect(days[0]).toMatchObject({ weightKg: null, fromMeasurement: false, intake: { complete: false } });
    expect(days[1]).toMatchObject({ weightKg: 79.8, fromMeasurement: true, intake: { calories: 2150 } });
    expect(days[2]).toEqual({ date: '2026-11-01', weightKg: 80, fromMeasurement: false, intake: null });
  });

  it('fills the form with the saved values, in pounds to a tenth; an unlogged day has empty boxes and Complete ticked', () => {
    const day: LoggedDay = {
      date: '2026-11-03',
      weightKg: 83.4,
      fromMeasurement: false,
      intake: intake('2026-11-03', { complete: false }),
    };
    expect(dayFields(day, 'metric')).toEqual({
      weight_kg: '83.4',
      calories: '2150',
      protein_g: '150',
      carbs_g: '',
      fat_g: '70.5',
      complete: false,
    });
    expect(dayFields(day, 'imperial').weight_kg).toBe('183.9');
    expect(dayFields(null, 'metric')).toEqual({ weight_kg: '', calories: '', protein_g: '', carbs_g: '', fat_g: '', complete: true });
  });

  it('saves only what was changed, and deletes what was emptied', () => {
    const before = dayFields({ date: '2026-11-03', weightKg: 83.4, fromMeasurement: false, intake: intake('2026-11-03') }, 'imperial');
    expect(dayChanges(before, { ...before })).toEqual({ weight: 'keep', intake: 'keep' });
    // A weight shown in pounds and left alone is not rounded and sent back.
    expect(dayChanges(before, { ...before, calories: '2250' })).toEqual({ weight: 'keep', intake: 'save' });
    expect(dayChanges(before, { ...before, complete: false })).toEqual({ weight: 'keep', intake: 'save' });
    expect(dayChanges(before, { ...before, weight_kg: '183' })).toEqual({ weight: 'save', intake: 'keep' });
    expect(dayChanges(before, { ...before, weight_kg: ' ', calories: '', protein_g: '', fat_g: '' })).toEqual({
      weight: 'delete',
      intake: 'delete',
    });
    const empty = dayFields(null, 'metric');
    expect(dayChanges(empty, { ...empty, weight_kg: '80' })).toEqual({ weight: 'save', intake: 'keep' });
    // Complete unticked without food: there is nothing to save.
    expect(dayChanges(empty, { ...empty, complete: false })).toEqual({ weight: 'keep', intake: 'keep' });
  });

  it('takes a 404 to a DELETE as done, and passes any other failure on', async () => {
    const problem = (status: number) => new ApiError({ status, detail: 'Not there' });
    await expect(ignoreGone(problem(404))).resolves.toBeUndefined();
    await expect(ignoreGone(problem(409))).rejects.toBeInstanceOf(ApiError);
    await expect(ignoreGone(new TypeError('offline'))).rejects.toBeInstanceOf(TypeError);
  });
});

describe('History’s measurement sites', () => {
  const none = {
    waist_cm: null,
    neck_cm: null,
    hip_cm: null,
    chest_mm: null,
    abdomen_mm: null,
    thigh_mm: null,
    tricep_mm: null,
    suprailiac_mm: null,
    midaxillary_mm: null,
    subscapular_mm: null,
  };
  it('names the tape sites in the display unit and the skinfolds in millimetres', () => {
    const navy = { ...none, waist_cm: 84, neck_cm: 33, hip_cm: 104 } as Measurement;
    expect(measurementSites(navy, 'metric')).toBe('Waist 84.0 cm, Neck 33.0 cm, Hip 104.0 cm');
    expect(measurementSites(navy, 'imperial')).toBe('Waist 33.1 in, Neck 13.0 in, Hip 40.9 in');
    const skinfolds = { ...none, chest_mm: 12, abdomen_mm: 20.5, thigh_mm: 15 } as Measurement;
    expect(measurementSites(skinfolds, 'imperial')).toBe('Chest 12.0 mm, Abdomen 20.5 mm, Thigh 15.0 mm');
  });
});
