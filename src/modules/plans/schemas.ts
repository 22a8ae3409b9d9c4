import { Type } from 'typebox';
import { NullableOut, Uuid } from '../../core/schemas.ts';

export const TrainingPlan = Type.Object({
  id: Uuid,
  goal_id: Uuid,
  workout_frequency: Type.Integer({ minimum: 1, maximum: 7, description: 'Strength sessions per week' }),
  primary_focus: Type.String(),
  plan_details: Type.Object({}, { additionalProperties: true, description: 'strength_training, cardio and recovery' }),
  notes: NullableOut(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const DietPlan = Type.Object({
  id: Uuid,
  goal_id: Uuid,
  daily_calorie_target: Type.Integer(),
  protein_grams: Type.Integer(),
  carbs_grams: Type.Integer(),
  fat_grams: Type.Integer(),
  meal_timing: NullableOut(Type.Object({}, { additionalProperties: true })),
  guidelines: Type.String({ description: 'Markdown' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});
