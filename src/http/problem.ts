/**
 * RFC 9457 problem details: the one shape of every error response. Application code throws an
 * HttpError; the error handler (errors.ts) turns it, and everything else, into a problem body.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';

export interface FieldError { field: string; message: string }

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  instance: Type.String(),
  code: Type.Optional(Type.String({ description: 'A stable machine-readable error code.' })),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
}, { description: 'RFC 9457 problem details' });

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

export const notFound = (what: string) => new HttpError(404, `${what} not found`, { code: 'not_found' });
export const unauthorized = (detail: string) =>
  new HttpError(401, detail, { code: 'unauthorized', headers: { 'www-authenticate': 'Bearer' } });
export const conflict = (detail: string, code: string) => new HttpError(409, detail, { code });
export const badRequest = (detail: string, code: string) => new HttpError(400, detail, { code });
export const unprocessable = (detail: string, errors?: FieldError[], code = 'validation_failed') =>
  new HttpError(422, detail, { code, ...(errors ? { errors } : {}) });

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
    title: status === 422 ? 'Validation Error' : STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: request.url,
    ...(extras.code ? { code: extras.code } : {}),
    ...(extras.errors ? { errors: extras.errors } : {}),
  };
  // Serialised here, not by a route's response schema, so every error keeps its full shape.
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).serializer(JSON.stringify).send(body);
}
