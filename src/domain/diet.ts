import { DomainError } from './errors.ts';
import { CALORIE_BOUNDS } from './energy.ts';
import { macros } from './macros.ts';
import type { Macros } from './macros.ts';
import { formatFixed } from './rounding.ts';
import type { GoalType } from './types.ts';

export interface DietPlan extends Macros {
  dailyCalorieTarget: number;
  mealTiming: Record<string, unknown>;
  guidelines: string;
}

// meal_timing; snake_case keys because the JSON is stored and sent as is.
const MEAL_TIMING: Record<GoalType, Record<string, unknown>> = {
  cutting: {
    meals_per_day: '3-4',
    pre_workout: {
      timing: '30-45 minutes before training',
      macros: '30-40 g carbohydrate, 20-30 g protein, low fat',
      examples: ['Greek yogurt with berries', 'a banana and a protein shake', 'rice cakes with lean turkey'],
    },
    post_workout: {
      timing: 'Within 1-2 hours after training',
      macros: '40-60 g carbohydrate, 30-40 g protein',
      examples: ['chicken with rice and vegetables', 'eggs on toast with fruit', 'a protein shake and oats'],
    },
    notes: 'Space meals 3-4 hours apart and fill half the plate with vegetables for volume.',
  },
  bulking: {
    meals_per_day: '4-5',
    pre_workout: {
      timing: '45-60 minutes before training',
      macros: '50-70 g carbohydrate, 25-35 g protein, low fat',
      examples: ['oats with milk and a banana', 'a bagel with eggs', 'rice with chicken'],
    },
    post_workout: {
      timing: 'Within 1-2 hours after training',
      macros: '60-90 g carbohydrate, 35-45 g protein',
      examples: ['pasta with lean beef', 'potatoes with salmon', 'a shake with oats and fruit'],
    },
    notes: 'Eat frequent meals and lean on calorie-dense foods (nuts, olive oil, dried fruit, whole milk) when appetite is low.',
  },
};

function share(grams: number, kcalPerGram: number, calories: number): string {
  return `${formatFixed(((grams * kcalPerGram) / calories) * 100, 1)} %`;
}

/** Markdown guidelines. The calorie figure is the TARGET, not the macros' sum, so the plan shows one number. */
function guidelines(goalType: GoalType, calories: number, m: Macros): string {
  const cutting = goalType === 'cutting';
  const lines = [
    `# ${cutting ? 'Cutting' : 'Bulking'} Phase Nutrition Guidelines`,
    '',
    '## Daily targets',
    `- **Calories:** ${calories} kcal`,
    `- **Protein:** ${m.proteinGrams} g (${share(m.proteinGrams, 4, calories)} of calories)`,
    `- **Carbohydrates:** ${m.carbsGrams} g (${share(m.carbsGrams, 4, calories)} of calories)`,
    `- **Fat:** ${m.fatGrams} g (${share(m.fatGrams, 9, calories)} of calories)`,
    '',
    '## Protein sources',
    '- Lean meat, poultry, fish, eggs, Greek yogurt, cottage cheese, tofu, tempeh, legumes.',
    '- Spread protein over the day, about 0.4 g per kg body weight per meal.',
    '',
    '## Carbohydrate timing',
    `- Pre-workout: ${cutting ? '30-40' : '50-70'} g of easily digested carbohydrate.`,
    `- Post-workout: ${cutting ? '40-60' : '60-90'} g to refill glycogen.`,
    '- The rest from whole grains, potatoes, fruit and vegetables.',
    '',
    '## Fat sources',
    '- Olive oil, avocado, nuts, seeds, oily fish.',
    cutting
      ? '- Keep fat at least 20 % of calories, even in a deficit, for hormonal health.'
      : '- Fat is the easiest way to add calories when appetite runs out.',
    '',
  ];
  if (!cutting) {
    lines.push('## Meal frequency', '- 3-5 meals a day, each with a protein source.', '');
  }
  lines.push(
    '## Hydration',
    '- Drink 3-4 L of water a day, more on training days and in the heat.',
    '',
    '## Supplements',
    '- Protein powder when food falls short of the protein target.',
    '- Creatine monohydrate, 5 g/day.',
    cutting ? '- Caffeine before training, if tolerated.' : '- Carbohydrate powder around training if meals are hard to finish.',
    '- A multivitamin as insurance.',
    '',
    '## Practical tips',
  );
  if (cutting) {
    lines.push(
      '- Weigh food for the first weeks; portions drift.',
      '- Keep high-volume, low-calorie foods at hand for hunger.',
      '- Expect day-to-day scale swings from water; judge the trend over weeks.',
    );
  } else {
    lines.push(
      '- Aim to gain about 0.25-0.5 % of body weight per week.',
      '- If body fat rises faster than 0.3 points a week, trim the surplus.',
      '- Prepare meals ahead so none are skipped.',
    );
  }
  return lines.join('\n');
}

/** A diet plan for a calorie target (from rateCalorieTarget or checkInCalorieTarget). */
export function dietPlan(p: { goalType: GoalType; calories: number; weightKg: number; bodyFatPct: number }): DietPlan {
  if (!Number.isInteger(p.calories) || p.calories < CALORIE_BOUNDS.min || p.calories > CALORIE_BOUNDS.max) {
    throw new DomainError(
      'calorie_target_out_of_range',
      `The daily calorie target must be a whole number of kcal in ${CALORIE_BOUNDS.min}–${CALORIE_BOUNDS.max}.`,
      'rejected',
    );
  }
  const m = macros(p);
  return {
    dailyCalorieTarget: p.calories,
    ...m,
    mealTiming: structuredClone(MEAL_TIMING[p.goalType]),
    guidelines: guidelines(p.goalType, p.calories, m),
  };
}
