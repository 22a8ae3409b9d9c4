/**
 * No browser or shared cache keeps an answer that may carry personal data or tokens (`no-store`,
 * RFC 9111 §5.2.2.5; required for token responses by RFC 6749 §5.1): every answer under /api/,
 * and every error answer anywhere, since a problem echoes the request's URL and what it sent. The
 * web app's files, /docs and /openapi.json keep the caching they set themselves (src/http/web.ts).
 */
import type { FastifyInstance } from 'fastify';

export const NO_STORE = 'no-store';

export function registerCaching(app: FastifyInstance) {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode >= 400 || request.url.startsWith('/api/')) reply.header('cache-control', NO_STORE);
    done(null, payload);
  });
}
