import { Type } from 'typebox';
import { Nullable, NullableOut, OutputEnum, Paging, Uuid } from '../../core/schemas.ts';
import { targetReasonEnum } from '../../db/schema.ts';
import { Forecast } from '../goals/schemas.ts';

export const LogProgressBody = Type.Object({
  measurement_id: Uuid,
  notes: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  replace: Type.Optional(
    Type.Boolean({
      description: "Replace the goal's check-in of the same day instead of refusing with check_in_same_day (docs/DESIGN.md, 'Check-ins')",
    }),
  ),
});

export const EntryParams = Type.Object({ goal_id: Uuid, entry_id: Uuid });

export const ProgressEntry = Type.Object({
  id: Uuid,
  goal_id: Uuid,
  measurement_id: Uuid,
  week_number: Type.Integer({ minimum: 0, description: "Whole weeks since the goal's initial measurement" }),
  body_fat_percentage: Type.Number(),
  weight_kg: Type.Number(),
  body_fat_change: Type.Number({ description: 'Points since the previous check-in; negative is a loss' }),
  weight_change_kg: Type.Number(),
  is_on_track: Type.Boolean(),
  notes: NullableOut(Type.String()),
  measured_at: Type.String({ format: 'date-time' }),
  logged_at: Type.String({ format: 'date-time' }),
  created_at: Type.String({ format: 'date-time' }),
  ceiling_warning: NullableOut(Type.String()),
  rate_warning: NullableOut(Type.String()),
});

export const GoalTarget = Type.Object({
  date: Type.String({ format: 'date', description: 'The (UTC) day the target took effect' }),
  calories: Type.Integer(),
  expenditure_kcal: NullableOut(Type.Integer({ description: 'The expenditure estimate behind it' })),
  reason: Type.String({ description: 'Why it is what it is, as a sentence a person reads' }),
  reason_code: OutputEnum(targetReasonEnum.enumValues),
  previous_calories: NullableOut(Type.Integer({ description: 'The target before this row' })),
  previous_expenditure_kcal: NullableOut(
    Type.Integer({ description: 'The expenditure estimate the previous target was set from (kept rows carry it on)' }),
  ),
  raw_calories: NullableOut(Type.Integer({ description: "The check-in's target before smoothing (docs/SCIENCE.md 3.4)" })),
  weekly_rate_percent: Type.Number(),
  progress_entry_id: NullableOut(Uuid),
});

export const CheckInResult = Type.Object({
  ...ProgressEntry.properties,
  target_change: GoalTarget,
});

export const HistoryQuery = Type.Object(Paging);

const Point = Type.Object({
  week: Type.Number(),
  date: Type.String({ format: 'date-time' }),
  body_fat_percentage: Type.Number(),
  weight_kg: Type.Number(),
});

const ProjectionComparison = Type.Object(
  {
    status: OutputEnum(['ahead', 'on_track', 'behind'] as const),
    basis: OutputEnum(['body_fat', 'weight'] as const),
    as_of: Type.String({ format: 'date', description: 'The day of the latest check-in' }),
    days_since_start: Type.Integer({ minimum: 0, description: "Days from the projection's start to as_of" }),
    observed_body_fat_percentage: Type.Number({ description: "Trend (0.1 smoothing) of the check-ins' body fat" }),
    expected_body_fat_percentage: Type.Number({ description: 'The projection at as_of, seen through the same smoothing' }),
    by_body_fat_points: Type.Number({ description: 'Points further towards the goal than projected; negative = behind' }),
    observed_weight_kg: Type.Number(),
    expected_weight_kg: Type.Number(),
    by_weight_kg: Type.Number({ description: "kg further in the goal's direction than projected; negative = behind" }),
    by_days: NullableOut(Type.Integer({ description: 'Days ahead of the projection (negative = behind); null when past its end' })),
    tolerance: Type.Number({ description: "The on-track band in the basis' unit (a quarter of the projected change, at least 0.5)" }),
  },
  {
    description: "The observed trend against the goal's energy-balance projection; null before the first check-in or without a projection",
  },
);

export const Trends = Type.Object({
  goal_id: Uuid,
  progress_percentage: Type.Number(),
  weeks_elapsed: Type.Integer({ description: 'Calendar weeks since the initial measurement' }),
  is_on_track: Type.Boolean(),
  weekly_bf_change_avg: Type.Number(),
  weekly_weight_change_avg: Type.Number({
    description:
      "kg per week: forecast.weekly_weight_rate_kg (the trend weight's slope over 28 days) when daily weights give one, else the least-squares rate over the check-ins",
  }),
  trend: OutputEnum(['improving', 'plateau', 'worsening', 'insufficient_data'] as const),
  adjustment_suggestion: NullableOut(Type.String()),
  estimated_weeks_remaining: NullableOut(
    Type.Integer({
      description:
        'forecast.observed.weeks (null when the observed rate does not head to the goal); forecast.plan.weeks while there are too few check-ins for an observed rate',
    }),
  ),
  initial_body_fat: Type.Number(),
  current_body_fat: Type.Number(),
  target_body_fat: NullableOut(Type.Number()),
  data_points: Type.Array(Point),
  moving_average_4week: Type.Array(Type.Object({ week: Type.Number(), value: Type.Number() })),
  trend_line: NullableOut(
    Type.Object({ slope: Type.Number(), intercept: Type.Number(), projected_completion_week: NullableOut(Type.Number()) }),
  ),
  velocity: Type.Object({ current_rate: NullableOut(Type.Number()), expected_rate: Type.Number(), is_on_pace: Type.Boolean() }),
  projection_comparison: NullableOut(ProjectionComparison),
  forecast: Forecast,
});
