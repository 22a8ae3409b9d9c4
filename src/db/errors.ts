/**
 * What a database error says, read the same way through drizzle's wrapping from both drivers:
 * its SQLSTATE and, for a constraint, the constraint's name (postgres.js and PGlite name it
 * differently). src/http/errors.ts answers with it; a service reads it where one failure is a
 * refusal of its own (a measurement still in use).
 */

/** SQLSTATE codes that mean the database could not be reached or is going away. */
export const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08006',
  'ECONNREFUSED',
  'ECONNRESET',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

export interface DatabaseFailure {
  code: string;
  constraint?: string;
}

export const FOREIGN_KEY_VIOLATION = '23503';

/** The SQLSTATE of a database error (through drizzle's wrapping), or null for any other error. */
export const sqlStateOf = (error: unknown): string | null => databaseFailure(error)?.code ?? null;

/** drizzle wraps driver errors; postgres.js and PGlite name the violated constraint differently. */
export function databaseFailure(error: unknown): DatabaseFailure | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const record = current as Error & { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (typeof record.code === 'string' && (/^[0-9A-Z]{5}$/.test(record.code) || UNAVAILABLE_CODES.has(record.code))) {
      const constraint = record.constraint_name ?? record.constraint;
      return { code: record.code, ...(typeof constraint === 'string' ? { constraint } : {}) };
    }
  }
  return null;
}
