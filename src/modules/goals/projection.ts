/**
 * A goal's energy-balance projection (docs/SCIENCE.md 10) as it is stored (goals.projection, jsonb) and sent.
 * It is made when the goal is planned and kept: it is the plan the observed trend is compared
 * with (GET /goals/{id}/trends). Stored in the wire's snake_case; each point's date is derived
 * from `start` (the initial measurement) when it is sent.
 */
import type { Static } from 'typebox';
import type { ExpenditureMethod, GoalProjection, ProjectionPoint } from '../../domain/index.ts';
import type { Projection, ProjectionWeek } from './schemas.ts';

const DAY_MS = 86_400_000;

/** A week as stored: what is sent less its date. */
type StoredPoint = Omit<Static<typeof ProjectionWeek>, 'date'>;

export interface StoredProjection {
  start: string;
  weekly_rate_percent: number;
  tdee_kcal: number;
  tdee_sd_kcal: number;
  method: ExpenditureMethod;
  weeks_to_goal: number | null;
  weeks_to_goal_fastest: number | null;
  weeks_to_goal_slowest: number | null;
  points: StoredPoint[];
}

export function storedProjection(projection: GoalProjection, start: Date): StoredProjection {
  return {
    start: start.toISOString(),
    weekly_rate_percent: projection.weeklyRatePercent,
    tdee_kcal: projection.tdeeKcal,
    tdee_sd_kcal: projection.tdeeSdKcal,
    method: projection.method,
    weeks_to_goal: projection.weeksToGoal,
    weeks_to_goal_fastest: projection.weeksToGoalFastest,
    weeks_to_goal_slowest: projection.weeksToGoalSlowest,
    points: projection.points.map((p) => ({
      week: p.week,
      weight_kg: p.weightKg,
      body_fat_percentage: p.bodyFatPct,
      weight_low_kg: p.weightLowKg,
      weight_high_kg: p.weightHighKg,
      body_fat_low_percentage: p.bodyFatLowPct,
      body_fat_high_percentage: p.bodyFatHighPct,
      intake_kcal: p.intakeKcal,
      tdee_kcal: p.tdeeKcal,
    })),
  };
}

/** The stored projection read back (null for goals made before projections existed). */
export function readProjection(value: unknown): StoredProjection | null {
  if (value === null || typeof value !== 'object' || !Array.isArray((value as StoredProjection).points)) return null;
  return value as StoredProjection;
}

export function toProjection(stored: StoredProjection | null): Static<typeof Projection> | null {
  if (!stored) return null;
  const start = Date.parse(stored.start);
  return {
    start: stored.start,
    weekly_rate_percent: stored.weekly_rate_percent,
    tdee_kcal: stored.tdee_kcal,
    tdee_sd_kcal: stored.tdee_sd_kcal,
    expenditure_method: stored.method,
    weeks_to_goal: stored.weeks_to_goal,
    weeks_to_goal_fastest: stored.weeks_to_goal_fastest,
    weeks_to_goal_slowest: stored.weeks_to_goal_slowest,
    // Written out rather than spread: a fixed shape is several times faster to build, over up to 105 points a goal.
    points: stored.points.map((p) => ({
      week: p.week,
      date: new Date(start + 7 * p.week * DAY_MS).toISOString(),
      weight_kg: p.weight_kg,
      body_fat_percentage: p.body_fat_percentage,
      weight_low_kg: p.weight_low_kg,
      weight_high_kg: p.weight_high_kg,
      body_fat_low_percentage: p.body_fat_low_percentage,
      body_fat_high_percentage: p.body_fat_high_percentage,
      intake_kcal: p.intake_kcal,
      tdee_kcal: p.tdee_kcal,
    })),
  };
}

/** The central curve in the domain's terms, for compareWithProjection. */
export function projectionCurve(stored: StoredProjection): ProjectionPoint[] {
  return stored.points.map((p) => ({
    week: p.week,
    weightKg: p.weight_kg,
    bodyFatPct: p.body_fat_percentage,
    fatMassKg: (p.weight_kg * p.body_fat_percentage) / 100,
    leanMassKg: p.weight_kg * (1 - p.body_fat_percentage / 100),
    intakeKcal: p.intake_kcal,
    tdeeKcal: p.tdee_kcal,
  }));
}
