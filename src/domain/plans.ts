import type { GoalType } from './types.ts';

// Training plans: a fixed plan per goal type, in the shape clients read (test/domain/plans.test.ts). The keys of
// plan_details are snake_case because they are stored and sent as JSON as they are.

export interface TrainingPlan {
  workoutFrequency: number;
  primaryFocus: string;
  planDetails: Record<string, unknown>;
  notes: string;
}

interface Exercise {
  name: string;
  sets: string;
  reps: string;
  rest: string;
}
const exercise = (name: string, sets: string, reps: string, rest: string): Exercise => ({ name, sets, reps, rest });

// In a deficit the aim is to keep the strength (and so the muscle) you have: heavy compounds,
// moderate volume (Helms et al. 2014), with cardio to add to the deficit.
function cuttingPlan(): TrainingPlan {
  return {
    workoutFrequency: 3,
    primaryFocus: 'Fat Loss & Muscle Preservation',
    notes:
      'Keep lifting heavy while in a deficit: holding your strength is the best sign you are keeping muscle. Expect some sessions to feel harder than usual.',
    planDetails: {
      strength_training: {
        frequency: 3,
        description: '3-4 full-body or upper/lower sessions a week built on heavy compound lifts.',
        exercises: [
          exercise('Squats', '3-4', '6-8', '2-3 min'),
          exercise('Deadlifts', '3', '5-6', '3 min'),
          exercise('Bench Press', '3-4', '6-8', '2-3 min'),
          exercise('Overhead Press', '3', '6-8', '2 min'),
          exercise('Barbell Rows', '3-4', '6-8', '2 min'),
        ],
        progression:
          'Hold your working weights, or add a little load when every set feels solid; do not chase new maxima while in a deficit.',
        notes: 'Keep intensity high and trim volume if recovery suffers.',
      },
      cardio: {
        frequency: 2,
        description: '2-3 cardio sessions a week to add to the calorie deficit without eating into recovery.',
        activities: [
          {
            type: 'LISS',
            duration: '30-45 minutes',
            intensity: 'Zone 2, conversational pace',
            examples: ['walking', 'cycling', 'swimming'],
          },
          {
            type: 'HIIT',
            duration: '15-20 minutes',
            intensity: 'Alternate hard and easy intervals',
            examples: ['sprints', 'bike intervals', 'rowing'],
          },
        ],
        notes: 'Keep HIIT away from heavy leg days; daily steps count too.',
      },
      recovery: {
        rest_days: 2,
        sleep_target: '7-9 hours',
        notes: 'Sleep protects muscle in a deficit; take an extra rest day if strength drops for a week or more.',
      },
    },
  };
}

// In a surplus the stimulus is progressive overload with higher volume (Morton et al. 2018 on
// gaining); cardio stays minimal so the surplus goes to growth.
function bulkingPlan(): TrainingPlan {
  return {
    workoutFrequency: 5,
    primaryFocus: 'Muscle Growth & Strength',
    notes: 'Progressive overload drives growth: log your lifts and beat them a little at a time.',
    planDetails: {
      strength_training: {
        frequency: 5,
        description: '4-6 sessions a week with progressive overload, each muscle trained about twice a week.',
        exercises: [
          exercise('Squats', '4-5', '6-10', '2-3 min'),
          exercise('Deadlifts', '3-4', '5-8', '3-4 min'),
          exercise('Bench Press', '4-5', '6-10', '2-3 min'),
          exercise('Overhead Press', '3-4', '6-10', '2-3 min'),
          exercise('Barbell Rows', '4', '6-10', '2-3 min'),
          exercise('Pull-ups/Lat Pulldowns', '3-4', '8-12', '2 min'),
          exercise('Dips', '3', '8-12', '2 min'),
        ],
        progression: 'Add 2.5-5 % load once every set is completed with good form.',
        notes: 'Volume builds muscle; keep one or two reps in reserve on most sets.',
      },
      cardio: {
        frequency: 1,
        description: 'Minimal cardio for heart health, so the surplus goes to growth.',
        activities: [{ type: 'LISS', duration: '20-30 minutes', intensity: 'Zone 2, easy pace', examples: ['walking', 'light cycling'] }],
        notes: 'Keep it light; skip it on days when recovery is poor.',
      },
      recovery: {
        rest_days: 1,
        sleep_target: '8-9 hours',
        notes: 'Take a deload week every 4-6 weeks: about half the usual volume at the usual loads.',
      },
    },
  };
}

export function trainingPlan(goalType: GoalType): TrainingPlan {
  return goalType === 'cutting' ? cuttingPlan() : bulkingPlan();
}
