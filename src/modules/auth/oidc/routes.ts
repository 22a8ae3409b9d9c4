import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../core/context.ts';
import { AppError } from '../../../core/errors.ts';
import { problemResponses } from '../../../core/schemas.ts';
import { Token } from '../schemas.ts';
import type { OidcProvider } from './provider.ts';
import { CodeBody, FirstPasswordBody, LinkBody, PendingSignIn, SignupBody } from './schemas.ts';
import {
  beginLogin,
  completeLogin,
  exchangeCode,
  linkWithPassword,
  notConfigured,
  pendingSignIn,
  setFirstPassword,
  signUpWithProvider,
} from './service.ts';

/** Binds a sign-in to the browser that began it (docs/SECURITY.md, 'Single sign-on'). */
const COOKIE = 'recomp_oidc';
const COOKIE_PATH = '/api/v1/auth/oidc';

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** A browser navigating, rather than a client asking for JSON. */
const wantsPage = (accept: string | undefined) => accept !== undefined && /\btext\/html\b/.test(accept);

const Redirect = Type.Null({ description: 'A redirect (Location)' });

export const oidcRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const settings = ctx.config.oidc;
  // openid-client is loaded only by a service with single sign-on.
  const provider: OidcProvider | null = settings === null ? null : (await import('./provider.ts')).createOidcProvider(settings, app.log);
  const configured = () => {
    if (provider === null) throw notConfigured();
    return provider;
  };
  const secure = ctx.config.publicUrl?.startsWith('https:') ? '; Secure' : '';

  app.get(
    '/api/v1/auth/oidc/start',
    {
      schema: {
        tags: ['auth'],
        summary: 'Begin single sign-on: redirects to the provider',
        response: { 302: Redirect, ...problemResponses(404, 503) },
      },
    },
    async (_request, reply) => {
      const { url, browserBinding } = await beginLogin(ctx, configured());
      return reply
        .header('set-cookie', `${COOKIE}=${browserBinding}; Path=${COOKIE_PATH}; Max-Age=600; HttpOnly; SameSite=Lax${secure}`)
        .redirect(url.href, 302);
    },
  );

  app.get(
    '/api/v1/auth/oidc/callback',
    {
      schema: {
        tags: ['auth'],
        summary: 'Where the provider sends the browser back: redirects to the web app with a one-time code in the fragment',
        description:
          'A refused callback is a problem; to a browser (Accept: text/html) it is a redirect to the web app with `#error=<code>` instead.',
        querystring: Type.Object({ state: Type.Optional(Type.String({ maxLength: 1024 })) }, { additionalProperties: true }),
        response: { 302: Redirect, ...problemResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const ended = `${COOKIE}=; Path=${COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax${secure}`;
      let code: string;
      try {
        code = await completeLogin(ctx, configured(), search, request.query.state, readCookie(request.headers.cookie, COOKIE));
      } catch (error) {
        // A browser is shown the refusal by the web app (its code in the fragment); other clients get the problem.
        if (!(error instanceof AppError) || settings === null || !wantsPage(request.headers.accept)) throw error;
        return reply.header('set-cookie', ended).redirect(`${ctx.config.publicUrl}/sso#error=${encodeURIComponent(error.code)}`, 302);
      }
      return reply.header('set-cookie', ended).redirect(`${ctx.config.publicUrl}/sso#code=${encodeURIComponent(code)}`, 302);
    },
  );

  app.post(
    '/api/v1/auth/oidc/exchange',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange the code from the sign-in callback for a token pair',
        description: 'A first sign-in answers 409 `oidc_link_required` or `oidc_signup_required`, or 403 `oidc_signup_disabled`.',
        body: CodeBody,
        response: { 200: Token, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      configured();
      return exchangeCode(ctx, request.body.code);
    },
  );

  app.post(
    '/api/v1/auth/oidc/pending',
    {
      schema: {
        tags: ['auth'],
        summary: 'What a first sign-in needs next, and the name and email the provider gave',
        body: CodeBody,
        response: { 200: PendingSignIn, ...problemResponses(400, 404, 422) },
      },
    },
    async (request) => {
      configured();
      return pendingSignIn(ctx, request.body.code);
    },
  );

  app.post(
    '/api/v1/auth/oidc/link',
    {
      schema: {
        tags: ['auth'],
        summary: 'Link the provider account to the account with its email by confirming that account’s password once',
        body: LinkBody,
        response: { 200: Token, ...problemResponses(400, 401, 404, 409, 422, 429, 503) },
      },
    },
    async (request) => {
      configured();
      return linkWithPassword(ctx, request.body.code, request.body.password, request.ip);
    },
  );

  app.post(
    '/api/v1/auth/oidc/signup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an account (without a password) for the provider account, with the profile completed',
        body: SignupBody,
        response: { 200: Token, ...problemResponses(400, 401, 403, 404, 409, 422, 429, 503) },
      },
    },
    async (request) => {
      configured();
      return signUpWithProvider(ctx, request.body, request.ip);
    },
  );

  app.post(
    '/api/v1/users/me/password',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'Set a first password on an account made through single sign-on (one with a password changes it with PUT)',
        security: [{ bearer: [] }],
        body: FirstPasswordBody,
        response: { 204: Type.Null(), ...problemResponses(401, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      await setFirstPassword(ctx, request.auth.userId, request.body.new_password);
      return reply.code(204).send(null);
    },
  );
};
