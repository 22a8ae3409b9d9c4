import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { mailOutbox } from '../../src/db/schema.ts';
import { Api, signUp, uniqueEmail } from '../helpers/api.ts';
import { appOn, type TestApp, type TestAppOptions } from '../helpers/app.ts';
import { openOwnDatabase, resetToken, type SmtpSink, startSmtpSink } from '../helpers/smtp.ts';

// The mail outbox and its sender (docs/DEPLOY.md, 'Mail'): an SMTP outage loses no mail and sends
// none twice, several instances share the outbox, and a reset request takes as long for an address
// without an account as for one with.

let opened: { close(): Promise<void> }[] = [];
/** Each test stops its apps and sinks when it ends, so that no sender of one goes on into the next. */
afterEach(async () => {
  for (const thing of opened.reverse()) await thing.close();
  opened = [];
});

async function mailApp(options: TestAppOptions): Promise<TestApp> {
  const t = await appOn(await openOwnDatabase(), options);
  opened.push(t);
  return t;
}

const QUICK = {
  MAIL_POLL_SECONDS: '0.05',
  MAIL_RETRY_BASE_SECONDS: '0.1',
  PASSWORD_RESET_MAX_PER_ADDRESS: '0',
  PASSWORD_RESET_MAX_PER_ACCOUNT: '0',
};

async function sinkOn(port?: number): Promise<SmtpSink> {
  const sink = await startSmtpSink(port === undefined ? {} : { port });
  opened.push({ close: () => sink.stop() });
  return sink;
}

/** A port where nothing listens: a sink's, stopped. */
async function closedPort(): Promise<number> {
  const sink = await startSmtpSink();
  await sink.stop();
  return sink.port;
}

async function metric(app: TestApp['app'], name: string): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(' ')[1]);
}

async function waitFor(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rowOf(t: TestApp, email: string) {
  const [row] = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.recipient, email));
  return row;
}

describe('an SMTP outage', () => {
  it('keeps the mail and sends it exactly once when the server is back', async () => {
    const port = await closedPort();
    const t = await mailApp({
      env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'recomp@example.com', PUBLIC_URL: 'https://recomp.test', ...QUICK },
    });
    const api = new Api(t.app);
    const email = uniqueEmail('outage');
    await signUp(t.app, { email });

    expect((await api.post('/api/v1/auth/password-reset', { email })).status).toBe(202);
    await waitFor(async () => (await metric(t.app, 'recomp_mail_retried_total')) >= 2, 'two failed tries');
    const waiting = await rowOf(t, email);
    expect(waiting).toMatchObject({ status: 'pending', lastError: expect.any(String) });
    expect(await metric(t.app, 'recomp_mail_oldest_pending_age_seconds')).toBeGreaterThan(0);
    expect(await metric(t.app, 'recomp_mail_sent_total')).toBe(0);

    const sink = await sinkOn(port);
    const mail = await sink.mailTo(email);
    // Several polls later, still one.
    await settle(500);
    expect(sink.mailsTo(email)).toHaveLength(1);
    expect(await rowOf(t, email)).toMatchObject({ status: 'sent', lastError: null, finishedAt: expect.any(Date) });
    expect(await metric(t.app, 'recomp_mail_sent_total')).toBe(1);
    expect(await metric(t.app, 'recomp_mail_oldest_pending_age_seconds')).toBe(0);
    // The link of the mail that arrived works (the failed tries' links were never seen by anyone).
    const confirmed = await api.post('/api/v1/auth/password-reset/confirm', {
      token: resetToken(mail),
      new_password: 'After-the-outage-1',
    });
    expect(confirmed.status).toBe(200);
  }, 30_000);

  it('marks a mail failed after its last try, and counts it', async () => {
    const port = await closedPort();
    const t = await mailApp({
      env: {
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        MAIL_FROM: 'recomp@example.com',
        PUBLIC_URL: 'https://recomp.test',
        ...QUICK,
        MAIL_MAX_ATTEMPTS: '3',
      },
    });
    const email = uniqueEmail('gives-up');
    await signUp(t.app, { email });
    expect((await new Api(t.app).post('/api/v1/auth/password-reset', { email })).status).toBe(202);
    await waitFor(async () => (await rowOf(t, email))?.status === 'failed', 'the mail to be marked failed');
    expect(await rowOf(t, email)).toMatchObject({ attempts: 3, lastError: expect.any(String), finishedAt: expect.any(Date) });
    expect(await metric(t.app, 'recomp_mail_failed_total')).toBe(1);
    expect(await metric(t.app, 'recomp_mail_retried_total')).toBe(2);
  }, 30_000);
});

describe('two instances on one database', () => {
  it('send each queued mail once', async () => {
    const sink = await sinkOn();
    const database = await openOwnDatabase();
    const env = { ...sink.env, ...QUICK };
    const first = await appOn(database, { env });
    const second = await appOn(database, { env });
    opened.push(database, { close: () => first.app.close() }, { close: () => second.app.close() });
    const emails = Array.from({ length: 20 }, () => uniqueEmail('two-senders'));
    for (const email of emails) await signUp(first.app, { email });
    // Half queued through each instance: both senders wake and claim from the same outbox.
    await Promise.all(emails.map((email, i) => new Api((i % 2 === 0 ? first : second).app).post('/api/v1/auth/password-reset', { email })));
    await waitFor(() => emails.every((email) => sink.mailsTo(email).length > 0), 'every mail');
    await settle(500);
    expect(emails.map((email) => sink.mailsTo(email).length)).toEqual(emails.map(() => 1));
    const sent = await database.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.kind, 'password_reset'), eq(mailOutbox.status, 'sent')));
    expect(sent.filter((row) => emails.includes(row.recipient)).map((row) => row.attempts)).toEqual(emails.map(() => 1));
  }, 60_000);
});

describe('a reset request', () => {
  it('takes as long for an address without an account as for one with (medians within 10 %)', async () => {
    const TRIES = 150;
    const sink = await sinkOn();
    const t = await mailApp({ env: { ...sink.env, ...QUICK, MAIL_POLL_SECONDS: '60' } });
    const api = new Api(t.app);
    const known = uniqueEmail('timing-known');
    await signUp(t.app, { email: known });
    let previous: (() => Promise<boolean>) | null = null;
    /**
     * One request, timed alone: the sender has finished with the one before (mailed it, or dropped
     * it), and a few untimed requests have run just before, so each is timed as warm as the others.
     */
    const timed = async (email: string) => {
      if (previous) await waitFor(previous, 'the sender to finish');
      for (let i = 0; i < 3; i++) await api.get('/api/v1/auth/options');
      const started = performance.now();
      const response = await api.post('/api/v1/auth/password-reset', { email });
      const ms = performance.now() - started;
      expect(response.status).toBe(202);
      const mailed = sink.mailsTo(email).length;
      previous = email === known ? async () => sink.mailsTo(email).length > mailed : async () => (await rowOf(t, email)) === undefined;
      return ms;
    };
    for (let i = 0; i < 10; i++) await timed(i % 2 === 0 ? known : uniqueEmail('timing-unknown'));
    const samples = { known: [] as number[], unknown: [] as number[] };
    // Interleaved, in a random order within each pair, so that any drift over the run falls on both kinds alike.
    // Each request takes about 1.5 ms here, so the scheduling noise of a busy machine is large against
    // it: 150 tries of each kind (not the least that would do, 50) keep the medians steady.
    for (let i = 0; i < TRIES; i++) {
      const order = Math.random() < 0.5 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const);
      for (const kind of order) samples[kind].push(await timed(kind === 'known' ? known : uniqueEmail('timing-unknown')));
    }
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return (sorted[TRIES / 2 - 1]! + sorted[TRIES / 2]!) / 2;
    };
    const [a, b] = [median(samples.known), median(samples.unknown)];
    expect(Math.abs(a - b) / Math.min(a, b), `medians ${a.toFixed(3)} ms and ${b.toFixed(3)} ms`).toBeLessThanOrEqual(0.1);
  }, 180_000);
});
