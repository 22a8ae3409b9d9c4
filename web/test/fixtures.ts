/** Data the web app's tests share. */
import type { Trends } from '../src/api/types.ts';

/** GET /trends after two check-ins over two weeks, cutting from 19.8 % towards 12 %. */
export const TWO_CHECK_INS: Trends = {
  goal_id: 'g',
  progress_percentage: 22,
  weeks_elapsed: 2,
  is_on_track: true,
  weekly_bf_change_avg: -0.85,
  weekly_weight_change_avg: -0.85,
  trend: 'improving',
  adjustment_suggestion: null,
  estimated_weeks_remaining: 7,
  initial_body_fat: 19.8,
  current_body_fat: 18.1,
  target_body_fat: 12,
  data_points: [
    { week: 0, date: '2026-01-01T07:00:00Z', body_fat_percentage: 19.8, weight_kg: 85 },
    { week: 1, date: '2026-01-08T07:00:00Z', body_fat_percentage: 18.9, weight_kg: 84.1 },
    { week: 2, date: '2026-01-15T07:00:00Z', body_fat_percentage: 18.1, weight_kg: 83.3 },
  ],
  moving_average_4week: [],
  trend_line: { slope: -0.85, intercept: 19.78, projected_completion_week: 9.15 },
  velocity: { current_rate: -0.85, expected_rate: -0.5, is_on_pace: true },
  projection_comparison: null,
  forecast: {
    as_of: '2026-01-15',
    plan: { weeks: 9, weeks_low: 8, weeks_high: 10, date: '2026-03-19' },
    observed: { weeks: 7, weeks_low: 6, weeks_high: 9, date: '2026-03-05', rate_per_week: -0.85 },
    agrees: true,
    explanation: null,
    weekly_weight_rate_kg: -0.8,
    trend_weight_kg: 83.6,
    scale_weight_kg: null,
  },
};
