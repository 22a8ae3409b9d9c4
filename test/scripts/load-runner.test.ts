/** The load runner's own arithmetic: stages, durations, the report, the loopback guard, Locust's CSV. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBaseUrl } from '../../scripts/load/http.ts';
import { SEED_STAGES } from '../../scripts/load/journey.ts';
import { parseLocustCsv } from '../../scripts/load/locust-csv.ts';
import { parseDuration, parseStages, StopSignal, targetAt, totalSeconds } from '../../scripts/load/run-control.ts';
import { formatReport, Recorder, resultOf } from '../../scripts/load/stats.ts';

describe('load runner', () => {
  it('reads durations and k6 stages', () => {
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('1m30s')).toBe(90);
    expect(parseDuration('2m')).toBe(120);
    expect(parseDuration('45')).toBe(45);
    expect(() => parseDuration('soon')).toThrow(/duration/);
    const seed = parseStages(SEED_STAGES.map((s) => `${s.duration}:${s.target}`).join(','));
    expect(totalSeconds(seed)).toBe(420);
    expect(() => parseStages('30s')).toThrow(/stage/);
  });

  it('ramps users linearly between stage targets, as k6 does', () => {
    const stages = parseStages('10s:20,10s:20,10s:0');
    expect(targetAt(stages, 0)).toBe(0);
    expect(targetAt(stages, 5)).toBe(10);
    expect(targetAt(stages, 15)).toBe(20);
    expect(targetAt(stages, 25)).toBe(10);
    expect(targetAt(stages, 40)).toBe(0);
  });

  it('ends sleeps at once when the run stops', async () => {
    const stop = new StopSignal();
    const started = performance.now();
    const sleeping = stop.sleep(10_000);
    stop.stop();
    await sleeping;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(stop.stopped).toBe(true);
  });

  it('counts failures as k6 does (a status of 400 or more, or no response) and reports percentiles per endpoint', () => {
    const recorder = new Recorder(['a check']);
    for (let i = 1; i <= 100; i++) recorder.record('GetDietPlan', 'GET', '/x', 200, i * 1000, '{}');
    recorder.record('LogProgress', 'POST', '/y', 400, 5000, '{"code":"bad"}');
    recorder.record('LogProgress', 'POST', '/y', 0, 5000, 'connection error');
    recorder.check('a check', true);
    const result = resultOf(recorder, 10);
    const diet = result.endpoints.find((e) => e.name === 'GetDietPlan')!;
    expect(diet).toMatchObject({ count: 100, failures: 0, ratePerSecond: 10 });
    expect(diet.ms.p50).toBeCloseTo(50, 0);
    expect(diet.ms.p95).toBeCloseTo(95, 0);
    expect(diet.ms.max).toBeCloseTo(100, 0);
    expect(diet.ms.p99).toBeLessThanOrEqual(diet.ms.max);
    expect(result.total).toMatchObject({ count: 102, failures: 2 });
    expect(result.failureSamples.map((f) => f.status)).toEqual([400, 0]);
    const report = formatReport(result, 'test');
    expect(report).toContain('✓ a check');
    expect(report).toMatch(/GET GetDietPlan\s+100\s+0/);
  });

  it('sends load to this machine only, unless told otherwise', () => {
    expect(checkBaseUrl('http://127.0.0.1:8000', false).origin).toBe('http://127.0.0.1:8000');
    expect(checkBaseUrl('http://localhost:8000', false).hostname).toBe('localhost');
    expect(() => checkBaseUrl('http://10.0.0.5:8000', false)).toThrow(/loopback/);
    expect(() => checkBaseUrl('ftp://127.0.0.1', false)).toThrow(/http/);
  });

  it("reads Locust's stats CSV", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'recomp-locust-'));
    try {
      const file = path.join(dir, 'run_stats.csv');
      writeFileSync(
        file,
        [
          'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%',
          'GET,Get Diet Plan,120,0,4,5.21,2.1,40.3,800,2.0,0.0,4,5,6,6,8,11,15,20,40,40,40',
          ',Aggregated,500,1,5,7.5,1.9,210.0,700,8.3,0.02,5,6,7,8,12,20,40,90,210,210,210',
        ].join('\n'),
      );
      const parsed = parseLocustCsv(file)!;
      expect(parsed.endpoints).toEqual([expect.objectContaining({ name: 'Get Diet Plan', count: 120, failures: 0, p95Ms: 11, p99Ms: 20 })]);
      expect(parsed.aggregated).toMatchObject({ count: 500, failures: 1, p95Ms: 20 });
      expect(parseLocustCsv(path.join(dir, 'missing.csv'))).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
