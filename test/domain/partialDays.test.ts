import { describe, expect, it } from 'vitest';
import { completeDays, DINNER_FROM_MINUTES, isDinnerTimeMeal, medianCalories } from '../../src/domain/index.ts';

const meal = (name: string | null, minutesAfterMidnight: number | null = null) => ({ name, minutesAfterMidnight });

describe('partial days (docs/SCIENCE.md, Partial days)', () => {
  it("the evening meal: named so in the diaries' languages, or eaten at 17:00 or later", () => {
    for (const name of ['Dinner', 'dinner', 'Supper', 'Abendessen', 'Dîner', 'Cena', 'Jantar', 'Avondeten', 'Ужин', 'Late dinner']) {
      expect(isDinnerTimeMeal(meal(name)), name).toBe(true);
    }
    for (const name of ['Breakfast', 'Lunch', 'Snacks', 'Meal 4', 'Dinnerware', 'Uncategorized', '']) {
      expect(isDinnerTimeMeal(meal(name)), name).toBe(false);
    }
    expect(isDinnerTimeMeal(meal(null))).toBe(false);
    expect(DINNER_FROM_MINUTES).toBe(17 * 60);
    expect(isDinnerTimeMeal(meal('Snacks', 17 * 60))).toBe(true);
    expect(isDinnerTimeMeal(meal('Snacks', 17 * 60 - 1))).toBe(false);
    expect(isDinnerTimeMeal(meal('Dinner', 12 * 60))).toBe(true); // the name is enough
  });

  it('the median of the day totals', () => {
    expect(medianCalories([])).toBeNull();
    expect(medianCalories([{ calories: 300, hasDinner: false }])).toBe(300);
    expect(medianCalories([2000, 900, 2200, 2100].map((calories) => ({ calories, hasDinner: false })))).toBe(2050);
    expect(medianCalories([2100, 350, 1000, 2510, 2100].map((calories) => ({ calories, hasDinner: false })))).toBe(2100);
  });

  it('partial: no evening meal AND under half the median; either alone is an ordinary day', () => {
    const days = [
      { calories: 2100, hasDinner: true },
      { calories: 2150, hasDinner: true },
      { calories: 1049, hasDinner: false }, // under 1050: partial
      { calories: 1050, hasDinner: false }, // exactly half: complete
      { calories: 600, hasDinner: true }, // a light day with dinner: complete
      { calories: 2500, hasDinner: false }, // dinner skipped on a full day: complete
      { calories: 2200, hasDinner: true },
    ];
    // Median of 600, 1049, 1050, 2100, 2150, 2200, 2500 is 2100.
    expect(completeDays(days)).toEqual([true, true, false, true, true, true, true]);
  });

  it('one day alone is its own median and so complete; no days, no flags', () => {
    expect(completeDays([{ calories: 200, hasDinner: false }])).toEqual([true]);
    expect(completeDays([])).toEqual([]);
  });
});
