import { describe, expect, it } from 'vitest';
import { dietPlan, trainingPlan } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

type Details = {
  strength_training: { frequency: number; exercises: { name: string; sets: string; reps: string; rest: string }[]; progression: string };
  cardio: { frequency: number; activities: { type: string; duration: string; intensity: string; examples: string[] }[] };
  recovery: { rest_days: number; sleep_target: string };
};

describe('trainingPlan', () => {
  it('cutting: 3 strength sessions, 2 cardio, 2 rest days', () => {
    const plan = trainingPlan('cutting');
    expect(plan.workoutFrequency).toBe(3);
    expect(plan.primaryFocus).toBe('Fat Loss & Muscle Preservation');
    const d = plan.planDetails as Details;
    expect(d.strength_training.frequency).toBeGreaterThanOrEqual(3);
    expect(d.cardio.frequency).toBeGreaterThanOrEqual(2);
    expect(d.strength_training.exercises.map((e) => e.name)).toEqual([
      'Squats',
      'Deadlifts',
      'Bench Press',
      'Overhead Press',
      'Barbell Rows',
    ]);
    expect(d.strength_training.exercises[1]).toEqual({ name: 'Deadlifts', sets: '3', reps: '5-6', rest: '3 min' });
    expect(d.cardio.activities.map((a) => a.type)).toEqual(['LISS', 'HIIT']);
    expect(d.recovery).toMatchObject({ rest_days: 2, sleep_target: '7-9 hours' });
  });

  it('bulking: 5 strength sessions, minimal cardio, 1 rest day', () => {
    const plan = trainingPlan('bulking');
    expect(plan.workoutFrequency).toBe(5);
    expect(plan.primaryFocus).toBe('Muscle Growth & Strength');
    const d = plan.planDetails as Details;
    expect(d.strength_training.frequency).toBeGreaterThanOrEqual(4);
    expect(d.cardio.frequency).toBeLessThanOrEqual(2);
    expect(d.strength_training.exercises).toHaveLength(7);
    expect(d.recovery).toMatchObject({ rest_days: 1, sleep_target: '8-9 hours' });
    expect(d.strength_training.progression).toContain('2.5-5 %');
  });

  it('keeps the stored types: frequency 1–7, string sets/reps/rest, focus ≤ 100 characters', () => {
    for (const goalType of ['cutting', 'bulking'] as const) {
      const plan = trainingPlan(goalType);
      expect(plan.workoutFrequency).toBeGreaterThanOrEqual(2);
      expect(plan.workoutFrequency).toBeLessThanOrEqual(7);
      expect(plan.primaryFocus.length).toBeLessThanOrEqual(100);
      for (const e of (plan.planDetails as Details).strength_training.exercises) {
        expect([typeof e.sets, typeof e.reps, typeof e.rest]).toEqual(['string', 'string', 'string']);
      }
    }
  });
});

describe('dietPlan (macros: docs/SCIENCE.md 4)', () => {
  it('carries the target, the macros and snake_case meal timing', () => {
    const plan = dietPlan({ goalType: 'cutting', calories: 2427, weightKg: 90, bodyFatPct: 24.09 });
    expect(plan).toMatchObject({ dailyCalorieTarget: 2427, proteinGrams: 184, carbsGrams: 272, fatGrams: 67 });
    expect(plan.mealTiming.meals_per_day).toBe('3-4');
    expect(Object.keys(plan.mealTiming)).toEqual(['meals_per_day', 'pre_workout', 'post_workout', 'notes']);
    expect(plan.mealTiming.pre_workout).toHaveProperty('timing');
    expect(dietPlan({ goalType: 'bulking', calories: 2767, weightKg: 70, bodyFatPct: 10.23 }).mealTiming.meals_per_day).toBe('4-5');
  });

  it('shows the calorie TARGET in the guidelines, not the macro sum', () => {
    // 1207 kcal target; the macros add up to 1208 kcal
    const plan = dietPlan({ goalType: 'cutting', calories: 1207, weightKg: 80, bodyFatPct: 40 });
    expect(plan.guidelines).toContain('**Calories:** 1207 kcal');
    expect(plan.guidelines).not.toContain('1208');
    expect(plan.guidelines).toContain('**Protein:** 130 g (43.1 % of calories)'); // 520 / 1207
    expect(plan.guidelines).toMatch(/^# Cutting Phase/);
  });

  it('has the guideline sections of each phase', () => {
    const cut = dietPlan({ goalType: 'cutting', calories: 2427, weightKg: 90, bodyFatPct: 24.09 }).guidelines;
    expect(cut).toContain('30-40 g');
    expect(cut).toContain('20 % of calories');
    expect(cut).toContain('3-4 L');
    expect(cut).toContain('Caffeine');
    expect(cut).not.toContain('Meal frequency');
    const bulk = dietPlan({ goalType: 'bulking', calories: 2767, weightKg: 70, bodyFatPct: 10.23 }).guidelines;
    expect(bulk).toContain('50-70 g');
    expect(bulk).toContain('60-90 g');
    expect(bulk).toContain('3-5 meals');
    expect(bulk).toContain('0.25-0.5 %');
    expect(bulk).toContain('Creatine');
  });

  it('does not share meal_timing objects between plans', () => {
    const a = dietPlan({ goalType: 'cutting', calories: 2427, weightKg: 90, bodyFatPct: 24.09 });
    (a.mealTiming as Record<string, unknown>).meals_per_day = 'changed';
    expect(dietPlan({ goalType: 'cutting', calories: 2427, weightKg: 90, bodyFatPct: 24.09 }).mealTiming.meals_per_day).toBe('3-4');
  });

  it('refuses a calorie target outside 1200–5000 or not whole', () => {
    for (const calories of [1199, 5001, 2000.5]) {
      expect(domainError(() => dietPlan({ goalType: 'cutting', calories, weightKg: 80, bodyFatPct: 20 })).code).toBe(
        'calorie_target_out_of_range',
      );
    }
  });
});
