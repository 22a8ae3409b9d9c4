/**
 * The in-repo load runner (`npm run loadtest -- ...`). Scenarios:
 *   journey   the k6 journey with its think times, closed model (users loop it), k6-style stages
 *   steady    signed-in users' reads and writes (the Locust task mix), no think time, N connections
 *   capacity  an increasing arrival rate of journeys until the p95 passes a bound
 *   imports   one big export file imported while other people's requests go on
 * Prints a live line while it runs and a k6-style table at the end; --out writes the JSON result.
 * Exit status: 0 when no request failed and every check passed, 1 otherwise, 2 on bad arguments.
 *
 *   npm run loadtest -- journey --base-url http://127.0.0.1:8000 --users 100 --duration 2m --ramp 20s
 *   npm run loadtest -- journey --stages seed            (the k6 script's 7-minute profile)
 *   npm run loadtest -- steady --connections 100 --accounts 500 --duration 30s [--mix reads]
 *   npm run loadtest -- capacity --rate 10 --rate-step 5 --step 10s --p95-bound 200
 *   npm run loadtest -- imports --file export.zip --others 2 --pace-ms 50
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { checkBaseUrl } from './http.ts';
import { SEED_STAGES } from './journey.ts';
import { parseDuration, parseStages, runnerLoopMonitor, type Stage } from './run-control.ts';
import { formatSteps, runCapacity } from './scenarios/capacity.ts';
import { runImports } from './scenarios/imports.ts';
import { runJourney } from './scenarios/journey.ts';
import { runSteady } from './scenarios/steady.ts';
import { formatReport, resultOf } from './stats.ts';

const USAGE = `usage: npm run loadtest -- <journey|steady|capacity|imports> [options]
  --base-url URL        service to load (default http://127.0.0.1:8000; loopback only unless --allow-remote)
  --out FILE            write the result as JSON
  journey:  --users N (100) --duration D (60s) --ramp D (10s) | --stages "30s:20,1m:50" | --stages seed ; --think-scale X (1)
  steady:   --connections N (100) --accounts N (500) --duration D (30s) --setup-concurrency N (8) --mix locust|reads (locust)
  capacity: --rate N (10) --rate-step N (5) --max-rate N (150) --step D (10s) --p95-bound MS (200) --think-scale X (0) --max-in-flight N (2000)
  imports:  --file PATH (the export to import) --others N (2: people sending GET /users/me meanwhile) --pace-ms MS (50: between each one's requests) --baseline S (5: seconds of their requests before the import)`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'base-url': { type: 'string', default: 'http://127.0.0.1:8000' },
    'allow-remote': { type: 'boolean', default: false },
    out: { type: 'string' },
    users: { type: 'string', default: '100' },
    duration: { type: 'string' },
    ramp: { type: 'string', default: '10s' },
    stages: { type: 'string' },
    'think-scale': { type: 'string' },
    connections: { type: 'string', default: '100' },
    accounts: { type: 'string', default: '500' },
    mix: { type: 'string', default: 'locust' },
    'setup-concurrency': { type: 'string', default: '8' },
    rate: { type: 'string', default: '10' },
    'rate-step': { type: 'string', default: '5' },
    'max-rate': { type: 'string', default: '150' },
    step: { type: 'string', default: '10s' },
    'p95-bound': { type: 'string', default: '200' },
    'max-in-flight': { type: 'string', default: '2000' },
    file: { type: 'string' },
    others: { type: 'string', default: '2' },
    'pace-ms': { type: 'string', default: '50' },
    baseline: { type: 'string', default: '5' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const positive = (name: string, text: string | undefined, { integer = true, allowZero = false } = {}) => {
  const value = Number(text);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < 0 || (!allowZero && value === 0))
    fail(`--${name} must be a ${integer ? 'whole ' : ''}number${allowZero ? ' >= 0' : ' > 0'}, got "${text}"`);
  return value;
};
const seconds = (name: string, text: string) => {
  try {
    const s = parseDuration(text);
    if (s <= 0) throw new Error('zero');
    return s;
  } catch {
    return fail(`--${name} must be a duration like 30s or 2m, got "${text}"`);
  }
};

const scenario = positionals[0];
if (scenario !== 'journey' && scenario !== 'steady' && scenario !== 'capacity' && scenario !== 'imports')
  fail(`unknown scenario "${scenario ?? ''}"`);
let baseUrl: URL;
try {
  baseUrl = checkBaseUrl(args['base-url'] ?? '', args['allow-remote'] ?? false);
} catch (error) {
  fail((error as Error).message);
}

const loadBefore = loadavg();
const loop = runnerLoopMonitor();
const header = {
  scenario,
  baseUrl: baseUrl.origin,
  startedAt: new Date().toISOString(),
  loadAverageBefore: loadBefore.map((l) => Math.round(l * 100) / 100),
};
let output: Record<string, unknown>;
let ok: boolean;

if (scenario === 'journey') {
  let stages: Stage[];
  if (args.stages === 'seed') stages = SEED_STAGES.map((s) => ({ seconds: parseDuration(s.duration), target: s.target }));
  else if (args.stages) {
    try {
      stages = parseStages(args.stages);
    } catch (error) {
      fail((error as Error).message);
    }
  } else {
    const users = positive('users', args.users);
    const total = seconds('duration', args.duration ?? '60s');
    const ramp = Math.min(total, seconds('ramp', args.ramp ?? '10s'));
    stages = [{ seconds: ramp, target: users }, ...(total > ramp ? [{ seconds: total - ramp, target: users }] : [])];
  }
  const thinkScale = positive('think-scale', args['think-scale'] ?? '1', { integer: false, allowZero: true });
  console.error(
    `journey against ${baseUrl.origin}: stages ${stages.map((s) => `${s.seconds}s→${s.target}`).join(', ')}, think time x${thinkScale}`,
  );
  const run = await runJourney({ baseUrl, stages, thinkScale });
  const result = resultOf(run.recorder, run.seconds);
  console.log(formatReport(result, `journey: up to ${run.peakUsers} users, ${run.seconds.toFixed(1)} s`));
  output = { ...header, options: { stages, thinkScale }, peakUsers: run.peakUsers, ...result };
  ok = result.total.failures === 0 && result.checksFailed === 0 && result.total.count > 0;
} else if (scenario === 'steady') {
  const connections = positive('connections', args.connections);
  const accounts = Math.max(connections, positive('accounts', args.accounts));
  const duration = seconds('duration', args.duration ?? '30s');
  const mix = args.mix === 'reads' || args.mix === 'locust' ? args.mix : fail(`--mix must be locust or reads, got "${args.mix}"`);
  console.error(`steady against ${baseUrl.origin}: ${connections} connections, ${accounts} accounts, ${duration} s, ${mix} mix`);
  let run: Awaited<ReturnType<typeof runSteady>>;
  try {
    run = await runSteady({
      baseUrl,
      connections,
      accounts,
      seconds: duration,
      setupConcurrency: positive('setup-concurrency', args['setup-concurrency']),
      mix,
    });
  } catch (error) {
    console.error(`steady: ${(error as Error).message}`);
    process.exit(1);
  }
  const result = resultOf(run.recorder, run.seconds);
  const setup = resultOf(run.setup, 0);
  console.log(
    formatReport(result, `steady (${mix} mix): ${connections} connections over ${accounts} accounts, ${run.seconds.toFixed(1)} s`),
  );
  output = {
    ...header,
    options: { connections, accounts, seconds: duration, mix },
    ...result,
    setup: { requests: setup.total.count, failures: setup.total.failures },
  };
  ok = result.total.failures === 0 && result.checksFailed === 0 && result.total.count > 0;
} else if (scenario === 'imports') {
  if (!args.file) fail('imports needs --file');
  const others = positive('others', args.others);
  const paceMs = positive('pace-ms', args['pace-ms'], { allowZero: true });
  const baselineSeconds = positive('baseline', args.baseline, { allowZero: true });
  console.error(`imports against ${baseUrl.origin}: ${args.file}, ${others} other people sending a request every ${paceMs} ms`);
  let run: Awaited<ReturnType<typeof runImports>>;
  try {
    run = await runImports({ baseUrl, file: args.file, others, paceMs, baselineSeconds });
  } catch (error) {
    console.error(`imports: ${(error as Error).message}`);
    process.exit(1);
  }
  const result = resultOf(run.recorder, run.seconds);
  console.log(
    formatReport(
      result,
      `imports: ${Math.round(run.bytes / 1048576)} MB in ${run.seconds.toFixed(1)} s (upload ${run.uploadSeconds.toFixed(1)} s), ${run.job.status}`,
    ),
  );
  const { rejected_rows: _listed, ...report } = run.job.report ?? {};
  output = {
    ...header,
    options: { file: args.file, others, paceMs, baselineSeconds },
    ...result,
    import: {
      bytes: run.bytes,
      wallSeconds: Math.round(run.seconds * 10) / 10,
      uploadSeconds: Math.round(run.uploadSeconds * 10) / 10,
      status: run.job.status,
      format: run.job.format,
      error: run.job.error,
      report,
    },
  };
  ok = result.total.failures === 0 && result.checksFailed === 0;
} else {
  const options = {
    baseUrl,
    startRate: positive('rate', args.rate),
    rateStep: positive('rate-step', args['rate-step']),
    maxRate: positive('max-rate', args['max-rate']),
    stepSeconds: seconds('step', args.step ?? '10s'),
    p95BoundMs: positive('p95-bound', args['p95-bound'], { integer: false }),
    thinkScale: positive('think-scale', args['think-scale'] ?? '0', { integer: false, allowZero: true }),
    maxInFlight: positive('max-in-flight', args['max-in-flight']),
  };
  console.error(
    `capacity against ${baseUrl.origin}: from ${options.startRate} journeys/s, +${options.rateStep} every ${options.stepSeconds} s, until p95 > ${options.p95BoundMs} ms`,
  );
  const run = await runCapacity(options);
  const result = resultOf(run.recorder, run.seconds);
  console.log(formatReport(result, `capacity: ${run.seconds.toFixed(1)} s, all steps`));
  console.log(`\nsteps:\n${formatSteps(run.steps)}\n\nstopped: ${run.stopReason}`);
  console.log(
    run.capacity
      ? `capacity: ${run.capacity.journeysPerSecond} journeys/s (completed ${run.capacity.completedPerSecond}/s, p95 ${run.capacity.p95Ms} ms)`
      : 'capacity: no step stayed within the bound',
  );
  const { baseUrl: _omit, ...shown } = options;
  output = { ...header, options: shown, capacity: run.capacity, stopReason: run.stopReason, steps: run.steps, ...result };
  // Requests past the bound fail the journey's latency, not its correctness: only failed requests
  // in the steps that stayed within the bound count against the run.
  ok = run.steps.length > 0 && run.steps.filter((s) => s.passed).every((s) => s.failures === 0) && run.capacity !== null;
}

const runnerLoop = loop.stop();
const cpu = process.cpuUsage();
output = {
  ...output,
  loadAverageAfter: loadavg().map((l) => Math.round(l * 100) / 100),
  runnerEventLoopDelayMs: runnerLoop,
  runnerCpuMs: Math.round((cpu.user + cpu.system) / 1000),
};
console.log(
  `\nload average before ${header.loadAverageBefore.join(' ')}, after ${(output.loadAverageAfter as number[]).join(' ')}; runner event-loop delay p99 ${runnerLoop.p99} ms`,
);
if (args.out) writeFileSync(args.out, `${JSON.stringify(output, null, 2)}\n`);
console.log(ok ? `\n${scenario}: OK` : `\n${scenario}: FAILED (failed requests or checks above)`);
process.exit(ok ? 0 : 1);
