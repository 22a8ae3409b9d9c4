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

/**
 * Everything computed at goal creation (domain.md §8 effects), from the initial measurement's
 * stored weight and %BF. Every failure is a DomainError, so a goal that cannot be planned is a
 * 400/422 with a reason and never a database range violation.
 */
export function planGoal(p: {
  profile: Profile;
  goalType: GoalType;
  weightKg: number;
  bodyFatPct: number;
  targetBodyFatPct?: number | null;
  ceilingBodyFatPct?: number | null;
}): GoalPlan {
  checkGoalTarget({
    goalType: p.goalType,
    sex: p.profile.sex,
    currentBodyFatPct: p.bodyFatPct,
    targetBodyFatPct: p.targetBodyFatPct,
    ceilingBodyFatPct: p.ceilingBodyFatPct,
  });
  // checkGoalTarget guarantees the one that matters for the goal type is a number.
  const goalBodyFatPct = (p.goalType === 'cutting' ? p.targetBodyFatPct : p.ceilingBodyFatPct) as number;
  const targetCalories = calorieTarget(p.goalType, maintenanceCalories(p.profile, p.weightKg), p.profile.sex);
  return {
    targetCalories,
    estimatedWeeksToGoal: estimatedWeeksToGoal(p.goalType, p.bodyFatPct, goalBodyFatPct),
    trainingPlan: trainingPlan(p.goalType),
    dietPlan: dietPlan({ goalType: p.goalType, calories: targetCalories, weightKg: p.weightKg, bodyFatPct: p.bodyFatPct }),
  };
}
