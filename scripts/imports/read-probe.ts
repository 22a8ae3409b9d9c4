/**
 * `npx tsx scripts/imports/read-probe.ts <file>`: reads an export with the reader that recognises it
 * (src/modules/imports/formats/) and prints, as JSON, what it found and what it cost: the wall time,
 * the process's resident memory before and at its peak (sampled every 20 ms), and the event loop's
 * delay while it read (the wait any other request would have had). docs/PERFORMANCE.md, 'Imports',
 * has the figures for a 250 MB Apple Health export (scripts/imports/generate-apple-health.ts).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { appleHealth } from '../../src/modules/imports/formats/apple-health.ts';
import { cronometer } from '../../src/modules/imports/formats/cronometer.ts';
import { importFileAt } from '../../src/modules/imports/formats/file.ts';
import { loseIt } from '../../src/modules/imports/formats/loseit.ts';
import { myFitnessPal } from '../../src/modules/imports/formats/myfitnesspal.ts';

const [path] = process.argv.slice(2);
if (!path) {
  console.error('usage: read-probe.ts <export file>');
  process.exit(2);
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
const ms = (ns: number) => Math.round(ns / 1e4) / 100;

const file = await importFileAt(path);
const reader = [myFitnessPal, cronometer, loseIt, appleHealth].find((r) => r.recognises(file));
if (!reader) {
  console.error('read-probe: no reader recognises this file');
  process.exit(1);
}

const rssBefore = process.memoryUsage.rss();
let rssPeak = rssBefore;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
}, 20);
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const cpuBefore = process.cpuUsage();
const started = performance.now();
let progressCalls = 0;
const parsed = await reader.read(file, {
  onProgress: () => {
    progressCalls++;
  },
  signal: new AbortController().signal,
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
delay.disable();
clearInterval(sampler);
rssPeak = Math.max(rssPeak, process.memoryUsage.rss());

console.log(
  JSON.stringify({
    file: path,
    format: parsed.format,
    fileMB: mb(file.sizeBytes),
    weights: parsed.weights.length,
    intakeDays: parsed.intake.length,
    rejected: parsed.rejectedCount,
    progressCalls,
    seconds: Math.round(seconds * 100) / 100,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    rssBeforeMB: mb(rssBefore),
    rssPeakMB: mb(rssPeak),
    rssGrowthMB: mb(rssPeak - rssBefore),
    eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
  }),
);
