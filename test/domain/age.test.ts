import { describe, expect, it } from 'vitest';
import { ageInYears } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

const at = (iso: string) => new Date(iso);

describe('ageInYears (calendar age on the UTC date: docs/DESIGN.md, "Time")', () => {
  it('counts a year only once the birthday has arrived', () => {
    expect(ageInYears('1990-05-15', at('2025-05-14T23:59:59Z'))).toBe(34);
    expect(ageInYears('1990-05-15', at('2025-05-15T00:00:00Z'))).toBe(35);
    expect(ageInYears('1990-01-01', at('2025-12-31T12:00:00Z'))).toBe(35);
  });

  it('is not a year high just before a birthday, unlike days / 365', () => {
    const birth = '2000-03-10';
    const now = at('2025-03-08T00:00:00Z');
    const days = (now.getTime() - Date.UTC(2000, 2, 10)) / 86_400_000;
    expect(Math.floor(days / 365)).toBe(25); // the old rule
    expect(ageInYears(birth, now)).toBe(24);
  });

  it('uses the UTC date, whatever the offset the instant was written with', () => {
    expect(ageInYears('1990-05-15', at('2025-05-15T01:00:00+02:00'))).toBe(34); // still 14 May in UTC
  });

  it('treats 29 February birthdays as arriving on 1 March in common years', () => {
    expect(ageInYears('2000-02-29', at('2025-02-28T12:00:00Z'))).toBe(24);
    expect(ageInYears('2000-02-29', at('2025-03-01T00:00:00Z'))).toBe(25);
    expect(ageInYears('2000-02-29', at('2024-02-29T00:00:00Z'))).toBe(24);
  });

  it('rejects malformed or impossible dates as invalid input', () => {
    for (const bad of ['1990-02-30', '1990-13-01', '15/05/1990', '1990-5-15']) {
      const error = domainError(() => ageInYears(bad, at('2025-01-01T00:00:00Z')));
      expect(error.kind).toBe('invalid');
      expect(error.field).toBe('date_of_birth');
    }
  });
});
