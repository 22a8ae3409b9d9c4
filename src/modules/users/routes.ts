import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/schemas.ts';
import { RegisterBody, UpdateProfileBody, User } from './schemas.ts';
import { currentUser, registerUser, toUser, updateProfile } from './service.ts';

export const userRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Register a user',
        body: RegisterBody,
        response: { 201: User, ...problemResponses(409, 422, 429, 503) },
      },
    },
    async (request, reply) => reply.code(201).send(toUser(await registerUser(ctx, request.body, request.ip))),
  );

  app.get(
    '/api/v1/users/me',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['users'],
        summary: 'The signed-in user',
        security: [{ bearer: [] }],
        response: { 200: User, ...problemResponses(401) },
      },
    },
    async (request) => toUser(await currentUser(ctx, request.auth.userId)),
  );

  app.patch(
    '/api/v1/users/me',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['users'],
        summary: 'Update the profile',
        security: [{ bearer: [] }],
        body: UpdateProfileBody,
        response: { 200: User, ...problemResponses(401, 422) },
      },
    },
    async (request) => toUser(await updateProfile(ctx, request.auth.userId, request.body)),
  );
};
