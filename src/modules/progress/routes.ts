import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { IdempotencyHeaders, problemResponses } from '../../core/schemas.ts';
import { GoalParams } from '../goals/schemas.ts';
import { deleteCheckIn } from './checkInUndo.ts';
import { CheckInResult, EntryParams, GoalTarget, HistoryQuery, LogProgressBody, ProgressEntry, Trends } from './schemas.ts';
import { goalTrends, logProgress, progressHistory, toProgressEntry } from './service.ts';
import { goalTargetHistory, toGoalTarget } from './targets.ts';

export const progressRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);
  const security = [{ bearer: [] }];

  app.post(
    '/api/v1/goals/:goal_id/progress',
    {
      config: { idempotent: true },
      schema: {
        tags: ['progress'],
        summary: 'Check in: link a new measurement to the goal',
        security,
        params: GoalParams,
        body: LogProgressBody,
        headers: IdempotencyHeaders,
        response: { 201: CheckInResult, ...problemResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { entry, target } = await logProgress(ctx, request.auth.userId, request.params.goal_id, request.body);
      return reply.code(201).send({ ...toProgressEntry(entry), target_change: toGoalTarget(target) });
    },
  );

  app.delete(
    '/api/v1/goals/:goal_id/progress/:entry_id',
    {
      schema: {
        tags: ['progress'],
        summary: 'Delete the latest check-in: the goal and its diet plan go back to what they were before it',
        security,
        params: EntryParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await deleteCheckIn(ctx, request.auth.userId, request.params.goal_id, request.params.entry_id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/goals/:goal_id/targets',
    {
      schema: {
        tags: ['progress'],
        summary: "The goal's calorie targets as they took effect, oldest first, each with its reason",
        security,
        params: GoalParams,
        response: { 200: Type.Array(GoalTarget), ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => (await goalTargetHistory(ctx, request.auth.userId, request.params.goal_id)).map(toGoalTarget),
  );

  app.get(
    '/api/v1/goals/:goal_id/progress',
    {
      schema: {
        tags: ['progress'],
        summary: "The goal's check-ins, oldest first",
        security,
        params: GoalParams,
        querystring: HistoryQuery,
        response: { 200: Type.Array(ProgressEntry), ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const { limit = 20, offset = 0 } = request.query;
      return (await progressHistory(ctx, request.auth.userId, request.params.goal_id, limit, offset)).map(toProgressEntry);
    },
  );

  app.get(
    '/api/v1/goals/:goal_id/trends',
    {
      schema: {
        tags: ['progress'],
        summary: 'Rates, trend, suggestion and chart series for the goal',
        security,
        params: GoalParams,
        response: { 200: Trends, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => goalTrends(ctx, request.auth.userId, request.params.goal_id),
  );
};
