/**
 * What a load run measured: per-endpoint HDR histograms of latency (microseconds), counts, failures
 * and status codes, the checks, and windows (one second for the live line, one step for capacity).
 */
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

/** 1 µs to 2 min at 3 significant digits. */
export const newHistogram = (): Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });

export interface EndpointStats {
  name: string;
  method: string;
  count: number;
  failures: number;
  statuses: Record<string, number>;
  histogram: Histogram;
}

export interface Summary {
  count: number;
  failures: number;
  ratePerSecond: number;
  ms: { min: number; mean: number; p50: number; p90: number; p95: number; p99: number; max: number };
}

export interface FailureSample {
  name: string;
  method: string;
  path: string;
  status: number;
  body: string;
}

const ms = (us: number) => Math.round(us / 10) / 100;

export function summarize(histogram: Histogram, failures: number, seconds: number): Summary {
  const count = histogram.totalCount;
  // A percentile is reported as its bucket's upper edge, which can pass the exact maximum.
  const at = (percentile: number) => ms(Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue));
  return {
    count,
    failures,
    ratePerSecond: seconds > 0 ? Math.round((count / seconds) * 10) / 10 : 0,
    ms:
      count === 0
        ? { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 }
        : {
            min: ms(histogram.minNonZeroValue),
            mean: ms(histogram.mean),
            p50: at(50),
            p90: at(90),
            p95: at(95),
            p99: at(99),
            max: ms(histogram.maxValue),
          },
  };
}

export class Recorder {
  readonly endpoints = new Map<string, EndpointStats>();
  readonly total = newHistogram();
  /** Reset by whoever reads it: the live line each second, the capacity scenario each step. */
  readonly window = newHistogram();
  readonly step = newHistogram();
  windowFailures = 0;
  stepFailures = 0;
  failures = 0;
  readonly checks = new Map<string, { passes: number; fails: number }>();
  /** k6's custom `errors` rate: failed check groups over all check groups. */
  readonly errors = { total: 0, failed: 0 };
  readonly failureSamples: FailureSample[] = [];
  iterations = 0;
  interruptedIterations = 0;
  startedAt = performance.now();
  /** Wall-clock start of the measured part (epoch ms): `npm run bench` reads the service's CPU over it. */
  measuredFrom = Date.now();

  constructor(checkOrder: readonly string[] = []) {
    for (const name of checkOrder) this.checks.set(name, { passes: 0, fails: 0 });
  }

  record(name: string, method: string, path: string, status: number, micros: number, body: string) {
    let endpoint = this.endpoints.get(name);
    if (!endpoint) {
      endpoint = { name, method, count: 0, failures: 0, statuses: {}, histogram: newHistogram() };
      this.endpoints.set(name, endpoint);
    }
    const value = Math.max(1, Math.round(micros));
    endpoint.count++;
    endpoint.histogram.recordValue(value);
    endpoint.statuses[status] = (endpoint.statuses[status] ?? 0) + 1;
    this.total.recordValue(value);
    this.window.recordValue(value);
    this.step.recordValue(value);
    // k6's http_req_failed and Locust's failures: a connection error or any status >= 400.
    if (status === 0 || status >= 400) {
      endpoint.failures++;
      this.failures++;
      this.windowFailures++;
      this.stepFailures++;
      if (this.failureSamples.length < 20) this.failureSamples.push({ name, method, path, status, body: body.slice(0, 300) });
    }
  }

  check(name: string, passed: boolean) {
    const entry = this.checks.get(name) ?? { passes: 0, fails: 0 };
    this.checks.set(name, entry);
    if (passed) entry.passes++;
    else entry.fails++;
  }

  checkTotals() {
    let passes = 0;
    let fails = 0;
    for (const c of this.checks.values()) {
      passes += c.passes;
      fails += c.fails;
    }
    return { passes, fails };
  }

  elapsedSeconds() {
    return (performance.now() - this.startedAt) / 1000;
  }

  resetWindow() {
    this.window.reset();
    this.windowFailures = 0;
  }

  resetStep() {
    this.step.reset();
    this.stepFailures = 0;
  }
}

/** The end-of-run result as JSON: what `--out` writes and `npm run bench` collects. */
export function resultOf(recorder: Recorder, seconds: number) {
  const endpoints = [...recorder.endpoints.values()].map((e) => ({
    name: e.name,
    method: e.method,
    statuses: e.statuses,
    ...summarize(e.histogram, e.failures, seconds),
  }));
  const checks = [...recorder.checks].map(([name, c]) => ({ name, ...c }));
  const { passes, fails } = recorder.checkTotals();
  return {
    durationSeconds: Math.round(seconds * 10) / 10,
    measuredWindow: { from: recorder.measuredFrom, to: Date.now() },
    total: summarize(recorder.total, recorder.failures, seconds),
    endpoints,
    checks,
    checksPassed: passes,
    checksFailed: fails,
    errorsRate: recorder.errors.total === 0 ? 0 : recorder.errors.failed / recorder.errors.total,
    iterations: recorder.iterations,
    interruptedIterations: recorder.interruptedIterations,
    failureSamples: recorder.failureSamples,
  };
}

export type RunResult = ReturnType<typeof resultOf>;

const pad = (value: string | number, width: number) => String(value).padStart(width);

/** A k6-style end-of-run report: the checks, then one row per endpoint and the total. */
export function formatReport(result: RunResult, title: string): string {
  const lines: string[] = [`\n${title}\n`];
  if (result.checks.length > 0) {
    for (const c of result.checks) {
      const mark = c.fails === 0 ? '✓' : '✗';
      lines.push(
        `     ${mark} ${c.name}${c.fails === 0 ? '' : `\n      ↳  ${Math.round((c.passes / Math.max(1, c.passes + c.fails)) * 100)}% — ✓ ${c.passes} / ✗ ${c.fails}`}`,
      );
    }
    const all = result.checksPassed + result.checksFailed;
    lines.push(
      '',
      `     checks.........................: ${all === 0 ? '0.00' : ((result.checksPassed / all) * 100).toFixed(2)}% ✓ ${result.checksPassed} ✗ ${result.checksFailed}`,
      '',
    );
  }
  const width = Math.max(8, ...result.endpoints.map((e) => e.name.length + e.method.length + 1));
  const head = `${'endpoint'.padEnd(width)} ${pad('count', 8)} ${pad('fail', 6)} ${pad('p50 ms', 8)} ${pad('p95 ms', 8)} ${pad('p99 ms', 8)} ${pad('max ms', 8)} ${pad('req/s', 8)}`;
  lines.push(head, '-'.repeat(head.length));
  const row = (label: string, s: Summary) =>
    `${label.padEnd(width)} ${pad(s.count, 8)} ${pad(s.failures, 6)} ${pad(s.ms.p50.toFixed(2), 8)} ${pad(s.ms.p95.toFixed(2), 8)} ${pad(s.ms.p99.toFixed(2), 8)} ${pad(s.ms.max.toFixed(2), 8)} ${pad(s.ratePerSecond.toFixed(1), 8)}`;
  for (const e of result.endpoints) lines.push(row(`${e.method} ${e.name}`, e));
  lines.push('-'.repeat(head.length), row('TOTAL', result.total));
  const failedPct = result.total.count === 0 ? 0 : (result.total.failures / result.total.count) * 100;
  lines.push(
    '',
    `     http_req_duration..............: avg=${result.total.ms.mean}ms min=${result.total.ms.min}ms med=${result.total.ms.p50}ms max=${result.total.ms.max}ms p(90)=${result.total.ms.p90}ms p(95)=${result.total.ms.p95}ms p(99)=${result.total.ms.p99}ms`,
    `     http_req_failed................: ${failedPct.toFixed(2)}% ✓ ${result.total.failures} ✗ ${result.total.count - result.total.failures}`,
    `     http_reqs......................: ${result.total.count} ${result.total.ratePerSecond}/s`,
    `     iterations.....................: ${result.iterations} (${result.interruptedIterations} interrupted at the end)`,
  );
  if (result.failureSamples.length > 0) {
    lines.push('', 'first failed requests:');
    for (const f of result.failureSamples.slice(0, 10)) lines.push(`  ${f.method} ${f.path} (${f.name}) -> ${f.status}: ${f.body}`);
  }
  return lines.join('\n');
}
