import { describe, expect, it } from 'vitest';
import { goalStatus, progressPercentage, reachesGoal } from '../../src/domain/index.ts';
import type { GoalFacts } from '../../src/domain/index.ts';
import { day } from './helpers.ts';

const cut: GoalFacts = {
  goalType: 'cutting',
  targetBodyFatPct: 15,
  ceilingBodyFatPct: null,
  initial: { measuredAt: day(0), bodyFatPct: 24.09, weightKg: 90 },
  estimatedWeeksToGoal: 52,
};
const bulk: GoalFacts = {
  goalType: 'bulking',
  targetBodyFatPct: null,
  ceilingBodyFatPct: 18,
  initial: { measuredAt: day(0), bodyFatPct: 10.23, weightKg: 70 },
  estimatedWeeksToGoal: 168,
};

describe('progressPercentage (docs/SCIENCE.md 5; worked in 12.5)', () => {
  it('measures the share of the way to the target or ceiling, 2 dp', () => {
    expect(progressPercentage(cut, 23.55)).toBe(5.94); // 0.54 / 9.09 = 5.9406 %
    expect(progressPercentage(bulk, 10.5)).toBe(3.47); // 0.27 / 7.77 = 3.4749 %
    expect(progressPercentage({ ...cut, initial: { ...cut.initial, bodyFatPct: 24 }, targetBodyFatPct: 16 }, 20)).toBe(50);
  });

  it('clamps to 0–100 and is 100 with no distance to cover, 0 without a target', () => {
    expect(progressPercentage(cut, 14)).toBe(100);
    expect(progressPercentage(cut, 25)).toBe(0);
    expect(progressPercentage(bulk, 9)).toBe(0);
    expect(progressPercentage({ ...cut, targetBodyFatPct: 24.09 }, 24.09)).toBe(100);
    expect(progressPercentage({ ...cut, targetBodyFatPct: null }, 20)).toBe(0);
  });
});

describe('reachesGoal (docs/DESIGN.md, "Goal lifecycle")', () => {
  it('cutting at or below the target, bulking at or above the ceiling', () => {
    expect(reachesGoal(cut, 15)).toBe(true);
    expect(reachesGoal(cut, 15.01)).toBe(false);
    expect(reachesGoal(bulk, 18)).toBe(true);
    expect(reachesGoal(bulk, 17.99)).toBe(false);
  });
});

describe('goalStatus (docs/SCIENCE.md 5, goal "on track")', () => {
  const startedAt = day(1);

  it('uses the latest body fat, not the initial one, and wall-clock weeks since started_at', () => {
    const status = goalStatus({ goal: cut, currentBodyFatPct: 23.55, startedAt, now: day(22.5) });
    // 21.5 days -> 3 weeks; expected 3 / 52 = 5.77 %, 90 % of that = 5.19 % <= 5.94 %
    expect(status).toEqual({ currentBodyFatPercentage: 23.55, progressPercentage: 5.94, weeksElapsed: 3, isOnTrack: true });
  });

  it('is on track in week 0 and without an estimate', () => {
    expect(goalStatus({ goal: cut, currentBodyFatPct: 24.09, startedAt, now: day(7.9) }).isOnTrack).toBe(true);
    expect(goalStatus({ goal: { ...cut, estimatedWeeksToGoal: null }, currentBodyFatPct: 24.5, startedAt, now: day(100) }).isOnTrack).toBe(
      true,
    );
  });

  it('is behind when progress is under 90 % of the timeline share', () => {
    const status = goalStatus({ goal: cut, currentBodyFatPct: 24.09, startedAt, now: day(15) });
    expect(status.weeksElapsed).toBe(2);
    expect(status.isOnTrack).toBe(false);
    // 10 weeks of 52: 19.2 % expected, 90 % of it 17.3 %; 1.6 of 9.09 points = 17.6 %
    expect(goalStatus({ goal: cut, currentBodyFatPct: 22.49, startedAt, now: day(71) }).isOnTrack).toBe(true);
    expect(goalStatus({ goal: cut, currentBodyFatPct: 22.6, startedAt, now: day(71) }).isOnTrack).toBe(false);
  });

  it('keeps an arrived goal on track however late, and never counts negative weeks', () => {
    expect(goalStatus({ goal: cut, currentBodyFatPct: 15, startedAt, now: day(600) }).isOnTrack).toBe(true);
    expect(goalStatus({ goal: cut, currentBodyFatPct: 24.09, startedAt, now: day(0) }).weeksElapsed).toBe(0);
  });
});
