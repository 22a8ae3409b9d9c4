import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../core/context.ts';
import { problemResponses } from '../../core/schemas.ts';
import { Email, Password } from '../users/schemas.ts';
import { confirmPasswordReset, requestPasswordReset } from './passwordReset.ts';
import { Token } from './schemas.ts';

const ACCEPTED = 'If an account exists for that address, a link to set a new password is on its way';

const ResetRequested = Type.Object({ detail: Type.String() });

export const passwordResetRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
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
