import { mifflinStJeorBmr, totalDailyEnergyExpenditure } from './energy.ts';
import { checkGoalTarget } from './goalRules.ts';
import type { ActivityLevel, GoalType, Sex } from './types.ts';

export interface Profile {
  sex: Sex;
  heightCm: number;
  ageYears: number;
  activityLevel: ActivityLevel;
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
