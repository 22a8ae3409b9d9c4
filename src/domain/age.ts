import { DomainError } from './errors.ts';

const DATE_OF_BIRTH = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Calendar age in whole years at `at`, using UTC dates: years elapsed, minus one if this year's
 * birthday has not come yet, not days/365, which drifts a year high just before birthdays.
 * Someone born on 29 February turns a year older on 1 March in common years.
 * The result can be negative for a date of birth after `at`; registration rejects those.
 */
export function ageInYears(dateOfBirth: string, at: Date): number {
  const match = DATE_OF_BIRTH.exec(dateOfBirth);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  const parsed = new Date(Date.UTC(year, month - 1, day));
  if (!match || parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) {
    throw new DomainError(
      'invalid_date_of_birth',
      `date_of_birth must be a calendar date YYYY-MM-DD, got "${dateOfBirth}".`,
      'invalid',
      'date_of_birth',
    );
  }
  if (Number.isNaN(at.getTime())) {
    throw new DomainError('invalid_date', 'The reference date is not a valid date.', 'invalid');
  }
  const birthdayPassed = at.getUTCMonth() + 1 > month || (at.getUTCMonth() + 1 === month && at.getUTCDate() >= day);
  return at.getUTCFullYear() - year - (birthdayPassed ? 0 : 1);
}
