import { dietPlan } from './diet.ts';
import type { DietPlan } from './diet.ts';
import { calorieTarget, mifflinStJeorBmr, totalDailyEnergyExpenditure } from './energy.ts';
import { checkGoalTarget } from './goalRules.ts';
import { trainingPlan } from './plans.ts';
import type { TrainingPlan } from './plans.ts';
import { estimatedWeeksToGoal } from './timeline.ts';
import type { ActivityLevel, GoalType, Sex } from './types.ts';

export interface Profile {
  sex: Sex;
  heightCm: number;
  ageYears: number;
  activityLevel: ActivityLevel;
}

export interface GoalPlan {
  targetCalories: number;
  estimatedWeeksToGoal: number;
  trainingPlan: TrainingPlan;
  dietPlan: DietPlan;
}

/** Maintenance intake for a profile at a body weight (Mifflin–St Jeor × activity factor). */
export function maintenanceCalories(profile: Profile, weightKg: number): number {
  const bmr = mifflinStJeorBmr({ sex: profile.sex, weightKg, heightCm: profile.heightCm, ageYears: profile.ageYears });
  return totalDailyEnergyExpenditure(bmr, profile.activityLevel);
}

/** What a goal starts from: the person, the goal and the initial measurement's weight and %BF. */
export interface GoalStart {
  profile: Profile;
  goalType: GoalType;
  weightKg: number;
  bodyFatPct: number;
  targetBodyFatPct?: number | null;
  ceilingBodyFatPct?: number | null;
}

/** The safety rules of docs/DESIGN.md, 'Goal rules' (goalRules.ts); returns the %BF the goal aims at. */
export function checkedGoalBodyFat(p: GoalStart): number {
  checkGoalTarget({
    goalType: p.goalType,
    sex: p.profile.sex,
    currentBodyFatPct: p.bodyFatPct,
    targetBodyFatPct: p.targetBodyFatPct,
    ceilingBodyFatPct: p.ceilingBodyFatPct,
  });
  // checkGoalTarget guarantees the one that matters for the goal type is a number.
  return (p.goalType === 'cutting' ? p.targetBodyFatPct : p.ceilingBodyFatPct) as number;
}

/**
 * Everything computed at goal creation (docs/DESIGN.md, 'Goal rules'), from the initial measurement's
 * stored weight and %BF, with the earlier fixed rules (equation TDEE − 400 / + 250 kcal, 0.75 %BF a
 * month). The service now plans with planGoalWithRate (docs/SCIENCE.md 3.3); this stays as the reference of
 * the fixed rules. Every failure is a DomainError, so a goal that cannot be planned is a 400/422
 * with a reason and never a database range violation.
 */
export function planGoal(p: GoalStart): GoalPlan {
  const goalBodyFatPct = checkedGoalBodyFat(p);
  const targetCalories = calorieTarget(p.goalType, maintenanceCalories(p.profile, p.weightKg), p.profile.sex);
  return {
    targetCalories,
    estimatedWeeksToGoal: estimatedWeeksToGoal(p.goalType, p.bodyFatPct, goalBodyFatPct),
    trainingPlan: trainingPlan(p.goalType),
    dietPlan: dietPlan({ goalType: p.goalType, calories: targetCalories, weightKg: p.weightKg, bodyFatPct: p.bodyFatPct }),
  };
}
