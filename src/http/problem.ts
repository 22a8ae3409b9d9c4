/**
 * RFC 9457 problem details: the one shape of every error response (its schema is ProblemSchema in
 * src/core/schemas.ts). Services throw an AppError (src/core/errors.ts); the HTTP layer throws an
 * HttpError for what only it refuses (a charset, the rate limit). The error handler (errors.ts)
 * turns them, and everything else, into a problem body.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../core/errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extras: { code?: string; errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
  }
}

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  detail: string,
  extras: { code?: string; errors?: FieldError[]; headers?: Record<string, string> } = {},
) {
  for (const [name, value] of Object.entries(extras.headers ?? {})) reply.header(name, value);
  const body = {
    type: 'about:blank',
    // Every 422 is a "Validation Error", whoever raised it (docs/DESIGN.md, 'Problem details').
    title: status === 422 ? 'Validation Error' : (STATUS_CODES[status] ?? 'Error'),
    status,
    detail,
    instance: request.url,
    ...(extras.code ? { code: extras.code } : {}),
    ...(extras.errors ? { errors: extras.errors } : {}),
  };
  // Serialised here, not by a route's response schema, so every error keeps its full shape.
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).serializer(JSON.stringify).send(body);
}
