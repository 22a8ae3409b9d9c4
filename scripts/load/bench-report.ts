/** The Markdown summary of one `npm run bench`, with each number set against its target (docs/PERFORMANCE.md). */
import type { LocustRow } from './locust-csv.ts';

/** The time in a results file's name: 2026-11-27T08-39-47Z (whole seconds, no colons). */
export const fileStamp = (at = new Date()) =>
  at
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');

/** `-<label>` made safe for a file name, or nothing without a label. */
export const labelSuffix = (label: string | undefined) => (label ? `-${label.replace(/[^\w.-]+/g, '-')}` : '');

export interface ScenarioRecord {
  name: string;
  database: 'postgres' | 'pglite';
  command: string;
  exitCode: number | null;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
  seconds: number;
  serverCpuMs: number;
  databaseCpuMs: number | null;
  machineBusyPercent?: number | null;
  probe: { maxRssMb: number; meanElu: number; loopDelayP99MaxMs: number } | null;
  /** `imports`: the service's RSS at its highest during the import, above its RSS just before. */
  rssGrowthMb?: number | null;
  result?: Record<string, unknown> | { endpoints: LocustRow[]; aggregated: LocustRow | null } | null;
}

export interface BenchRun {
  date: string;
  label: string;
  quick: boolean;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string | null; revision: string };
  env: Record<string, string>;
  logLevel: string;
  scenarios: ScenarioRecord[];
  serviceExit?: number | null;
}

interface Totals {
  count: number;
  failures: number;
  ratePerSecond: number;
  ms: { p50: number; p95: number; p99: number; max: number };
}
const totalOf = (s: ScenarioRecord) => (s.result as { total?: Totals } | undefined)?.total;
const mark = (ok: boolean) => (ok ? '✓' : '✗');

/** The performance targets of docs/PERFORMANCE.md (measured on a 2-core machine with server, database and load generator together). */
export function targetLines(run: BenchRun): string[] {
  const lines: string[] = [];
  const find = (name: string) => run.scenarios.find((s) => s.name === name);
  const journey = find('journey');
  const jt = journey && totalOf(journey);
  if (jt) {
    const r = journey!.result as { checksFailed?: number };
    lines.push(
      `| journey p95 ≤ 25 ms, p99 ≤ 60 ms, 0 failed, 100 % checks | p95 ${jt.ms.p95} ms, p99 ${jt.ms.p99} ms, ${jt.failures} failed, ${r.checksFailed ?? '?'} checks failed | ${mark(jt.ms.p95 <= 25 && jt.ms.p99 <= 60 && jt.failures === 0 && r.checksFailed === 0)} |`,
    );
  }
  const steady = find('steady');
  const st = steady && totalOf(steady);
  if (st)
    lines.push(
      `| steady (PostgreSQL) ≥ 3,000 req/s, p95 ≤ 50 ms | ${st.ratePerSecond} req/s, p95 ${st.ms.p95} ms, ${st.failures} failed | ${mark(st.ratePerSecond >= 3000 && st.ms.p95 <= 50 && st.failures === 0)} |`,
    );
  const capacity = find('capacity');
  if (capacity?.result) {
    const c = (capacity.result as { capacity?: { journeysPerSecond: number; p95Ms: number } | null }).capacity;
    lines.push(
      `| capacity ≥ 45 journeys/s with p95 ≤ 200 ms | ${c ? `${c.journeysPerSecond} journeys/s (p95 ${c.p95Ms} ms)` : 'no step within the bound'} | ${mark((c?.journeysPerSecond ?? 0) >= 45)} |`,
    );
  }
  const reads = find('steady-reads');
  const rt = reads && totalOf(reads);
  if (rt)
    lines.push(
      `| (steady, reads-only mix, PostgreSQL: for comparison) | ${rt.ratePerSecond} req/s, p95 ${rt.ms.p95} ms, ${rt.failures} failed | |`,
    );
  const pglite = find('steady-pglite');
  const pt = pglite && totalOf(pglite);
  if (pt)
    lines.push(
      `| steady (embedded PGlite) ≥ 1,500 req/s | ${pt.ratePerSecond} req/s, p95 ${pt.ms.p95} ms, ${pt.failures} failed | ${mark(pt.ratePerSecond >= 1500 && pt.failures === 0)} |`,
    );
  const pgliteReads = find('steady-reads-pglite');
  const prt = pgliteReads && totalOf(pgliteReads);
  if (prt)
    lines.push(
      `| (steady, reads-only mix, PGlite: for comparison) | ${prt.ratePerSecond} req/s, p95 ${prt.ms.p95} ms, ${prt.failures} failed | |`,
    );
  const rss = run.scenarios.filter((s) => s.database === 'postgres').map((s) => s.probe?.maxRssMb ?? 0);
  if (rss.some((r) => r > 0))
    lines.push(`| server RSS ≤ 250 MB (on PostgreSQL) | max ${Math.max(...rss)} MB | ${mark(Math.max(...rss) <= 250)} |`);
  const pgliteRss = run.scenarios.filter((s) => s.database === 'pglite').map((s) => s.probe?.maxRssMb ?? 0);
  if (pgliteRss.some((r) => r > 0))
    lines.push(`| (RSS on PGlite: the process holds the embedded database too) | max ${Math.max(...pgliteRss)} MB | |`);
  const imports = find('imports');
  if (imports?.result) {
    const r = imports.result as {
      import?: { bytes: number; wallSeconds: number; status?: string };
      endpoints?: { name: string; ms: { p95: number } }[];
    };
    const others = r.endpoints?.find((e) => e.name === 'Get Me (during the import)')?.ms.p95;
    const before = r.endpoints?.find((e) => e.name === 'Get Me (before the import)')?.ms.p95;
    const growth = imports.rssGrowthMb;
    const within =
      r.import?.status === 'done' &&
      (r.import?.wallSeconds ?? Infinity) <= 30 &&
      growth !== undefined &&
      growth !== null &&
      growth <= 150 &&
      others !== undefined &&
      others <= 50;
    lines.push(
      `| imports: a 250 MB export in ≤ 30 s, RSS growth ≤ 150 MB, other requests' p95 ≤ 50 ms | ${r.import ? `${Math.round(r.import.bytes / 1048576)} MB ${r.import.status} in ${r.import.wallSeconds} s` : '—'}, RSS +${growth ?? '?'} MB, others' p95 ${others ?? '?'} ms (${before ?? '?'} ms before it) | ${mark(within)} |`,
    );
  }
  const locust = find('locust');
  const agg = (locust?.result as { aggregated?: LocustRow | null } | undefined)?.aggregated;
  if (agg)
    lines.push(`| Locust: 0 failures | ${agg.count} requests, ${agg.failures} failed, p95 ${agg.p95Ms} ms | ${mark(agg.failures === 0)} |`);
  return lines;
}

export function benchMarkdown(run: BenchRun): string {
  const out: string[] = [
    `# Recomp benchmark ${run.date}${run.label ? ` — ${run.label}` : ''}${run.quick ? ' (quick)' : ''}`,
    '',
    `Machine: ${run.machine.cpus} × ${run.machine.cpuModel}, ${run.machine.memoryGb} GB; Node ${run.machine.node}; ${run.machine.postgres ?? 'no PostgreSQL'}; revision ${run.machine.revision}.`,
    `Server, database and load generator on the same machine; the service with NODE_ENV=production, LOG_LEVEL=${run.logLevel}${
      Object.keys(run.env).length
        ? `, ${Object.entries(run.env)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`
        : ''
    }.`,
    '',
    '## Against the targets',
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...targetLines(run),
    '',
    '## Scenarios',
    '',
    'CPU columns: CPU time of the service process (all its threads) and of the PostgreSQL server (all its processes) over the measured window, per request; "machine busy" is the share of all cores in use over it (100 % = saturated, whoever used them).',
    '',
    '| scenario | db | load avg before → after | machine busy | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms | server CPU ms/req | db CPU ms/req | max RSS MB | loop delay p99 ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of run.scenarios) {
    const t = totalOf(s);
    const agg = (s.result as { aggregated?: LocustRow | null } | undefined)?.aggregated;
    const count = t?.count ?? agg?.count ?? 0;
    const perRequest = (cpu: number | null) => (cpu === null || count === 0 ? '—' : (cpu / count).toFixed(3));
    const cells = t
      ? [t.count, t.failures, t.ratePerSecond, t.ms.p50, t.ms.p95, t.ms.p99, t.ms.max]
      : agg
        ? [agg.count, agg.failures, agg.ratePerSecond, agg.medianMs, agg.p95Ms, agg.p99Ms, agg.maxMs]
        : ['—', '—', '—', '—', '—', '—', '—'];
    out.push(
      `| ${s.name} | ${s.database} | ${s.loadAverageBefore[0]} → ${s.loadAverageAfter[0]} | ${s.machineBusyPercent ?? '—'} % | ${cells.join(' | ')} | ${perRequest(s.serverCpuMs)} | ${perRequest(s.databaseCpuMs)} | ${s.probe?.maxRssMb ?? '—'} | ${s.probe?.loopDelayP99MaxMs ?? '—'} |`,
    );
  }
  for (const s of run.scenarios) {
    const result = s.result as
      | {
          endpoints?: {
            name: string;
            method?: string;
            type?: string;
            count: number;
            failures: number;
            ratePerSecond: number;
            ms?: { p50: number; p95: number; p99: number; max: number };
            medianMs?: number;
            p95Ms?: number;
            p99Ms?: number;
            maxMs?: number;
          }[];
          steps?: { rate: number; completedPerSecond: number; p95Ms: number; p99Ms: number; failures: number; passed: boolean }[];
        }
      | undefined;
    if (!result?.endpoints) continue;
    out.push(
      '',
      `### ${s.name} (${s.database})`,
      '',
      `\`${s.command}\` — ${s.seconds} s, exit ${s.exitCode}`,
      '',
      '| endpoint | count | failed | p50 ms | p95 ms | p99 ms | max ms | req/s |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const e of result.endpoints) {
      const [p50, p95, p99, max] = e.ms ? [e.ms.p50, e.ms.p95, e.ms.p99, e.ms.max] : [e.medianMs, e.p95Ms, e.p99Ms, e.maxMs];
      out.push(
        `| ${e.method ?? e.type ?? ''} ${e.name} | ${e.count} | ${e.failures} | ${p50} | ${p95} | ${p99} | ${max} | ${e.ratePerSecond} |`,
      );
    }
    if (result.steps) {
      out.push('', '| arrival rate /s | completed /s | p95 ms | p99 ms | failed | within 200 ms |', '|---|---|---|---|---|---|');
      for (const step of result.steps)
        out.push(
          `| ${step.rate} | ${step.completedPerSecond} | ${step.p95Ms} | ${step.p99Ms} | ${step.failures} | ${step.passed ? 'yes' : 'no'} |`,
        );
    }
  }
  out.push('');
  return out.join('\n');
}
