/**
 * A synchronous stand-in for the service, built on the real domain (src/domain): enough of
 * register, login, measurements, goals, progress and plans for the load journeys. The k6 script's
 * `http` is synchronous, so the real app (async) cannot serve it inside a test; this can, and it
 * refuses exactly what the domain refuses, so a journey whose checks all pass here sends only data
 * the service accepts.
 */
import {
  adaptedCalorieTarget, ageInYears, type BodyPoint, calculateBodyFat, dietPlan, DomainError, evaluateProgress, type GoalFacts, planGoal, roundStored,
} from '../../src/domain/index.ts';
import { parseTimestamp } from '../../src/http/schemas.ts';
import { ActivityInput, SexInput } from '../../src/modules/users/schemas.ts';

type Json = Record<string, unknown>;
export interface SimReply { status: number; json: Json | null }

interface User { email: string; password: string; sex: 'male' | 'female'; heightCm: number; dateOfBirth: string; activity: ReturnType<typeof ActivityInput.normalize> }
interface Measurement { userId: string; point: BodyPoint }
interface Goal { userId: string; facts: GoalFacts; entries: BodyPoint[]; status: 'active' | 'completed'; calories: number }

export function simulatedService() {
  let next = 0;
  const id = () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
  const users = new Map<string, User>();
  const byEmail = new Map<string, string>();
  const tokens = new Map<string, string>();
  const measurements = new Map<string, Measurement>();
  const goals = new Map<string, Goal>();
  const problem = (status: number, code: string): SimReply => ({ status, json: { status, code } });

  function handle(method: string, path: string, body: Json | null, token: string | undefined): SimReply {
    const userId = token ? tokens.get(token) : undefined;
    try {
      if (method === 'POST' && path === '/api/v1/users') {
        const email = String(body?.email).toLowerCase();
        if (byEmail.has(email)) return problem(409, 'email_taken');
        const user: User = {
          email, password: String(body?.password), sex: SexInput.normalize(String(body?.gender)), heightCm: roundStored(Number(body?.height_cm)),
          dateOfBirth: String(body?.date_of_birth), activity: ActivityInput.normalize(String(body?.activity_level)),
        };
        const key = id();
        users.set(key, user);
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
      const user = userId ? users.get(userId) : undefined;
      if (!user || !userId) return problem(401, 'unauthorized');
      const profile = (at: Date) => ({ sex: user.sex, heightCm: user.heightCm, ageYears: ageInYears(user.dateOfBirth, at), activityLevel: user.activity });

      if (method === 'POST' && path === '/api/v1/measurements') {
        const at = parseTimestamp(String(body?.measured_at));
        if (!at) return problem(422, 'invalid');
        const bodyFatPct = calculateBodyFat({
          method: 'navy', sex: user.sex, heightCm: user.heightCm, ageYears: ageInYears(user.dateOfBirth, at),
          sites: { waistCm: body?.waist_cm as number, neckCm: body?.neck_cm as number, hipCm: (body?.hip_cm as number | undefined) ?? null },
        });
        const key = id();
        measurements.set(key, { userId, point: { measuredAt: at, bodyFatPct, weightKg: roundStored(Number(body?.weight_kg)) } });
        return { status: 201, json: { id: key, calculated_body_fat_percentage: bodyFatPct } };
      }
      if (method === 'POST' && path === '/api/v1/goals') {
        const measurement = measurements.get(String(body?.initial_measurement_id));
        if (!measurement || measurement.userId !== userId) return problem(404, 'not_found');
        if ([...goals.values()].some((g) => g.userId === userId && g.status === 'active')) return problem(409, 'active_goal_exists');
        const goalType = String(body?.goal_type).toLowerCase() as 'cutting' | 'bulking';
        const target = body?.target_body_fat_percentage as number | undefined;
        const ceiling = body?.ceiling_body_fat_percentage as number | undefined;
        const plan = planGoal({
          profile: profile(measurement.point.measuredAt), goalType, weightKg: measurement.point.weightKg, bodyFatPct: measurement.point.bodyFatPct,
          targetBodyFatPct: target === undefined ? null : roundStored(target), ceilingBodyFatPct: ceiling === undefined ? null : roundStored(ceiling),
        });
        const key = id();
        goals.set(key, {
          userId, status: 'active', entries: [], calories: plan.targetCalories,
          facts: {
            goalType, targetBodyFatPct: target === undefined ? null : roundStored(target), ceilingBodyFatPct: ceiling === undefined ? null : roundStored(ceiling),
            initial: measurement.point, estimatedWeeksToGoal: plan.estimatedWeeksToGoal,
          },
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
        const result = evaluateProgress({ goal: goal.facts, previousEntries: goal.entries, current: measurement.point });
        goal.entries.push(measurement.point);
        if (result.completesGoal) goal.status = 'completed';
        else {
          const calories = adaptedCalorieTarget({ profile: profile(measurement.point.measuredAt), goal: goal.facts, latestWeightKg: measurement.point.weightKg, observedRatePerWeek: result.adaptationRatePerWeek });
          goal.calories = dietPlan({ goalType: goal.facts.goalType, calories, weightKg: measurement.point.weightKg, bodyFatPct: measurement.point.bodyFatPct }).dailyCalorieTarget;
        }
        return { status: 201, json: { week_number: result.weekNumber, completes_goal: result.completesGoal } };
      }
      if (goal && method === 'GET' && goalPath?.[2] === 'training-plan') return { status: 200, json: { id: `plan-${goalPath[1]}`, goal_id: goalPath[1] } };
      if (goal && method === 'GET' && goalPath?.[2] === 'diet-plan') return { status: 200, json: { id: `diet-${goalPath[1]}`, daily_calorie_target: goal.calories } };
      return problem(404, 'no_route');
    } catch (error) {
      if (error instanceof DomainError) return problem(400, error.code);
      throw error;
    }
  }

  return { handle, goals };
}
