/**
 * Smoke journey: replays the k6 iteration (scripts/performance_test_k6.js) and the Locust BodyRecompUser start-up
 * plus each task (scripts/performance_test_locust.py) against a running service, without sleeps, and sorts every non-2xx into
 * an EXPECTED domain rejection the product rules keep (docs/DESIGN.md, 'Goal rules', 'Check-ins') or an UNEXPECTED failure.
 *   npx tsx scripts/smoke-journey.ts --base-url http://127.0.0.1:8765 [--iterations 20] [--concurrency 4] [--out FILE]
 * Exit 0 when nothing unexpected happened, 1 otherwise, 2 on bad arguments.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DAY_MS,
  k6Email,
  k6RegisterBody,
  LOCUST_ACTIVITY,
  locustEmail,
  locustRegisterBody,
  microUtc as micro,
  naiveUtc as naive,
  navyBodyFat,
  PASSWORD,
  pick,
  rand,
} from './load/payloads.ts';

type Body = Record<string, unknown>;
interface Reply {
  status: number;
  body: unknown;
  text: string;
  json: boolean;
}
/** A rejection the product rules keep (docs/DESIGN.md): allowed when `when` holds, the status matches and the problem `code` is one of `codes`. */
interface Allowed {
  cause: string;
  status: number;
  codes: string[];
  when: boolean;
  detail?: RegExp;
}
interface Stat {
  count: number;
  ok: number;
  expected: Record<string, number>;
  unexpected: number;
}
interface Sample {
  name: string;
  method: string;
  path: string;
  request: unknown;
  status: number;
  reason: string;
  response: string;
}

const { values: args } = parseArgs({
  options: {
    'base-url': { type: 'string', default: 'http://127.0.0.1:8000' },
    iterations: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '4' },
    out: { type: 'string' },
  },
});
const BASE = (args['base-url'] ?? '').replace(/\/+$/, '');
const ITERATIONS = Number(args.iterations);
const CONCURRENCY = Number(args.concurrency);
if (!/^https?:\/\//.test(BASE) || !Number.isInteger(ITERATIONS) || ITERATIONS < 1 || !Number.isInteger(CONCURRENCY) || CONCURRENCY < 1) {
  console.error('usage: smoke-journey.ts --base-url http://HOST:PORT [--iterations N>=1] [--concurrency N>=1] [--out FILE]');
  process.exit(2);
}

/** Table order: the k6 iteration, then the Locust users, as the journeys list them. */
const NAMES = [
  'k6 RegisterUser',
  'k6 Login',
  'k6 CreateMeasurement',
  'k6 CreateGoal',
  'k6 CreateProgressMeasurement',
  'k6 LogProgress',
  'k6 GetTrainingPlan',
  'k6 GetDietPlan',
  'locust Register User',
  'locust Login',
  'locust Create Measurement',
  'locust Create Goal',
  'locust Log Progress',
  'locust View Progress History',
  'locust View Trends',
  'locust Get Training Plan',
  'locust Get Diet Plan',
  'locust List Goals',
  'locust List Measurements',
  'locust Health Check',
  'locust OpenAPI Spec',
];
const stats = new Map<string, Stat>(NAMES.map((name) => [name, { count: 0, ok: 0, expected: {}, unexpected: 0 }]));
const samples: Sample[] = [];
const field = (body: unknown, key: string): unknown => (typeof body === 'object' && body !== null ? (body as Body)[key] : undefined);
const positive = (body: unknown, key: string) => typeof field(body, key) === 'number' && (field(body, key) as number) > 0;
const hasId = (body: unknown) => typeof field(body, 'id') === 'string';
/** Navy, metric form (docs/SCIENCE.md 1.1), men: the value a correct service returns, and the context for "too low". */
const navyMale = (height: number, waist: number, neck: number) => navyBodyFat('male', height, waist, neck);

async function send(method: string, path: string, body?: Body, token?: string): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  try {
    const response = await fetch(`${BASE}${path}`, {
      method,
      headers,
      signal: AbortSignal.timeout(20_000),
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) as unknown, text, json: true };
    } catch {
      return { status: response.status, body: null, text, json: false };
    }
  } catch (error) {
    return { status: 0, body: null, text: `connection error: ${(error as Error).message}`, json: false };
  }
}

/** Sends one request and records it. `check` names what is missing from a 2xx body (or null when fine). */
async function step(
  name: string,
  method: string,
  path: string,
  opts: { body?: Body; token?: string; check?: (b: unknown) => string | null; allowed?: Allowed[] } = {},
): Promise<Reply & { ok: boolean }> {
  const reply = await send(method, path, opts.body, opts.token);
  const stat = stats.get(name) ?? { count: 0, ok: 0, expected: {}, unexpected: 0 };
  stats.set(name, stat);
  stat.count++;
  let reason: string | null;
  if (!reply.json) reason = reply.status === 0 ? 'connection error' : `non-JSON body (HTTP ${reply.status})`;
  else if (reply.status >= 200 && reply.status < 300) reason = opts.check?.(reply.body) ?? null;
  else {
    const code = String(field(reply.body, 'code') ?? '');
    const detail = String(field(reply.body, 'detail') ?? '');
    const match = (opts.allowed ?? []).find(
      (a) => a.when && a.status === reply.status && a.codes.includes(code) && (a.detail?.test(detail) ?? true),
    );
    if (match) {
      stat.expected[match.cause] = (stat.expected[match.cause] ?? 0) + 1;
      return { ...reply, ok: false };
    }
    reason = `HTTP ${reply.status} ${code || '(no code)'}`;
  }
  if (reason === null) {
    stat.ok++;
    return { ...reply, ok: true };
  }
  stat.unexpected++;
  if (samples.length < 50)
    samples.push({ name, method, path, request: opts.body ?? null, status: reply.status, reason, response: reply.text.slice(0, 500) });
  return { ...reply, ok: false };
}

const bodyFatCheck =
  (height: number, waist: number, neck: number, male: boolean) =>
  (b: unknown): string | null => {
    if (!hasId(b)) return 'body lacks id';
    if (!positive(b, 'calculated_body_fat_percentage')) return 'calculated_body_fat_percentage is not > 0';
    const expected = navyMale(height, waist, neck);
    return male && Math.abs((field(b, 'calculated_body_fat_percentage') as number) - expected) > 0.1
      ? `body fat differs from the metric Navy value ${expected.toFixed(2)}`
      : null;
  };
const goalCheck = (b: unknown): string | null => {
  if (!hasId(b)) return 'body lacks id';
  if (!positive(b, 'target_calories')) return 'target_calories is not > 0';
  const weeks = field(b, 'estimated_weeks_to_goal');
  return typeof weeks === 'number' && Number.isInteger(weeks) && weeks >= 1 ? null : 'estimated_weeks_to_goal is not an integer >= 1';
};
const weekCheck = (b: unknown) =>
  typeof field(b, 'week_number') === 'number' && (field(b, 'week_number') as number) >= 0 ? null : 'week_number missing or < 0';
const dietCheck = (b: unknown) => (positive(b, 'daily_calorie_target') ? null : 'daily_calorie_target missing or not > 0');
const listCheck = (key: string) => (b: unknown) =>
  Array.isArray(field(b, key)) && typeof field(b, 'total') === 'number' ? null : `body is not {${key}, total}`;

/** Context of a goal for the progress rules: what the previous point was and whether the goal has been reached. */
interface GoalState {
  id: string;
  type: 'cutting' | 'bulking';
  aim: number;
  lastMeasuredAt: number;
  completed: boolean;
}

function measurementRules(male: boolean, height: number, waist: number, neck: number): Allowed[] {
  return [
    { cause: 'navy without hip_cm (woman)', status: 400, codes: ['hip_required'], when: !male },
    {
      cause: 'body fat implausible',
      status: 400,
      codes: ['body_fat_too_low', 'body_fat_too_high'],
      when: male && (navyMale(height, waist, neck) < 5.1 || navyMale(height, waist, neck) > 49.9),
      detail: /body fat.*too (low|high)/i,
    },
  ];
}

function goalRules(type: 'cutting' | 'bulking', aim: number, bodyFat: number): Allowed[] {
  return [
    {
      cause: 'ceiling not above current body fat',
      status: 400,
      codes: ['ceiling_not_above_current'],
      when: type === 'bulking' && aim <= bodyFat + 0.005,
    },
    {
      cause: 'target not below current body fat',
      status: 400,
      codes: ['target_not_below_current'],
      when: type === 'cutting' && aim >= bodyFat - 0.005,
    },
  ];
}

async function logProgress(name: string, goal: GoalState, measurementId: string, measuredAt: number, token: string, replace = false) {
  const reply = await step(name, 'POST', `/api/v1/goals/${goal.id}/progress`, {
    body: replace ? { measurement_id: measurementId, replace: true } : { measurement_id: measurementId },
    token,
    check: weekCheck,
    allowed: [
      { cause: 'progress on a completed goal', status: 400, codes: ['goal_not_active'], when: goal.completed, detail: /completed/i },
      {
        cause: 'measurement not later than previous',
        status: 400,
        codes: ['measurement_not_later', 'measurement_not_after_previous'],
        when: measuredAt <= goal.lastMeasuredAt,
      },
    ],
  });
  if (!reply.ok) return;
  goal.lastMeasuredAt = measuredAt;
  const bodyFat = Number(field(reply.body, 'body_fat_percentage'));
  if (goal.type === 'cutting' ? bodyFat <= goal.aim : bodyFat >= goal.aim) goal.completed = true;
}

/** One k6 iteration (scripts/performance_test_k6.js). */
async function k6Iteration() {
  const email = k6Email();
  const register = await step('k6 RegisterUser', 'POST', '/api/v1/users', {
    body: k6RegisterBody(email),
    check: (b) => (hasId(b) ? null : 'body lacks id'),
  });
  if (!register.ok) return;
  const login = await step('k6 Login', 'POST', '/api/v1/auth/login', {
    body: { email, password: PASSWORD },
    check: (b) => (typeof field(b, 'access_token') === 'string' ? null : 'body lacks access_token'),
  });
  if (!login.ok) return;
  const token = String(field(login.body, 'access_token'));
  const [weight, waist, neck, startedAt] = [rand(80, 100), rand(85, 100), rand(36, 40), Date.now()];
  const measurement = await step('k6 CreateMeasurement', 'POST', '/api/v1/measurements', {
    body: { weight_kg: weight, calculation_method: 'navy', waist_cm: waist, neck_cm: neck, measured_at: naive(startedAt) },
    token,
    check: bodyFatCheck(175, waist, neck, true),
    allowed: measurementRules(true, 175, waist, neck),
  });
  if (!measurement.ok) return;
  const bodyFat = Number(field(measurement.body, 'calculated_body_fat_percentage'));
  const type = Math.random() < 0.5 ? 'cutting' : 'bulking';
  const aim = type === 'cutting' ? 12.0 : 20.0;
  const goalBody: Body =
    type === 'cutting'
      ? { goal_type: 'cutting', initial_measurement_id: field(measurement.body, 'id'), target_body_fat_percentage: aim }
      : { goal_type: 'bulking', initial_measurement_id: field(measurement.body, 'id'), ceiling_body_fat_percentage: aim };
  const goal = await step('k6 CreateGoal', 'POST', '/api/v1/goals', {
    body: goalBody,
    token,
    check: goalCheck,
    allowed: goalRules(type, aim, bodyFat),
  });
  if (!goal.ok) return;
  const state: GoalState = {
    id: String(field(goal.body, 'id')),
    type,
    aim,
    lastMeasuredAt: Math.floor(startedAt / 1000) * 1000,
    completed: false,
  };
  const [w2, waist2, neck2, at2] = [rand(79, 99), rand(84, 99), rand(36, 40), Math.floor((Date.now() + 7 * DAY_MS) / 1000) * 1000];
  const progressMeasurement = await step('k6 CreateProgressMeasurement', 'POST', '/api/v1/measurements', {
    body: { weight_kg: w2, calculation_method: 'navy', waist_cm: waist2, neck_cm: neck2, measured_at: naive(at2) },
    token,
    check: bodyFatCheck(175, waist2, neck2, true),
    allowed: measurementRules(true, 175, waist2, neck2),
  });
  if (progressMeasurement.ok) await logProgress('k6 LogProgress', state, String(field(progressMeasurement.body, 'id')), at2, token);
  await step('k6 GetTrainingPlan', 'GET', `/api/v1/goals/${state.id}/training-plan`, {
    token,
    check: (b) => (hasId(b) ? null : 'body lacks id'),
  });
  await step('k6 GetDietPlan', 'GET', `/api/v1/goals/${state.id}/diet-plan`, { token, check: dietCheck });
}

/** One Locust BodyRecompUser (scripts/performance_test_locust.py): start-up, then each task once; log_progress again at the end. */
async function locustUser() {
  const male = Math.random() < 0.5;
  const height = rand(160, 190);
  const email = locustEmail();
  const register = await step('locust Register User', 'POST', '/api/v1/users', {
    body: locustRegisterBody(email, male ? 'male' : 'female', height, pick(LOCUST_ACTIVITY)),
    check: (b) => (hasId(b) ? null : 'body lacks id'),
  });
  if (!register.ok) return;
  const login = await step('locust Login', 'POST', '/api/v1/auth/login', {
    body: { email, password: PASSWORD },
    check: (b) => (typeof field(b, 'access_token') === 'string' ? null : 'body lacks access_token'),
  });
  if (!login.ok) return;
  const token = String(field(login.body, 'access_token'));
  const measure = async (offsetMs: number) => {
    const [weight, waist, neck, at] = [rand(60, 100), rand(70, 110), rand(32, 42), Date.now() + offsetMs];
    const reply = await step('locust Create Measurement', 'POST', '/api/v1/measurements', {
      body: { weight_kg: weight, calculation_method: 'navy', waist_cm: waist, neck_cm: neck, measured_at: micro(at) },
      token,
      check: bodyFatCheck(height, waist, neck, male),
      allowed: measurementRules(male, height, waist, neck),
    });
    return { ...reply, at };
  };
  await measure(0);
  const initial = await measure(0);
  let goal: GoalState | null = null;
  if (initial.ok) {
    const bodyFat = Number(field(initial.body, 'calculated_body_fat_percentage'));
    const type = Math.random() < 0.5 ? 'cutting' : 'bulking';
    const aim = type === 'cutting' ? rand(10, 15) : rand(18, 25);
    const body: Body = {
      goal_type: type,
      initial_measurement_id: field(initial.body, 'id'),
      [type === 'cutting' ? 'target_body_fat_percentage' : 'ceiling_body_fat_percentage']: aim,
    };
    const created = await step('locust Create Goal', 'POST', '/api/v1/goals', {
      body,
      token,
      check: goalCheck,
      allowed: goalRules(type, aim, bodyFat),
    });
    if (created.ok) goal = { id: String(field(created.body, 'id')), type, aim, lastMeasuredAt: initial.at, completed: false };
  }
  const progressTask = async () => {
    if (!goal) return;
    const measurement = await measure(7 * DAY_MS);
    // Like the Locust script, a repeat on the same day replaces that day's check-in.
    if (measurement.ok) await logProgress('locust Log Progress', goal, String(field(measurement.body, 'id')), measurement.at, token, true);
  };
  await progressTask();
  if (goal) {
    await step('locust View Progress History', 'GET', `/api/v1/goals/${goal.id}/progress`, {
      token,
      check: (b) => (Array.isArray(b) ? null : 'body is not an array'),
    });
    await step('locust View Trends', 'GET', `/api/v1/goals/${goal.id}/trends`, {
      token,
      check: (b) => (field(b, 'goal_id') === goal?.id ? null : 'body lacks goal_id'),
    });
    await step('locust Get Training Plan', 'GET', `/api/v1/goals/${goal.id}/training-plan`, {
      token,
      check: (b) => (hasId(b) ? null : 'body lacks id'),
    });
    await step('locust Get Diet Plan', 'GET', `/api/v1/goals/${goal.id}/diet-plan`, { token, check: dietCheck });
  }
  await step('locust List Goals', 'GET', '/api/v1/goals', { token, check: listCheck('goals') });
  await step('locust List Measurements', 'GET', '/api/v1/measurements?limit=10', { token, check: listCheck('measurements') });
  await progressTask(); // log_progress carries weight 3 of 12: a repeat checks check-ins at any interval (docs/DESIGN.md, 'Check-ins').
}

/** The Locust AdminUser (scripts/performance_test_locust.py), each task once. */
async function adminUser() {
  await step('locust Health Check', 'GET', '/health', {
    check: (b) => (field(b, 'status') === 'healthy' ? null : 'status is not "healthy"'),
  });
  await step('locust OpenAPI Spec', 'GET', '/openapi.json', {
    check: (b) => (typeof field(b, 'openapi') === 'string' ? null : 'not an OpenAPI document'),
  });
}

async function runPool(count: number, job: () => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await job();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
}

const started = Date.now();
await runPool(ITERATIONS, k6Iteration);
await runPool(ITERATIONS, async () => {
  await locustUser();
  await adminUser();
});
const durationMs = Date.now() - started;

const rows = [...stats].map(([name, s]) => ({ name, ...s }));
const totals = rows.reduce(
  (t, r) => ({
    count: t.count + r.count,
    ok: t.ok + r.ok,
    expected: t.expected + Object.values(r.expected).reduce((a, b) => a + b, 0),
    unexpected: t.unexpected + r.unexpected,
  }),
  { count: 0, ok: 0, expected: 0, unexpected: 0 },
);
const width = Math.max(...rows.map((r) => r.name.length), 'request'.length);
const line = (cells: (string | number)[]) =>
  `${String(cells[0]).padEnd(width)}  ${cells
    .slice(1, 4)
    .map((c) => String(c).padStart(6))
    .join('  ')}  ${cells[4] ?? ''}`;
console.log(
  `\nSmoke journey against ${BASE}: ${ITERATIONS} k6 iterations, ${ITERATIONS} Locust users, ${(durationMs / 1000).toFixed(1)} s\n`,
);
console.log(line(['request', 'count', '2xx', 'unexp', 'expected rejections']));
for (const r of rows)
  console.log(
    line([
      r.name,
      r.count,
      r.ok,
      r.unexpected,
      Object.entries(r.expected)
        .map(([cause, n]) => `${cause}: ${n}`)
        .join('; '),
    ]),
  );
console.log(line(['TOTAL', totals.count, totals.ok, totals.unexpected, `${totals.expected}`]));
if (samples.length > 0) {
  console.log(`\nUnexpected (${totals.unexpected}; first ${samples.length} shown):`);
  for (const s of samples)
    console.log(
      `- ${s.name}: ${s.method} ${s.path} -> ${s.reason}\n    request:  ${JSON.stringify(s.request)}\n    response: ${s.response}`,
    );
}
if (args.out)
  writeFileSync(
    args.out,
    `${JSON.stringify({ baseUrl: BASE, iterations: ITERATIONS, durationMs, requests: rows, totals, unexpected: samples }, null, 2)}\n`,
  );
console.log(
  totals.unexpected === 0 && totals.count > 0
    ? '\nsmoke journey: OK (no unexpected failures)'
    : '\nsmoke journey: FAILED (unexpected failures above)',
);
process.exit(totals.unexpected === 0 && totals.count > 0 ? 0 : 1);
