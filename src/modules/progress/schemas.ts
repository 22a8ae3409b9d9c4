import { Type } from 'typebox';
import { Nullable, OutputEnum, Paging, Uuid } from '../../http/schemas.ts';

export const LogProgressBody = Type.Object({
  measurement_id: Uuid,
  notes: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
});

export const ProgressEntry = Type.Object({
  id: Uuid,
  goal_id: Uuid,
  measurement_id: Uuid,
  week_number: Type.Integer({ minimum: 0, description: 'Whole weeks since the goal\'s initial measurement' }),
  body_fat_percentage: Type.Number(),
  weight_kg: Type.Number(),
  body_fat_change: Type.Number({ description: 'Points since the previous check-in; negative is a loss' }),
  weight_change_kg: Type.Number(),
  is_on_track: Type.Boolean(),
  notes: Nullable(Type.String()),
  measured_at: Type.String({ format: 'date-time' }),
  logged_at: Type.String({ format: 'date-time' }),
  created_at: Type.String({ format: 'date-time' }),
  ceiling_warning: Nullable(Type.String()),
  rate_warning: Nullable(Type.String()),
});

export const HistoryQuery = Type.Object(Paging);

const Point = Type.Object({ week: Type.Number(), date: Type.String({ format: 'date-time' }), body_fat_percentage: Type.Number(), weight_kg: Type.Number() });

export const Trends = Type.Object({
  goal_id: Uuid,
  progress_percentage: Type.Number(),
  weeks_elapsed: Type.Integer({ description: 'Calendar weeks since the initial measurement' }),
  is_on_track: Type.Boolean(),
  weekly_bf_change_avg: Type.Number(),
  weekly_weight_change_avg: Type.Number(),
  trend: OutputEnum(['improving', 'plateau', 'worsening', 'insufficient_data'] as const),
  adjustment_suggestion: Nullable(Type.String()),
  estimated_weeks_remaining: Nullable(Type.Integer()),
  initial_body_fat: Type.Number(),
  current_body_fat: Type.Number(),
  target_body_fat: Nullable(Type.Number()),
  data_points: Type.Array(Point),
  moving_average_4week: Type.Array(Type.Object({ week: Type.Number(), value: Type.Number() })),
  trend_line: Nullable(Type.Object({ slope: Type.Number(), intercept: Type.Number(), projected_completion_week: Nullable(Type.Number()) })),
  velocity: Type.Object({ current_rate: Nullable(Type.Number()), expected_rate: Type.Number(), is_on_pace: Type.Boolean() }),
});
