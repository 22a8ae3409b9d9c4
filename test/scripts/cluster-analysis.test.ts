/**
 * The cluster test's reading of nginx's access log and the instances' request logs
 * (scripts/cluster/analysis.ts): what counts as in flight on a killed instance, and what does not.
 */
import { describe, expect, it } from 'vitest';
import { type AccessLine, completedRequestIds, killReport, parseAccessLog, rateLimitCount } from '../../scripts/cluster/analysis.ts';

const KILLED = '127.0.0.1:9002';
const KILL_AT_MS = 1_000_000_000_000; // the kill, in ms since the epoch
const line = (id: string, startMs: number, endMs: number, upstream: string, status: number): AccessLine => ({
  end: endMs / 1000,
  duration: (endMs - startMs) / 1000,
  id,
  method: 'POST',
  uri: '/api/v1/measurements',
  status,
  upstream,
  upstream_status: String(status),
});

describe('killReport', () => {
  const lines = [
    line('before', KILL_AT_MS - 500, KILL_AT_MS - 400, KILLED, 201), // done before the kill
    line('open-failed', KILL_AT_MS - 30, KILL_AT_MS + 5, KILLED, 502), // in flight, lost
    line('open-answered', KILL_AT_MS - 20, KILL_AT_MS + 1, KILLED, 201), // in flight, answered just in time
    line('other', KILL_AT_MS - 30, KILL_AT_MS + 30, '127.0.0.1:9001', 201), // on a live instance
    line('failed-over', KILL_AT_MS + 100, KILL_AT_MS + 150, `${KILLED}, 127.0.0.1:9001`, 200), // refused, passed on
  ];

  it('counts the failures, the requests in flight on the killed instance and the failovers', () => {
    const report = killReport(lines, KILLED, KILL_AT_MS, new Set(['before', 'open-answered']));
    expect(report).toMatchObject({
      failed: 1,
      inFlightOnKilled: 2,
      inFlightCompletedByInstance: 1,
      sentToDeadConnection: 0,
      failedOver: 1,
      unexplained: [],
    });
  });

  it('tells a POST sent just after the kill over a dead keep-alive connection from a late failure', () => {
    const report = killReport(
      [
        ...lines,
        line('dead-connection', KILL_AT_MS + 76, KILL_AT_MS + 76, KILLED, 502), // never reached the instance
        line('reached', KILL_AT_MS + 80, KILL_AT_MS + 90, KILLED, 502), // the instance logged it: not a dead connection
      ],
      KILLED,
      KILL_AT_MS,
      new Set(['reached']),
    );
    expect(report.sentToDeadConnection).toBe(1);
    expect(report.unexplained.map((l) => l.id)).toEqual(['reached']);
  });

  it('does not explain a failure on a live instance, or one long after the kill', () => {
    const report = killReport(
      [
        ...lines,
        line('live-failure', KILL_AT_MS - 30, KILL_AT_MS + 30, '127.0.0.1:9001', 500),
        line('late-failure', KILL_AT_MS + 5_000, KILL_AT_MS + 5_010, KILLED, 502),
      ],
      KILLED,
      KILL_AT_MS,
      new Set(),
    );
    expect(report.failed).toBe(3);
    expect(report.unexplained.map((l) => l.id)).toEqual(['live-failure', 'late-failure']);
  });
});

describe('the logs', () => {
  it('reads nginx JSON lines and the ids of the requests an instance completed', () => {
    const access = `${JSON.stringify(line('a', 0, 10, KILLED, 200))}\n\n${JSON.stringify(line('b', 0, 20, KILLED, 502))}\n`;
    expect(parseAccessLog(access).map((l) => [l.id, l.status])).toEqual([
      ['a', 200],
      ['b', 502],
    ]);
    const instance = [
      '{"level":30,"reqId":"r1","msg":"request","status":201}',
      '{"level":30,"reqId":"r2","msg":"incoming"}',
      'not json',
      '{"level":30,"msg":"Recomp is ready"}',
      '{"level":30,"reqId":"r3","msg":"request","status":200}',
    ].join('\n');
    expect([...completedRequestIds(instance)]).toEqual(['r1', 'r3']);
  });

  it('sorts answers into allowed, rate-limited and other', () => {
    expect(rateLimitCount([200, 200, 429, 429, 429, 503, 304])).toEqual({ allowed: 3, limited: 3, other: 1 });
  });
});
