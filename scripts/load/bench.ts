/**
 * `npm run bench`: the whole benchmark in one command. Starts a throwaway PostgreSQL (Debian's
 * binaries) on 127.0.0.1 and the service on it, runs `journey`, `steady` (and its reads-only mix),
 * `capacity` and (when /usr/bin/locust exists) the Locust script, then the service on the embedded
 * PGlite for both `steady` mixes, then `imports` (a big export imported while other requests go on,
 * on a fresh service on PostgreSQL); stops everything by PID and writes bench/results/<date>.json and
 * <date>.md. The service is built first (`npm run build`) and runs as `npm start` runs it (compiled
 * JavaScript, the thread pool sized to the cores; NODE_ENV=production, LOG_LEVEL=info).
 *
 *   npm run bench                       the full set (about 11 minutes)
 *   npm run bench -- --quick            short runs, to check that everything works (about 3 minutes)
 *   npm run bench -- --only steady,pglite --label "pool 10" --env DATABASE_POOL_SIZE=10
 *   npm run bench -- --cpu-prof         also write V8 CPU profiles of the service into the results folder
 *   npm run bench -- --only steady --steady-args="--connections 50 --duration 20s" --db-query prepare=false
 *   npm run bench -- --db-via socket    the service reaches PostgreSQL through its Unix socket (default: tcp on 127.0.0.1)
 *   npm run bench -- --service-root ../other-checkout    (the service from another tree, for an A/B comparison)
 *   npm run bench -- --only imports --imports-file export.zip    (import this file rather than a generated one)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  buildService,
  cpuSampler,
  createDatabase,
  findPostgresBin,
  freePort,
  type PostgresCluster,
  runCommand,
  type Service,
  startPostgres,
  startService,
} from './bench-infra.ts';
import { benchMarkdown, type BenchRun, fileStamp, labelSuffix, type ScenarioRecord } from './bench-report.ts';
import { parseLocustCsv } from './locust-csv.ts';
import { writeWeighInCsv } from './scenarios/imports.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ALL = ['journey', 'steady', 'reads', 'capacity', 'locust', 'pglite', 'imports'] as const;
type Part = (typeof ALL)[number];

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    label: { type: 'string', default: '' },
    env: { type: 'string', multiple: true, default: [] },
    'cpu-prof': { type: 'boolean', default: false },
    'out-dir': { type: 'string', default: path.join(ROOT, 'bench', 'results') },
    'log-level': { type: 'string', default: 'info' },
    'db-query': { type: 'string', default: '' },
    'db-via': { type: 'string', default: 'tcp' },
    'service-root': { type: 'string' },
    'journey-args': { type: 'string' },
    'steady-args': { type: 'string' },
    'capacity-args': { type: 'string' },
    'locust-args': { type: 'string' },
    'imports-file': { type: 'string' },
  },
});
const parts = new Set<Part>(args.only ? args.only.split(',').map((p) => p.trim() as Part) : ALL);
for (const part of parts)
  if (!ALL.includes(part)) {
    console.error(`--only: unknown part "${part}" (${ALL.join(', ')})`);
    process.exit(2);
  }
if (args['db-via'] !== 'tcp' && args['db-via'] !== 'socket') {
  console.error(`--db-via: tcp or socket, not "${args['db-via']}"`);
  process.exit(2);
}
/**
 * Settings given with --env. The service runs as `npm start` runs it, so libuv's thread pool is
 * sized to the cores (src/thread-pool.ts) unless `--env UV_THREADPOOL_SIZE=4` (Node's own default)
 * says otherwise; a --service-root from before that sizing needs it given explicitly.
 */
const extraEnv: Record<string, string> = Object.fromEntries(
  (args.env ?? []).map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), kv.slice(i + 1)];
  }),
);
const quick = args.quick ?? false;

/** The scenarios' settings: those of docs/PERFORMANCE.md (100 users, 100 connections), shorter with --quick. */
const PLAN = {
  journey: quick ? ['--users', '30', '--duration', '20s', '--ramp', '5s'] : ['--users', '100', '--duration', '90s', '--ramp', '15s'],
  steady: quick
    ? ['--connections', '50', '--accounts', '100', '--duration', '10s']
    : ['--connections', '100', '--accounts', '500', '--duration', '30s'],
  capacity: quick
    ? ['--rate', '10', '--rate-step', '10', '--max-rate', '30', '--step', '5s']
    : ['--rate', '20', '--rate-step', '5', '--max-rate', '120', '--step', '10s'],
  locust: quick ? ['-u', '20', '-r', '10', '-t', '15s'] : ['-u', '100', '-r', '10', '-t', '60s'],
};

for (const name of ['journey', 'steady', 'capacity', 'locust'] as const) {
  const override = args[`${name}-args`];
  if (override) PLAN[name] = override.split(/\s+/).filter(Boolean);
}

const stamp = fileStamp();
const outDir = args['out-dir'] ?? path.join(ROOT, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(path.join(tmpdir(), 'recomp-bench-'));
const rounded = () => loadavg().map((l) => Math.round(l * 100) / 100);

function gitRevision() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'src', 'drizzle', 'package.json'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return `${commit}${dirty ? ' (with uncommitted changes in src/)' : ''}`;
  } catch {
    return 'unknown';
  }
}

const run: BenchRun = {
  date: new Date().toISOString(),
  label: args.label ?? '',
  quick,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1073741824),
    node: process.version,
    postgres: null,
    revision: gitRevision(),
  },
  env: {
    ...(extraEnv.UV_THREADPOOL_SIZE ? {} : { UV_THREADPOOL_SIZE: `${availableParallelism()} (the cores: src/thread-pool.ts)` }),
    ...extraEnv,
    ...(args['db-query'] ? { 'DATABASE_URL ?': args['db-query'] } : {}),
    'PostgreSQL via': args['db-via'] as string,
    ...(args['service-root'] ? { 'service from': args['service-root'] } : {}),
  },
  logLevel: args['log-level'] ?? 'info',
  scenarios: [],
};

const serviceRoot = args['service-root'] ? path.resolve(args['service-root']) : ROOT;

/** What is running now: stopped in `finally` whatever happened. */
const live: { cluster: PostgresCluster | null; service: Service | null } = { cluster: null, service: null };
const sampler = cpuSampler(
  () => live.service?.pid ?? null,
  () => live.cluster?.pid ?? null,
);
const pgBin = findPostgresBin();

const readProbe = (file: string, from: number, to: number) => {
  if (!existsSync(file)) return null;
  const samples = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { t: number; rssMb: number; elu: number; loopDelayMs: { p99: number; max: number } })
    .filter((s) => s.t >= from && s.t <= to + 1000);
  if (samples.length === 0) return null;
  return {
    maxRssMb: Math.max(...samples.map((s) => s.rssMb)),
    meanElu: Math.round((samples.reduce((a, s) => a + s.elu, 0) / samples.length) * 100) / 100,
    loopDelayP99MaxMs: Math.max(...samples.map((s) => s.loopDelayMs.p99)),
  };
};

/** The service's DATABASE_URL: loopback TCP, or (--db-via socket) the cluster's Unix socket through libpq's `host` parameter. */
function databaseUrl(cluster: PostgresCluster, database: string): string {
  const query = [
    ...(args['db-via'] === 'socket' ? [`host=${encodeURIComponent(cluster.socketDir)}`] : []),
    ...(args['db-query'] ? [args['db-query']] : []),
  ];
  return `${cluster.url}/${database}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

async function startOn(kind: 'postgres' | 'pglite', label: string) {
  const port = await freePort(8900);
  const probeFile = path.join(work, `probe-${label}.jsonl`);
  const env: Record<string, string> = {
    // Every simulated person signs up from 127.0.0.1: the per-address sign-up limit is off.
    NODE_ENV: 'production',
    LOG_LEVEL: run.logLevel,
    SIGNUP_MAX_PER_ADDRESS: '0',
    JWT_SECRET: `bench-${Math.random().toString(36).slice(2)}-${Date.now()}-secret-key`,
    ...extraEnv,
    ...(kind === 'postgres'
      ? { DATABASE_URL: databaseUrl(live.cluster!, `recomp_${label}`) }
      : { RECOMP_DATA_DIR: path.join(work, `pglite-${label}`) }),
  };
  if (kind === 'postgres') await createDatabase(pgBin!, live.cluster!.url, `recomp_${label}`);
  const nodeArgs = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.join(outDir, `${stamp}-profiles-${label}`)}`] : [];
  live.service = await startService({
    root: serviceRoot,
    probe: path.join(ROOT, 'scripts/load/probe.cjs'),
    env,
    port,
    log: path.join(work, `server-${label}.log`),
    probeFile,
    nodeArgs,
  });
  return { probeFile };
}

/** The command as a person would type it (`npm run loadtest -- ...`), with this run's address. */
function shownCommand(command: string, commandArgs: string[]) {
  const text = `${command === process.execPath ? 'node' : command} ${commandArgs.join(' ')}`
    .replace('node --import tsx scripts/load/run.ts', 'npm run loadtest --')
    .replace('{base}', live.service?.baseUrl ?? 'http://127.0.0.1:PORT')
    .replace(/ --out \{json\}/, '')
    .replace(' --csv {csv}', ' --csv PREFIX');
  return text;
}

async function scenario(
  name: string,
  database: 'postgres' | 'pglite',
  probeFile: string,
  command: string,
  commandArgs: string[],
  parse: (output: string, jsonFile: string) => Partial<ScenarioRecord>,
) {
  const jsonFile = path.join(work, `${name}.json`);
  const loadBefore = rounded();
  const from = Date.now();
  console.log(`\n======== ${name} (${database}) — load average ${loadBefore.join(' ')} ========`);
  const result = await runCommand(
    command,
    commandArgs.map((a) => a.replace('{json}', jsonFile).replace('{base}', live.service!.baseUrl).replace('{csv}', path.join(work, name))),
    { cwd: ROOT, timeoutMs: 15 * 60_000 },
  );
  const to = Date.now();
  const parsed = parse(result.output, jsonFile);
  // The runner names the measured part (steady sets up its accounts first); Locust's whole run counts.
  const window = (parsed.result as { measuredWindow?: { from: number; to: number } } | undefined)?.measuredWindow ?? { from, to };
  const cpu = sampler.between(window.from, window.to);
  const record: ScenarioRecord = {
    name,
    database,
    command: shownCommand(command, commandArgs),
    exitCode: result.code,
    loadAverageBefore: loadBefore,
    loadAverageAfter: rounded(),
    seconds: Math.round((to - from) / 100) / 10,
    serverCpuMs: cpu.server,
    databaseCpuMs: database === 'postgres' ? cpu.db : null,
    machineBusyPercent: cpu.machineBusyPercent,
    probe: readProbe(probeFile, window.from, window.to),
    ...parsed,
  };
  run.scenarios.push(record);
  return record;
}

const loadtest = (name: 'journey' | 'steady' | 'reads' | 'capacity') =>
  [
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/load/run.ts',
      name === 'reads' ? 'steady' : name,
      '--base-url',
      '{base}',
      '--out',
      '{json}',
      ...(name === 'reads' ? [...PLAN.steady, '--mix', 'reads'] : PLAN[name]),
    ],
  ] as const;
const readJson = (_output: string, file: string) =>
  existsSync(file) ? { result: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> } : {};

/** The generator of a synthetic Apple Health export (its own script), and the size `imports` asks of it. */
const APPLE_HEALTH_GENERATOR = path.join(ROOT, 'scripts/imports/generate-apple-health.ts');
const IMPORT_SIZE_MB = quick ? 25 : 250;

/** The file `imports` sends: --imports-file, else a generated Apple Health export (zipped), else a weigh-in CSV of the same size. */
async function importsFile(): Promise<string> {
  if (args['imports-file']) return path.resolve(args['imports-file']);
  if (existsSync(APPLE_HEALTH_GENERATOR)) {
    const out = path.join(work, 'apple-health-export.zip');
    const generated = await runCommand(
      process.execPath,
      ['--import', 'tsx', APPLE_HEALTH_GENERATOR, out, '--size-mb', String(IMPORT_SIZE_MB), '--zip'],
      { cwd: ROOT, timeoutMs: 15 * 60_000 },
    );
    if (generated.code !== 0) throw new Error(`${APPLE_HEALTH_GENERATOR} failed (exit ${generated.code})`);
    return out;
  }
  console.log(`\n(imports: no ${path.relative(ROOT, APPLE_HEALTH_GENERATOR)}; importing a weigh-in CSV of ${IMPORT_SIZE_MB} MB instead)`);
  const out = path.join(work, 'weigh-ins.csv');
  await writeWeighInCsv(out, IMPORT_SIZE_MB);
  return out;
}

/** How far the service's RSS rose over a window above where it was just before (its probe's samples, one a second). */
function rssGrowthMb(file: string, from: number, to: number): number | null {
  if (!existsSync(file)) return null;
  const samples = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { t: number; rssMb: number });
  const before = samples.filter((s) => s.t < from).at(-1);
  const during = samples.filter((s) => s.t >= from && s.t <= to + 1000).map((s) => s.rssMb);
  return before === undefined || during.length === 0 ? null : Math.max(...during) - before.rssMb;
}

async function main() {
  console.log(`bench: ${[...parts].join(', ')}${quick ? ' (quick)' : ''}; work folder ${work}; load average ${rounded().join(' ')}`);
  buildService(serviceRoot);
  const needsService = ['journey', 'steady', 'reads', 'capacity', 'locust'].some((p) => parts.has(p as Part));
  if (needsService || parts.has('imports')) {
    if (!pgBin)
      throw new Error('PostgreSQL binaries not found in /usr/lib/postgresql/*/bin (apt-get install postgresql), or use --only pglite');
    live.cluster = await startPostgres(pgBin, path.join(work, 'pg'));
    run.machine.postgres = live.cluster.version;
  }
  if (needsService) {
    const { probeFile } = await startOn('postgres', 'pg');
    for (const name of ['journey', 'steady', 'reads', 'capacity'] as const) {
      if (!parts.has(name)) continue;
      const [cmd, cmdArgs] = loadtest(name);
      await scenario(name === 'reads' ? 'steady-reads' : name, 'postgres', probeFile, cmd, [...cmdArgs], readJson);
    }
    if (parts.has('locust')) {
      if (existsSync('/usr/bin/locust')) {
        await scenario(
          'locust',
          'postgres',
          probeFile,
          '/usr/bin/locust',
          [
            '-f',
            'scripts/performance_test_locust.py',
            '--headless',
            ...PLAN.locust,
            '--host',
            '{base}',
            '--csv',
            '{csv}',
            '--only-summary',
          ],
          (_output, jsonFile) => ({ result: parseLocustCsv(`${jsonFile.replace(/\.json$/, '')}_stats.csv`) }),
        );
      } else {
        console.log('\n(locust skipped: /usr/bin/locust not installed — apt-get install python3-locust)');
      }
    }
    const code = await live.service!.stop();
    live.service = null;
    run.serviceExit = code;
  }
  if (parts.has('imports')) {
    const file = await importsFile();
    // A service of its own, so that its memory before the import is its memory at rest.
    const { probeFile } = await startOn('postgres', 'imports');
    const record = await scenario(
      'imports',
      'postgres',
      probeFile,
      process.execPath,
      ['--import', 'tsx', 'scripts/load/run.ts', 'imports', '--base-url', '{base}', '--out', '{json}', '--file', file],
      readJson,
    );
    const window = (record.result as { measuredWindow?: { from: number; to: number } } | undefined)?.measuredWindow;
    record.rssGrowthMb = window ? rssGrowthMb(probeFile, window.from, window.to) : null;
    await live.service!.stop();
    live.service = null;
  }
  if (parts.has('pglite')) {
    // The first start creates the embedded database (initdb), which leaves its memory behind in
    // the process; a service is measured as it runs after any later start.
    await startOn('pglite', 'pglite');
    await live.service!.stop();
    const { probeFile } = await startOn('pglite', 'pglite');
    for (const name of ['steady', 'reads'] as const) {
      const [cmd, cmdArgs] = loadtest(name);
      await scenario(name === 'reads' ? 'steady-reads-pglite' : 'steady-pglite', 'pglite', probeFile, cmd, [...cmdArgs], readJson);
    }
    await live.service!.stop();
    live.service = null;
  }
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`\nbench failed: ${(error as Error).message}`);
} finally {
  sampler.stop();
  if (live.service) await live.service.stop();
  live.cluster?.stop();
  if (run.scenarios.length > 0) {
    const base = path.join(outDir, `${stamp}${labelSuffix(run.label)}`);
    writeFileSync(`${base}.json`, `${JSON.stringify(run, null, 2)}\n`);
    writeFileSync(`${base}.md`, benchMarkdown(run));
    console.log(`\n${benchMarkdown(run)}\nwrote ${base}.json and ${base}.md`);
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed || run.scenarios.some((s) => s.exitCode !== 0) ? 1 : 0);
