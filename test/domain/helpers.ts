import { DomainError } from '../../src/domain/index.ts';

const EPOCH = Date.UTC(2025, 0, 6, 8, 0, 0); // a Monday morning, UTC

/** An instant `days` (may be fractional) after a fixed epoch. */
export function day(days: number): Date {
  return new Date(EPOCH + days * 86_400_000);
}

/** Runs fn and returns the DomainError it throws; fails the test if it throws nothing or something else. */
export function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}
