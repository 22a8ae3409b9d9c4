/**
 * The single error handler: schema failures, the services' and the domain's refusals, database
 * conflicts and anything unexpected all leave as problem details with the status docs/DESIGN.md
 * ('Status codes') names. A 500 says nothing about its cause; the log keeps it.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type AppErrorKind, conflict, type FieldError } from '../core/errors.ts';
import { type DatabaseFailure, databaseFailure, FOREIGN_KEY_VIOLATION, UNAVAILABLE_CODES } from '../db/errors.ts';
import { DomainError } from '../domain/index.ts';
import { activeGoalExists } from '../modules/goals/errors.ts';
import { identityTaken } from '../modules/auth/oidc/service.ts';
import { measurementAlreadyLinked } from '../modules/progress/errors.ts';
import { HttpError, sendProblem } from './problem.ts';

const CONTEXT_PREFIX: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Ajv's errors become `{field, message}` with `field` like `body.weight_kg` or `path.goal_id`. */
function fieldErrors(issues: AjvIssue[], context: string): FieldError[] {
  const prefix = CONTEXT_PREFIX[context] ?? context;
  const byField = new Map<string, string>();
  for (const issue of issues) {
    // A nullable field's union reports one error per branch; the concrete branch says more.
    if (issue.keyword === 'anyOf' || (issue.keyword === 'type' && issue.params.type === 'null')) continue;
    const segments = issue.instancePath.split('/').filter(Boolean);
    let message = issue.message ?? 'is invalid';
    if (issue.keyword === 'required') {
      segments.push(String(issue.params.missingProperty));
      message = 'Field required';
    } else if (issue.keyword === 'enum' || issue.keyword === 'const') {
      message = 'must be one of the allowed values';
    }
    const field = [prefix, ...segments].join('.');
    if (!byField.has(field)) byField.set(field, message);
  }
  if (byField.size === 0) byField.set(prefix, issues[0]?.message ?? 'is invalid');
  return [...byField].map(([field, message]) => ({ field, message }));
}

/**
 * Unique constraints with an answer of their own; any other is a plain 409. Where a service
 * refuses the same thing first, the index answers alike when two requests race past its check.
 */
const UNIQUE_VIOLATIONS: Record<string, () => AppError> = {
  users_email_lower_key: () => conflict('This email is already registered', 'email_taken'),
  user_identities_issuer_subject_key: identityTaken,
  user_identities_user_issuer_key: identityTaken,
  goals_one_active_per_user: activeGoalExists,
  progress_entries_measurement_key: measurementAlreadyLinked,
};

/** SQLSTATE query_canceled: statement_timeout passed, or the statement was cancelled. */
const QUERY_CANCELED = '57014';

/** The status of each kind of AppError (docs/DESIGN.md, 'Status codes'). */
const STATUS_OF: Record<AppErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
  unavailable: 503,
  not_implemented: 501,
};

function appProblem(error: AppError, request: FastifyRequest, reply: FastifyReply) {
  const headers: Record<string, string> = {};
  // A 401 names the scheme that would be accepted (RFC 9110, 11.6.1).
  if (error.kind === 'unauthorized') headers['www-authenticate'] = 'Bearer';
  if (error.details.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.details.retryAfterSeconds);
  return sendProblem(reply, request, STATUS_OF[error.kind], error.message, {
    code: error.code,
    headers,
    ...(error.details.errors ? { errors: error.details.errors } : {}),
  });
}

function isJsonBodyError(error: FastifyError): boolean {
  return error instanceof SyntaxError || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY';
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (reply.sent) return; // the deadline (deadline.ts) answered already
    // The connection is gone mid-request (the client left, or deadline.ts answered its timeout): no one
    // to answer, and its ECONNRESET is the client's, not the database's.
    if (request.raw.socket?.destroyed) return;
    if (error.validation) {
      return sendProblem(reply, request, 422, 'The request has fields that failed validation', {
        code: 'validation_failed',
        errors: fieldErrors(error.validation as AjvIssue[], error.validationContext ?? 'body'),
      });
    }
    if (error instanceof AppError) return appProblem(error, request, reply);
    if (error instanceof HttpError) return sendProblem(reply, request, error.status, error.detail, error.extras);
    if (error instanceof DomainError) {
      if (error.kind === 'invalid') {
        return sendProblem(reply, request, 422, error.message, {
          code: error.code,
          ...(error.field ? { errors: [{ field: error.field, message: error.message }] } : {}),
        });
      }
      return sendProblem(reply, request, 400, error.message, { code: error.code });
    }
    if (isJsonBodyError(error)) {
      return sendProblem(reply, request, 422, 'The request body is not valid JSON', {
        code: 'malformed_json',
        errors: [{ field: 'body', message: 'Malformed JSON' }],
      });
    }
    const failure = databaseFailure(error);
    if (failure) return databaseProblem(failure, error, request, reply);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (415 media type, 413 body too large, …) keep their status.
      return sendProblem(reply, request, status, error.message, { code: error.code?.toLowerCase() ?? 'client_error' });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, request, 500, 'An unexpected error occurred; it has been logged', { code: 'internal_error' });
  });

  function databaseProblem(failure: DatabaseFailure, error: Error, request: FastifyRequest, reply: FastifyReply) {
    if (failure.code === '23505') {
      const known = failure.constraint ? UNIQUE_VIOLATIONS[failure.constraint] : undefined;
      return appProblem(known ? known() : conflict('This conflicts with existing data', 'conflict'), request, reply);
    }
    if (failure.code === '23514' || failure.code === '22003' || failure.code === '22P02' || failure.code === '22008') {
      // The schema should have caught it; the database's CHECK is the last line.
      request.log.warn({ err: error }, 'database refused a value the schema allowed');
      return sendProblem(reply, request, 422, 'A value is outside the range the service can store', { code: 'out_of_range' });
    }
    if (failure.code === FOREIGN_KEY_VIOLATION) {
      // A row referred to was deleted meanwhile (a goal from a measurement being deleted), or a
      // deleted row is still referred to: a race with another request, never bad input.
      return sendProblem(reply, request, 409, 'This refers to data that another request has just changed; reload and try again', {
        code: 'reference_changed',
      });
    }
    if (failure.code === '40001' || failure.code === '40P01') {
      return sendProblem(reply, request, 409, 'A concurrent request changed the same data; retry', { code: 'concurrent_update' });
    }
    if (failure.code === QUERY_CANCELED) {
      // statement_timeout (DATABASE_STATEMENT_TIMEOUT_MS) or a cancel: an overloaded database, not the request's fault.
      request.log.error({ err: error }, 'database statement cancelled');
      return sendProblem(reply, request, 503, 'The database took too long to answer; retry shortly', {
        code: 'database_timeout',
        headers: { 'retry-after': '5' },
      });
    }
    if (UNAVAILABLE_CODES.has(failure.code)) {
      request.log.error({ err: error }, 'database unavailable');
      return sendProblem(reply, request, 503, 'The database is unavailable; retry shortly', {
        code: 'database_unavailable',
        headers: { 'retry-after': '5' },
      });
    }
    request.log.error({ err: error }, 'unhandled database error');
    return sendProblem(reply, request, 500, 'An unexpected error occurred; it has been logged', { code: 'internal_error' });
  }

  // Fastify answers an unknown method on a known path with 404; we answer 405 with Allow.
  const routes: { pattern: RegExp; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    const pattern = new RegExp(`^${route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]+/g, '[^/]+')}/?$`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const existing = routes.find((r) => r.pattern.source === pattern.source);
    if (existing) methods.forEach((m) => existing.methods.add(m));
    else routes.push({ pattern, methods: new Set(methods) });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = routes.filter((r) => r.pattern.test(path)).flatMap((r) => [...r.methods]);
    if (allowed.length > 0) {
      return sendProblem(reply, request, 405, `${request.method} is not allowed on ${path}`, {
        code: 'method_not_allowed',
        headers: { allow: [...new Set(allowed)].join(', ') },
      });
    }
    return sendProblem(reply, request, 404, `No route matches ${request.method} ${path}`, { code: 'not_found' });
  });
}
