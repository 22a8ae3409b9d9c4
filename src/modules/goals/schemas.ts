import { Type } from 'typebox';
import { InputEnum, Nullable, NullableOut, OutputEnum, Paging, Uuid } from '../../core/schemas.ts';

export const GoalTypeInput = InputEnum(['cutting', 'bulking'] as const);
export const GoalStatusInput = InputEnum(
  ['active', 'completed', 'abandoned'] as const,
  { cancelled: 'abandoned' },
  '`cancelled` is accepted as an alias of `abandoned`',
);

const bodyFatGoal = (description: string) => Type.Optional(Nullable(Type.Number({ minimum: 3, maximum: 50, description })));

const WEEKLY_RATE_RULE =
  '% of body weight to lose (cutting: 0.25–1, default 0.5) or gain (bulking: 0.1–0.5, default 0.25) per week; ' +
  "a value outside the goal type's range is a 422 naming this field";
const WeeklyRate = Type.Number({ minimum: 0.1, maximum: 1, description: WEEKLY_RATE_RULE });

const ExpenditureMethod = OutputEnum(['equation', 'blended', 'adaptive'] as const);

export const ProjectionWeek = Type.Object({
  week: Type.Integer({ minimum: 0 }),
  date: Type.String({ format: 'date-time', description: 'start + week × 7 days' }),
  weight_kg: Type.Number(),
  body_fat_percentage: Type.Number(),
  weight_low_kg: Type.Number({
    description: "The band: the same week at the ends of the plan's 80 % interval (docs/SCIENCE.md 10.1)",
  }),
  weight_high_kg: Type.Number(),
  body_fat_low_percentage: Type.Number(),
  body_fat_high_percentage: Type.Number(),
  intake_kcal: Type.Integer({ description: 'The planned daily intake that week' }),
  tdee_kcal: Type.Integer({ description: 'The expected expenditure that week (falls as weight falls)' }),
});

export const Projection = Type.Object(
  {
    start: Type.String({ format: 'date-time', description: 'Week 0: the measurement the projection starts from' }),
    weekly_rate_percent: Type.Number(),
    tdee_kcal: Type.Integer({ description: 'The expenditure estimate the plan was made from' }),
    tdee_sd_kcal: Type.Integer({
      description: 'Its standard deviation; the band is 1.2816 of these (80 %) for the five weeks the estimate needs to catch up',
    }),
    expenditure_method: ExpenditureMethod,
    weeks_to_goal: NullableOut(Type.Integer({ description: 'null when the plan does not reach the goal within five years' })),
    weeks_to_goal_fastest: NullableOut(Type.Integer({ description: "The fast end of the plan's 80 % interval" })),
    weeks_to_goal_slowest: NullableOut(
      Type.Integer({ description: "The slow end of the plan's 80 % interval; null when that edge stalls" }),
    ),
    points: Type.Array(ProjectionWeek, { description: 'Week 0 to the goal (at most 104 weeks)' }),
  },
  { description: 'Energy-balance projection: fat and lean mass week by week under the plan (docs/SCIENCE.md)' },
);

export const CreateGoalBody = Type.Object({
  goal_type: GoalTypeInput.schema,
  initial_measurement_id: Uuid,
  target_body_fat_percentage: bodyFatGoal('Cutting only: the body fat to reach'),
  ceiling_body_fat_percentage: bodyFatGoal('Bulking only: the body fat at which the bulk ends'),
  weekly_rate_percent: Type.Optional(Nullable(WeeklyRate)),
});

export const UpdateGoalBody = Type.Object(
  {
    status: Type.Optional(GoalStatusInput.schema),
    weekly_rate_percent: Type.Optional(WeeklyRate),
  },
  {
    minProperties: 1,
    description: 'Abandon the goal (`status`) or, while it is active, change its weekly rate (the target and the projection are redone)',
  },
);
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
  target_body_fat_percentage: NullableOut(Type.Number()),
  ceiling_body_fat_percentage: NullableOut(Type.Number()),
  target_calories: Type.Integer({ description: 'kcal per day; recomputed at each check-in and when the weekly rate changes' }),
  estimated_weeks_to_goal: NullableOut(
    Type.Integer({
      description:
        "Whole weeks from the initial measurement to the goal, at least 1: the energy-balance projection's when it reaches the goal; when it does not (projection.weeks_to_goal null), the fixed-rate estimate of 0.75 (cut) / 0.2 (bulk) body-fat points a month",
    }),
  ),
  weekly_rate_percent: Type.Number({ description: '% of body weight per week the calorie target plans for' }),
  expenditure_kcal: NullableOut(
    Type.Integer({
      description: 'The expenditure estimate behind target_calories (updated at each check-in); null on goals made before it existed',
    }),
  ),
  expenditure_method: NullableOut(ExpenditureMethod),
  projection: NullableOut(Projection),
  current_body_fat_percentage: Type.Number(),
  progress_percentage: Type.Number(),
  weeks_elapsed: Type.Integer(),
  is_on_track: Type.Boolean(),
  started_at: Type.String({ format: 'date-time' }),
  completed_at: NullableOut(Type.String({ format: 'date-time' })),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const GoalList = Type.Object({ goals: Type.Array(Goal), total: Type.Integer() });

const weeks = (description: string) => NullableOut(Type.Integer({ minimum: 0, description }));

const WeeksForecast = {
  weeks: weeks('Whole weeks from as_of to the goal body fat; null when not reached at this rate'),
  weeks_low: weeks('The fast end of the 80 % interval'),
  weeks_high: weeks('The slow end of the 80 % interval; null when open ("or longer")'),
  date: NullableOut(Type.String({ format: 'date', description: 'as_of + weeks × 7 days' })),
};

export const Forecast = Type.Object(
  {
    as_of: Type.String({ format: 'date', description: 'The day the forecast counts from (today)' }),
    plan: Type.Object(WeeksForecast, {
      description: 'At the chosen weekly rate: the energy balance from the trend weight and latest body fat with the measured expenditure',
    }),
    observed: NullableOut(
      Type.Object(
        {
          ...WeeksForecast,
          rate_per_week: Type.Number({ description: 'Body-fat points per week over the check-ins (least squares), signed' }),
        },
        { description: "At the check-ins' own rate of body fat; null until two check-ins span two weeks" },
      ),
    ),
    agrees: Type.Boolean({ description: 'The two 80 % intervals overlap (or both are missing)' }),
    explanation: NullableOut(Type.String({ description: 'One sentence on why they disagree; null when they agree' })),
    weekly_weight_rate_kg: NullableOut(
      Type.Number({
        description: 'kg per week: the slope of the trend weight over the last 28 days (GET /users/me/weights weekly_rate_kg)',
      }),
    ),
    trend_weight_kg: NullableOut(Type.Number({ description: 'The current weight: the trend weight of today (or the last day logged)' })),
    scale_weight_kg: NullableOut(Type.Number({ description: "Today's weigh-in, when there is one" })),
  },
  { description: "The goal's forecast (docs/SCIENCE.md 10.1): the plan and the observed rate, each with an 80 % interval" },
);

export const RatePreviewQuery = Type.Object({
  weekly_rate_percent: Type.Optional(
    Type.Number({ minimum: 0.1, maximum: 1, description: `${WEEKLY_RATE_RULE}; absent: the goal's own rate` }),
  ),
});

export const RatePreview = Type.Object(
  {
    weekly_rate_percent: Type.Number(),
    target_calories: Type.Integer({ description: 'The daily target the goal would get' }),
    expenditure_kcal: Type.Integer({ description: 'The expenditure estimate it is planned from' }),
    forecast: Forecast,
  },
  { description: 'What PATCH with this weekly_rate_percent would set, computed the same way, without saving' },
);

export const GoalPreview = Type.Object(
  {
    weekly_rate_percent: Type.Number({ description: 'The rate planned with: the one sent, or its type’s default' }),
    weekly_change_kg: Type.Number({ description: 'That rate of the starting weight, kg a week' }),
    target_calories: Type.Integer({ description: 'The daily target the goal would start with' }),
    expenditure_kcal: Type.Integer({ description: 'The expenditure estimate it is planned from' }),
    expenditure_method: ExpenditureMethod,
    estimated_weeks_to_goal: Type.Integer({ minimum: 1, description: 'What the goal would store as estimated_weeks_to_goal' }),
    weeks_to_goal: NullableOut(Type.Integer({ description: 'Weeks to the goal on the plan; null when the plan stalls before it' })),
    weeks_to_goal_fastest: NullableOut(Type.Integer({ description: 'The fast end of the plan’s 80 % interval (docs/SCIENCE.md 10.1)' })),
    weeks_to_goal_slowest: NullableOut(Type.Integer({ description: 'The slow end of the plan’s 80 % interval' })),
  },
  { description: 'What POST /goals with this body would plan, computed the same way, without saving' },
);
