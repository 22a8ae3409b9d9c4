/**
 * The k6 journey as the in-repo runner plays it: the same requests, tags, checks
 * and think times as scripts/performance_test_k6.js, step for step. test/scripts/journey.test.ts
 * runs both against one simulated service and requires identical traces, so edit them together.
 */
import {
  checkIn,
  drawPerson,
  goalBody,
  K6_AIM,
  k6Email,
  k6RegisterBody,
  K6_USER,
  measurementBody,
  naiveUtc,
  DAY_MS,
  type Body,
  type GoalType,
} from './payloads.ts';

/** The 13 check names scripts/performance_test_k6.js reports, in its order. */
export const CHECK_NAMES = [
  'register status is 201',
  'login status is 200',
  'access token exists',
  'measurement status is 201',
  'body fat calculated',
  'goal status is 201',
  'goal has target calories',
  'goal has estimated weeks',
  'progress status is 201',
  'progress has week number',
  'training plan status is 200',
  'diet plan status is 200',
  'diet plan has calories',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** The k6 request tags, in journey order. */
export const STEP_NAMES = [
  'RegisterUser',
  'Login',
  'CreateMeasurement',
  'CreateGoal',
  'CreateProgressMeasurement',
  'LogProgress',
  'GetTrainingPlan',
  'GetDietPlan',
] as const;
export type StepName = (typeof STEP_NAMES)[number];

/** Seconds of think time after each step (THINK in scripts/performance_test_k6.js): 5.0 s per complete iteration. */
export const THINK_SECONDS: Record<StepName, number> = {
  RegisterUser: 0.5,
  Login: 0.5,
  CreateMeasurement: 0.5,
  CreateGoal: 1,
  CreateProgressMeasurement: 0.5,
  LogProgress: 0.5,
  GetTrainingPlan: 0.5,
  GetDietPlan: 1,
};

/** The k6 script's stages (options.stages in scripts/performance_test_k6.js): about 7 minutes, up to 100 VUs. */
export const SEED_STAGES = [
  { duration: '30s', target: 20 },
  { duration: '1m', target: 50 },
  { duration: '2m', target: 100 },
  { duration: '3m', target: 100 },
  { duration: '30s', target: 0 },
] as const;

/** The k6 script's thresholds (options.thresholds in scripts/performance_test_k6.js). */
export const SEED_THRESHOLDS = {
  http_req_duration: ['p(95)<200'],
  http_req_failed: ['rate<0.01'],
  errors: ['rate<0.05'],
} as const;

export interface Reply {
  status: number;
  json: unknown;
}
/** What a journey needs from its environment: the runner gives real HTTP and timers, the test a simulation. */
export interface JourneyEnv {
  request(method: 'GET' | 'POST', path: string, name: StepName, body?: Body, token?: string): Promise<Reply>;
  sleep(seconds: number): Promise<void>;
  /** Records each named condition; returns true when all hold. */
  check(reply: Reply, conditions: Partial<Record<CheckName, (reply: Reply) => boolean>>): boolean;
  /** Records one failed check group (k6's custom `errors` rate). */
  error(failed: boolean): void;
  /** True once the run is over: the journey stops before its next request. */
  stopped(): boolean;
}

const field = (json: unknown, key: string): unknown => (typeof json === 'object' && json !== null ? (json as Body)[key] : undefined);
const positive = (json: unknown, key: string) => {
  const v = field(json, key);
  return typeof v === 'number' && v > 0;
};

/** One iteration of the k6 journey. Mirrors `export default function` in performance_test_k6.js. */
export async function journeyIteration(env: JourneyEnv): Promise<void> {
  const email = k6Email();
  const register = await env.request('POST', '/api/v1/users', 'RegisterUser', k6RegisterBody(email));
  const registered = env.check(register, { 'register status is 201': (r) => r.status === 201 });
  env.error(!registered);
  if (!registered) return;
  await env.sleep(THINK_SECONDS.RegisterUser);
  if (env.stopped()) return;

  const login = await env.request('POST', '/api/v1/auth/login', 'Login', { email, password: K6_USER.password });
  const loggedIn = env.check(login, {
    'login status is 200': (r) => r.status === 200,
    'access token exists': (r) => field(r.json, 'access_token') !== undefined,
  });
  env.error(!loggedIn);
  if (!loggedIn) return;
  const token = String(field(login.json, 'access_token'));
  await env.sleep(THINK_SECONDS.Login);
  if (env.stopped()) return;

  const goalType: GoalType = Math.random() < 0.5 ? 'cutting' : 'bulking';
  const person = drawPerson('male', K6_USER.height_cm, goalType);
  const startedAt = Date.now();
  const measurement = await env.request(
    'POST',
    '/api/v1/measurements',
    'CreateMeasurement',
    measurementBody(person, naiveUtc(startedAt)),
    token,
  );
  const measured = env.check(measurement, {
    'measurement status is 201': (r) => r.status === 201,
    'body fat calculated': (r) => positive(r.json, 'calculated_body_fat_percentage'),
  });
  env.error(!measured);
  if (!measured) return;
  await env.sleep(THINK_SECONDS.CreateMeasurement);
  if (env.stopped()) return;

  const goal = await env.request(
    'POST',
    '/api/v1/goals',
    'CreateGoal',
    goalBody(goalType, field(measurement.json, 'id'), K6_AIM[goalType]),
    token,
  );
  const created = env.check(goal, {
    'goal status is 201': (r) => r.status === 201,
    'goal has target calories': (r) => positive(r.json, 'target_calories'),
    'goal has estimated weeks': (r) => positive(r.json, 'estimated_weeks_to_goal'),
  });
  env.error(!created);
  if (!created) return;
  const goalId = String(field(goal.json, 'id'));
  await env.sleep(THINK_SECONDS.CreateGoal);
  if (env.stopped()) return;

  const later = await env.request(
    'POST',
    '/api/v1/measurements',
    'CreateProgressMeasurement',
    measurementBody(checkIn(person), naiveUtc(Date.now() + 7 * DAY_MS)),
    token,
  );
  if (later.status === 201) {
    await env.sleep(THINK_SECONDS.CreateProgressMeasurement);
    if (env.stopped()) return;
    const progress = await env.request(
      'POST',
      `/api/v1/goals/${goalId}/progress`,
      'LogProgress',
      { measurement_id: field(later.json, 'id') },
      token,
    );
    const logged = env.check(progress, {
      'progress status is 201': (r) => r.status === 201,
      'progress has week number': (r) => {
        const w = field(r.json, 'week_number');
        return typeof w === 'number' && w >= 0;
      },
    });
    env.error(!logged);
  }
  await env.sleep(THINK_SECONDS.LogProgress);
  if (env.stopped()) return;

  const training = await env.request('GET', `/api/v1/goals/${goalId}/training-plan`, 'GetTrainingPlan', undefined, token);
  env.error(!env.check(training, { 'training plan status is 200': (r) => r.status === 200 }));
  await env.sleep(THINK_SECONDS.GetTrainingPlan);
  if (env.stopped()) return;

  const diet = await env.request('GET', `/api/v1/goals/${goalId}/diet-plan`, 'GetDietPlan', undefined, token);
  env.error(
    !env.check(diet, {
      'diet plan status is 200': (r) => r.status === 200,
      'diet plan has calories': (r) => positive(r.json, 'daily_calorie_target'),
    }),
  );
  await env.sleep(THINK_SECONDS.GetDietPlan);
}
