'use strict';
/**
 * A probe that `npm run bench` preloads into the service (`node --require ./scripts/load/probe.cjs`):
 * once a second it appends the process's memory, event-loop utilisation and event-loop delay to
 * the JSON-lines file named by RECOMP_PROBE_FILE. It changes nothing in the service itself.
 * Plain CommonJS, so that preloading it neither brings a TypeScript loader into the measured
 * process nor starts libuv's thread pool before the service has sized it (src/thread-pool.ts).
 */
const { appendFileSync } = require('node:fs');
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');

const file = process.env.RECOMP_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let lastElu = performance.eventLoopUtilization();
  let lastCpu = process.cpuUsage();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const timer = setInterval(() => {
    const elu = performance.eventLoopUtilization(lastElu);
    lastElu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const sample = {
      t: Date.now(),
      rssMb: Math.round(memory.rss / 1048576),
      heapUsedMb: Math.round(memory.heapUsed / 1048576),
      // V8's heap as reserved, and memory outside it held by JavaScript objects (PGlite's WebAssembly memory among it).
      heapTotalMb: Math.round(memory.heapTotal / 1048576),
      externalMb: Math.round(memory.external / 1048576),
      elu: Math.round(elu.utilization * 1000) / 1000,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      loopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
    };
    delay.reset();
    try {
      appendFileSync(file, `${JSON.stringify(sample)}\n`);
    } catch {
      /* the bench may have removed its folder */
    }
  }, 1000);
  timer.unref();
}
