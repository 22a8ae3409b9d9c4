/**
 * The load journeys' data (scripts/load/payloads.ts, and its copy in the Locust script) must be
 * valid for the domain, or the scripts report failures that are ours: every drawn person gives a
 * plausible body fat, a goal the service's planner accepts (planGoalWithRate on the equation's
 * expenditure, as with nothing logged), and check-ins that neither fail nor complete the goal.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ageInYears,
  type BodyPoint,
  calculateBodyFat,
  checkInCalorieTarget,
  dietPlan,
  equationExpenditure,
  evaluateProgress,
  type GoalFacts,
  planGoalWithRate,
} from '../../src/domain/index.ts';
import { ActivityInput } from '../../src/modules/users/schemas.ts';
import {
  BODIES,
  CHECK_IN_CHANGE,
  checkIn,
  drawPerson,
  K6_AIM,
  LOCUST_ACTIVITY,
  LOCUST_AIM,
  navyBodyFat,
  navyWaistFor,
  rand,
  within,
  type GoalType,
  type Sex,
} from '../../scripts/load/payloads.ts';
import { THINK_SECONDS } from '../../scripts/load/journey.ts';

const LOCUSTFILE = path.resolve(import.meta.dirname, '../../scripts/performance_test_locust.py');
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;

describe('payloads', () => {
  it('solves the Navy equation for the waist', () => {
    for (const sex of ['male', 'female'] as const) {
      for (const bodyFat of [8, 15, 22.5, 35]) {
        const waist = navyWaistFor(sex, 172.5, bodyFat, 37, 101);
        expect(navyBodyFat(sex, 172.5, waist, 37, 101)).toBeCloseTo(bodyFat, 9);
      }
    }
  });

  it('draws people whose measurements, goals and repeated check-ins the domain accepts', () => {
    const at = new Date('2026-03-02T09:30:00Z');
    for (let i = 0; i < 4000; i++) {
      const sex: Sex = i % 2 === 0 ? 'male' : 'female';
      const goalType: GoalType = i % 4 < 2 ? 'cutting' : 'bulking';
      const heightCm = i % 3 === 0 ? 175 : rand(160, 190);
      const activityLevel = ActivityInput.normalize(LOCUST_ACTIVITY[i % LOCUST_ACTIVITY.length]!);
      const profile = { sex, heightCm, ageYears: ageInYears('1990-01-01', at), activityLevel };
      const person = drawPerson(sex, heightCm, goalType);
      const measure = (p: typeof person, measuredAt: Date): BodyPoint => {
        const waistCm = navyWaistFor(sex, heightCm, p.bodyFat, p.neckCm, p.hipCm ?? 0);
        expect(waistCm).toBeGreaterThanOrEqual(10);
        expect(waistCm).toBeLessThanOrEqual(200);
        const bodyFatPct = calculateBodyFat({
          method: 'navy',
          sex,
          heightCm,
          ageYears: profile.ageYears,
          sites: { waistCm, neckCm: p.neckCm, hipCm: p.hipCm },
        });
        return { measuredAt, bodyFatPct, weightKg: Math.round(p.weightKg * 100) / 100 };
      };
      const initial = measure(person, at);
      // k6 (men, 175 cm) keeps fixed aims; Locust draws them.
      const aim = sex === 'male' && heightCm === 175 ? K6_AIM[goalType] : within(LOCUST_AIM[sex][goalType]);
      const aims = goalType === 'cutting' ? { targetBodyFatPct: aim } : { ceilingBodyFatPct: aim };
      const plan = planGoalWithRate({
        profile,
        goalType,
        weightKg: initial.weightKg,
        bodyFatPct: initial.bodyFatPct,
        ...aims,
        expenditure: equationExpenditure(profile, initial.weightKg),
      });
      expect(plan.estimatedWeeksToGoal).toBeGreaterThanOrEqual(1);
      const goal: GoalFacts = {
        goalType,
        targetBodyFatPct: aims.targetBodyFatPct ?? null,
        ceilingBodyFatPct: aims.ceilingBodyFatPct ?? null,
        initial,
        estimatedWeeksToGoal: plan.estimatedWeeksToGoal,
      };
      const entries: BodyPoint[] = [];
      for (let week = 1; week <= 6; week++) {
        const current = measure(checkIn(person), new Date(at.getTime() + week * 7 * 86_400_000));
        const result = evaluateProgress({ goal, previousEntries: entries, current });
        expect(result.completesGoal).toBe(false);
        const calories = checkInCalorieTarget({
          profile,
          goalType,
          weightKg: current.weightKg,
          bodyFatPct: current.bodyFatPct,
          weeklyRatePercent: plan.weeklyRatePercent,
          expenditure: equationExpenditure(profile, current.weightKg),
          observedRatePerWeek: result.adaptationRatePerWeek,
        });
        dietPlan({ goalType, calories, weightKg: current.weightKg, bodyFatPct: current.bodyFatPct });
        entries.push(current);
      }
    }
  });

  it.skipIf(!python)('is the same data in the Locust script, which compiles', () => {
    // compile() checks the syntax without writing __pycache__ next to the script.
    const compiled = spawnSync(python!, ['-c', 'import sys; compile(open(sys.argv[1]).read(), sys.argv[1], "exec")', LOCUSTFILE], {
      encoding: 'utf8',
    });
    expect(compiled.stderr).toBe('');
    // The constants, read without importing Locust (CI's python3 may not have it).
    const read = spawnSync(
      python!,
      [
        '-c',
        `
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
wanted = {"BODIES", "CHECK_IN_CHANGE", "AIMS", "THINK", "ACTIVITY_LEVELS", "PASSWORD"}
out = {}
for node in tree.body:
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id in wanted:
        out[node.targets[0].id] = ast.literal_eval(node.value)
print(json.dumps(out))
`,
        LOCUSTFILE,
      ],
      { encoding: 'utf8' },
    );
    expect(read.stderr).toBe('');
    const locust = JSON.parse(read.stdout) as Record<string, Record<string, unknown>>;
    const bodies = Object.fromEntries(
      Object.entries(BODIES).map(([sex, goals]) => [
        sex,
        Object.fromEntries(
          Object.entries(goals).map(([goal, b]) => [
            goal,
            { body_fat: b.bodyFat, weight_kg: b.weightKg, neck_cm: b.neckCm, hip_cm: b.hipCm ?? null },
          ]),
        ),
      ]),
    );
    expect(locust.BODIES).toEqual(bodies);
    expect(locust.CHECK_IN_CHANGE).toEqual(
      Object.fromEntries(Object.entries(CHECK_IN_CHANGE).map(([goal, c]) => [goal, { body_fat: c.bodyFat, weight_kg: c.weightKg }])),
    );
    expect(locust.AIMS).toEqual(LOCUST_AIM);
    expect(locust.ACTIVITY_LEVELS).toEqual([...LOCUST_ACTIVITY]);
    expect(Object.values(locust.THINK!)).toEqual(Object.values(THINK_SECONDS));
  });
});
