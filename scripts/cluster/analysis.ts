/**
 * What the cluster test reads from the logs: nginx's access log (one JSON line per request, with
 * the instances that served it) and the instances' request logs (pino JSON lines, one per
 * completed request, with its id). Pure functions, unit-tested in test/scripts/cluster-analysis.test.ts.
 */

export interface AccessLine {
  /** Seconds since the epoch when nginx finished the request, and how long it took. */
  end: number;
  duration: number;
  id: string;
  method: string;
  uri: string;
  status: number;
  /** "127.0.0.1:8001" or, after a failover, "127.0.0.1:8001, 127.0.0.1:8002". */
  upstream: string;
  upstream_status: string;
}

export function parseAccessLog(text: string): AccessLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AccessLine);
}

/** The ids of the requests an instance completed (its `request` log lines). */
export function completedRequestIds(log: string): Set<string> {
  const ids = new Set<string>();
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; reqId?: string; status?: number };
      if (entry.msg === 'request' && typeof entry.reqId === 'string') ids.add(entry.reqId);
    } catch {
      /* not a log line */
    }
  }
  return ids;
}

export interface KillReport {
  /** Requests nginx answered with 5xx (or could not answer) during the run. */
  failed: number;
  /** Requests that nginx had sent to the killed instance and that were open when it was killed. */
  inFlightOnKilled: number;
  /** Of those, the ones the instance logged as completed before it died (answered, then lost on the wire). */
  inFlightCompletedByInstance: number;
  /**
   * Requests nginx sent to the killed instance just after the kill, over a keep-alive connection it
   * had not yet seen closed, that never reached the instance. nginx retries those on another
   * instance, except a POST (it cannot know the POST was not received): the client gets a 502.
   */
  sentToDeadConnection: number;
  /** Requests that reached the dead instance after the kill and were passed on to another (failover). */
  failedOver: number;
  /** Failed requests that fit neither (on a live instance, or long after the kill). */
  unexplained: AccessLine[];
}

/**
 * The claim: killing one instance loses at most the requests in flight on it. A failed request must
 * have gone to the killed instance and have been open at the moment of the kill (start <= kill <= end,
 * with `slackMs` for the millisecond resolution of nginx's clock and ours).
 */
export function killReport(
  lines: AccessLine[],
  killed: string,
  killedAtMs: number,
  completedByKilled: Set<string>,
  slackMs = 50,
  deadConnectionMs = 2000,
): KillReport {
  const startMs = (l: AccessLine) => (l.end - l.duration) * 1000;
  const open = (l: AccessLine) => startMs(l) <= killedAtMs + slackMs && l.end * 1000 >= killedAtMs - slackMs;
  const onKilled = (l: AccessLine) => l.upstream.split(/,\s*/).includes(killed);
  const toDeadConnection = (l: AccessLine) =>
    l.upstream === killed &&
    !open(l) &&
    startMs(l) > killedAtMs &&
    startMs(l) <= killedAtMs + deadConnectionMs &&
    !completedByKilled.has(l.id);
  const failed = lines.filter((l) => l.status >= 500);
  const inFlight = lines.filter((l) => onKilled(l) && open(l));
  return {
    failed: failed.length,
    inFlightOnKilled: inFlight.length,
    inFlightCompletedByInstance: inFlight.filter((l) => completedByKilled.has(l.id)).length,
    sentToDeadConnection: failed.filter(toDeadConnection).length,
    failedOver: lines.filter((l) => onKilled(l) && l.upstream.includes(',') && l.status < 500).length,
    unexplained: failed.filter((l) => !(onKilled(l) && open(l)) && !toDeadConnection(l)),
  };
}

/** How many answers were 429 and how many were not, out of `statuses`. */
export function rateLimitCount(statuses: number[]): { limited: number; allowed: number; other: number } {
  const limited = statuses.filter((s) => s === 429).length;
  const allowed = statuses.filter((s) => s >= 200 && s < 400).length;
  return { limited, allowed, other: statuses.length - limited - allowed };
}

export interface Row {
  label: string;
  requestsPerSecond: number;
  p95Ms: number;
  p99Ms: number;
  count: number;
  failures: number;
}

export function markdownTable(rows: Row[]): string {
  return [
    '| run | requests | failed | req/s | p95 ms | p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.count} | ${r.failures} | ${r.requestsPerSecond.toFixed(1)} | ${r.p95Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} |`,
    ),
  ].join('\n');
}
