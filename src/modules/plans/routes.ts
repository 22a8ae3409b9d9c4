import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { notFound } from '../../http/problem.ts';
import { problemResponses } from '../../http/openapi.ts';
import { NullableOut, Uuid } from '../../http/schemas.ts';
import { GoalParams } from '../goals/schemas.ts';
import { findDietPlan, findTrainingPlan } from './repository.ts';

const TrainingPlan = Type.Object({
  id: Uuid,
  goal_id: Uuid,
  workout_frequency: Type.Integer({ minimum: 1, maximum: 7, description: 'Strength sessions per week' }),
  primary_focus: Type.String(),
  plan_details: Type.Object({}, { additionalProperties: true, description: 'strength_training, cardio and recovery' }),
  notes: NullableOut(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

const DietPlan = Type.Object({
  id: Uuid,
  goal_id: Uuid,
  daily_calorie_target: Type.Integer(),
  protein_grams: Type.Integer(),
  carbs_grams: Type.Integer(),
  fat_grams: Type.Integer(),
  meal_timing: NullableOut(Type.Object({}, { additionalProperties: true })),
  guidelines: Type.String({ description: 'Markdown' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

/** The plan of the caller's goal: 404 for a missing or foreign goal, and for a goal without a plan. */
async function requirePlan<P>(lookup: Promise<{ goalId: string; plan: P | null } | null>, what: string): Promise<P> {
  const row = await lookup;
  if (!row) throw notFound('Goal');
  if (!row.plan) throw notFound(`${what} for this goal`);
  return row.plan;
}

export const planRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);
  const security = [{ bearer: [] }];

  app.get('/api/v1/goals/:goal_id/training-plan', {
    schema: {
      tags: ['plans'], summary: 'The goal\'s training plan', security,
      params: GoalParams, response: { 200: TrainingPlan, ...problemResponses(401, 404, 422) },
    },
  }, async (request) => {
    const plan = await requirePlan(findTrainingPlan(await ctx.reader(request.auth.userId), request.auth.userId, request.params.goal_id), 'Training plan');
    return {
      id: plan.id, goal_id: plan.goalId, workout_frequency: plan.workoutFrequency, primary_focus: plan.primaryFocus,
      plan_details: plan.planDetails as Record<string, unknown>, notes: plan.notes,
      created_at: plan.createdAt.toISOString(), updated_at: plan.updatedAt.toISOString(),
    };
  });

  app.get('/api/v1/goals/:goal_id/diet-plan', {
    schema: {
      tags: ['plans'], summary: 'The goal\'s current diet plan (recomputed at every check-in)', security,
      params: GoalParams, response: { 200: DietPlan, ...problemResponses(401, 404, 422) },
    },
  }, async (request) => {
    const plan = await requirePlan(findDietPlan(await ctx.reader(request.auth.userId), request.auth.userId, request.params.goal_id), 'Diet plan');
    return {
      id: plan.id, goal_id: plan.goalId, daily_calorie_target: plan.dailyCalorieTarget,
      protein_grams: plan.proteinGrams, carbs_grams: plan.carbsGrams, fat_grams: plan.fatGrams,
      meal_timing: plan.mealTiming as Record<string, unknown> | null, guidelines: plan.guidelines,
      created_at: plan.createdAt.toISOString(), updated_at: plan.updatedAt.toISOString(),
    };
  });
};
