import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../core/context.ts';
import { IdempotencyHeaders, problemResponses } from '../../core/schemas.ts';
import {
  CreateGoalBody,
  Goal,
  GoalList,
  GoalListQuery,
  GoalParams,
  GoalPreview,
  RatePreview,
  RatePreviewQuery,
  UpdateGoalBody,
} from './schemas.ts';
import { createGoal, getGoal, listOwnGoals, previewNewGoal, previewWeeklyRate, toGoal, updateGoal } from './service.ts';

export const goalRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);
  const security = [{ bearer: [] }];

  app.post(
    '/api/v1/goals',
    {
      config: { idempotent: true },
      schema: {
        tags: ['goals'],
        summary: 'Start a cutting or bulking goal, with its calorie target, timeline and plans',
        security,
        body: CreateGoalBody,
        headers: IdempotencyHeaders,
        response: { 201: Goal, ...problemResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(toGoal(await createGoal(ctx, request.auth.userId, request.body), ctx.now())),
  );

  app.post(
    '/api/v1/goals/preview',
    {
      schema: {
        tags: ['goals'],
        summary: 'The calorie target and timeline a new goal would get, without starting it',
        security,
        body: CreateGoalBody,
        response: { 200: GoalPreview, ...problemResponses(400, 401, 404, 422) },
      },
    },
    async (request) => previewNewGoal(ctx, request.auth.userId, request.body),
  );

  app.get(
    '/api/v1/goals',
    {
      schema: {
        tags: ['goals'],
        summary: 'Your goals, newest first',
        security,
        querystring: GoalListQuery,
        response: { 200: GoalList, ...problemResponses(401, 422) },
      },
    },
    async (request) => {
      const { status, limit = 20, offset = 0 } = request.query;
      const { rows, total } = await listOwnGoals(ctx, request.auth.userId, status, limit, offset);
      const now = ctx.now();
      return { goals: rows.map((row) => toGoal(row, now)), total };
    },
  );

  app.get(
    '/api/v1/goals/:goal_id',
    {
      schema: {
        tags: ['goals'],
        summary: 'One of your goals, with its current state',
        security,
        params: GoalParams,
        response: { 200: Goal, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => toGoal(await getGoal(ctx, request.auth.userId, request.params.goal_id), ctx.now()),
  );

  app.patch(
    '/api/v1/goals/:goal_id',
    {
      schema: {
        tags: ['goals'],
        summary: 'Abandon an active goal, or change its weekly rate',
        security,
        params: GoalParams,
        body: UpdateGoalBody,
        response: { 200: Goal, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request) => toGoal(await updateGoal(ctx, request.auth.userId, request.params.goal_id, request.body), ctx.now()),
  );

  app.get(
    '/api/v1/goals/:goal_id/rate-preview',
    {
      schema: {
        tags: ['goals'],
        summary: 'The calorie target and forecast a new weekly rate would give, without changing the goal',
        security,
        params: GoalParams,
        querystring: RatePreviewQuery,
        response: { 200: RatePreview, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request) => previewWeeklyRate(ctx, request.auth.userId, request.params.goal_id, request.query.weekly_rate_percent),
  );
};
