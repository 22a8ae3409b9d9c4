/**
 * Bearer authentication for protected routes: one hook, one behaviour everywhere (401 with
 * `WWW-Authenticate: Bearer` for a missing, malformed, expired or refresh token, or one of an ended
 * sign-in: docs/DESIGN.md, 'Status codes' and 'Tokens and sign-ins').
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionChecker, TokenService } from '../core/context.ts';
import { unauthorized } from '../core/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on protected routes. */
    auth: { userId: string; sessionId: string };
  }
  interface FastifyInstance {
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
}

export function registerAuthentication(app: FastifyInstance, tokens: TokenService, sessions: SessionChecker) {
  app.decorateRequest('auth', null as never);
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header);
    if (!match?.[1]) throw unauthorized('Not authenticated: send Authorization: Bearer <access token>');
    const claims = tokens.verify(match[1]);
    if (claims === null || claims.type !== 'access') throw unauthorized('Could not validate credentials');
    // Logout, refresh-token reuse and account deletion end the sign-in, and its access tokens with it.
    if (!(await sessions.isActive(claims.sid, claims.sub))) throw unauthorized('This sign-in has ended; sign in again');
    request.auth = { userId: claims.sub, sessionId: claims.sid };
  });
}
