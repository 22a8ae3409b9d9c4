/**
 * scripts/performance_test_k6.js cannot run here (k6 is not installable), so this harness loads it
 * with its three k6 imports replaced by recording stand-ins and plays it against a simulated service
 * built on the real domain. It checks that the script parses, that it keeps its 7-minute stages,
 * thresholds and 13 checks, that every check passes (its data is valid for the domain), and that its
 * journey is the in-repo runner's journey (scripts/load/journey.ts) request for request: with the
 * same random numbers and clock, both send byte-identical requests, checks and sleeps.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHECK_NAMES, journeyIteration, type JourneyEnv, SEED_STAGES, SEED_THRESHOLDS, THINK_SECONDS } from '../../scripts/load/journey.ts';
import { mulberry32 } from '../support/syntheticPerson.ts';
import { simulatedService, type SimReply } from './simulated-service.ts';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/performance_test_k6.js');
const NOW = Date.parse('2026-03-02T09:30:00Z');

type Event =
  | { kind: 'request'; method: string; path: string; name: string; body: string | null }
  | { kind: 'sleep'; seconds: number }
  | { kind: 'check'; name: string; passed: boolean }
  | { kind: 'errors'; failed: boolean };

/** The script's source with the k6 imports and the ES module syntax taken out. */
function strippedK6Script(): string {
  const source = readFileSync(SCRIPT, 'utf8');
  const imports = [...source.matchAll(/^import .* from '(k6[^']*)';$/gm)].map((m) => m[1]);
  expect(imports.sort()).toEqual(['k6', 'k6/http', 'k6/metrics']);
  return source
    .replace(/^import .* from 'k6[^']*';$/gm, '')
    .replace(/^export const options =/m, 'const options =')
    .replace(/^export default function \(\)/m, 'function iteration()')
    .replace(/^export function handleSummary/m, 'function handleSummary');
}

interface K6Module {
  options: { stages: unknown; thresholds: unknown };
  iteration(): void;
  handleSummary(data: unknown): Record<string, string>;
}

/** Evaluates the script with recording stand-ins for k6's http, check, sleep and Rate. */
function loadK6(events: Event[], serve: (method: string, path: string, body: string | null, token?: string) => SimReply): K6Module {
  const response = (reply: SimReply) => ({ status: reply.status, body: JSON.stringify(reply.json) });
  const request = (
    method: string,
    url: string,
    body: string | null,
    params: { headers?: Record<string, string>; tags?: { name?: string } },
  ) => {
    const pathname = url.replace('http://127.0.0.1:8765', '');
    events.push({ kind: 'request', method, path: pathname, name: params.tags?.name ?? '', body });
    const token = params.headers?.Authorization?.replace(/^Bearer /, '');
    return response(serve(method, pathname, body, token));
  };
  const http = {
    post: (url: string, body: string, params: Parameters<typeof request>[3]) => request('POST', url, body, params),
    get: (url: string, params: Parameters<typeof request>[3]) => request('GET', url, null, params),
  };
  const check = (value: unknown, conditions: Record<string, (v: unknown) => boolean>) => {
    let all = true;
    for (const [name, condition] of Object.entries(conditions)) {
      const passed = condition(value) === true;
      events.push({ kind: 'check', name, passed });
      all &&= passed;
    }
    return all;
  };
  const sleep = (seconds: number) => {
    events.push({ kind: 'sleep', seconds });
  };
  class Rate {
    constructor(readonly name: string) {}
    add(value: boolean) {
      if (this.name === 'errors') events.push({ kind: 'errors', failed: value });
    }
  }
  const factory = new Function(
    'http',
    'check',
    'sleep',
    'Rate',
    '__ENV',
    'console',
    `${strippedK6Script()}\nreturn { options, iteration, handleSummary };`,
  ) as (...args: unknown[]) => K6Module;
  return factory(http, check, sleep, Rate, { BASE_URL: 'http://127.0.0.1:8765' }, { error: () => {}, log: () => {} });
}

/** The in-repo journey's environment over the same simulated service, recording the same events. */
function tsEnv(events: Event[], serve: (method: string, path: string, body: string | null, token?: string) => SimReply): JourneyEnv {
  return {
    async request(method, pathname, name, body, token) {
      const text = body === undefined ? null : JSON.stringify(body);
      events.push({ kind: 'request', method, path: pathname, name, body: text });
      const reply = serve(method, pathname, text, token);
      return { status: reply.status, json: JSON.parse(JSON.stringify(reply.json)) as unknown };
    },
    async sleep(seconds) {
      events.push({ kind: 'sleep', seconds });
    },
    check(reply, conditions) {
      let all = true;
      for (const [name, condition] of Object.entries(conditions)) {
        const passed = condition?.(reply) === true;
        events.push({ kind: 'check', name, passed });
        all &&= passed;
      }
      return all;
    },
    error(failed) {
      events.push({ kind: 'errors', failed });
    },
    stopped: () => false,
  };
}

function serverFor() {
  const service = simulatedService();
  return (method: string, pathname: string, body: string | null, token?: string) =>
    service.handle(method, pathname, body === null ? null : (JSON.parse(body) as Record<string, unknown>), token);
}

/** Plays `iterations` journeys with the seeded random numbers and a fixed clock. */
async function play(which: 'k6' | 'ts', iterations: number, seed: number): Promise<Event[]> {
  const events: Event[] = [];
  const serve = serverFor();
  const random = mulberry32(seed);
  vi.spyOn(Math, 'random').mockImplementation(random);
  vi.spyOn(Date, 'now').mockImplementation(() => NOW);
  try {
    if (which === 'k6') {
      const k6 = loadK6(events, serve);
      for (let i = 0; i < iterations; i++) k6.iteration();
    } else {
      const env = tsEnv(events, serve);
      for (let i = 0; i < iterations; i++) await journeyIteration(env);
    }
  } finally {
    vi.restoreAllMocks();
  }
  return events;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('scripts/performance_test_k6.js', () => {
  it('parses as JavaScript once the k6 imports are stripped (node --check)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'recomp-k6-'));
    try {
      const file = path.join(dir, 'k6-stripped.mjs');
      writeFileSync(
        file,
        `const http = {}, check = () => true, sleep = () => {}, Rate = class {}, __ENV = {};\n${readFileSync(SCRIPT, 'utf8').replace(/^import .* from 'k6[^']*';$/gm, '')}`,
      );
      const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps its stages and thresholds', () => {
    const k6 = loadK6([], serverFor());
    expect(k6.options.stages).toEqual(SEED_STAGES);
    expect(k6.options.thresholds).toEqual(SEED_THRESHOLDS);
  });

  it('runs its 13 checks, and all of them pass against the domain', async () => {
    const events = await play('k6', 300, 7);
    const checks = events.filter((e) => e.kind === 'check');
    expect([...new Set(checks.map((c) => c.name))]).toEqual([...CHECK_NAMES]);
    expect(checks.filter((c) => !c.passed)).toEqual([]);
    expect(checks).toHaveLength(300 * 13);
    expect(events.filter((e) => e.kind === 'errors' && e.failed)).toEqual([]);
  });

  it("plays the in-repo runner's journey request for request, with the same checks and think times", async () => {
    const k6 = await play('k6', 200, 42);
    const ts = await play('ts', 200, 42);
    expect(ts.length).toBeGreaterThan(200 * 8 * 3);
    expect(k6).toEqual(ts);
    // 8 tagged requests and 5.0 s of think time per iteration, in the k6 script's order.
    const first = k6.slice(
      0,
      k6.findIndex((e, i) => i > 0 && e.kind === 'request' && e.name === 'RegisterUser'),
    );
    expect(first.filter((e) => e.kind === 'request').map((e) => (e as { name: string }).name)).toEqual([
      'RegisterUser',
      'Login',
      'CreateMeasurement',
      'CreateGoal',
      'CreateProgressMeasurement',
      'LogProgress',
      'GetTrainingPlan',
      'GetDietPlan',
    ]);
    expect(first.filter((e) => e.kind === 'sleep').reduce((sum, e) => sum + (e as { seconds: number }).seconds, 0)).toBe(5);
    expect(Object.values(THINK_SECONDS).reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('starts both cutting and bulking goals whose aims suit the measured body fat', async () => {
    const events = await play('ts', 300, 3);
    const goals = events
      .filter((e) => e.kind === 'request' && e.name === 'CreateGoal')
      .map((e) => JSON.parse((e as { body: string }).body) as Record<string, unknown>);
    expect(goals.filter((g) => g.goal_type === 'cutting').length).toBeGreaterThan(100);
    expect(goals.filter((g) => g.goal_type === 'bulking').length).toBeGreaterThan(100);
    expect(new Set(goals.map((g) => g.target_body_fat_percentage ?? g.ceiling_body_fat_percentage))).toEqual(new Set([12, 20]));
  });

  it('writes the summary file and prints every check', () => {
    const k6 = loadK6([], serverFor());
    const checks = Object.fromEntries(CHECK_NAMES.map((name) => [name, { name, passes: 10, fails: 0 }]));
    const out = k6.handleSummary({
      root_group: { checks, groups: {} },
      metrics: {
        http_req_duration: { values: { avg: 5, min: 1, med: 4, max: 30, 'p(95)': 12 }, thresholds: { 'p(95)<200': { ok: true } } },
        http_reqs: { values: { count: 80, rate: 16 } },
        http_req_failed: { values: { rate: 0 }, thresholds: { 'rate<0.01': { ok: true } } },
        errors: { values: { rate: 0 }, thresholds: { 'rate<0.05': { ok: true } } },
        iterations: { values: { count: 10 } },
      },
    });
    const results = JSON.parse(out['performance_test_results.json']!) as {
      thresholds_passed: boolean;
      total_requests: number;
      checks: unknown[];
      root_group: unknown;
      metrics: unknown;
    };
    expect(results).toMatchObject({
      thresholds_passed: true,
      total_requests: 80,
      root_group: { checks },
      metrics: { http_reqs: { values: { count: 80 } } },
    });
    expect(results.checks).toHaveLength(13);
    for (const name of CHECK_NAMES) expect(out.stdout).toContain(`✓ ${name}`);
    expect(out.stdout).toContain('checks.........................: 100.00% ✓ 130 ✗ 0');
  });
});
