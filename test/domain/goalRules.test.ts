import { describe, expect, it } from 'vitest';
import { MAX_BULK_CEILING, SAFE_MIN_CUT_TARGET, checkGoalTarget } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

describe('checkGoalTarget (docs/DESIGN.md, "Goal rules")', () => {
  it('accepts safe targets below and ceilings above the current body fat', () => {
    expect(() => checkGoalTarget({ goalType: 'cutting', sex: 'male', currentBodyFatPct: 24.09, targetBodyFatPct: 15 })).not.toThrow();
    expect(() => checkGoalTarget({ goalType: 'cutting', sex: 'male', currentBodyFatPct: 24.09, targetBodyFatPct: 8 })).not.toThrow();
    expect(() => checkGoalTarget({ goalType: 'bulking', sex: 'female', currentBodyFatPct: 22, ceilingBodyFatPct: 30 })).not.toThrow();
  });

  it('refuses an unsafe cutting target: "safe" and "low" (8 % men, 15 % women)', () => {
    expect(SAFE_MIN_CUT_TARGET).toEqual({ male: 8, female: 15 });
    const man = domainError(() => checkGoalTarget({ goalType: 'cutting', sex: 'male', currentBodyFatPct: 20, targetBodyFatPct: 7.99 }));
    expect(man).toMatchObject({ kind: 'rejected', code: 'target_below_safe_minimum' });
    expect(man.message).toContain('safe');
    expect(man.message).toContain('low');
    const woman = domainError(() => checkGoalTarget({ goalType: 'cutting', sex: 'female', currentBodyFatPct: 30, targetBodyFatPct: 14 }));
    expect(woman.code).toBe('target_below_safe_minimum');
  });

  it('checks the safe minimum before the direction', () => {
    const error = domainError(() => checkGoalTarget({ goalType: 'cutting', sex: 'female', currentBodyFatPct: 12, targetBodyFatPct: 13 }));
    expect(error.code).toBe('target_below_safe_minimum');
  });

  it('refuses a cutting target not below the current body fat', () => {
    for (const target of [24.09, 30]) {
      const error = domainError(() =>
        checkGoalTarget({ goalType: 'cutting', sex: 'male', currentBodyFatPct: 24.09, targetBodyFatPct: target }),
      );
      expect(error).toMatchObject({ kind: 'rejected', code: 'target_not_below_current' });
    }
  });

  it('refuses a ceiling above 30 % and one not above the current body fat', () => {
    expect(MAX_BULK_CEILING).toBe(30);
    const high = domainError(() => checkGoalTarget({ goalType: 'bulking', sex: 'male', currentBodyFatPct: 12, ceilingBodyFatPct: 30.5 }));
    expect(high).toMatchObject({ kind: 'rejected', code: 'ceiling_above_maximum' });
    for (const ceiling of [12, 10]) {
      const low = domainError(() =>
        checkGoalTarget({ goalType: 'bulking', sex: 'male', currentBodyFatPct: 12, ceilingBodyFatPct: ceiling }),
      );
      expect(low).toMatchObject({ kind: 'rejected', code: 'ceiling_not_above_current' });
    }
  });

  it('treats a missing or misplaced target/ceiling as a schema error (422)', () => {
    expect(domainError(() => checkGoalTarget({ goalType: 'cutting', sex: 'male', currentBodyFatPct: 20 }))).toMatchObject({
      kind: 'invalid',
      field: 'target_body_fat_percentage',
    });
    expect(
      domainError(() => checkGoalTarget({ goalType: 'bulking', sex: 'male', currentBodyFatPct: 20, ceilingBodyFatPct: null })),
    ).toMatchObject({ kind: 'invalid', field: 'ceiling_body_fat_percentage' });
    expect(
      domainError(() =>
        checkGoalTarget({ goalType: 'cutting', sex: 'male', currentBodyFatPct: 20, targetBodyFatPct: 15, ceilingBodyFatPct: 25 }),
      ).kind,
    ).toBe('invalid');
    expect(
      domainError(() =>
        checkGoalTarget({ goalType: 'bulking', sex: 'male', currentBodyFatPct: 20, targetBodyFatPct: 15, ceilingBodyFatPct: 25 }),
      ).kind,
    ).toBe('invalid');
  });
});
