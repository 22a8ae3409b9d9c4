import { describe, expect, it } from 'vitest';
import {
  PROJECTION_MAX_WEEKS,
  PROJECTION_TOLERANCE,
  compareWithProjection,
  compositionChangeForEnergy,
  estimatedWeeksToGoal,
  maintenanceCalories,
  projectGoal,
} from '../../src/domain/index.ts';
import type { Profile, ProjectionInput, ProjectionPoint } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

const MAN: Profile = { sex: 'male', heightCm: 180, ageYears: 35, activityLevel: 'moderately_active' };
const cutInput = (over: Partial<ProjectionInput> = {}): ProjectionInput => ({
  goalType: 'cutting',
  profile: MAN,
  weightKg: 85,
  bodyFatPct: 20,
  goalBodyFatPct: 15,
  tdeeKcal: 2600,
  plan: { weeklyRatePercent: 0.5 },
  ...over,
});

describe('projectGoal: week-by-week energy balance with Forbes partitioning', () => {
  it('steps the first week by hand: 7 × (2,100 − 2,600) kcal split at 17 kg of fat', () => {
    const { curve } = projectGoal(cutInput({ plan: { intakeKcal: 2100 } }));
    expect(curve[0]).toEqual({ week: 0, weightKg: 85, bodyFatPct: 20, fatMassKg: 17, leanMassKg: 68, intakeKcal: 2100, tdeeKcal: 2600 });
    const change = compositionChangeForEnergy(17, -3500); // −0.536 kg: −0.331 fat, −0.205 lean
    expect(curve[1]?.weightKg).toBeCloseTo(85 + change.weightChangeKg, 10);
    expect(curve[1]?.fatMassKg).toBeCloseTo(17 + change.fatChangeKg, 10);
    expect(curve[1]?.bodyFatPct).toBeCloseTo(19.735, 3); // 16.669 / 84.464
    // expenditure falls with weight, scaled by this person's calibration 2,600 / 2,798
    expect(maintenanceCalories(MAN, 85)).toBe(2798);
    expect(curve[1]?.tdeeKcal).toBe(Math.round((2600 / 2798) * maintenanceCalories(MAN, curve[1]?.weightKg ?? 0))); // 2,593
  });

  it('reaches a cutting target at the chosen rate, replacing the fixed 0.75 points a month', () => {
    const p = projectGoal(cutInput());
    expect(p.reachesGoal).toBe(true);
    expect(p.weeks).toBe(26); // the old timeline says 29 weeks for 20 → 15 %
    expect(estimatedWeeksToGoal('cutting', 20, 15)).toBe(29);
    expect(p.curve.at(-1)?.bodyFatPct).toBeLessThanOrEqual(15);
    expect(p.curve.at(-2)?.bodyFatPct).toBeGreaterThan(15);
    // the rule is recomputed each week, so each week loses about 0.5 % of the then weight
    const [w0, w1] = [p.curve[0]?.weightKg ?? 0, p.curve[1]?.weightKg ?? 0];
    expect((w0 - w1) / w0).toBeCloseTo(0.005, 4);
    // and expenditure falls as weight falls
    expect(p.curve.at(-1)?.tdeeKcal).toBeLessThan(2600);
  });

  it('reaches a bulking ceiling', () => {
    const p = projectGoal({
      goalType: 'bulking',
      profile: { ...MAN, heightCm: 178, ageYears: 30 },
      weightKg: 72,
      bodyFatPct: 12,
      goalBodyFatPct: 18,
      tdeeKcal: 2616,
      plan: { weeklyRatePercent: 0.25 },
    });
    expect(p.reachesGoal).toBe(true);
    expect(p.weeks).toBe(64);
    expect(p.curve.at(-1)?.bodyFatPct).toBeGreaterThanOrEqual(18);
    expect(p.curve.at(-1)?.leanMassKg).toBeGreaterThan(72 * 0.88); // some of the gain is lean
  });

  it('stops at the cap, or at the first week without progress, when the plan cannot get there', () => {
    // 10 kcal under: creeps for years towards a weight where expenditure is 2,590, short of 15 %.
    const slow = projectGoal(cutInput({ plan: { intakeKcal: 2590 } }));
    expect(slow.reachesGoal).toBe(false);
    expect(slow.weeks).toBeGreaterThan(100);
    expect(slow.weeks).toBeLessThanOrEqual(PROJECTION_MAX_WEEKS);
    expect(slow.curve).toHaveLength(slow.weeks + 1);
    const maintenance = projectGoal(cutInput({ plan: { intakeKcal: 2600 } })); // eats what is burnt
    expect(maintenance).toMatchObject({ weeks: 1, reachesGoal: false });
    expect(maintenance.curve).toHaveLength(2);
    // Burning 700 kcal less than planned turns the default cut into a gain: stopped, never below zero.
    expect(projectGoal(cutInput({ expenditureErrorKcal: -700 }))).toMatchObject({ weeks: 1, reachesGoal: false });
    expect(projectGoal(cutInput({ maxWeeks: 10 }))).toMatchObject({ weeks: 10, reachesGoal: false });
  });

  it('moves faster when the body burns more than the plan assumes', () => {
    const planned = projectGoal(cutInput());
    const burnsMore = projectGoal(cutInput({ expenditureErrorKcal: 200 }));
    const burnsLess = projectGoal(cutInput({ expenditureErrorKcal: -200 }));
    expect(burnsMore.weeks).toBeLessThan(planned.weeks);
    expect(burnsLess.weeks).toBeGreaterThan(planned.weeks);
    // The plan eats the same whatever the body burns: the error only moves the body.
    expect(burnsMore.curve[0]!.intakeKcal).toBe(planned.curve[0]!.intakeKcal);
  });

  it('validates its inputs', () => {
    expect(domainError(() => projectGoal(cutInput({ maxWeeks: 0 }))).code).toBe('invalid_max_weeks');
    expect(domainError(() => projectGoal(cutInput({ plan: { weeklyRatePercent: 2 } }))).code).toBe('weekly_rate_out_of_range');
    expect(domainError(() => projectGoal(cutInput({ tdeeKcal: 0 }))).code).toBe('not_positive');
  });
});

describe('compareWithProjection: ahead, on track or behind, and by how much', () => {
  const { curve } = projectGoal(cutInput());
  /** What a trend shows for someone exactly on the projection: the same 0.1 smoothing of the daily curve. */
  const trendOnPlan = (day: number, value: (p: ProjectionPoint) => number): number => {
    const at = (d: number) => {
      const i = Math.floor(d / 7);
      const a = value(curve[i] as ProjectionPoint);
      const b = value(curve[i + 1] as ProjectionPoint);
      return a + ((b - a) * (d - 7 * i)) / 7;
    };
    let t = at(0);
    for (let d = 1; d <= day; d++) t += 0.1 * (at(d) - t);
    return t;
  };

  it('counts someone exactly on the plan as on track, although their trend lags the raw curve', () => {
    const bf = trendOnPlan(56, (p) => p.bodyFatPct);
    const kg = trendOnPlan(56, (p) => p.weightKg);
    const c = compareWithProjection({ goalType: 'cutting', curve, elapsedDays: 56, observedBodyFatPct: bf, observedWeightKg: kg });
    expect(c).toMatchObject({ status: 'on_track', basis: 'body_fat' });
    expect(c.byPoints).toBeCloseTo(0, 10);
    expect(c.byKg).toBeCloseTo(0, 10);
    // the lag: the trend is ~9 days of loss above the raw week-8 point
    expect(kg - (curve[8]?.weightKg ?? 0)).toBeGreaterThan(0.4);
  });

  it('is ahead or behind beyond a quarter of the expected change (at least 0.5 points)', () => {
    const expected = trendOnPlan(84, (p) => p.bodyFatPct); // week 12
    const tolerance = PROJECTION_TOLERANCE.fraction * (20 - expected);
    expect(tolerance).toBeGreaterThan(PROJECTION_TOLERANCE.minPoints);
    const at = (observedBodyFatPct: number) => compareWithProjection({ goalType: 'cutting', curve, elapsedDays: 84, observedBodyFatPct });
    expect(at(expected - tolerance - 0.01)).toMatchObject({ status: 'ahead', byPoints: expect.closeTo(tolerance + 0.01, 8) });
    expect(at(expected + tolerance + 0.01)).toMatchObject({ status: 'behind', byPoints: expect.closeTo(-tolerance - 0.01, 8) });
    expect(at(expected + tolerance - 0.01).status).toBe('on_track');
  });

  it('uses the half-point / half-kilogram floor early on, and weight when no body fat is given', () => {
    const early = compareWithProjection({ goalType: 'cutting', curve, elapsedDays: 7, observedWeightKg: 85 });
    expect(early.basis).toBe('weight');
    expect(early.tolerance).toBe(PROJECTION_TOLERANCE.minKg);
    expect(early.byPoints).toBeNull();
    expect(early.status).toBe('on_track'); // hardly anything was expected to show yet
  });

  it('reads "ahead" in the goal\'s direction when bulking', () => {
    const bulk = projectGoal({
      goalType: 'bulking',
      profile: MAN,
      weightKg: 72,
      bodyFatPct: 12,
      goalBodyFatPct: 18,
      tdeeKcal: 2700,
      plan: { weeklyRatePercent: 0.25 },
    });
    const c = compareWithProjection({ goalType: 'bulking', curve: bulk.curve, elapsedDays: 70, observedWeightKg: 76 });
    expect(c.status).toBe('ahead');
    expect(c.byKg).toBeGreaterThan(0);
  });

  it('needs something to compare', () => {
    expect(domainError(() => compareWithProjection({ goalType: 'cutting', curve, elapsedDays: 7 })).code).toBe('nothing_to_compare');
    expect(domainError(() => compareWithProjection({ goalType: 'cutting', curve, elapsedDays: -1, observedWeightKg: 80 })).code).toBe(
      'invalid_elapsed_days',
    );
  });
});
