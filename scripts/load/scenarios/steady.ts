/**
 * `steady`: signed-in users' reads and writes back to back, no think time, over a fixed number of
 * connections. The mix is the Locust script's steady-state tasks with their weights (docs/PERFORMANCE.md,
 * the same as scripts/performance_test_locust.py): a check-in (a measurement, then the progress
 * entry) 3, progress history 2, trends 1, training plan 2, diet plan 2, goals 1, measurements 1;
 * `--mix reads` leaves the check-in out. Accounts are set up first (not measured); each connection
 * works through its own share of them.
 */
import { LoadClient, type TimedReply } from '../http.ts';
import {
  checkIn,
  DAY_MS,
  drawPerson,
  goalBody,
  LOCUST_ACTIVITY,
  LOCUST_AIM,
  locustEmail,
  locustRegisterBody,
  measurementBody,
  microUtc,
  PASSWORD,
  pick,
  type Person,
  rand,
  within,
  type Sex,
} from '../payloads.ts';
import { StopSignal, startProgress } from '../run-control.ts';
import { Recorder } from '../stats.ts';

export interface SteadyOptions {
  baseUrl: URL;
  connections: number;
  accounts: number;
  seconds: number;
  setupConcurrency: number;
  mix: Mix;
}

export interface Account {
  token: string;
  goalId: string;
  person: Person;
  lastMeasuredAt: number;
}

const field = (json: unknown, key: string): unknown =>
  typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[key] : undefined;

export const STEADY_CHECKS = [
  'measurement status is 201',
  'progress status is 201',
  'progress history is a list',
  'trends status is 200',
  'training plan status is 200',
  'diet plan has calories',
  'goals list status is 200',
  'measurements list status is 200',
] as const;

/** A Locust user's start-up (register, login, measurement, goal) without think time; null if any step failed. */
export async function setUpAccount(client: LoadClient, recorder: Recorder): Promise<Account | null> {
  const sex: Sex = Math.random() < 0.5 ? 'male' : 'female';
  const heightCm = rand(160, 190);
  const email = locustEmail();
  const register = await client.request(
    'POST',
    '/api/v1/users',
    'Register User',
    locustRegisterBody(email, sex, heightCm, pick(LOCUST_ACTIVITY)),
    undefined,
    recorder,
  );
  if (register.status !== 201) return null;
  const login = await client.request('POST', '/api/v1/auth/login', 'Login', { email, password: PASSWORD }, undefined, recorder);
  const token = field(login.json, 'access_token');
  if (login.status !== 200 || typeof token !== 'string') return null;
  const goalType = Math.random() < 0.5 ? 'cutting' : 'bulking';
  const person = drawPerson(sex, heightCm, goalType);
  const at = Date.now();
  const measurement = await client.request(
    'POST',
    '/api/v1/measurements',
    'Create Measurement',
    measurementBody(person, microUtc(at)),
    token,
    recorder,
  );
  if (measurement.status !== 201) return null;
  const goal = await client.request(
    'POST',
    '/api/v1/goals',
    'Create Goal',
    goalBody(goalType, field(measurement.json, 'id'), within(LOCUST_AIM[sex][goalType])),
    token,
    recorder,
  );
  if (goal.status !== 201) return null;
  return { token, goalId: String(field(goal.json, 'id')), person, lastMeasuredAt: at };
}

type Task = (client: LoadClient, account: Account, check: (name: string, ok: boolean) => void) => Promise<void>;

const ok = (reply: TimedReply, status: number) => reply.status === status;

/**
 * A check-in a week ahead, each strictly after the account's previous one (the service refuses an
 * earlier point). Repeats fall on the same day, so each replaces that day's check-in, as the Locust
 * script does (the service refuses a second check-in on one day otherwise).
 */
const logProgress: Task = async (client, account, check) => {
  const at = Math.max(Date.now() + 7 * DAY_MS, account.lastMeasuredAt + 1);
  account.lastMeasuredAt = at;
  const measurement = await client.request(
    'POST',
    '/api/v1/measurements',
    'Create Progress Measurement',
    measurementBody(checkIn(account.person), microUtc(at)),
    account.token,
  );
  check('measurement status is 201', ok(measurement, 201));
  if (measurement.status !== 201) return;
  const progress = await client.request(
    'POST',
    `/api/v1/goals/${account.goalId}/progress`,
    'Log Progress',
    { measurement_id: field(measurement.json, 'id'), replace: true },
    account.token,
  );
  check('progress status is 201', ok(progress, 201));
};

/** Weighted as the Locust script's tasks (the `locust` mix, the default). */
export const STEADY_TASKS: { weight: number; run: Task }[] = [
  { weight: 3, run: logProgress },
  {
    weight: 2,
    run: async (c, a, check) => {
      const r = await c.request('GET', `/api/v1/goals/${a.goalId}/progress`, 'View Progress History', undefined, a.token);
      check('progress history is a list', ok(r, 200) && Array.isArray(r.json));
    },
  },
  {
    weight: 1,
    run: async (c, a, check) => {
      const r = await c.request('GET', `/api/v1/goals/${a.goalId}/trends`, 'View Trends', undefined, a.token);
      check('trends status is 200', ok(r, 200));
    },
  },
  {
    weight: 2,
    run: async (c, a, check) => {
      const r = await c.request('GET', `/api/v1/goals/${a.goalId}/training-plan`, 'Get Training Plan', undefined, a.token);
      check('training plan status is 200', ok(r, 200));
    },
  },
  {
    weight: 2,
    run: async (c, a, check) => {
      const r = await c.request('GET', `/api/v1/goals/${a.goalId}/diet-plan`, 'Get Diet Plan', undefined, a.token);
      check('diet plan has calories', ok(r, 200) && typeof field(r.json, 'daily_calorie_target') === 'number');
    },
  },
  {
    weight: 1,
    run: async (c, a, check) => {
      const r = await c.request('GET', '/api/v1/goals', 'List Goals', undefined, a.token);
      check('goals list status is 200', ok(r, 200));
    },
  },
  {
    weight: 1,
    run: async (c, a, check) => {
      const r = await c.request('GET', '/api/v1/measurements?limit=10', 'List Measurements', undefined, a.token);
      check('measurements list status is 200', ok(r, 200));
    },
  },
];
/** The same reads without the check-in: a comparison point for what the writes cost. */
export const MIXES = { locust: STEADY_TASKS, reads: STEADY_TASKS.slice(1) } as const;
export type Mix = keyof typeof MIXES;

function taskPicker(tasks: readonly { weight: number; run: Task }[]): () => Task {
  const total = tasks.reduce((sum, t) => sum + t.weight, 0);
  return () => {
    let roll = Math.random() * total;
    for (const task of tasks) {
      roll -= task.weight;
      if (roll < 0) return task.run;
    }
    return tasks[0]!.run;
  };
}

export async function setUpAccounts(client: LoadClient, count: number, concurrency: number) {
  const setup = new Recorder();
  const accounts: Account[] = [];
  let next = 0;
  const deadline = performance.now() + 300_000;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      next++;
      const account = await setUpAccount(client, setup);
      if (account) accounts.push(account);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { accounts, setup };
}

export async function runSteady(options: SteadyOptions) {
  const recorder = new Recorder(STEADY_CHECKS);
  const client = new LoadClient(options.baseUrl, options.connections, recorder);
  process.stderr.write(`setting up ${options.accounts} signed-in accounts with a goal (not measured)...\n`);
  const { accounts, setup } = await setUpAccounts(client, options.accounts, options.setupConcurrency);
  if (accounts.length < options.accounts) {
    await client.close();
    throw new Error(
      `only ${accounts.length} of ${options.accounts} accounts could be set up (${setup.failures} failed requests; first: ${JSON.stringify(setup.failureSamples[0] ?? null)})`,
    );
  }
  const stop = new StopSignal();
  const check = (name: string, passed: boolean) => recorder.check(name, passed);
  const pickTask = taskPicker(MIXES[options.mix]);
  const started = performance.now();
  recorder.startedAt = started;
  recorder.measuredFrom = Date.now();
  // Each connection works its own accounts in turn, so no two requests of one account overlap.
  const worker = async (index: number) => {
    const own = accounts.filter((_, i) => i % options.connections === index);
    for (let turn = 0; !stop.stopped && own.length > 0; turn++) {
      await pickTask()(client, own[turn % own.length]!, check);
      recorder.iterations++;
    }
  };
  const stopProgress = startProgress(recorder, () => `connections ${options.connections}, ${options.mix} mix`);
  const timer = setTimeout(() => stop.stop(), options.seconds * 1000);
  await Promise.all(Array.from({ length: options.connections }, (_, i) => worker(i)));
  clearTimeout(timer);
  stopProgress();
  await client.close();
  return { recorder, setup, seconds: (performance.now() - started) / 1000 };
}
