import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/schemas.ts';
import { GoalParams } from '../goals/schemas.ts';
import { DietPlan, TrainingPlan } from './schemas.ts';
import { getDietPlan, getTrainingPlan, toDietPlan, toTrainingPlan } from './service.ts';

export const planRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);
  const security = [{ bearer: [] }];

  app.get(
    '/api/v1/goals/:goal_id/training-plan',
    {
      schema: {
        tags: ['plans'],
        summary: "The goal's training plan",
        security,
        params: GoalParams,
        response: { 200: TrainingPlan, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => toTrainingPlan(await getTrainingPlan(ctx, request.auth.userId, request.params.goal_id)),
  );

  app.get(
    '/api/v1/goals/:goal_id/diet-plan',
    {
      schema: {
        tags: ['plans'],
        summary: "The goal's current diet plan (recomputed at every check-in)",
        security,
        params: GoalParams,
        response: { 200: DietPlan, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => toDietPlan(await getDietPlan(ctx, request.auth.userId, request.params.goal_id)),
  );
};
