// Domain errors carry a stable code so the HTTP edge can map them without parsing text:
// kind 'invalid' -> 422 (the request is malformed for this rule), 'rejected' -> 400 (a domain
// rule refuses an otherwise well-formed request). `field` is the wire name when one applies.

export type DomainErrorKind = 'invalid' | 'rejected';

export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly field: string | undefined;

  // Explicit fields rather than parameter properties, so the file also runs under
  // type-stripping loaders that only erase types.
  constructor(code: string, message: string, kind: DomainErrorKind, field?: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.kind = kind;
    this.field = field;
  }
}

/** Guards the domain against NaN/Infinity leaking into results (no input may produce a 500). */
export function requireFinite(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DomainError('not_a_number', `${field} must be a finite number.`, 'invalid', field);
  }
  return value;
}

/** Like requireFinite, and the value must be strictly positive (weights, heights, calories). */
export function requirePositive(value: number, field: string): number {
  requireFinite(value, field);
  if (value <= 0) {
    throw new DomainError('not_positive', `${field} must be greater than 0.`, 'invalid', field);
  }
  return value;
}
