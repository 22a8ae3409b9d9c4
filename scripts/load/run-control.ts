/** Timing helpers shared by the scenarios: a stop signal, stoppable sleeps, k6-style stages, the live line. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Recorder } from './stats.ts';

export class StopSignal {
  private done = false;
  private readonly waiters = new Set<() => void>();

  get stopped() {
    return this.done;
  }

  stop() {
    if (this.done) return;
    this.done = true;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** Resolves after `ms`, or at once when the run stops. */
  sleep(ms: number): Promise<void> {
    if (this.done || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }
}

export interface Stage {
  seconds: number;
  target: number;
}

/** "30s", "1m", "1m30s", "90" (seconds) → seconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(trimmed);
  if (!match || trimmed === '') throw new Error(`not a duration: "${text}" (use e.g. 30s, 2m, 1m30s)`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/** k6's `--stage` syntax: "30s:20,1m:50,2m:100". */
export function parseStages(text: string): Stage[] {
  return text.split(',').map((part) => {
    const [duration, target] = part.split(':');
    const value = Number(target);
    if (duration === undefined || !Number.isInteger(value) || value < 0)
      throw new Error(`not a stage: "${part}" (use duration:target, e.g. 30s:20)`);
    return { seconds: parseDuration(duration), target: value };
  });
}

/** Users wanted at `seconds` into the run: linear ramps between stage targets, from 0 (k6 ramping-vus). */
export function targetAt(stages: readonly Stage[], seconds: number): number {
  let from = 0;
  let start = 0;
  for (const stage of stages) {
    if (seconds < start + stage.seconds) {
      return Math.round(from + ((stage.target - from) * (seconds - start)) / stage.seconds);
    }
    from = stage.target;
    start += stage.seconds;
  }
  return from;
}

export const totalSeconds = (stages: readonly Stage[]) => stages.reduce((sum, s) => sum + s.seconds, 0);

/** Event-loop delay of the load generator itself: a busy runner inflates the latencies it reports. */
export function runnerLoopMonitor() {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      return { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
    },
  };
}

/**
 * The live progress line, once a second: rewritten in place on a terminal, one line every five
 * seconds otherwise (CI logs).
 */
export function startProgress(recorder: Recorder, describe: () => string) {
  const tty = process.stderr.isTTY;
  let last = performance.now();
  let lastCount = recorder.total.totalCount;
  let tick = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const count = recorder.total.totalCount;
    const rate = ((count - lastCount) * 1000) / (now - last);
    const p95 = recorder.window.totalCount === 0 ? 0 : recorder.window.getValueAtPercentile(95) / 1000;
    const { passes, fails } = recorder.checkTotals();
    const line =
      `[${recorder.elapsedSeconds().toFixed(0).padStart(4)}s] ${describe()} | ${rate.toFixed(0).padStart(5)} req/s | p95 ${p95.toFixed(1).padStart(6)} ms | ` +
      `${count} reqs, ${recorder.failures} failed | iterations ${recorder.iterations} | checks ✓ ${passes} ✗ ${fails}`;
    recorder.resetWindow();
    last = now;
    lastCount = count;
    tick++;
    if (tty) process.stderr.write(`\r${line}\x1b[K`);
    else if (tick % 5 === 0) process.stderr.write(`${line}\n`);
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (tty) process.stderr.write('\n');
  };
}
