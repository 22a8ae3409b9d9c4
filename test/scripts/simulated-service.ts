/**
 * A synchronous stand-in for the service, built on the real domain (src/domain) and the pure
 * functions the service plans with: enough of register, login, measurements, goals, progress and
 * plans for the load journeys. The k6 script's `http` is synchronous, so the real app (async)
 * cannot serve it inside a test; this can, and it plans goals and check-ins as
 * src/modules/goals/service.ts and src/modules/progress/service.ts do (the expenditure from the
 * logs as of today, planGoalWithRate, checkInCalorieTarget), so it refuses what the service refuses
 * and a journey whose checks all pass here sends only data the service accepts.
 */
import {
  ageInYears,
  type BodyPoint,
  calculateBodyFat,
  checkInCalorieTarget,
  dietPlan,
  DomainError,
  evaluateProgress,
  type GoalFacts,
  planGoalWithRate,
  roundStored,
} from '../../src/domain/index.ts';
import { parseTimestamp } from '../../src/core/schemas.ts';
import { GoalTypeInput } from '../../src/modules/goals/schemas.ts';
import type { DailyLogs } from '../../src/modules/tracking/repository.ts';
import { dayOf } from '../../src/modules/tracking/service.ts';
import { expenditureBasis } from '../../src/modules/tracking/trends.ts';
import type { UserRow } from '../../src/modules/users/repository.ts';
import { ActivityInput, MethodInput, SexInput } from '../../src/modules/users/schemas.ts';
import { profileOf } from '../../src/modules/users/service.ts';

type Json = Record<string, unknown>;
export interface SimReply {
  status: number;
  json: Json | null;
}

interface User {
  row: UserRow;
  password: string;
}
interface Measurement {
  userId: string;
  point: BodyPoint;
}
interface Goal {
  userId: string;
  facts: GoalFacts;
  weeklyRatePercent: number;
  entries: BodyPoint[];
  status: 'active' | 'completed';
  calories: number;
}

export function simulatedService() {
  let next = 0;
  const id = () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
  const users = new Map<string, User>();
  const byEmail = new Map<string, string>();
  const tokens = new Map<string, string>();
  const measurements = new Map<string, Measurement>();
  const goals = new Map<string, Goal>();
  const problem = (status: number, code: string): SimReply => ({ status, json: { status, code } });
  // The service's clock (ctx.now()); the journey test fixes Date.now.
  const now = () => new Date(Date.now());

  /**
   * What logsForEstimate reads up to `day`: one weight a day, the day's first measurement (the
   * journeys log no weigh-ins and no intake). Their measurements all lie well inside its history window.
   */
  function logsUpTo(userId: string, day: string): DailyLogs {
    const first = new Map<string, BodyPoint>();
    for (const m of measurements.values()) {
      const date = dayOf(m.point.measuredAt);
      if (m.userId !== userId || date > day) continue;
      const held = first.get(date);
      if (!held || m.point.measuredAt < held.measuredAt) first.set(date, m.point);
    }
    const weights = [...first].map(([date, p]) => ({ date, weightKg: p.weightKg, source: 'measurement' as const }));
    return { weights: weights.sort((a, b) => a.date.localeCompare(b.date)), intake: [] };
  }

  function handle(method: string, path: string, body: Json | null, token: string | undefined): SimReply {
    const userId = token ? tokens.get(token) : undefined;
    try {
      if (method === 'POST' && path === '/api/v1/users') {
        const email = String(body?.email).toLowerCase();
        if (byEmail.has(email)) return problem(409, 'email_taken');
        const key = id();
        const at = now();
        const row: UserRow = {
          id: key,
          email,
          passwordHash: '',
          fullName: String(body?.full_name),
          dateOfBirth: String(body?.date_of_birth),
          gender: SexInput.normalize(String(body?.gender)),
          heightCm: roundStored(Number(body?.height_cm)),
          preferredCalculationMethod: MethodInput.normalize(String(body?.preferred_calculation_method)),
          activityLevel: ActivityInput.normalize(String(body?.activity_level)),
          units: body?.units === 'imperial' ? 'imperial' : 'metric',
          disabledAt: null,
          createdAt: at,
          updatedAt: at,
        };
        users.set(key, { row, password: String(body?.password) });
        byEmail.set(email, key);
        return { status: 201, json: { id: key, email } };
      }
      if (method === 'POST' && path === '/api/v1/auth/login') {
        const key = byEmail.get(String(body?.email).toLowerCase());
        if (!key || users.get(key)?.password !== body?.password) return problem(401, 'unauthorized');
        const access = `token-${id()}`;
        tokens.set(access, key);
        return { status: 200, json: { access_token: access, token_type: 'bearer' } };
      }
      const user = userId ? users.get(userId)?.row : undefined;
      if (!user || !userId) return problem(401, 'unauthorized');

      if (method === 'POST' && path === '/api/v1/measurements') {
        const at = parseTimestamp(String(body?.measured_at));
        if (!at) return problem(422, 'invalid');
        const bodyFatPct = calculateBodyFat({
          method: 'navy',
          sex: user.gender,
          heightCm: user.heightCm,
          ageYears: ageInYears(user.dateOfBirth, at),
          sites: {
            waistCm: body?.waist_cm as number,
            neckCm: body?.neck_cm as number,
            hipCm: (body?.hip_cm as number | undefined) ?? null,
          },
        });
        const key = id();
        measurements.set(key, { userId, point: { measuredAt: at, bodyFatPct, weightKg: roundStored(Number(body?.weight_kg)) } });
        return { status: 201, json: { id: key, calculated_body_fat_percentage: bodyFatPct } };
      }
      if (method === 'POST' && path === '/api/v1/goals') {
        // As createGoal: an active goal is told before the measurement.
        if ([...goals.values()].some((g) => g.userId === userId && g.status === 'active')) return problem(409, 'active_goal_exists');
        const measurement = measurements.get(String(body?.initial_measurement_id));
        if (!measurement || measurement.userId !== userId) return problem(404, 'not_found');
        const goalType = GoalTypeInput.normalize(String(body?.goal_type));
        const aim = (field: string) => (body?.[field] === undefined || body[field] === null ? null : roundStored(body[field] as number));
        const [targetBodyFatPct, ceilingBodyFatPct] = [aim('target_body_fat_percentage'), aim('ceiling_body_fat_percentage')];
        const rate = aim('weekly_rate_percent');
        const at = now();
        const today = dayOf(at);
        const { point } = measurement;
        const plan = planGoalWithRate({
          profile: profileOf(user, at),
          goalType,
          weightKg: point.weightKg,
          bodyFatPct: point.bodyFatPct,
          targetBodyFatPct,
          ceilingBodyFatPct,
          weeklyRatePercent: rate,
          expenditure: expenditureBasis(user, logsUpTo(userId, today), point.bodyFatPct, today, point.weightKg),
        });
        const key = id();
        goals.set(key, {
          userId,
          status: 'active',
          entries: [],
          calories: plan.dietPlan.dailyCalorieTarget,
          weeklyRatePercent: plan.weeklyRatePercent,
          facts: { goalType, targetBodyFatPct, ceilingBodyFatPct, initial: point, estimatedWeeksToGoal: plan.estimatedWeeksToGoal },
        });
        return { status: 201, json: { id: key, target_calories: plan.targetCalories, estimated_weeks_to_goal: plan.estimatedWeeksToGoal } };
      }
      const goalPath = /^\/api\/v1\/goals\/([^/]+)\/(progress|trends|training-plan|diet-plan)$/.exec(path);
      const goal = goalPath ? goals.get(goalPath[1]!) : undefined;
      if (goalPath && (!goal || goal.userId !== userId)) return problem(404, 'not_found');
      if (goal && method === 'POST' && goalPath?.[2] === 'progress') {
        if (goal.status !== 'active') return problem(400, 'goal_not_active');
        const measurement = measurements.get(String(body?.measurement_id));
        if (!measurement || measurement.userId !== userId) return problem(404, 'not_found');
        const current = measurement.point;
        const result = evaluateProgress({ goal: goal.facts, previousEntries: goal.entries, current });
        goal.entries.push(current);
        if (result.completesGoal) goal.status = 'completed';
        else {
          const at = now();
          const today = dayOf(at);
          const expenditure = expenditureBasis(user, logsUpTo(userId, today), current.bodyFatPct, today, current.weightKg);
          // As followProgress: the plan is redone from the check-in, or stays as it was if its macros cannot fit.
          try {
            const calories = checkInCalorieTarget({
              profile: profileOf(user, at),
              goalType: goal.facts.goalType,
              weightKg: current.weightKg,
              bodyFatPct: current.bodyFatPct,
              weeklyRatePercent: goal.weeklyRatePercent,
              expenditure,
              observedRatePerWeek: result.adaptationRatePerWeek,
            });
            goal.calories = dietPlan({
              goalType: goal.facts.goalType,
              calories,
              weightKg: current.weightKg,
              bodyFatPct: current.bodyFatPct,
            }).dailyCalorieTarget;
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        }
        return { status: 201, json: { week_number: result.weekNumber, completes_goal: result.completesGoal } };
      }
      if (goal && method === 'GET' && goalPath?.[2] === 'training-plan')
        return { status: 200, json: { id: `plan-${goalPath[1]}`, goal_id: goalPath[1] } };
      if (goal && method === 'GET' && goalPath?.[2] === 'diet-plan')
        return { status: 200, json: { id: `diet-${goalPath[1]}`, daily_calorie_target: goal.calories } };
      return problem(404, 'no_route');
    } catch (error) {
      // As the HTTP edge maps them: 'invalid' is a 422, 'rejected' a 400.
      if (error instanceof DomainError) return problem(error.kind === 'invalid' ? 422 : 400, error.code);
      throw error;
    }
  }

  return { handle, goals };
}
