/** The API's response shapes (see /openapi.json); the API speaks metric units only. */
export type Sex = 'male' | 'female';
export type Method = 'navy' | '3_site' | '7_site';
export type ActivityLevel = 'sedentary' | 'lightly_active' | 'moderately_active' | 'very_active' | 'extremely_active';
export type GoalType = 'cutting' | 'bulking';

export interface User {
  id: string;
  email: string;
  full_name: string;
  date_of_birth: string;
  gender: Sex;
  height_cm: number;
  preferred_calculation_method: Method;
  activity_level: ActivityLevel;
}

export type SiteKey =
  | 'waist_cm' | 'neck_cm' | 'hip_cm'
  | 'chest_mm' | 'abdomen_mm' | 'thigh_mm' | 'tricep_mm' | 'suprailiac_mm' | 'midaxillary_mm' | 'subscapular_mm';

export type Measurement = {
  id: string;
  weight_kg: number;
  calculation_method: Method;
  calculated_body_fat_percentage: number;
  notes: string | null;
  measured_at: string;
} & Record<SiteKey, number | null>;

export interface Goal {
  id: string;
  initial_measurement_id: string;
  goal_type: GoalType;
  status: 'active' | 'completed' | 'abandoned';
  initial_body_fat_percentage: number;
  initial_weight_kg: number;
  target_body_fat_percentage: number | null;
  ceiling_body_fat_percentage: number | null;
  target_calories: number;
  estimated_weeks_to_goal: number | null;
  weekly_rate_percent: number;
  expenditure_kcal: number | null;
  expenditure_method: ExpenditureMethod | null;
  projection: Projection | null;
  current_body_fat_percentage: number;
  progress_percentage: number;
  weeks_elapsed: number;
  is_on_track: boolean;
  started_at: string;
  completed_at: string | null;
}

export interface ProgressEntry {
  id: string;
  goal_id: string;
  measurement_id: string;
  week_number: number;
  body_fat_percentage: number;
  weight_kg: number;
  body_fat_change: number;
  weight_change_kg: number;
  is_on_track: boolean;
  notes: string | null;
  measured_at: string;
  ceiling_warning: string | null;
  rate_warning: string | null;
}

export interface Trends {
  goal_id: string;
  progress_percentage: number;
  weeks_elapsed: number;
  is_on_track: boolean;
  weekly_bf_change_avg: number;
  weekly_weight_change_avg: number;
  trend: 'improving' | 'plateau' | 'worsening' | 'insufficient_data';
  adjustment_suggestion: string | null;
  estimated_weeks_remaining: number | null;
  initial_body_fat: number;
  current_body_fat: number;
  target_body_fat: number | null;
  data_points: { week: number; date: string; body_fat_percentage: number; weight_kg: number }[];
  moving_average_4week: { week: number; value: number }[];
  trend_line: { slope: number; intercept: number; projected_completion_week: number | null } | null;
  velocity: { current_rate: number | null; expected_rate: number; is_on_pace: boolean };
  projection_comparison: ProjectionComparison | null;
}

type ExpenditureMethod = 'equation' | 'blended' | 'adaptive';

interface ProjectionPoint {
  week: number;
  date: string;
  weight_kg: number;
  body_fat_percentage: number;
  weight_low_kg: number;
  weight_high_kg: number;
  body_fat_low_percentage: number;
  body_fat_high_percentage: number;
  intake_kcal: number;
  tdee_kcal: number;
}

export interface Projection {
  start: string;
  weekly_rate_percent: number;
  tdee_kcal: number;
  tdee_sd_kcal: number;
  expenditure_method: ExpenditureMethod;
  weeks_to_goal: number | null;
  weeks_to_goal_fastest: number | null;
  weeks_to_goal_slowest: number | null;
  points: ProjectionPoint[];
}

export interface ProjectionComparison {
  status: 'ahead' | 'on_track' | 'behind';
  basis: 'body_fat' | 'weight';
  as_of: string;
  days_since_start: number;
  observed_body_fat_percentage: number;
  expected_body_fat_percentage: number;
  by_body_fat_points: number;
  observed_weight_kg: number;
  expected_weight_kg: number;
  by_weight_kg: number;
  by_days: number | null;
  tolerance: number;
}

interface WeightDay { date: string; weight_kg: number | null; source: 'manual' | 'import' | 'measurement' | null; interpolated_kg: number; trend_weight_kg: number }
export interface WeightSeries { from: string; to: string; weekly_rate_kg: number | null; weights: WeightDay[] }

interface ExpenditureDay { date: string; tdee_kcal: number; tdee_low_kcal: number; tdee_high_kcal: number; method: ExpenditureMethod }
export interface Expenditure {
  as_of: string;
  tdee_kcal: number;
  tdee_low_kcal: number;
  tdee_high_kcal: number;
  data_days: number;
  method: ExpenditureMethod;
  equation_tdee_kcal: number;
  series: ExpenditureDay[];
}

export interface Intake { date: string; calories: number; protein_g: number | null; carbs_g: number | null; fat_g: number | null }

export interface TrainingPlan {
  workout_frequency: number;
  primary_focus: string;
  plan_details: Record<string, unknown>;
  notes: string | null;
}

export interface DietPlan {
  daily_calorie_target: number;
  protein_grams: number;
  carbs_grams: number;
  fat_grams: number;
  meal_timing: Record<string, unknown> | null;
  guidelines: string;
}

export interface TokenPair { access_token: string; refresh_token: string; token_type: 'bearer'; expires_in: number }

interface FieldProblem { field: string; message: string }

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail: string;
  code?: string;
  errors?: FieldProblem[];
}
