import { describe, expect, it } from 'vitest';
import { EXPECTED_BF_RATE_PER_WEEK, estimatedWeeksToGoal, weeksAtRate } from '../../src/domain/index.ts';

// Reference values: the service's own fixed rates (0.75 / 0.2 points a month), worked in docs/SCIENCE.md 12.3.
describe('estimatedWeeksToGoal (docs/SCIENCE.md 12.3)', () => {
  it.each([
    ['cutting', 30.68, 15, 91],
    ['cutting', 24.09, 15, 52],
    ['cutting', 25, 15, 58],
    ['bulking', 12, 18, 130],
    ['bulking', 10.23, 18, 168],
  ] as const)('%s %d -> %d: %d weeks', (goalType, from, to, weeks) => {
    expect(estimatedWeeksToGoal(goalType, from, to)).toBe(weeks);
  });

  it('uses 0.75 and 0.2 points a month of 4.33 weeks', () => {
    expect(EXPECTED_BF_RATE_PER_WEEK.cutting).toBeCloseTo(0.1732, 4);
    expect(EXPECTED_BF_RATE_PER_WEEK.bulking).toBeCloseTo(0.0462, 4);
  });

  it('gives at least one week for tiny gaps (a goal always has ≥ 1 week: docs/DESIGN.md, "Goal rules")', () => {
    expect(estimatedWeeksToGoal('cutting', 20, 19.95)).toBe(1);
    expect(estimatedWeeksToGoal('cutting', 20, 19.99)).toBe(1);
    expect(estimatedWeeksToGoal('bulking', 20, 20.01)).toBe(1);
    expect(estimatedWeeksToGoal('bulking', 20, 20.02)).toBe(1);
    expect(estimatedWeeksToGoal('cutting', 15.2, 15)).toBe(1); // 1.15 -> 1
  });

  it('rounds half to even and stays finite for the widest gaps', () => {
    expect(weeksAtRate(2.5, 1)).toBe(2);
    expect(estimatedWeeksToGoal('bulking', 3, 30)).toBe(585);
    expect(estimatedWeeksToGoal('cutting', 50, 8)).toBe(242);
  });
});
