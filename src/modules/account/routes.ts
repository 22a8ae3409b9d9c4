import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/schemas.ts';
import { DeleteAccountBody, ExportDocument, ExportQuery } from './schemas.ts';
import { deleteAccount, exportData, measurementsCsv } from './service.ts';

/** The export and the deletion of an account, under /users/me with the rest of the user's routes. */
export const accountRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/v1/users/me/export',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['users'],
        summary: 'Everything stored about you: JSON, or the measurements as CSV with ?format=csv',
        security: [{ bearer: [] }],
        querystring: ExportQuery,
        response: { 200: ExportDocument, ...problemResponses(401, 422) },
      },
    },
    async (request, reply) => {
      const data = await exportData(ctx, request.auth.userId);
      const day = data.exported_at.slice(0, 10);
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="recomp-measurements-${day}.csv"`)
          .serializer((payload) => payload as string)
          .send(measurementsCsv(data.measurements));
      }
      return reply.header('content-disposition', `attachment; filename="recomp-export-${day}.json"`).send(data);
    },
  );

  app.delete(
    '/api/v1/users/me',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['users'],
        summary: 'Delete your account and all its data (confirm with your password)',
        security: [{ bearer: [] }],
        body: DeleteAccountBody,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      await deleteAccount(ctx, request.auth.userId, request.body.password, request.ip);
      return reply.code(204).send(null);
    },
  );
};
