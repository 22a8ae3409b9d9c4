/**
 * Prometheus metrics (prom-client), one registry per app: per-route latency histograms and response
 * counts (labelled by the route's pattern, never the raw URL, so ids do not explode the series),
 * the PostgreSQL pool's size and its connections' states, the argon2 work in flight, the mail
 * outbox (SMTP_URL), the scheduled backups (BACKUP_DIR), and prom-client's process metrics (CPU,
 * memory, handles, GC, event-loop delay). On the main port at GET /metrics, or with METRICS_PORT only
 * on that port (bound to HOST), out of reach of whatever the main port is exposed to.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppContext } from '../core/context.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where the separate metrics server listens (METRICS_PORT), once the app is ready; null without one. */
    metricsAddress(): AddressInfo | null;
  }
}

/** How long a scrape waits for the pool's connection states before leaving them out. */
const POOL_QUERY_TIMEOUT_MS = 1000;

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function metricsRegistry(ctx: AppContext): Registry {
  const registers = [new Registry()];
  const [registry] = registers as [Registry];
  collectDefaultMetrics({ register: registry });
  const pool = ctx.database.pool;
  if (pool) {
    new Gauge({
      name: 'recomp_db_pool_size',
      help: 'Connections the PostgreSQL pool may open',
      registers,
      collect() {
        this.set(pool.size);
      },
    });
  }
  const sessions = pool?.sessions;
  if (sessions) {
    new Gauge({
      name: 'recomp_db_pool_connections',
      help: 'Open connections of the PostgreSQL pool by their state on the server (pg_stat_activity, read at scrape time): active ones are in use',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        // A database that does not answer must not hold up or fail the scrape: the gauge is left empty.
        const counts = await Promise.race([
          sessions(),
          new Promise<null>((resolve) => setTimeout(resolve, POOL_QUERY_TIMEOUT_MS, null).unref()),
        ]).catch(() => null);
        for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
      },
    });
  }
  new Counter({
    name: 'recomp_db_reads_total',
    help: "Reads of users' data (ctx.reader) sent to the primary or to a read replica",
    labelNames: ['target'],
    registers,
    collect() {
      this.reset();
      this.inc({ target: 'primary' }, ctx.reads.routed.primary);
      this.inc({ target: 'replica' }, ctx.reads.routed.replica);
    },
  });
  new Gauge({
    name: 'recomp_argon2_in_flight',
    help: 'Password hashes and verifications running, or waiting for their turn (ARGON2_CONCURRENCY)',
    registers,
    collect() {
      this.set(ctx.passwords.inFlight());
    },
  });
  new Gauge({
    name: 'recomp_argon2_waiting',
    help: 'Password hashes and verifications waiting for their turn (ARGON2_CONCURRENCY run at once)',
    registers,
    collect() {
      this.set(ctx.passwords.waiting());
    },
  });
  if (ctx.mail.enabled) {
    const mail = ctx.mail;
    for (const [outcome, help] of [
      ['sent', 'Mails this instance sent since it started'],
      ['failed', 'Mails this instance gave up on after their last try (MAIL_MAX_ATTEMPTS), since it started'],
      ['retried', 'Tries of a mail that failed and were left for a later try, by this instance since it started'],
    ] as const) {
      new Counter({
        name: `recomp_mail_${outcome}_total`,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(mail.counts()[outcome]);
        },
      });
    }
    new Gauge({
      name: 'recomp_mail_oldest_pending_age_seconds',
      help: 'How long the oldest mail still waiting in the outbox (any instance queued it) has waited; 0 when none waits',
      registers,
      async collect() {
        // Like the pool's states: a database that does not answer leaves the gauge as it was.
        const age = await Promise.race([
          mail.oldestPendingAgeSeconds(),
          new Promise<null>((resolve) => setTimeout(resolve, POOL_QUERY_TIMEOUT_MS, null).unref()),
        ]).catch(() => null);
        if (age !== null) this.set(age);
      },
    });
  }
  const backups = ctx.backups;
  if (backups) {
    new Gauge({
      name: 'recomp_backup_last_success_timestamp_seconds',
      help: 'Time of the newest backup in BACKUP_DIR, by its name (this instance wrote it, or another sharing the folder); 0 while there is none',
      registers,
      collect() {
        this.set((backups.status().lastSuccessAt?.getTime() ?? 0) / 1000);
      },
    });
    new Counter({
      name: 'recomp_backup_failures_total',
      help: 'Scheduled backups of this instance that failed since it started',
      registers,
      collect() {
        this.reset();
        this.inc(backups.status().failures);
      },
    });
    new Gauge({
      name: 'recomp_backup_duration_seconds',
      help: "How long this instance's last scheduled backup took, successful or not",
      registers,
      collect() {
        const { lastDurationSeconds } = backups.status();
        if (lastDurationSeconds !== null) this.set(lastDurationSeconds);
      },
    });
  }
  return registry;
}

export function registerMetrics(app: FastifyInstance, ctx: AppContext) {
  const registry = metricsRegistry(ctx);
  const labelNames = ['method', 'route', 'status_code'] as const;
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request, by route pattern',
    labelNames,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const responses = new Counter({
    name: 'http_responses_total',
    help: 'Responses sent, by route pattern and status',
    labelNames,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
    duration.observe(labels, reply.elapsedTime / 1000);
    responses.inc(labels);
  });

  const { metricsPort, host } = ctx.config;
  if (metricsPort === null) {
    app.decorate('metricsAddress', () => null);
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
      reply.type(registry.contentType).send(await registry.metrics()),
    );
    return;
  }
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: Error) => {
        app.log.error({ err: error }, 'metrics collection failed');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      },
    );
  });
  app.decorate('metricsAddress', () => server.address() as AddressInfo | null);
  app.addHook('onReady', async () => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(metricsPort, host, () => resolve());
    });
  });
  app.addHook('onClose', async () => {
    await new Promise((resolve) => server.close(resolve));
  });
}
