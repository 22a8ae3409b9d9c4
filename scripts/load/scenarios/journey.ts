/**
 * `journey`: closed model, like k6's ramping-vus. Each virtual user has its own keep-alive
 * connection and loops the k6 journey (scripts/load/journey.ts) with its think times; the number of
 * users follows the stages.
 */
import { LoadClient } from '../http.ts';
import { CHECK_NAMES, journeyIteration, type JourneyEnv } from '../journey.ts';
import { StopSignal, type Stage, startProgress, targetAt, totalSeconds } from '../run-control.ts';
import { Recorder } from '../stats.ts';

export interface JourneyOptions {
  baseUrl: URL;
  stages: Stage[];
  thinkScale: number;
}

/** The journey's environment over real HTTP: checks and the `errors` rate go to the recorder. */
export function httpJourneyEnv(client: LoadClient, recorder: Recorder, stop: StopSignal, thinkScale: number): JourneyEnv {
  return {
    request: (method, path, name, body, token) => client.request(method, path, name, body, token),
    sleep: (seconds) => stop.sleep(seconds * thinkScale * 1000),
    check(reply, conditions) {
      let all = true;
      for (const [name, condition] of Object.entries(conditions)) {
        let passed: boolean;
        try {
          passed = condition?.(reply) === true;
        } catch {
          passed = false;
        }
        recorder.check(name, passed);
        all &&= passed;
      }
      return all;
    },
    error(failed) {
      recorder.errors.total++;
      if (failed) recorder.errors.failed++;
    },
    stopped: () => stop.stopped,
  };
}

export async function runJourney(options: JourneyOptions) {
  const peak = Math.max(...options.stages.map((s) => s.target));
  const recorder = new Recorder(CHECK_NAMES);
  const client = new LoadClient(options.baseUrl, Math.max(1, peak), recorder);
  const stop = new StopSignal();
  const env = httpJourneyEnv(client, recorder, stop, options.thinkScale);
  const duration = totalSeconds(options.stages);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let active = 0;

  // A user runs while its index is below the current target; ramping down ends the highest first,
  // at the end of their iteration.
  const user = async (index: number) => {
    active++;
    try {
      while (!stop.stopped && index < targetAt(options.stages, elapsed())) {
        await journeyIteration(env);
        if (stop.stopped) recorder.interruptedIterations++;
        else recorder.iterations++;
      }
    } finally {
      active--;
    }
  };

  const running = new Set<Promise<void>>();
  const runningUsers = new Set<number>();
  const stopProgress = startProgress(recorder, () => `users ${String(active).padStart(3)}/${targetAt(options.stages, elapsed())}`);
  while (elapsed() < duration) {
    const target = targetAt(options.stages, elapsed());
    for (let index = 0; index < target; index++) {
      if (runningUsers.has(index)) continue;
      runningUsers.add(index);
      const run = user(index).finally(() => {
        running.delete(run);
        runningUsers.delete(index);
      });
      running.add(run);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stop.stop();
  await Promise.all(running);
  stopProgress();
  await client.close();
  return { recorder, seconds: elapsed(), peakUsers: peak };
}
