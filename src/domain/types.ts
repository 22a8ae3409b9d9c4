// Vocabulary of the product, shared by every domain function. Wire values are lowercase
// (docs/DESIGN.md, 'Accepted spellings'); the HTTP edge normalises casing and aliases before calling in here.

export type Sex = 'male' | 'female';
export type CalculationMethod = 'navy' | '3_site' | '7_site';
export type ActivityLevel = 'sedentary' | 'lightly_active' | 'moderately_active' | 'very_active' | 'extremely_active';
export type GoalType = 'cutting' | 'bulking';
export type Trend = 'improving' | 'plateau' | 'worsening' | 'insufficient_data';

/** One body measurement as progress sees it: when, %BF and weight (stored 2-dp values). */
export interface BodyPoint {
  measuredAt: Date;
  bodyFatPct: number;
  weightKg: number;
}

/** What progress, status and trend rules need to know about a goal. */
export interface GoalFacts {
  goalType: GoalType;
  targetBodyFatPct: number | null;
  ceilingBodyFatPct: number | null;
  /** The goal's initial measurement. */
  initial: BodyPoint;
  estimatedWeeksToGoal: number | null;
}
