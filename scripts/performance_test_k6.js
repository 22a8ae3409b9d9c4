/**
 * k6 load test for the Recomp API (docs/PERFORMANCE.md).
 *
 *   k6 run scripts/performance_test_k6.js
 *   BASE_URL=http://127.0.0.1:8000 k6 run scripts/performance_test_k6.js
 *   k6 run --vus 100 --duration 5m scripts/performance_test_k6.js
 *
 * Each iteration is the reference journey: register, login, a measurement, a goal, a later measurement,
 * a progress entry, the training plan and the diet plan, with fixed think times (5 s per
 * iteration), stages (ramp to 100 VUs, about 7 minutes) and thresholds, and its 13 checks. At the
 * end it prints a summary and writes performance_test_results.json.
 *
 * Every request is valid for the domain, so 100 % of checks pass against
 * this service: a bulking iteration measures a lean man (body fat 10-16 %) so that its 20 % ceiling
 * lies above it, a cutting iteration a heavier one (18-28 %) above the 12 % target, with the waist
 * solved from the US Navy equation for that body fat; the later measurement moves a little from the
 * first. The in-repo runner plays the same journey (scripts/load/journey.ts, payloads.ts);
 * test/scripts/journey.test.ts runs both and requires the same requests, checks and sleeps.
 */
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Rate } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://localhost:8000';
const PASSWORD = 'TestPassword123!';
const DAY_MS = 86400000;

/** Failed check groups over all check groups (a custom Rate that counts successes too). */
const errors = new Rate('errors');

export const options = {
  stages: [
    { duration: '30s', target: 20 },
    { duration: '1m', target: 50 },
    { duration: '2m', target: 100 },
    { duration: '3m', target: 100 },
    { duration: '30s', target: 0 },
  ],
  thresholds: {
    http_req_duration: ['p(95)<200'],
    http_req_failed: ['rate<0.01'],
    errors: ['rate<0.05'],
  },
};

// Same numbers as scripts/load/payloads.ts (BODIES.male, CHECK_IN_CHANGE, K6_AIM).
const USER = {
  password: PASSWORD,
  full_name: 'Load Test User',
  date_of_birth: '1990-01-01',
  gender: 'male',
  height_cm: 175,
  preferred_calculation_method: 'navy',
  activity_level: 'moderately_active',
};
const BODIES = {
  cutting: { bodyFat: [18, 28], weightKg: [80, 100], neckCm: [36, 40] },
  bulking: { bodyFat: [10, 16], weightKg: [65, 80], neckCm: [35, 39] },
};
const CHECK_IN_CHANGE = {
  cutting: { bodyFat: [-0.8, 0.2], weightKg: [-1.0, 0.2] },
  bulking: { bodyFat: [-0.2, 0.5], weightKg: [-0.2, 0.8] },
};
const AIM = { cutting: 12.0, bulking: 20.0 };
const THINK = {
  RegisterUser: 0.5,
  Login: 0.5,
  CreateMeasurement: 0.5,
  CreateGoal: 1,
  CreateProgressMeasurement: 0.5,
  LogProgress: 0.5,
  GetTrainingPlan: 0.5,
  GetDietPlan: 1,
};

const within = (range) => range[0] + Math.random() * (range[1] - range[0]);
/** Now in UTC without milliseconds and without `Z` (a naive timestamp: docs/DESIGN.md, 'Time'). */
const naiveUtc = (ms) => new Date(ms).toISOString().split('.')[0];

/** The waist that gives `bodyFat` for a man of `heightCm` by the US Navy equation (metric form). */
function navyWaistFor(heightCm, bodyFat, neckCm) {
  const density = 495 / (bodyFat + 450);
  return Math.pow(10, (1.0324 + 0.15456 * Math.log10(heightCm) - density) / 0.19077) + neckCm;
}

function drawPerson(goalType) {
  const body = BODIES[goalType];
  return { goalType, bodyFat: within(body.bodyFat), weightKg: within(body.weightKg), neckCm: within(body.neckCm) };
}

function checkIn(person) {
  const change = CHECK_IN_CHANGE[person.goalType];
  return Object.assign({}, person, {
    bodyFat: person.bodyFat + within(change.bodyFat),
    weightKg: person.weightKg + within(change.weightKg),
  });
}

function measurementBody(person, measuredAt) {
  return {
    weight_kg: person.weightKg,
    calculation_method: 'navy',
    waist_cm: navyWaistFor(USER.height_cm, person.bodyFat, person.neckCm),
    neck_cm: person.neckCm,
    measured_at: measuredAt,
  };
}

function goalBody(goalType, initialMeasurementId) {
  return goalType === 'cutting'
    ? { goal_type: 'cutting', initial_measurement_id: initialMeasurementId, target_body_fat_percentage: AIM.cutting }
    : { goal_type: 'bulking', initial_measurement_id: initialMeasurementId, ceiling_body_fat_percentage: AIM.bulking };
}

function params(name, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return { headers, tags: { name } };
}

/** The body as JSON, or null: a check never throws on an error page. */
function json(response) {
  try {
    return JSON.parse(response.body);
  } catch {
    return null;
  }
}
const field = (response, key) => {
  const body = json(response);
  return body !== null && typeof body === 'object' ? body[key] : undefined;
};

export default function () {
  const email = `testuser${Date.now()}${Math.random().toString(36).substring(7)}@example.com`;
  const register = http.post(`${BASE_URL}/api/v1/users`, JSON.stringify(Object.assign({ email }, USER)), params('RegisterUser'));
  const registered = check(register, { 'register status is 201': (r) => r.status === 201 });
  errors.add(!registered);
  if (!registered) {
    console.error(`register failed: ${register.status} ${register.body}`);
    return;
  }
  sleep(THINK.RegisterUser);

  const login = http.post(`${BASE_URL}/api/v1/auth/login`, JSON.stringify({ email, password: PASSWORD }), params('Login'));
  const loggedIn = check(login, {
    'login status is 200': (r) => r.status === 200,
    'access token exists': (r) => field(r, 'access_token') !== undefined,
  });
  errors.add(!loggedIn);
  if (!loggedIn) return;
  const token = field(login, 'access_token');
  sleep(THINK.Login);

  const goalType = Math.random() < 0.5 ? 'cutting' : 'bulking';
  const person = drawPerson(goalType);
  const measurement = http.post(
    `${BASE_URL}/api/v1/measurements`,
    JSON.stringify(measurementBody(person, naiveUtc(Date.now()))),
    params('CreateMeasurement', token),
  );
  const measured = check(measurement, {
    'measurement status is 201': (r) => r.status === 201,
    'body fat calculated': (r) => field(r, 'calculated_body_fat_percentage') > 0,
  });
  errors.add(!measured);
  if (!measured) return;
  sleep(THINK.CreateMeasurement);

  const goal = http.post(
    `${BASE_URL}/api/v1/goals`,
    JSON.stringify(goalBody(goalType, field(measurement, 'id'))),
    params('CreateGoal', token),
  );
  const created = check(goal, {
    'goal status is 201': (r) => r.status === 201,
    'goal has target calories': (r) => field(r, 'target_calories') > 0,
    'goal has estimated weeks': (r) => field(r, 'estimated_weeks_to_goal') > 0,
  });
  errors.add(!created);
  if (!created) return;
  const goalId = field(goal, 'id');
  sleep(THINK.CreateGoal);

  const later = http.post(
    `${BASE_URL}/api/v1/measurements`,
    JSON.stringify(measurementBody(checkIn(person), naiveUtc(Date.now() + 7 * DAY_MS))),
    params('CreateProgressMeasurement', token),
  );
  if (later.status === 201) {
    sleep(THINK.CreateProgressMeasurement);
    const progress = http.post(
      `${BASE_URL}/api/v1/goals/${goalId}/progress`,
      JSON.stringify({ measurement_id: field(later, 'id') }),
      params('LogProgress', token),
    );
    const logged = check(progress, {
      'progress status is 201': (r) => r.status === 201,
      'progress has week number': (r) => field(r, 'week_number') >= 0,
    });
    errors.add(!logged);
  }
  sleep(THINK.LogProgress);

  const training = http.get(`${BASE_URL}/api/v1/goals/${goalId}/training-plan`, params('GetTrainingPlan', token));
  errors.add(!check(training, { 'training plan status is 200': (r) => r.status === 200 }));
  sleep(THINK.GetTrainingPlan);

  const diet = http.get(`${BASE_URL}/api/v1/goals/${goalId}/diet-plan`, params('GetDietPlan', token));
  errors.add(
    !check(diet, {
      'diet plan status is 200': (r) => r.status === 200,
      'diet plan has calories': (r) => field(r, 'daily_calorie_target') > 0,
    }),
  );
  sleep(THINK.GetDietPlan);
}

const round = (value) => (typeof value === 'number' ? Math.round(value * 100) / 100 : value);

/** Every check with its passes and fails, from the root group and any nested groups. */
function allChecks(group) {
  let checks = Object.values(group.checks || {});
  for (const sub of Object.values(group.groups || {})) checks = checks.concat(allChecks(sub));
  return checks;
}

export function handleSummary(data) {
  const metric = (name) => (data.metrics[name] && data.metrics[name].values) || {};
  const duration = metric('http_req_duration');
  const reqs = metric('http_reqs');
  const failed = metric('http_req_failed');
  const checks = allChecks(data.root_group);
  const passes = checks.reduce((sum, c) => sum + c.passes, 0);
  const fails = checks.reduce((sum, c) => sum + c.fails, 0);
  const lines = [
    '',
    ...checks.map((c) => `     ${c.fails === 0 ? '✓' : '✗'} ${c.name}${c.fails === 0 ? '' : ` (✓ ${c.passes} / ✗ ${c.fails})`}`),
    '',
  ];
  lines.push(
    `     checks.........................: ${passes + fails === 0 ? '0.00' : ((100 * passes) / (passes + fails)).toFixed(2)}% ✓ ${passes} ✗ ${fails}`,
  );
  lines.push(
    `     http_req_duration..............: avg=${round(duration.avg)}ms min=${round(duration.min)}ms med=${round(duration.med)}ms max=${round(duration.max)}ms p(95)=${round(duration['p(95)'])}ms ${duration['p(95)'] < 200 ? '✓' : '✗'} (< 200 ms)`,
  );
  lines.push(
    `     http_req_failed................: ${((failed.rate || 0) * 100).toFixed(2)}% ${(failed.rate || 0) < 0.01 ? '✓' : '✗'} (< 1 %)`,
  );
  lines.push(`     http_reqs......................: ${reqs.count || 0} ${round(reqs.rate || 0)}/s`);
  lines.push(
    `     errors.........................: ${((metric('errors').rate || 0) * 100).toFixed(2)}% ${(metric('errors').rate || 0) < 0.05 ? '✓' : '✗'} (< 5 %)`,
  );
  lines.push(`     iterations.....................: ${metric('iterations').count || 0}`, '');
  const results = {
    timestamp: new Date().toISOString(),
    base_url: BASE_URL,
    http_req_duration_ms: { avg: round(duration.avg), p95: round(duration['p(95)']), max: round(duration.max) },
    total_requests: reqs.count || 0,
    requests_per_second: round(reqs.rate || 0),
    failed_requests_percent: round((failed.rate || 0) * 100),
    checks: checks.map((c) => ({ name: c.name, passes: c.passes, fails: c.fails })),
    thresholds_passed: Object.values(data.metrics).every((m) => !m.thresholds || Object.values(m.thresholds).every((t) => t.ok)),
    // k6's own summary data too, for tools that read it (.github/workflows/ci.yml does).
    metrics: data.metrics,
    root_group: data.root_group,
  };
  return {
    'performance_test_results.json': JSON.stringify(results, null, 2),
    stdout: lines.join('\n'),
  };
}
