/** Reading the plans' free-form details (plan_details, meal_timing) defensively: they are JSON objects. */
export interface Exercise {
  name: string;
  sets: string;
  reps: string;
  rest: string | null;
}
export interface CardioActivity {
  type: string;
  duration: string | null;
  intensity: string | null;
  examples: string[];
}

const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const str = (value: unknown): string | null => (typeof value === 'string' || typeof value === 'number' ? String(value) : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function strength(details: Record<string, unknown>) {
  const s = obj(details.strength_training);
  return {
    description: str(s.description),
    progression: str(s.progression),
    notes: str(s.notes),
    exercises: list(s.exercises).map((e): Exercise => {
      const x = obj(e);
      return { name: str(x.name) ?? 'Exercise', sets: str(x.sets) ?? '', reps: str(x.reps) ?? '', rest: str(x.rest) };
    }),
  };
}

export function cardio(details: Record<string, unknown>) {
  const c = obj(details.cardio);
  return {
    frequency: str(c.frequency),
    description: str(c.description),
    notes: str(c.notes),
    activities: list(c.activities).map((a): CardioActivity => {
      const x = obj(a);
      return {
        type: str(x.type) ?? 'Cardio',
        duration: str(x.duration),
        intensity: str(x.intensity),
        examples: list(x.examples)
          .map(str)
          .filter((e): e is string => e !== null),
      };
    }),
  };
}

export function recovery(details: Record<string, unknown>) {
  const r = obj(details.recovery);
  return { restDays: str(r.rest_days), sleep: str(r.sleep_target), notes: str(r.notes) };
}

export function mealTiming(timing: Record<string, unknown> | null) {
  const t = obj(timing);
  const window = (value: unknown) => {
    const w = obj(value);
    return {
      timing: str(w.timing),
      macros: str(w.macros),
      examples: list(w.examples)
        .map(str)
        .filter((e): e is string => e !== null),
    };
  };
  return { mealsPerDay: str(t.meals_per_day), notes: str(t.notes), preWorkout: window(t.pre_workout), postWorkout: window(t.post_workout) };
}
