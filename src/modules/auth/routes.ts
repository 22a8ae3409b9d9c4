import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/schemas.ts';
import { Email, Password, User } from '../users/schemas.ts';
import { toUser } from '../users/service.ts';
import { changeEmail, changePassword, login, logout, refresh } from './service.ts';

export const Token = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer({ description: 'Access-token lifetime in seconds' }),
});

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 1024 }) }),
        response: { 200: Token, ...problemResponses(401, 422, 429, 503) },
      },
    },
    async (request) => login(ctx, request.body.email, request.body.password, request.ip, request.log),
  );

  app.post(
    '/api/v1/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new token pair (the old one stops working)',
        body: Type.Object({ refresh_token: Type.String({ minLength: 1, maxLength: 4096 }) }),
        response: { 200: Token, ...problemResponses(401, 422) },
      },
    },
    async (request) => refresh(ctx, request.body.refresh_token),
  );

  app.post(
    '/api/v1/auth/logout',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'Sign out: revokes the refresh tokens of this sign-in',
        security: [{ bearer: [] }],
        response: { 204: Type.Null(), ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      await logout(ctx, request.auth.userId, request.auth.sessionId);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/users/me/password',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'Change your password (confirm with the current one); your other sign-ins end',
        security: [{ bearer: [] }],
        body: Type.Object({ current_password: Type.String({ minLength: 1, maxLength: 1024 }), new_password: Password }),
        response: { 204: Type.Null(), ...problemResponses(401, 403, 409, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      await changePassword(ctx, request.auth, request.body.current_password, request.body.new_password, request.ip);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/users/me/email',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'Change the email you sign in with (confirm with your password)',
        security: [{ bearer: [] }],
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }), new_email: Email }),
        response: { 200: User, ...problemResponses(401, 403, 409, 422, 429, 503) },
      },
    },
    async (request) => toUser(await changeEmail(ctx, request.auth.userId, request.body.password, request.body.new_email, request.ip)),
  );
};
