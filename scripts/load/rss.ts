/**
 * `npm run bench:rss`: the memory of the service on the embedded database (PGlite), as `npm start`
 * runs it. On a fresh data folder it starts the built service (the first start creates the
 * database), waits for /health/ready, lets it settle and reads VmRSS and VmHWM from /proc; starts
 * it again on the same folder and reads them again; with --steady runs the `steady` mix against it,
 * sampling VmRSS twice a second, and starts it once more on the folder now holding the steady
 * accounts' data. Writes bench/results/<UTC time>-rss[-<label>].json and prints a table
 * (docs/PERFORMANCE.md, "Memory of the embedded database").
 *
 *   npm run bench:rss                                  idle only (about 1 minute)
 *   npm run bench:rss -- --steady --label new          and under `steady` (100 connections, 500 accounts, 30 s)
 *   npm run bench:rss -- --steady --service-root ../base --label base     (another tree, for an A/B comparison)
 *   npm run bench:rss -- --node-flags="--max-old-space-size=1024 --max-semi-space-size=8"   (instead of the start script's; with "=", as the value starts with a dash)
 *   npm run bench:rss -- --env LOG_LEVEL=warn --settle 20 --steady-args="--connections 50 --duration 20s"
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildService, cpuMsOf, freePort, runCommand, type Service, sleep, startService } from './bench-infra.ts';
import { fileStamp, labelSuffix } from './bench-report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const { values: args } = parseArgs({
  options: {
    steady: { type: 'boolean', default: false },
    'steady-args': { type: 'string', default: '--connections 100 --accounts 500 --duration 30s' },
    settle: { type: 'string', default: '10' },
    label: { type: 'string', default: '' },
    env: { type: 'string', multiple: true, default: [] },
    'node-flags': { type: 'string' },
    'service-root': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'out-dir': { type: 'string', default: path.join(ROOT, 'bench', 'results') },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
  process.exit(0);
}
const settleMs = Number(args.settle) * 1000;
if (!Number.isFinite(settleMs) || settleMs < 0) {
  console.error(`--settle: seconds, not "${args.settle}"`);
  process.exit(2);
}
const extraEnv = Object.fromEntries(
  (args.env ?? []).map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), kv.slice(i + 1)];
  }),
);
const serviceRoot = args['service-root'] ? path.resolve(args['service-root']) : ROOT;
const work = mkdtempSync(path.join(tmpdir(), 'recomp-rss-'));
const dataDir = path.join(work, 'data');
const round = (n: number) => Math.round(n * 100) / 100;

/** VmRSS and VmHWM (the highest RSS since the process started) of a process, in MB. */
function memoryOf(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), hwmMb: Math.round(kb('VmHWM') / 1024) };
}

interface Start {
  phase: string;
  readyMs: number;
  atReady: { rssMb: number; hwmMb: number };
  idle: { rssMb: number; hwmMb: number };
  /** The probe's last sample while idle: V8's heap and the memory outside it (scripts/load/probe.cjs). */
  heap: { heapTotalMb: number; heapUsedMb: number; externalMb: number } | null;
}

/** The probe's samples (scripts/load/probe.cjs), one a second. */
function probeSamples(): (NonNullable<Start['heap']> & { t: number })[] {
  const file = path.join(work, 'probe.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as NonNullable<Start['heap']> & { t: number });
}

function lastProbeSample() {
  const last = probeSamples().at(-1);
  return last ? { heapTotalMb: last.heapTotalMb, heapUsedMb: last.heapUsedMb, externalMb: last.externalMb } : null;
}

async function start(phase: string, log: string): Promise<{ service: Service; record: Start }> {
  const from = Date.now();
  const service = await startService({
    root: serviceRoot,
    probe: path.join(ROOT, 'scripts/load/probe.cjs'),
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      SIGNUP_MAX_PER_ADDRESS: '0',
      JWT_SECRET: `rss-${Math.random().toString(36).slice(2)}-${Date.now()}-secret-key`,
      ...extraEnv,
      RECOMP_DATA_DIR: dataDir,
    },
    port: await freePort(8900),
    log,
    probeFile: path.join(work, 'probe.jsonl'),
    ...(args['node-flags'] ? { startFlags: args['node-flags'].split(/\s+/).filter(Boolean) } : {}),
  });
  const readyMs = Date.now() - from;
  const atReady = memoryOf(service.pid);
  await sleep(settleMs);
  const record = { phase, readyMs, atReady, idle: memoryOf(service.pid), heap: lastProbeSample() };
  console.log(
    `${phase}: ready in ${readyMs} ms, RSS ${atReady.rssMb} MB at ready, ${record.idle.rssMb} MB idle, VmHWM ${record.idle.hwmMb} MB; ` +
      `V8 heap ${record.heap?.heapTotalMb} MB (${record.heap?.heapUsedMb} in use), external ${record.heap?.externalMb} MB`,
  );
  return { service, record };
}

async function steady(service: Service) {
  const json = path.join(work, 'steady.json');
  const samples: { t: number; rssMb: number; cpuMs: number }[] = [];
  const timer = setInterval(() => samples.push({ t: Date.now(), ...memoryOf(service.pid), cpuMs: cpuMsOf(service.pid) }), 500);
  const loadBefore = loadavg().map(round);
  const result = await runCommand(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/load/run.ts',
      'steady',
      '--base-url',
      service.baseUrl,
      '--out',
      json,
      ...args['steady-args']!.split(/\s+/),
    ],
    { cwd: ROOT, timeoutMs: 15 * 60_000 },
  );
  clearInterval(timer);
  const out = existsSync(json)
    ? (JSON.parse(readFileSync(json, 'utf8')) as {
        total: { count: number; failures: number; ratePerSecond: number; ms: { p95: number } };
        measuredWindow: { from: number; to: number };
      })
    : null;
  const window = out?.measuredWindow ?? { from: 0, to: Date.now() };
  const inWindow = samples.filter((s) => s.t >= window.from && s.t <= window.to);
  const during = inWindow.map((s) => s.rssMb);
  const probed = probeSamples().filter((p) => p.t >= window.from && p.t <= window.to);
  // The service's CPU (all its threads) over the measured window, a request: contention disturbs it far less than req/s.
  const cpuMs = inWindow.length > 1 ? inWindow.at(-1)!.cpuMs - inWindow[0]!.cpuMs : null;
  const windowRequests = out && inWindow.length > 1 ? out.total.ratePerSecond * ((inWindow.at(-1)!.t - inWindow[0]!.t) / 1000) : null;
  const record = {
    exitCode: result.code,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg().map(round),
    requests: out?.total.count ?? null,
    failures: out?.total.failures ?? null,
    reqPerSecond: out ? Math.round(out.total.ratePerSecond) : null,
    p95Ms: out?.total.ms.p95 ?? null,
    serviceCpuMsPerRequest: cpuMs !== null && windowRequests ? round(cpuMs / windowRequests) : null,
    rssMaxMb: during.length > 0 ? Math.max(...during) : null,
    rssMeanMb: during.length > 0 ? Math.round(during.reduce((a, b) => a + b, 0) / during.length) : null,
    hwmMb: memoryOf(service.pid).hwmMb,
    heapTotalMaxMb: Math.max(...probed.map((p) => p.heapTotalMb)),
    externalMaxMb: Math.max(...probed.map((p) => p.externalMb)),
  };
  console.log(
    `steady: ${record.reqPerSecond} req/s (p95 ${record.p95Ms} ms, ${record.failures} failed, ${record.serviceCpuMsPerRequest} ms of service CPU a request), RSS max ${record.rssMaxMb} MB, mean ${record.rssMeanMb} MB, VmHWM ${record.hwmMb} MB; V8 heap up to ${record.heapTotalMaxMb} MB, external up to ${record.externalMaxMb} MB`,
  );
  return record;
}

async function main() {
  if (!args['no-build']) buildService(serviceRoot);
  const starts: Start[] = [];
  let load: Awaited<ReturnType<typeof steady>> | null = null;
  let live: Service | null = null;
  try {
    for (const phase of ['fresh folder', 'restart', ...(args.steady ? ['with data'] : [])]) {
      const started = await start(phase, path.join(work, `server-${starts.length}.log`));
      live = started.service;
      starts.push(started.record);
      if (phase === 'restart' && args.steady) load = await steady(live);
      await live.stop();
      live = null;
    }
  } finally {
    if (live) await live.stop();
  }
  const run = {
    date: new Date().toISOString(),
    label: args.label,
    node: process.version,
    serviceRoot,
    nodeFlags: args['node-flags'] ?? '(the start script)',
    env: extraEnv,
    settleSeconds: settleMs / 1000,
    starts,
    steady: load,
  };
  const outDir = args['out-dir']!;
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${fileStamp()}-rss${labelSuffix(args.label)}.json`);
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  console.log(`wrote ${file}`);
  return load === null || load.exitCode === 0;
}

let ok = false;
try {
  ok = await main();
} catch (error) {
  console.error(`bench:rss failed: ${(error as Error).message}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
