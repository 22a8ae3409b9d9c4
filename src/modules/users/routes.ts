import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { deleteAccount, exportData, measurementsCsv } from './export.ts';
import { RegisterBody, UpdateProfileBody, User } from './schemas.ts';
import { currentUser, registerUser, toUser, updateProfile } from './service.ts';

export const userRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post('/api/v1/users', {
    schema: {
      tags: ['users'], summary: 'Register a user',
      body: RegisterBody,
      response: { 201: User, ...problemResponses(409, 422, 429, 503) },
    },
  }, async (request, reply) => reply.code(201).send(toUser(await registerUser(ctx, request.body, request.ip))));

  app.get('/api/v1/users/me', {
    onRequest: app.authenticate,
    schema: { tags: ['users'], summary: 'The signed-in user', security: [{ bearer: [] }], response: { 200: User, ...problemResponses(401) } },
  }, async (request) => toUser(await currentUser(ctx, request.auth.userId)));

  app.patch('/api/v1/users/me', {
    onRequest: app.authenticate,
    schema: {
      tags: ['users'], summary: 'Update the profile', security: [{ bearer: [] }],
      body: UpdateProfileBody,
      response: { 200: User, ...problemResponses(401, 422) },
    },
  }, async (request) => toUser(await updateProfile(ctx, request.auth.userId, request.body)));

  app.get('/api/v1/users/me/export', {
    onRequest: app.authenticate,
    schema: {
      tags: ['users'], summary: 'Everything stored about you: JSON, or the measurements as CSV with ?format=csv', security: [{ bearer: [] }],
      querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })) }),
      response: { 200: Type.Unknown({ description: 'The export document (JSON) or text/csv' }), ...problemResponses(401, 422) },
    },
  }, async (request, reply) => {
    const data = await exportData(ctx, request.auth.userId);
    const day = data.exported_at.slice(0, 10);
    if (request.query.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="recomp-measurements-${day}.csv"`)
        .serializer((payload) => payload as string).send(measurementsCsv(data.measurements));
    }
    return reply.header('content-disposition', `attachment; filename="recomp-export-${day}.json"`).send(data);
  });

  app.delete('/api/v1/users/me', {
    onRequest: app.authenticate,
    schema: {
      tags: ['users'], summary: 'Delete your account and all its data (confirm with your password)', security: [{ bearer: [] }],
      body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) }),
      response: { 204: Type.Null(), ...problemResponses(401, 403, 422, 429, 503) },
    },
  }, async (request, reply) => {
    await deleteAccount(ctx, request.auth.userId, request.body.password, request.ip);
    return reply.code(204).send(null);
  });
};
