/**
 * `capacity`: open model. Whole k6 journeys (8 requests, two of them password hashes) start at a
 * fixed arrival rate, whatever the service's speed; the rate rises by a step at every interval until
 * the p95 of the requests completed in a step passes the bound (or any request fails). The capacity
 * is the highest rate whose step stayed within the bound. Journeys run without think time by
 * default: think time adds waiting users, not work.
 */
import { LoadClient } from '../http.ts';
import { CHECK_NAMES, journeyIteration } from '../journey.ts';
import { StopSignal, startProgress } from '../run-control.ts';
import { Recorder, summarize } from '../stats.ts';
import { httpJourneyEnv } from './journey.ts';

export interface CapacityOptions {
  baseUrl: URL;
  startRate: number;
  rateStep: number;
  maxRate: number;
  stepSeconds: number;
  p95BoundMs: number;
  thinkScale: number;
  /** More journeys in flight than this ends the run (the service has fallen far behind). */
  maxInFlight: number;
}

export interface CapacityStep {
  rate: number;
  started: number;
  completedPerSecond: number;
  requests: number;
  failures: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  inFlightAtEnd: number;
  passed: boolean;
}

export async function runCapacity(options: CapacityOptions) {
  const recorder = new Recorder(CHECK_NAMES);
  const client = new LoadClient(options.baseUrl, Math.min(1024, options.maxInFlight), recorder);
  const stop = new StopSignal();
  const env = httpJourneyEnv(client, recorder, stop, options.thinkScale);
  const running = new Set<Promise<void>>();
  const steps: CapacityStep[] = [];
  let rate = options.startRate;
  let completedInStep = 0;
  let stopReason = `reached --max-rate ${options.maxRate}/s`;
  const stopProgress = startProgress(recorder, () => `rate ${String(rate).padStart(3)}/s, in flight ${String(running.size).padStart(4)}`);
  const started = performance.now();

  const launch = () => {
    const run = journeyIteration(env)
      .then(() => {
        recorder.iterations++;
        completedInStep++;
      })
      .finally(() => {
        running.delete(run);
      });
    running.add(run);
  };

  while (!stop.stopped && rate <= options.maxRate) {
    recorder.resetStep();
    completedInStep = 0;
    const stepStart = performance.now();
    const count = Math.round(rate * options.stepSeconds);
    // Evenly spaced arrivals, each at its due time measured from the step's start (no drift).
    for (let i = 0; i < count && !stop.stopped; i++) {
      const due = stepStart + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      if (running.size >= options.maxInFlight) {
        stopReason = `over ${options.maxInFlight} journeys in flight at ${rate}/s`;
        stop.stop();
        break;
      }
      launch();
    }
    const rest = stepStart + options.stepSeconds * 1000 - performance.now();
    if (rest > 0 && !stop.stopped) await new Promise((resolve) => setTimeout(resolve, rest));
    const seconds = (performance.now() - stepStart) / 1000;
    const s = summarize(recorder.step, recorder.stepFailures, seconds);
    const passed = s.count > 0 && s.ms.p95 <= options.p95BoundMs && recorder.stepFailures === 0 && !stop.stopped;
    steps.push({
      rate,
      started: count,
      completedPerSecond: Math.round((completedInStep / seconds) * 10) / 10,
      requests: s.count,
      failures: s.failures,
      p50Ms: s.ms.p50,
      p95Ms: s.ms.p95,
      p99Ms: s.ms.p99,
      inFlightAtEnd: running.size,
      passed,
    });
    if (!passed) {
      if (!stop.stopped)
        stopReason =
          s.failures > 0 ? `${s.failures} failed requests at ${rate}/s` : `p95 ${s.ms.p95} ms > ${options.p95BoundMs} ms at ${rate}/s`;
      break;
    }
    rate += options.rateStep;
  }
  stop.stop();
  // In-flight journeys finish their current request and end (think time, if any, is cut short).
  await Promise.all(running);
  stopProgress();
  await client.close();
  const passing = steps.filter((s) => s.passed);
  const best = passing.at(-1) ?? null;
  return {
    recorder,
    seconds: (performance.now() - started) / 1000,
    steps,
    stopReason,
    capacity: best ? { journeysPerSecond: best.rate, completedPerSecond: best.completedPerSecond, p95Ms: best.p95Ms } : null,
  };
}

export function formatSteps(steps: CapacityStep[]): string {
  const head = '  rate/s  started  done/s  requests  fail   p50 ms   p95 ms   p99 ms  in flight  within bound';
  return [
    head,
    ...steps.map(
      (s) =>
        `  ${String(s.rate).padStart(6)}  ${String(s.started).padStart(7)}  ${s.completedPerSecond.toFixed(1).padStart(6)}  ${String(s.requests).padStart(8)}  ${String(s.failures).padStart(4)}  ` +
        `${s.p50Ms.toFixed(2).padStart(7)}  ${s.p95Ms.toFixed(2).padStart(7)}  ${s.p99Ms.toFixed(2).padStart(7)}  ${String(s.inFlightAtEnd).padStart(9)}  ${s.passed ? 'yes' : 'NO'}`,
    ),
  ].join('\n');
}
