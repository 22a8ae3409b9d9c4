/**
 * An interleaved A/B of two builds of the service on cheap routes, with and without a cross-origin
 * `Origin`: throughput and the service's CPU time a request. Made to price the security headers and
 * CORS (docs/PERFORMANCE.md, "Security headers and CORS: plugins or hand-rolled"), it compares any
 * two trees whose difference is paid per request.
 *
 *   npx tsx scripts/load/headers-probe.ts --a ../tree-a --b ../tree-b [--labels hand,plugins]
 *       [--pairs 3] [--seconds 15] [--warmup 5] [--connections 32] [--routes /health,/api/v1/users/me]
 *       [--origin http://localhost:3000] [--database-url postgres://postgres@127.0.0.1:5432/probe]
 *       [--inject 20000] [--no-build] [--label TEXT] [--out-dir bench/results]
 *
 * Each tree is built first (`npm run build`, unless --no-build). By default each is started as
 * `npm start` runs it (scripts/load/bench-infra.ts), A, B, A, B… `--pairs` times, and loaded with
 * Debian's `wrk` at `--connections` for `--seconds` a route after `--warmup`; before measuring, the
 * headers both send to the same requests (API, errors, preflights, the web app, /docs) are compared
 * and any difference printed. With `--inject N` both apps are built in this process instead and
 * answer N `app.inject` requests a route in alternating rounds: without HTTP, and with the two
 * sharing whatever else runs on the machine at the time, though not the whole cost of a request.
 *
 * One database for all: PGlite in a throwaway folder, or the PostgreSQL of `--database-url` (a
 * database the service may migrate). A signed-up person is signed in for `/api/…` routes. The general
 * rate limit stays on, set too high to refuse. Only 127.0.0.1; everything started is stopped by its
 * PID. Writes bench/results/<time>-headers-probe[-label].json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { buildService, cpuMsOf, freePort, type Service, startService } from './bench-infra.ts';
import { fileStamp, labelSuffix } from './bench-report.ts';
import { k6RegisterBody, PASSWORD } from './payloads.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRK = '/usr/bin/wrk';
const { values: args } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    labels: { type: 'string', default: 'a,b' },
    pairs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    routes: { type: 'string', default: '/health,/api/v1/users/me' },
    origin: { type: 'string', default: 'http://localhost:3000' },
    'database-url': { type: 'string' },
    inject: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    label: { type: 'string', default: '' },
    'out-dir': { type: 'string', default: path.join(ROOT, 'bench', 'results') },
  },
});

function fail(message: string): never {
  console.error(`headers-probe: ${message}`);
  process.exit(2);
}
if (!args.a || !args.b) fail('give --a and --b, the two trees to compare');
const positive = (name: string, text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) fail(`--${name} must be a positive whole number`);
  return value;
};
const [pairs, seconds, warmup, connections] = (['pairs', 'seconds', 'warmup', 'connections'] as const).map((name) =>
  positive(name, args[name]),
) as [number, number, number, number];
const injections = args.inject === undefined ? null : positive('inject', args.inject);
if (injections === null && !existsSync(WRK)) fail(`${WRK} not found (apt-get install wrk), or measure in process with --inject`);
const labels = args.labels.split(',');
if (labels.length !== 2 || labels.some((l) => !l)) fail('--labels takes two names, e.g. hand,plugins');
const trees = [
  { label: labels[0]!, root: path.resolve(args.a) },
  { label: labels[1]!, root: path.resolve(args.b) },
];

interface Case {
  name: string;
  path: string;
  origin: boolean;
}
const cases: Case[] = args.routes
  .split(',')
  .filter(Boolean)
  .flatMap((route) => [false, true].map((origin) => ({ name: `${route}${origin ? ' cross-origin' : ''}`, path: route, origin })));

const work = mkdtempSync(path.join(tmpdir(), 'headers-probe-'));
const jwtSecret = `headers-probe-${Math.random().toString(36).slice(2)}-${Date.now()}-secret`;
const serviceEnv: Record<string, string> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  SIGNUP_MAX_PER_ADDRESS: '0',
  JWT_SECRET: jwtSecret,
  ALLOWED_ORIGINS: args.origin,
  // The limiter runs on every request as in production, but never refuses one.
  RATE_LIMIT_MAX: '10000000',
  ...(args['database-url'] ? { DATABASE_URL: args['database-url'] } : { RECOMP_DATA_DIR: path.join(work, 'pglite') }),
};
const registration = () => {
  // Of one length, so that the person's own JSON is as long from both trees.
  const email = `probe${Date.now()}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}@example.com`;
  return { register: k6RegisterBody(email), login: { email, password: PASSWORD } };
};
const requestHeaders = (one: Case, token: string): Record<string, string> => ({
  ...(one.path.startsWith('/api/') ? { authorization: `Bearer ${token}` } : {}),
  ...(one.origin ? { origin: args.origin } : {}),
});

interface Window {
  tree: string;
  pair: number;
  case: string;
  requestsPerSecond: number;
  requests: number;
  cpuMicrosecondsPerRequest: number;
  p50Ms?: number;
  p99Ms?: number;
  loadAverage: number;
}
const windows: Window[] = [];
const record = (window: Window) => {
  windows.push(window);
  const latency = window.p50Ms === undefined ? '' : `  p50 ${window.p50Ms} ms`;
  console.log(
    `${window.tree.padEnd(10)} pair ${window.pair}  ${window.case.padEnd(32)} ${String(window.requestsPerSecond).padStart(6)} req/s  ${window.cpuMicrosecondsPerRequest.toFixed(1).padStart(6)} µs CPU a request${latency}  load ${window.loadAverage}`,
  );
};
const loadNow = () => Math.round(loadavg()[0]! * 100) / 100;

// ---- against the started service, under wrk ----

async function signIn(baseUrl: string): Promise<string> {
  const person = registration();
  const post = (url: string, body: unknown) =>
    request(`${baseUrl}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const registered = await post('/api/v1/users', person.register);
  if (registered.statusCode !== 201) throw new Error(`sign-up answered ${registered.statusCode}: ${await registered.body.text()}`);
  await registered.body.dump();
  const login = await post('/api/v1/auth/login', person.login);
  if (login.statusCode !== 200) throw new Error(`sign-in answered ${login.statusCode}`);
  return ((await login.body.json()) as { access_token: string }).access_token;
}

/** Headers that differ from one response to the next whatever the build. */
const VOLATILE = new Set([
  'date',
  'x-request-id',
  'ratelimit-reset',
  'ratelimit-remaining',
  'ratelimit-limit',
  'ratelimit-policy',
  'keep-alive',
  'connection',
]);

/** The status and headers of a fixed set of requests, `name: value` lines per request. */
async function headerDump(baseUrl: string, token: string): Promise<Record<string, string[]>> {
  const { origin } = args;
  const foreign = 'https://foreign.example';
  const probes: [name: string, method: 'GET' | 'OPTIONS', url: string, headers: Record<string, string>][] = [
    ['GET /health', 'GET', '/health', {}],
    ['GET /health, allowed Origin', 'GET', '/health', { origin }],
    ['GET /health, foreign Origin', 'GET', '/health', { origin: foreign }],
    ['GET /api/v1/users/me, allowed Origin', 'GET', '/api/v1/users/me', { origin, authorization: `Bearer ${token}` }],
    ['GET /api/v1/users/me, signed out', 'GET', '/api/v1/users/me', { origin }],
    ['GET /nope', 'GET', '/nope', { origin }],
    ['GET / as HTML', 'GET', '/', { accept: 'text/html', 'accept-encoding': 'br' }],
    ['GET / as JSON', 'GET', '/', { accept: 'application/json' }],
    ['GET /docs/', 'GET', '/docs/', {}],
    ['GET /openapi.json', 'GET', '/openapi.json', { origin }],
    [
      'preflight',
      'OPTIONS',
      '/api/v1/goals',
      { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    ],
    ['preflight, foreign Origin', 'OPTIONS', '/api/v1/goals', { origin: foreign, 'access-control-request-method': 'POST' }],
    ['OPTIONS without Origin', 'OPTIONS', '/api/v1/goals', { 'access-control-request-method': 'POST' }],
    ['OPTIONS without the method', 'OPTIONS', '/api/v1/goals', { origin }],
  ];
  const dump: Record<string, string[]> = {};
  for (const [name, method, url, headers] of probes) {
    const response = await request(`${baseUrl}${url}`, { method, headers });
    await response.body.dump();
    dump[name] = [
      `status: ${response.statusCode}`,
      ...Object.entries(response.headers)
        .filter(([header]) => !VOLATILE.has(header))
        .map(([header, value]) => `${header}: ${Array.isArray(value) ? value.join(' | ') : value}`)
        .sort(),
    ];
  }
  return dump;
}

/** wrk's latency line (`50%  1.23ms`) in milliseconds. */
function latencyMs(output: string, percentile: string): number {
  const match = new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output);
  return match ? Number(match[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[match[2]!]! : Number.NaN;
}

function runWrk(service: Service, token: string, one: Case, duration: number) {
  const headers = Object.entries(requestHeaders(one, token)).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const cpuBefore = cpuMsOf(service.pid);
  const output = execFileSync(
    WRK,
    ['-t1', `-c${connections}`, `-d${duration}s`, '--latency', ...headers, `${service.baseUrl}${one.path}`],
    { encoding: 'utf8', timeout: (duration + 60) * 1000 },
  );
  const cpuMs = cpuMsOf(service.pid) - cpuBefore;
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? Number.NaN);
  const refused = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  const socketErrors = /Socket errors: .*/.exec(output);
  if (refused || socketErrors || !(requests > 0))
    throw new Error(`${one.name}: ${refused ? `${refused[1]} answers not 2xx` : (socketErrors?.[0] ?? 'no requests')}\n${output}`);
  return {
    requestsPerSecond: Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1])),
    requests,
    cpuMicrosecondsPerRequest: Math.round((cpuMs * 10_000) / requests) / 10,
    p50Ms: latencyMs(output, '50'),
    p99Ms: latencyMs(output, '99'),
  };
}

async function underWrk(dumps: Record<string, Record<string, string[]>>) {
  let live: Service | null = null;
  try {
    for (let pair = 1; pair <= pairs; pair++) {
      for (const tree of trees) {
        live = await startService({
          root: tree.root,
          probe: path.join(ROOT, 'scripts/load/probe.cjs'),
          env: serviceEnv,
          port: await freePort(8950),
          log: path.join(work, `server-${tree.label}-${pair}.log`),
          probeFile: path.join(work, `probe-${tree.label}-${pair}.jsonl`),
        });
        const token = await signIn(live.baseUrl);
        dumps[tree.label] ??= await headerDump(live.baseUrl, token);
        for (const one of cases) runWrk(live, token, one, warmup);
        for (const one of cases) {
          const loadAverage = loadNow();
          record({ tree: tree.label, pair, case: one.name, ...runWrk(live, token, one, seconds), loadAverage });
        }
        await live.stop();
        live = null;
      }
    }
  } finally {
    await live?.stop();
  }
}

// ---- both apps in this process, through app.inject ----

interface InjectableApp {
  inject(options: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    payload?: unknown;
  }): Promise<{ statusCode: number; json(): unknown }>;
  ready(): Promise<unknown>;
  close(): Promise<unknown>;
}

/** A tree's compiled app on its own database, as src/server.ts opens it, without logging. */
async function openApp(root: string, label: string) {
  const compiled = (file: string) => import(pathToFileURL(path.join(root, 'dist', 'src', file)).href);
  const { loadConfig } = await compiled('config.js');
  const { openEmbedded, openPostgres } = await compiled('db/client.js');
  const { buildApp } = await compiled('http/app.js');
  const config = loadConfig({ ...serviceEnv, RECOMP_DATA_DIR: path.join(work, `pglite-${label}`) });
  const database = config.databaseUrl
    ? await openPostgres(config.databaseUrl, { poolSize: config.databasePoolSize })
    : await openEmbedded(config.dataDir);
  const app = (await buildApp({ config, database, jwtSecret, logger: false })) as InjectableApp;
  await app.ready();
  const person = registration();
  const registered = await app.inject({ method: 'POST', url: '/api/v1/users', payload: person.register });
  if (registered.statusCode !== 201) throw new Error(`sign-up answered ${registered.statusCode}`);
  const token = (
    (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: person.login })).json() as { access_token: string }
  ).access_token;
  return {
    app,
    token,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

async function injectRound(app: InjectableApp, token: string, one: Case, count: number) {
  const headers = requestHeaders(one, token);
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const response = await app.inject({ method: 'GET', url: one.path, headers });
    if (response.statusCode !== 200) throw new Error(`${one.name} answered ${response.statusCode}`);
    // What an injected request leaves behind is let go only once timers have run: without a turn
    // of the event loop now and then the heap grows by about 10 kB a request until it runs out.
    if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const used = process.cpuUsage(cpu);
  return {
    requestsPerSecond: Math.round((count * 1000) / (performance.now() - started)),
    requests: count,
    cpuMicrosecondsPerRequest: Math.round(((used.user + used.system) * 10) / count) / 10,
  };
}

async function inProcess(count: number) {
  const opened: Awaited<ReturnType<typeof openApp>>[] = [];
  try {
    for (const tree of trees) opened.push(await openApp(tree.root, tree.label));
    for (const { app, token } of opened) for (const one of cases) await injectRound(app, token, one, Math.ceil(count / 4));
    for (let pair = 1; pair <= pairs; pair++) {
      for (const one of cases) {
        // A then B, then B then A: neither always runs right after the other's garbage.
        for (const i of pair % 2 === 1 ? [0, 1] : [1, 0]) {
          const loadAverage = loadNow();
          record({
            tree: trees[i]!.label,
            pair,
            case: one.name,
            ...(await injectRound(opened[i]!.app, opened[i]!.token, one, count)),
            loadAverage,
          });
        }
      }
    }
  } finally {
    for (const one of opened) await one.close();
  }
}

// ---- the run ----

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : Math.round(((sorted[middle - 1]! + sorted[middle]!) / 2) * 10) / 10;
};
const change = (from: number, to: number) => `${to >= from ? '+' : ''}${(((to - from) / from) * 100).toFixed(1)} %`;

const startedAt = new Date();
const dumps: Record<string, Record<string, string[]>> = {};
try {
  if (!args['no-build']) for (const tree of trees) buildService(tree.root);
  if (injections === null) await underWrk(dumps);
  else await inProcess(injections);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const [a, b] = labels as [string, string];
console.log(
  `\nmedians of ${pairs} runs each (${injections === null ? `wrk, ${connections} connections, ${seconds} s` : `${injections} injections`}): ${a} → ${b}`,
);
const summary = cases.map((one) => {
  const metric = (key: 'requestsPerSecond' | 'cpuMicrosecondsPerRequest') =>
    Object.fromEntries(
      trees.map(({ label }) => {
        const values = windows.filter((w) => w.tree === label && w.case === one.name).map((w) => w[key]);
        return [label, { median: median(values), min: Math.min(...values), max: Math.max(...values) }];
      }),
    );
  const row = {
    case: one.name,
    requestsPerSecond: metric('requestsPerSecond'),
    cpuMicrosecondsPerRequest: metric('cpuMicrosecondsPerRequest'),
  };
  const [rate, cpu] = [row.requestsPerSecond, row.cpuMicrosecondsPerRequest];
  console.log(
    `${one.name.padEnd(32)} req/s ${rate[a]!.median} → ${rate[b]!.median} (${change(rate[a]!.median, rate[b]!.median)})   µs CPU a request ${cpu[a]!.median} → ${cpu[b]!.median} (${change(cpu[a]!.median, cpu[b]!.median)})`,
  );
  return row;
});

const headerDifferences =
  injections === null
    ? Object.keys(dumps[a] ?? {}).flatMap((name) => {
        const [left, right] = [dumps[a]![name]!, dumps[b]?.[name] ?? []];
        const only = (x: string[], y: string[]) => x.filter((line) => !y.includes(line));
        const difference = [...only(left, right).map((line) => `${a}: ${line}`), ...only(right, left).map((line) => `${b}: ${line}`)];
        return difference.length > 0 ? [{ request: name, difference }] : [];
      })
    : null;
if (headerDifferences) {
  console.log(
    headerDifferences.length === 0
      ? '\nheaders: the same on every probed request'
      : `\nheaders differ:\n${headerDifferences.map((d) => `  ${d.request}\n    ${d.difference.join('\n    ')}`).join('\n')}`,
  );
}

mkdirSync(args['out-dir'], { recursive: true });
const file = path.join(args['out-dir'], `${fileStamp(startedAt)}-headers-probe${labelSuffix(args.label)}.json`);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      trees,
      mode: injections === null ? 'wrk' : 'inject',
      connections,
      seconds,
      warmup,
      injections,
      pairs,
      database: args['database-url'] ? 'postgres' : 'pglite',
      summary,
      windows,
      headerDifferences,
      headers: dumps,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${file}`);
