/**
 * Idempotency keys for the creating POSTs (src/http/idempotency.ts). A retry after a lost answer
 * must send the key of the first attempt, so the server replays that answer instead of creating a
 * duplicate (or refusing a check-in whose measurement the lost attempt already linked).
 */
import { ApiError } from './problem.ts';

/** A random UUID; crypto.randomUUID exists only in secure contexts (https, localhost), getRandomValues everywhere. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Whether the failed attempt may still have been carried out: no answer came, a 5xx (a proxy may
 * time out after the work was done), a 408 or 429, or the first attempt is still running.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  const { status, code } = error;
  return status === 0 || status === 408 || status === 429 || status >= 500 || code === 'idempotency_key_in_use';
}

/** The key of one form's submission: the same while the body is and the outcome is unknown. */
export class SubmissionKey {
  private current: { body: string; key: string } | null = null;

  /** The key to send with this body: the previous attempt's if it sent the same body, else a new one. */
  for(body: unknown): string {
    const text = JSON.stringify(body);
    if (this.current?.body !== text) this.current = { body: text, key: newIdempotencyKey() };
    return this.current.key;
  }

  /**
   * After an attempt. A definite answer (success, or a refusal the server keeps for a day) frees the
   * key, so sending the same body again later is a new request and not a replay of that refusal.
   */
  settle(error?: unknown) {
    if (error === undefined || !outcomeUnknown(error)) this.current = null;
  }
}
