import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import type { AppContext } from '../../core/context.ts';

const SsoOption = Type.Union([
  Type.Object({
    name: Type.String({ description: 'The provider’s name, for the “Sign in with …” button' }),
    start_url: Type.String({ description: 'Where the browser goes to begin single sign-on' }),
  }),
  Type.Null(),
]);

/** Single sign-on as the web app offers it: null when it is not set up. */
function ssoOption(config: Config) {
  return config.oidc === null || config.publicUrl === null
    ? null
    : { name: config.oidc.name, start_url: `${config.publicUrl}/api/v1/auth/oidc/start` };
}

/** How one signs in and recovers an account here, for the web app before sign-in; an object, so that later options join it. */
const AuthOptions = Type.Object({
  password_reset: Type.Boolean({ description: 'Whether a forgotten password can be reset by mail (the service sends mail)' }),
  sso: SsoOption,
});

/** The ways to sign in this service offers, before anyone signs in. */
export const authOptionsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/v1/auth/options',
    {
      schema: {
        tags: ['auth'],
        summary: 'How one can sign in and recover an account on this service',
        response: { 200: AuthOptions },
      },
    },
    async () => ({ password_reset: ctx.mail.enabled, sso: ssoOption(ctx.config) }),
  );
};
