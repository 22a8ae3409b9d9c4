import { describe, expect, it } from 'vitest';
import { ADAPTATION_STEP_KCAL, adaptationRate, calorieAdjustment } from '../../src/domain/index.ts';
import { day } from './helpers.ts';

describe('calorieAdjustment: one modest step when clearly off the expected rate', () => {
  it('cutting: too slow or gaining -> 100 kcal more deficit; over 1 point/week -> 100 less', () => {
    expect(ADAPTATION_STEP_KCAL).toBe(100);
    expect(calorieAdjustment('cutting', -0.05)).toBe(-100);
    expect(calorieAdjustment('cutting', 0.3)).toBe(-100);
    expect(calorieAdjustment('cutting', -0.09)).toBe(0);
    expect(calorieAdjustment('cutting', -0.6)).toBe(0);
    expect(calorieAdjustment('cutting', -1.2)).toBe(100);
    expect(calorieAdjustment('cutting', null)).toBe(0);
  });

  it('bulking: too slow -> 100 kcal more surplus; over 0.5 points/week -> 100 less', () => {
    expect(calorieAdjustment('bulking', 0.01)).toBe(100);
    expect(calorieAdjustment('bulking', -0.2)).toBe(100);
    expect(calorieAdjustment('bulking', 0.2)).toBe(0);
    expect(calorieAdjustment('bulking', 0.7)).toBe(-100);
  });
});

describe('adaptationRate', () => {
  it('waits for two weeks of data, then gives the least-squares slope', () => {
    const initial = { measuredAt: day(0), bodyFatPct: 24, weightKg: 90 };
    expect(adaptationRate([initial])).toBeNull();
    expect(adaptationRate([initial, { measuredAt: day(13), bodyFatPct: 23, weightKg: 89 }])).toBeNull();
    expect(adaptationRate([initial, { measuredAt: day(14), bodyFatPct: 23.4, weightKg: 89 }])).toBeCloseTo(-0.3, 10);
  });
});
