import { Type } from 'typebox';
import { InputEnum, Nullable, OutputEnum, Paging, Uuid } from '../../http/schemas.ts';

export const GoalTypeInput = InputEnum(['cutting', 'bulking'] as const);
export const GoalStatusInput = InputEnum(['active', 'completed', 'abandoned'] as const, { cancelled: 'abandoned' }, '`cancelled` is accepted as an alias of `abandoned`');

const bodyFatGoal = (description: string) => Type.Optional(Nullable(Type.Number({ minimum: 3, maximum: 50, description })));

export const CreateGoalBody = Type.Object({
  goal_type: GoalTypeInput.schema,
  initial_measurement_id: Uuid,
  target_body_fat_percentage: bodyFatGoal('Cutting only: the body fat to reach'),
  ceiling_body_fat_percentage: bodyFatGoal('Bulking only: the body fat at which the bulk ends'),
});

export const UpdateGoalBody = Type.Object({ status: GoalStatusInput.schema });
export const GoalParams = Type.Object({ goal_id: Uuid });
export const GoalListQuery = Type.Object({ status: Type.Optional(GoalStatusInput.schema), ...Paging });

export const Goal = Type.Object({
  id: Uuid,
  user_id: Uuid,
  initial_measurement_id: Uuid,
  goal_type: OutputEnum(['cutting', 'bulking'] as const),
  status: OutputEnum(['active', 'completed', 'abandoned'] as const),
  initial_body_fat_percentage: Type.Number(),
  initial_weight_kg: Type.Number(),
  target_body_fat_percentage: Nullable(Type.Number()),
  ceiling_body_fat_percentage: Nullable(Type.Number()),
  target_calories: Type.Integer({ description: 'kcal per day; follows progress (decision 9)' }),
  estimated_weeks_to_goal: Nullable(Type.Integer()),
  current_body_fat_percentage: Type.Number(),
  progress_percentage: Type.Number(),
  weeks_elapsed: Type.Integer(),
  is_on_track: Type.Boolean(),
  started_at: Type.String({ format: 'date-time' }),
  completed_at: Nullable(Type.String({ format: 'date-time' })),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const GoalList = Type.Object({ goals: Type.Array(Goal), total: Type.Integer() });
