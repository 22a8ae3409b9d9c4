/**
 * The refusals of the services (and of the HTTP layer where it refuses for the same reasons): a
 * kind, a stable `code` and a message, with the fields at fault when there are some. A service says
 * what went wrong, not how it is answered: src/http/errors.ts gives each kind its status and turns
 * the error into problem details (docs/DESIGN.md, 'Problem details' and 'Status codes').
 */

export interface FieldError {
  field: string;
  message: string;
}

export type AppErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'too_many_requests'
  | 'unavailable'
  /** A feature this deployment has not set up (mail without SMTP_URL): 501. */
  | 'not_implemented';

interface AppErrorDetails {
  /** The fields at fault, by their wire names (`body.weight_kg`, `query.from`). */
  errors?: FieldError[];
  /** When a retry may succeed, for `too_many_requests` and `unavailable`. */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly kind: AppErrorKind;
  readonly code: string;
  readonly details: AppErrorDetails;

  // Explicit fields rather than parameter properties, as in src/domain/errors.ts.
  constructor(kind: AppErrorKind, code: string, message: string, details: AppErrorDetails = {}) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string) => new AppError('not_found', 'not_found', `${what} not found`);
export const unauthorized = (detail: string) => new AppError('unauthorized', 'unauthorized', detail);
export const conflict = (detail: string, code: string) => new AppError('conflict', code, detail);
export const badRequest = (detail: string, code: string) => new AppError('bad_request', code, detail);
export const unprocessable = (detail: string, errors?: FieldError[], code = 'validation_failed') =>
  new AppError('unprocessable', code, detail, errors ? { errors } : {});
