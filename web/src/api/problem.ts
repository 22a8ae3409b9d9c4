/**
 * A refused or failed call as problem details (RFC 9457). Its own module so that tokens.ts (the
 * refresh) and client.ts (every other call) report failures the same way without importing each other.
 */
import type { Problem } from './types.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
  get status() {
    return this.problem.status;
  }
  get code() {
    return this.problem.code;
  }
}

/** Status 0: no answer at all (offline, DNS, connection refused). */
export const UNREACHABLE: Problem = {
  status: 0,
  detail: 'Recomp cannot be reached. Check your connection and try again.',
  code: 'network',
};

/** The API's wording for a header the person never sees; said in their terms. */
const PLAIN_DETAIL: Record<string, string> = {
  idempotency_key_in_use: 'Your previous attempt is still being saved: wait a moment and try again.',
};

export async function readProblem(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    if (typeof body.detail === 'string') {
      const detail = (body.code ? PLAIN_DETAIL[body.code] : undefined) ?? body.detail;
      return { ...body, status: response.status, detail } as Problem;
    }
  } catch {
    // not JSON: fall through
  }
  return {
    status: response.status,
    detail:
      response.status === 429
        ? 'Too many requests: wait a moment and try again.'
        : `Something went wrong (${response.status}). Please try again.`,
  };
}
