/**
 * `npx tsx scripts/load/queue-probe.ts --database-url postgres://…`: postgres.js's pool kept
 * saturated (more queries in flight than connections, no think time), its throughput and CPU per
 * query printed window by window and written to bench/results/<date>-queue-probe[-label].json.
 * With postgres.js 3.4.9 as published, the pool's queue of busy connections grew by one slot a
 * query while none went idle, and every query scanned it: the CPU per query rose with the seconds.
 * patches/postgres+3.4.9.patch keeps it compact (docs/PERFORMANCE.md, change 19); run with and
 * without it to compare.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { fileStamp, labelSuffix } from './bench-report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
    connections: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '100' },
    windows: { type: 'string', default: '8' },
    'window-seconds': { type: 'string', default: '3' },
    label: { type: 'string', default: '' },
    'out-dir': { type: 'string', default: path.join(ROOT, 'bench', 'results') },
  },
});
if (!args['database-url']) {
  console.error('queue-probe: give --database-url (or DATABASE_URL): a PostgreSQL server to run `select 1` against');
  process.exit(2);
}
const [connections, concurrency, windows, windowSeconds] = ['connections', 'concurrency', 'windows', 'window-seconds'].map((name) => {
  const value = Number(args[name as keyof typeof args]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`queue-probe: --${name} must be a positive whole number`);
    process.exit(2);
  }
  return value;
}) as [number, number, number, number];

const sql = postgres(args['database-url'], { max: connections, onnotice: () => {} });
let done = 0;
let stopping = false;
const workers = Array.from({ length: concurrency }, async () => {
  while (!stopping) {
    await sql`select 1 as one`;
    done++;
  }
});

const rows: { second: number; queriesPerSecond: number; cpuMicrosecondsPerQuery: number }[] = [];
const started = Date.now();
for (let w = 0; w < windows; w++) {
  const before = done;
  const cpu = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
  const used = process.cpuUsage(cpu);
  const queries = done - before;
  const row = {
    second: Math.round((Date.now() - started) / 1000),
    queriesPerSecond: Math.round(queries / windowSeconds),
    cpuMicrosecondsPerQuery: Number(((used.user + used.system) / Math.max(queries, 1)).toFixed(1)),
  };
  rows.push(row);
  console.log(
    `${String(row.second).padStart(4)} s  ${String(row.queriesPerSecond).padStart(6)} queries/s  ${row.cpuMicrosecondsPerQuery} µs CPU a query`,
  );
}
stopping = true;
await Promise.all(workers);
await sql.end({ timeout: 5 });

mkdirSync(args['out-dir']!, { recursive: true });
const file = path.join(args['out-dir']!, `${fileStamp()}-queue-probe${labelSuffix(args.label)}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ startedAt: new Date(started).toISOString(), label: args.label, connections, concurrency, windowSeconds, rows }, null, 2)}\n`,
);
console.log(`wrote ${file}`);
