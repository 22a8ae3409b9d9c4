import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { IdempotencyHeaders, problemResponses } from '../../core/schemas.ts';
import { CreateMeasurementBody, ListQuery, Measurement, MeasurementList, MeasurementParams } from './schemas.ts';
import { createMeasurement, deleteMeasurement, getMeasurement, listOwnMeasurements, toMeasurement } from './service.ts';

export const measurementRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/api/v1/measurements',
    {
      config: { idempotent: true },
      schema: {
        tags: ['measurements'],
        summary: 'Log a measurement; body fat is computed by the chosen method',
        security: [{ bearer: [] }],
        body: CreateMeasurementBody,
        headers: IdempotencyHeaders,
        response: { 201: Measurement, ...problemResponses(400, 401, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(toMeasurement(await createMeasurement(ctx, request.auth.userId, request.body))),
  );

  app.get(
    '/api/v1/measurements',
    {
      schema: {
        tags: ['measurements'],
        summary: 'Your measurements, newest first',
        security: [{ bearer: [] }],
        querystring: ListQuery,
        response: { 200: MeasurementList, ...problemResponses(401, 422) },
      },
    },
    async (request) => {
      const { rows, total } = await listOwnMeasurements(ctx, request.auth.userId, request.query.limit ?? 20, request.query.offset ?? 0);
      return { measurements: rows.map(toMeasurement), total };
    },
  );

  app.get(
    '/api/v1/measurements/:measurement_id',
    {
      schema: {
        tags: ['measurements'],
        summary: 'One of your measurements',
        security: [{ bearer: [] }],
        params: MeasurementParams,
        response: { 200: Measurement, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => toMeasurement(await getMeasurement(ctx, request.auth.userId, request.params.measurement_id)),
  );

  app.delete(
    '/api/v1/measurements/:measurement_id',
    {
      schema: {
        tags: ['measurements'],
        summary: 'Delete one of your measurements that no goal starts from and no check-in uses',
        security: [{ bearer: [] }],
        params: MeasurementParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await deleteMeasurement(ctx, request.auth.userId, request.params.measurement_id);
      return reply.code(204).send(null);
    },
  );
};
