import { DomainError, requireFinite } from './errors.ts';
import type { GoalType, Sex } from './types.ts';

/** Lowest cutting target considered safe (docs/DESIGN.md, 'Goal rules'): essential fat plus a margin. */
export const SAFE_MIN_CUT_TARGET: Record<Sex, number> = { male: 8, female: 15 };
/** Highest bulking ceiling, both sexes (docs/DESIGN.md, 'Goal rules'). */
export const MAX_BULK_CEILING = 30;

/**
 * Goal safety rules of docs/DESIGN.md, 'Goal rules', in that order. The cross rule (cutting has
 * a target and no ceiling, bulking the reverse) is a schema matter (422) and checked first.
 */
export function checkGoalTarget(p: {
  goalType: GoalType;
  sex: Sex;
  currentBodyFatPct: number;
  targetBodyFatPct?: number | null;
  ceilingBodyFatPct?: number | null;
}): void {
  const current = requireFinite(p.currentBodyFatPct, 'initial_body_fat_percentage');
  const target = p.targetBodyFatPct ?? null;
  const ceiling = p.ceilingBodyFatPct ?? null;

  if (p.goalType === 'cutting') {
    if (ceiling !== null) {
      throw new DomainError(
        'ceiling_not_allowed',
        'A cutting goal takes target_body_fat_percentage, not a ceiling.',
        'invalid',
        'ceiling_body_fat_percentage',
      );
    }
    if (target === null) {
      throw new DomainError('target_required', 'A cutting goal needs target_body_fat_percentage.', 'invalid', 'target_body_fat_percentage');
    }
    requireFinite(target, 'target_body_fat_percentage');
    const safeMin = SAFE_MIN_CUT_TARGET[p.sex];
    if (target < safeMin) {
      throw new DomainError(
        'target_below_safe_minimum',
        `A target of ${target} % is too low to be safe: the lowest safe cutting target for ${p.sex === 'male' ? 'men' : 'women'} is ${safeMin} %.`,
        'rejected',
        'target_body_fat_percentage',
      );
    }
    if (target >= current) {
      throw new DomainError(
        'target_not_below_current',
        `A cutting target must be below the current body fat of ${current} %.`,
        'rejected',
        'target_body_fat_percentage',
      );
    }
    return;
  }

  if (target !== null) {
    throw new DomainError(
      'target_not_allowed',
      'A bulking goal takes ceiling_body_fat_percentage, not a target.',
      'invalid',
      'target_body_fat_percentage',
    );
  }
  if (ceiling === null) {
    throw new DomainError(
      'ceiling_required',
      'A bulking goal needs ceiling_body_fat_percentage.',
      'invalid',
      'ceiling_body_fat_percentage',
    );
  }
  requireFinite(ceiling, 'ceiling_body_fat_percentage');
  if (ceiling > MAX_BULK_CEILING) {
    throw new DomainError(
      'ceiling_above_maximum',
      `A bulking ceiling of ${ceiling} % is above the maximum of ${MAX_BULK_CEILING} %.`,
      'rejected',
      'ceiling_body_fat_percentage',
    );
  }
  if (ceiling <= current) {
    throw new DomainError(
      'ceiling_not_above_current',
      `A bulking ceiling must be above the current body fat of ${current} %.`,
      'rejected',
      'ceiling_body_fat_percentage',
    );
  }
}
