import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/schemas.ts';
import { Email, Password } from '../users/schemas.ts';
import { confirmPasswordReset, requestPasswordReset } from './passwordReset.ts';
import { Token } from './routes.ts';

const ACCEPTED = 'If an account exists for that address, a link to set a new password is on its way';

const ResetRequested = Type.Object({ detail: Type.String() });

/** How one signs in here, for the web app before sign-in; an object, so that later options join it. */
const AuthOptions = Type.Object({
  password_reset: Type.Boolean({ description: 'Whether a forgotten password can be reset by mail (the service sends mail)' }),
});

export const passwordResetRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/v1/auth/options',
    {
      schema: {
        tags: ['auth'],
        summary: 'How one can sign in and recover an account on this service',
        response: { 200: AuthOptions },
      },
    },
    async () => ({ password_reset: ctx.mail.enabled }),
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary: 'Ask for a mail with a link to set a new password (the same answer whether or not the address has an account)',
        body: Type.Object({ email: Email }),
        response: { 202: ResetRequested, ...problemResponses(422, 429, 501) },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(ctx, request.body.email, request.ip);
      return reply.code(202).send({ detail: ACCEPTED });
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: "Set a new password with a reset link's token; every sign-in of the account ends and a new one starts",
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }), new_password: Password }),
        response: { 200: Token, ...problemResponses(400, 422, 501, 503) },
      },
    },
    async (request) => confirmPasswordReset(ctx, request.body.token, request.body.new_password),
  );
};
