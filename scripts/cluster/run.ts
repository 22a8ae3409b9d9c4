/**
 * `npm run cluster:test [-- --quick] [-- --instances 3] [-- --out DIR] [-- --keep]`: Recomp on
 * several instances, proved on one machine with Debian's servers on 127.0.0.1 (docs/DEPLOY.md):
 *   PostgreSQL primary + streaming replica (pg_basebackup -R), PgBouncer (transaction mode) in front
 *   of the primary, Redis, N Recomp instances, nginx balancing them. Then:
 *   1. the load runner's journey and steady through nginx, 0 failures, and the same against one instance;
 *   2. SIGKILL one instance during a journey: the failed requests are at most those in flight on it,
 *      and every acknowledged write is in the database;
 *   3. read-your-writes across instances with the replica 500 ms behind;
 *   4. the rate limit holds across instances (Redis).
 * Everything started is stopped by PID at the end, on failure too. Exit status 0 only when every check passed.
 * The full run writes bench/results/cluster-<date>.json and .md; --quick (CI) writes into the work folder.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync, chmodSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { fileStamp } from '../load/bench-report.ts';
import { checkIn, drawPerson, K6_USER, k6Email, k6RegisterBody, measurementBody, naiveUtc } from '../load/payloads.ts';
import { completedRequestIds, killReport, markdownTable, parseAccessLog, rateLimitCount, type Row } from './analysis.ts';
import {
  baseBackup,
  freePort,
  initPrimary,
  type Instance,
  Processes,
  type Postgres,
  startCommand,
  startInstance,
  startNginx,
  startPgbouncer,
  startPostgres,
  startRedis,
  waitReady,
} from './servers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    instances: { type: 'string', default: '3' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const QUICK = args.quick ?? false;
const INSTANCES = Number(args.instances);
if (!Number.isInteger(INSTANCES) || INSTANCES < 2 || INSTANCES > 3) {
  console.error('--instances must be 2 or 3');
  process.exit(2);
}

/** Durations and sizes: the full run for the numbers, --quick for CI (a few minutes in all). */
const PLAN = QUICK
  ? {
      journey: { users: 20, seconds: 15, ramp: 3 },
      steady: { connections: 16, accounts: 32, seconds: 10 },
      kill: { users: 20, seconds: 14, killAt: 6, writers: 3 },
      ryw: { rounds: 12, users: 8, seconds: 8 },
      rate: { max: 30, requests: 90 },
    }
  : {
      journey: { users: 50, seconds: 60, ramp: 10 },
      steady: { connections: 48, accounts: 200, seconds: 30 },
      kill: { users: 30, seconds: 30, killAt: 12, writers: 4 },
      ryw: { rounds: 30, users: 16, seconds: 20 },
      rate: { max: 60, requests: 180 },
    };

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const configSource = readFileSync(path.join(ROOT, 'src/config.ts'), 'utf8');
/** The settings of docs/DEPLOY.md, 'Many instances', that this tree's service reads (each switches a part of the test on). */
const has = (name: string) => new RegExp(`['".]${name}\\b`).test(configSource);
const FEATURES = {
  poolMode: has('DATABASE_POOL_MODE'),
  migrationUrl: has('DATABASE_MIGRATION_URL'),
  replicas: has('DATABASE_REPLICA_URLS'),
  redis: has('REDIS_URL'),
  migrateScript: 'db:migrate' in manifest.scripts,
};

const work = mkdtempSync(path.join(tmpdir(), 'recomp-cluster-'));
chmodSync(work, 0o755);
const procs = new Processes(work);
const checks: { name: string; ok: boolean; detail: string }[] = [];
const skipped: string[] = [];
const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  quick: QUICK,
  instances: INSTANCES,
  cores: cpus().length,
  features: FEATURES,
};

const say = (message: string) => console.log(`--- [cluster] ${message}`);
function check(name: string, ok: boolean, detail: string) {
  checks.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
}
function skip(name: string, why: string) {
  skipped.push(`${name}: ${why}`);
  console.log(`SKIPPED ${name}: ${why}`);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Load runners in progress: stopped by PID with the rest. */
const loadRunners = new Set<ChildProcess>();
let stopping = false;
async function cleanup(status: number): Promise<never> {
  if (stopping) process.exit(status);
  stopping = true;
  for (const child of loadRunners) {
    if (child.pid) {
      say(`stopping the load runner (PID ${child.pid})`);
      child.kill('SIGTERM');
    }
  }
  say(`stopping ${procs.list.length} processes by PID: ${procs.list.map((p) => `${p.name}=${p.pid}`).join(' ')}`);
  await procs.stopAll().catch((error: unknown) => console.error(`stopping: ${(error as Error).message}`));
  if (args.keep || status !== 0) say(`logs kept in ${work}/logs`);
  else rmSync(work, { recursive: true, force: true });
  process.exit(status);
}
process.on('SIGINT', () => void cleanup(130));
process.on('SIGTERM', () => void cleanup(143));

// ---- helpers ------------------------------------------------------------------------------------

interface LoadResult {
  total: { count: number; failures: number; ratePerSecond: number; ms: { p95: number; p99: number } };
  checksFailed: number;
  failureSamples?: unknown[];
}

const row = (label: string, r: LoadResult): Row => ({
  label,
  requestsPerSecond: r.total.ratePerSecond,
  p95Ms: r.total.ms.p95,
  p99Ms: r.total.ms.p99,
  count: r.total.count,
  failures: r.total.failures,
});

/** A JSON reply's fields (ids, tokens) as text; the checks only compare them. */
type Fields = Record<string, unknown> | null;

async function call(
  base: string,
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; json: Fields; text: string }> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: Fields;
  try {
    json = text ? (JSON.parse(text) as Fields) : null;
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}

async function signUp(base: string): Promise<string> {
  const email = k6Email();
  const registered = await call(base, 'POST', '/api/v1/users', k6RegisterBody(email));
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.json)}`);
  const login = await call(base, 'POST', '/api/v1/auth/login', { email, password: K6_USER.password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.json)}`);
  return String(login.json?.access_token);
}

/** The sum of an instance's Prometheus samples whose line starts with `prefix` (its /metrics, part A). */
async function metricTotal(base: string, prefix: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
/** The responses an instance has sent (all routes and statuses). */
const responsesServed = (base: string) => metricTotal(base, 'http_responses_total{');
/** Where an instance sent its reads of users' data: `primary` or `replica`. */
const readsOn = (base: string, target: 'primary' | 'replica') => metricTotal(base, `recomp_db_reads_total{target="${target}"}`);

const fileSize = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};
const readFrom = (file: string, offset: number) => readFileSync(file).subarray(offset).toString('utf8');

// ---- the cluster ----------------------------------------------------------------------------------

async function main() {
  say(
    `work folder ${work}; ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  say(
    `features of this tree: ${Object.entries(FEATURES)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  execFileSync('bash', [path.join(ROOT, 'scripts/cluster/install.sh')], { stdio: 'inherit' });

  const ports = {
    primary: await freePort(),
    replica: await freePort(),
    pgbouncer: await freePort(),
    redis: await freePort(),
    nginx: await freePort(),
    instances: [] as number[],
  };
  for (let i = 0; i < INSTANCES; i++) ports.instances.push(await freePort());
  const sockets = procs.folder('sockets');

  say('PostgreSQL primary');
  const primary = await startPostgres(procs, 'postgres-primary', initPrimary(procs), ports.primary, sockets);
  const admin = postgres(primary.url('postgres'), { max: 1, onnotice: () => {} });
  await admin.unsafe('CREATE DATABASE recomp');
  // Through PgBouncer in transaction mode the service sends no statement_timeout: the database sets it.
  await admin.unsafe("ALTER DATABASE recomp SET statement_timeout = '5s'");
  await admin.end();

  say('streaming replica (pg_basebackup -R)');
  const replica = await startPostgres(procs, 'postgres-replica', baseBackup(procs, primary), ports.replica, sockets);
  const primaryDb = postgres(primary.url('recomp'), { max: 2, onnotice: () => {} });
  const replicaDb = postgres(replica.url('recomp'), { max: 2, onnotice: () => {} });
  try {
    const [streaming] = await primaryDb`select count(*)::int as n from pg_stat_replication where state = 'streaming'`;
    check('replica streams from the primary', streaming?.n === 1, `${streaming?.n ?? 0} streaming replica(s)`);
    await phases(primary, replica, primaryDb, replicaDb, ports);
  } finally {
    await primaryDb.end();
    await replicaDb.end();
  }
}

async function phases(
  primary: Postgres,
  replica: Postgres,
  primaryDb: postgres.Sql,
  replicaDb: postgres.Sql,
  ports: { pgbouncer: number; redis: number; nginx: number; instances: number[] },
) {
  say('PgBouncer (transaction mode) in front of the primary');
  await startPgbouncer(procs, primary, 'recomp', ports.pgbouncer);
  if (FEATURES.redis) {
    say('Redis');
    await startRedis(procs, ports.redis);
  } else skip('Redis', 'src/config.ts does not read REDIS_URL yet');

  // Built once from the sources as they are; then each instance runs the start command on that build.
  say('build: npm run build');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const command = startCommand(manifest.scripts);
  const jwtSecret = randomBytes(36).toString('base64');
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    NODE_ENV: 'production',
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'info',
    TRUST_PROXY_HOPS: '1',
    UV_THREADPOOL_SIZE: '2',
    // The default pool (20 client connections an instance); PgBouncer's pool to the server stays
    // small. In transaction mode the service pipelines nothing (src/db/transactions.ts).
    SHUTDOWN_TIMEOUT_MS: '5000',
    // Every simulated person signs up from 127.0.0.1.
    SIGNUP_MAX_PER_ADDRESS: '0',
    // Through PgBouncer. Before DATABASE_POOL_MODE existed: postgres.js told to prepare nothing.
    DATABASE_URL: `postgres://postgres@127.0.0.1:${ports.pgbouncer}/recomp${FEATURES.poolMode ? '' : '?prepare=false'}`,
    ...(FEATURES.poolMode ? { DATABASE_POOL_MODE: 'transaction' } : {}),
    ...(FEATURES.migrationUrl ? { DATABASE_MIGRATION_URL: primary.url('recomp') } : {}),
    ...(FEATURES.replicas ? { DATABASE_REPLICA_URLS: replica.url('recomp') } : {}),
    ...(FEATURES.redis ? { REDIS_URL: `redis://127.0.0.1:${ports.redis}` } : {}),
    ...extra,
  });

  let instances: Instance[] = [];
  const startAll = async (extra: Record<string, string> = {}) => {
    const fresh = (i: number) =>
      startInstance(procs, ROOT, command, i, ports.instances[i]!, { ...env(extra), RECOMP_DATA_DIR: procs.folder(`instance-${i}`) });
    if (FEATURES.migrationUrl) {
      // All at once: the migrations' advisory lock makes concurrent starts safe.
      instances = ports.instances.map((_, i) => fresh(i));
      await Promise.all(instances.map((instance) => waitReady(procs, instance)));
    } else {
      // Without the advisory lock two instances could migrate at once: the first alone, then the rest.
      instances = [fresh(0)];
      await waitReady(procs, instances[0]!);
      for (let i = 1; i < ports.instances.length; i++) instances.push(fresh(i));
      await Promise.all(instances.slice(1).map((instance) => waitReady(procs, instance)));
    }
  };
  say(`${INSTANCES} Recomp instances (${command.join(' ')}) on ports ${ports.instances.join(', ')}`);
  await startAll();
  say(`nginx on 127.0.0.1:${ports.nginx}`);
  await startNginx(procs, ports.nginx, ports.instances);
  const balancer = `http://127.0.0.1:${ports.nginx}`;
  const direct = (i: number) => `http://127.0.0.1:${ports.instances[i]}`;
  const accessLog = path.join(work, 'nginx', 'access.log');

  // ---- 1. throughput and latency: the balancer vs one instance ----------------------------------
  const journeyArgs = ['--users', String(PLAN.journey.users), '--duration', `${PLAN.journey.seconds}s`, '--ramp', `${PLAN.journey.ramp}s`];
  const steadyArgs = [
    '--connections',
    String(PLAN.steady.connections),
    '--accounts',
    String(PLAN.steady.accounts),
    '--duration',
    `${PLAN.steady.seconds}s`,
  ];
  const runs: Record<string, LoadResult> = {};
  const servedBefore = await Promise.all(instances.map((_, i) => responsesServed(direct(i))));
  for (const [label, scenario, base, extra] of [
    ['journey-cluster', 'journey', balancer, journeyArgs],
    ['journey-one', 'journey', direct(0), journeyArgs],
    ['steady-cluster', 'steady', balancer, steadyArgs],
    ['steady-one', 'steady', direct(0), steadyArgs],
  ] as const) {
    const { status, result } = await loadtest(label, scenario, base, [...extra]);
    runs[label] = result;
    if (label === 'journey-cluster') {
      // Each instance's own count (/metrics, http_responses_total): nginx spread the journey over all of them.
      const served = (await Promise.all(instances.map((_, i) => responsesServed(direct(i))))).map((n, i) => n - servedBefore[i]!);
      results.journeyPerInstance = served;
      check(
        'journey-cluster: every instance served a share (their /metrics)',
        served.every((n) => n > result.total.count / (instances.length * 4)),
        `responses per instance ${served.join(', ')} of ${result.total.count} requests`,
      );
    }
    check(
      `${label}: 0 failed requests and checks`,
      status === 0 && result.total.failures === 0 && result.checksFailed === 0,
      `${result.total.count} requests, ${result.total.failures} failed, ${result.checksFailed} checks failed, ${result.total.ratePerSecond.toFixed(1)} req/s, p95 ${result.total.ms.p95.toFixed(1)} ms`,
    );
  }
  const table = [
    row(`journey, nginx + ${INSTANCES} instances`, runs['journey-cluster']!),
    row('journey, one instance', runs['journey-one']!),
    row(`steady, nginx + ${INSTANCES} instances`, runs['steady-cluster']!),
    row('steady, one instance', runs['steady-one']!),
  ];
  if (!QUICK) {
    // The pooler's price: the same instance straight to PostgreSQL, in session mode with named
    // prepared statements, against PgBouncer in transaction mode without them (above).
    const restart = async (extra: Record<string, string>) => {
      await procs.stop(instances[0]!.proc);
      instances[0] = startInstance(procs, ROOT, command, 0, ports.instances[0]!, {
        ...env(extra),
        RECOMP_DATA_DIR: procs.folder('instance-0'),
      });
      await waitReady(procs, instances[0]!);
    };
    await restart({ DATABASE_URL: primary.url('recomp'), DATABASE_POOL_MODE: 'session' });
    const { status, result } = await loadtest('steady-one-direct', 'steady', direct(0), [...steadyArgs]);
    check(
      'steady-one-direct: 0 failed requests and checks',
      status === 0 && result.total.failures === 0 && result.checksFailed === 0,
      `${result.total.count} requests, ${result.total.ratePerSecond.toFixed(1)} req/s, p95 ${result.total.ms.p95.toFixed(1)} ms`,
    );
    table.push(row('steady, one instance straight to PostgreSQL (session mode, prepared statements)', result));
    await restart({});
  }
  results.throughput = { plan: { journey: PLAN.journey, steady: PLAN.steady }, rows: table };
  console.log(`\n${markdownTable(table)}\n`);

  // ---- 2. SIGKILL one instance during a journey -------------------------------------------------
  const victim = instances[instances.length - 1]!;
  const victimAddress = `127.0.0.1:${victim.port}`;
  const victimLog = victim.proc.log;
  const token = await signUp(balancer);
  const logOffset = fileSize(accessLog);
  const [before] = await primaryDb`select count(*)::int as n from body_measurements`;
  // Writers: measurements through nginx, as fast as they are answered; each 201's id is an acknowledged write.
  const acknowledged: string[] = [];
  let writesFailed = 0;
  let writing = true;
  const person = drawPerson('male', K6_USER.height_cm, 'cutting');
  const writer = async () => {
    while (writing) {
      const reply = await call(
        balancer,
        'POST',
        '/api/v1/measurements',
        measurementBody(checkIn(person), naiveUtc(Date.now())),
        token,
      ).catch(() => ({ status: 0, json: null, text: '' }));
      if (reply.status === 201) acknowledged.push(String(reply.json?.id));
      else writesFailed++;
    }
  };
  const writers = Array.from({ length: PLAN.kill.writers }, writer);
  let killedAt = 0;
  const killer = (async () => {
    await sleep(PLAN.kill.killAt * 1000);
    killedAt = Date.now();
    process.kill(victim.proc.pid, 'SIGKILL');
    say(`SIGKILL to recomp-${victim.index} (PID ${victim.proc.pid}, ${victimAddress}) at ${new Date(killedAt).toISOString()}`);
  })();
  const kill = await loadtest('kill-journey', 'journey', balancer, [
    '--users',
    String(PLAN.kill.users),
    '--duration',
    `${PLAN.kill.seconds}s`,
    '--ramp',
    '2s',
    '--think-scale',
    '0.2',
  ]);
  await killer;
  writing = false;
  await Promise.all(writers);
  await sleep(500);
  const lines = parseAccessLog(readFrom(accessLog, logOffset));
  const report = killReport(lines, victimAddress, killedAt, completedRequestIds(readFileSync(victimLog, 'utf8')));
  const clientFailures = kill.result.total.failures + writesFailed;
  results.kill = {
    ...report,
    unexplained: report.unexplained.slice(0, 10),
    clientFailures,
    journeyFailures: kill.result.total.failures,
    writerFailures: writesFailed,
    acknowledgedWrites: acknowledged.length,
    requests: lines.length,
  };
  check(
    'kill: every failed request was on the killed instance, in flight at the kill or sent to its dead connection',
    report.unexplained.length === 0 && report.failed <= report.inFlightOnKilled + report.sentToDeadConnection,
    `${report.failed} failed of ${lines.length}; ${report.inFlightOnKilled} were in flight on ${victimAddress} at the kill (${report.inFlightCompletedByInstance} of them logged as completed by it), ${report.sentToDeadConnection} failed POSTs went to its dead keep-alive connections just after; ${report.failedOver} passed on to another instance; unexplained: ${report.unexplained.length}`,
  );
  check(
    'kill: the clients saw exactly the failures nginx logged',
    clientFailures === report.failed,
    `clients ${clientFailures} (journey ${kill.result.total.failures}, writers ${writesFailed}), nginx ${report.failed}`,
  );
  const ids = await primaryDb`select id::text from body_measurements where id = any(${acknowledged}::uuid[])`;
  check(
    'kill: every acknowledged write is in the database',
    ids.length === acknowledged.length && acknowledged.length > 0,
    `${ids.length} of ${acknowledged.length} acknowledged measurements found on the primary`,
  );
  const [after] = await primaryDb`select count(*)::int as n from body_measurements`;
  const created = (after?.n ?? 0) - (before?.n ?? 0);
  const acked201 = lines.filter((l) => l.method === 'POST' && l.uri === '/api/v1/measurements' && l.status === 201).length;
  const failedPosts = lines.filter((l) => l.method === 'POST' && l.uri === '/api/v1/measurements' && l.status >= 500).length;
  check(
    'kill: measurements in the database = the 201s nginx returned (+ at most the failed in-flight POSTs)',
    created >= acked201 && created - acked201 <= failedPosts,
    `${created} rows created, ${acked201} acknowledged, ${failedPosts} POSTs failed`,
  );

  say(`restarting recomp-${victim.index}`);
  instances[victim.index] = startInstance(procs, ROOT, command, victim.index, victim.port, {
    ...env(),
    RECOMP_DATA_DIR: procs.folder(`instance-${victim.index}`),
  });
  await waitReady(procs, instances[victim.index]!);

  // ---- 3. read-your-writes with a lagging replica ------------------------------------------------
  if (!FEATURES.replicas) skip('read-your-writes with a lagging replica', 'src/config.ts does not read DATABASE_REPLICA_URLS yet');
  else await readYourWrites(replica, primaryDb, replicaDb, instances, balancer, direct);

  // ---- 4. the rate limit across instances --------------------------------------------------------
  if (!FEATURES.redis) skip('rate limit across instances', 'src/config.ts does not read REDIS_URL yet');
  else {
    say(`restarting the instances with RATE_LIMIT_MAX=${PLAN.rate.max} per 10 minutes, Redis emptied`);
    for (const instance of instances) await procs.stop(instance.proc);
    // The earlier phases' counters (same callers, a 60 s window) would still count: start from zero.
    const redis = new Redis(`redis://127.0.0.1:${ports.redis}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
    redis.on('error', () => {}); // connect() and flushall() reject with it
    await redis.connect();
    await redis.flushall();
    redis.disconnect();
    await startAll({ RATE_LIMIT_MAX: String(PLAN.rate.max), RATE_LIMIT_WINDOW_SECONDS: '600' });
    // A fresh user, so that the limit's key (user:<id>) counts only the requests below.
    const token = await signUp(direct(0));
    const statuses: number[] = [];
    const targets = [...instances.map((_, i) => direct(i)), balancer];
    for (let i = 0; i < PLAN.rate.requests; i++)
      statuses.push((await call(targets[i % targets.length]!, 'GET', '/api/v1/measurements', undefined, token)).status);
    const counted = rateLimitCount(statuses);
    results.rateLimit = { max: PLAN.rate.max, sent: PLAN.rate.requests, targets: targets.length, ...counted };
    check(
      'rate limit: one limit for all instances together',
      counted.allowed === PLAN.rate.max && counted.limited === PLAN.rate.requests - PLAN.rate.max && counted.other === 0,
      `${PLAN.rate.requests} requests of one user spread over ${instances.length} instances and nginx: ${counted.allowed} allowed, ${counted.limited} answered 429, ${counted.other} other (limit ${PLAN.rate.max}; counted per instance up to ${Math.min(PLAN.rate.requests, PLAN.rate.max * instances.length)} would pass)`,
    );
  }

  // PgBouncer's sign of a protocol desync: server answers arriving for no client (docs/DEPLOY.md).
  const desync = readFileSync(path.join(work, 'logs', 'pgbouncer.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('when not linked'));
  check(
    'PgBouncer stayed in step with every client',
    desync.length === 0,
    desync.length === 0 ? 'no "got packet ... when not linked"' : `${desync.length} lines, first: ${desync[0]}`,
  );

  // Error (50) and fatal (60) lines mean something went wrong even where every answer looked right.
  const errors = ports.instances.flatMap((_, i) =>
    readFileSync(path.join(work, 'logs', `recomp-${i}.log`), 'utf8')
      .split('\n')
      .filter((l) => /"level":(50|60)/.test(l)),
  );
  check(
    'no instance logged an error',
    errors.length === 0,
    errors.length === 0 ? 'no error or fatal lines' : `${errors.length} lines, first: ${errors[0]!.slice(0, 300)}`,
  );
}

/**
 * Runs the in-repo load runner (scripts/load/run.ts) as a child process, its output shown, and
 * returns its exit status and JSON result. Asynchronous: timers (the killer) fire meanwhile.
 */
function loadtest(
  label: string,
  scenario: 'journey' | 'steady',
  baseUrl: string,
  extra: string[],
): Promise<{ status: number; result: LoadResult }> {
  const out = path.join(work, `load-${label}.json`);
  say(`${label}: npm run loadtest -- ${scenario} --base-url ${baseUrl} ${extra.join(' ')}`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts/load/run.ts'), scenario, '--base-url', baseUrl, '--out', out, ...extra],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  loadRunners.add(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      loadRunners.delete(child);
      try {
        resolve({ status: code ?? 1, result: JSON.parse(readFileSync(out, 'utf8')) as LoadResult });
      } catch (error) {
        reject(new Error(`${label}: the load runner exited ${code} without a result (${(error as Error).message})`));
      }
    });
  });
}

async function readYourWrites(
  replica: Postgres,
  primaryDb: postgres.Sql,
  replicaDb: postgres.Sql,
  instances: Instance[],
  balancer: string,
  direct: (i: number) => string,
) {
  say('replica: recovery_min_apply_delay = 500ms (SIGHUP by PID)');
  appendFileSync(path.join(replica.data, 'postgresql.auto.conf'), "recovery_min_apply_delay = '500ms'\n");
  process.kill(replica.proc.pid, 'SIGHUP');
  await sleep(1000);
  const [delay] = await replicaDb`show recovery_min_apply_delay`;
  check(
    'replica applies WAL 500 ms late',
    delay?.recovery_min_apply_delay === '500ms',
    `recovery_min_apply_delay = ${delay?.recovery_min_apply_delay}`,
  );
  // Reads routed by every instance (their /metrics): a replica that served none would prove nothing.
  const routed = async () => {
    const counts = await Promise.all(
      instances.map(async (_, i) => [await readsOn(direct(i), 'primary'), await readsOn(direct(i), 'replica')]),
    );
    return { primary: counts.reduce((sum, c) => sum + c[0]!, 0), replica: counts.reduce((sum, c) => sum + c[1]!, 0) };
  };
  const routedBefore = await routed();
  let maxLagBytes = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const [lag] =
        await primaryDb`select coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0)::bigint as bytes from pg_stat_replication`;
      maxLagBytes = Math.max(maxLagBytes, Number(lag?.bytes ?? 0));
      await sleep(100);
    }
  })();

  // Write on one instance, read at once on the next: the new row must be there.
  const token = await signUp(balancer);
  const person = drawPerson('male', K6_USER.height_cm, 'bulking');
  let missing = 0;
  for (let round = 0; round < PLAN.ryw.rounds; round++) {
    const writeOn = direct(round % instances.length);
    const readOn = direct((round + 1) % instances.length);
    // Millisecond times: with whole seconds, 20+ writes of one second tie and the newest can sort
    // past the first page (ties go by id), which read as "not seen" on a fast machine.
    const created = await call(writeOn, 'POST', '/api/v1/measurements', measurementBody(checkIn(person), new Date().toISOString()), token);
    if (created.status !== 201) {
      missing++;
      continue;
    }
    const one = await call(readOn, 'GET', `/api/v1/measurements/${String(created.json?.id)}`, undefined, token);
    const list = await call(readOn, 'GET', '/api/v1/measurements?limit=100', undefined, token);
    const listed = list.text.includes(String(created.json?.id));
    if (one.status !== 200 || !listed) missing++;
  }
  // Past the delay the replica has the rows: reads may go there now.
  await sleep(1500);
  await call(direct(0), 'GET', '/api/v1/measurements', undefined, token);
  check(
    'read-your-writes across instances, replica 500 ms behind',
    missing === 0,
    `${PLAN.ryw.rounds} writes each read back at once on another instance: ${missing} not seen`,
  );
  const journey = await loadtest('ryw-journey', 'journey', balancer, [
    '--users',
    String(PLAN.ryw.users),
    '--duration',
    `${PLAN.ryw.seconds}s`,
    '--ramp',
    '1s',
    '--think-scale',
    '0',
  ]);
  check(
    'read-your-writes: the journey without think time, 0 failures',
    journey.status === 0 && journey.result.total.failures === 0 && journey.result.checksFailed === 0,
    `${journey.result.total.count} requests, ${journey.result.total.failures} failed, ${journey.result.checksFailed} checks failed`,
  );
  sampling = false;
  await sampler;
  const routedAfter = await routed();
  const reads = { primary: routedAfter.primary - routedBefore.primary, replica: routedAfter.replica - routedBefore.replica };
  results.readYourWrites = {
    rounds: PLAN.ryw.rounds,
    missing,
    maxLagBytes,
    reads,
    journey: row('journey, think time 0, replica 500 ms behind', journey.result),
  };
  check(
    'the replica lagged and served reads meanwhile',
    maxLagBytes > 0 && reads.replica > 0,
    `largest replay lag ${maxLagBytes} bytes; reads of users' data: ${reads.replica} on the replica, ${reads.primary} on the primary (the user's write not yet replayed there)`,
  );
}

function writeResults() {
  results.finishedAt = new Date().toISOString();
  results.checks = checks;
  results.skipped = skipped;
  const stamp = fileStamp();
  const dir = args.out ?? (QUICK ? work : path.join(ROOT, 'bench', 'results'));
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `cluster-${stamp}${QUICK ? '-quick' : ''}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  const throughput = results.throughput as { rows: Row[] } | undefined;
  writeFileSync(
    `${base}.md`,
    [
      `# Cluster test ${results.startedAt}${QUICK ? ' (quick)' : ''}`,
      '',
      `${INSTANCES} instances behind nginx, PgBouncer (transaction mode), a streaming replica, Redis; ${cpus().length} cores shared by everything, load generator included.`,
      '',
      throughput ? markdownTable(throughput.rows) : '(no throughput runs)',
      '',
      '## Checks',
      '',
      ...checks.map((c) => `- ${c.ok ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}`),
      ...(skipped.length ? ['', '## Skipped', '', ...skipped.map((s) => `- ${s}`)] : []),
      '',
    ].join('\n'),
  );
  say(`results: ${base}.json and .md`);
}

let status = 0;
try {
  await main();
} catch (error) {
  console.error(`cluster test stopped: ${(error as Error).stack ?? String(error)}`);
  status = 1;
}
try {
  writeResults();
} catch (error) {
  console.error(`writing the results: ${(error as Error).message}`);
}
const failed = checks.filter((c) => !c.ok);
console.log(
  `\n${checks.length - failed.length} of ${checks.length} checks passed${skipped.length ? `, ${skipped.length} skipped (features not in this tree)` : ''}`,
);
if (failed.length > 0) status = 1;
await cleanup(status);
