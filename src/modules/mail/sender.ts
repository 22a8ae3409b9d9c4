/**
 * The mail sender (docs/DEPLOY.md, 'Mail'): every instance runs one. It claims due mails from the
 * outbox (src/modules/mail/repository.ts), has each one's content made by the renderer of its kind,
 * sends it over SMTP and records the outcome. Requests only queue mails, so an SMTP server that is
 * slow or down never holds a request up: its mails wait in the outbox and are retried, with an
 * exponential backoff and jitter, until sent or, after the last try, marked failed and logged.
 *
 * It looks for due mail at once when a request of this process has queued one (`queued`), and
 * otherwise every `pollMs` (mail queued by another instance, retries coming due).
 */
import type { Database, Executor } from '../../db/client.ts';
import type { MailConfig } from '../../config.ts';
import type { MailService } from '../../core/context.ts';
import type { MailContent } from './content.ts';
import {
  claimDueMail,
  dropMail,
  markMailFailed,
  markMailSent,
  oldestPendingMail,
  pruneFinishedMail,
  type MailKind,
  type QueuedMail,
  retryMailAt,
} from './repository.ts';

/** The content of a queued mail, or null when it is not to be sent (it is then forgotten). */
export type MailRenderer = (db: Database, mail: QueuedMail) => Promise<MailContent | null>;

/** Sends one mail; rejects when the SMTP server did not take it. */
export type MailTransport = (mail: MailContent & { from: string; to: string }) => Promise<void>;

interface SenderLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface MailSenderOptions {
  db: Database;
  config: MailConfig;
  transport: MailTransport;
  renderers: Record<MailKind, MailRenderer>;
  logger: SenderLogger;
  now: () => Date;
  /** Replaces Math.random in the jitter (tests). */
  random?: () => number;
}

export interface MailSender extends MailService {
  /** Stops looking for mail; resolves once the mails being sent have been sent and recorded. */
  stop(): Promise<void>;
}

/**
 * How long a claim keeps other senders away from a mail: far longer than a try can take (the
 * transport's timeouts, src/modules/mail/transport.ts), so only a sender that stopped mid-try lets
 * its mail be tried again, by another or by itself after a restart.
 */
const CLAIM_LEASE_MS = 5 * 60_000;
const BATCH = 10;
const MAX_BACKOFF_MS = 3_600_000;
/** How often finished mails older than MAIL_KEEP_DAYS are removed. */
const PRUNE_EVERY_MS = 3_600_000;

/** The wait before try `attempts + 1`: the base doubled per try so far, capped, then a random half to all of it. */
export function retryDelayMs(baseMs: number, attempts: number, random: () => number): number {
  const full = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(full * (0.5 + random() * 0.5));
}

export const disabledMail: MailService = {
  enabled: false,
  queued() {},
  counts: () => ({ sent: 0, failed: 0, retried: 0 }),
  oldestPendingAgeSeconds: async () => 0,
};

export function startMailSender(options: MailSenderOptions): MailSender {
  const { db, config, transport, renderers, logger, now } = options;
  const random = options.random ?? Math.random;
  const counts = { sent: 0, failed: 0, retried: 0 };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let prunedAt = 0;

  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(wake, config.pollMs).unref();
  };

  function wake() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: Error) => logger.error({ err: error }, `mail sender: ${error.message}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          wake();
        } else schedule();
      });
  }

  async function drain() {
    for (;;) {
      if (stopped) return;
      const at = now();
      const claimed = await claimDueMail(db, at, new Date(at.getTime() + CLAIM_LEASE_MS), BATCH);
      for (const mail of claimed) await deliver(mail);
      if (claimed.length < BATCH) break;
    }
    if (now().getTime() - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = now().getTime();
      const removed = await pruneFinishedMail(db, new Date(prunedAt - config.keepMs));
      if (removed > 0) logger.info({ removed }, 'removed old mails from the outbox');
    }
  }

  async function deliver(mail: QueuedMail) {
    const about = { mailId: mail.id, kind: mail.kind, attempt: mail.attempts };
    try {
      const content = await renderers[mail.kind](db, mail);
      if (content === null) {
        await dropMail(db, mail.id, now());
        return;
      }
      await transport({ ...content, from: config.from, to: mail.recipient });
    } catch (error) {
      await failed(mail, error as Error, about);
      return;
    }
    counts.sent += 1;
    await record(() => markMailSent(db, mail.id, now()), about);
    logger.info(about, 'mail sent');
  }

  async function failed(mail: QueuedMail, error: Error, about: object) {
    const message = error.message.slice(0, 1000);
    if (mail.attempts >= config.maxAttempts) {
      counts.failed += 1;
      logger.error({ ...about, err: error }, `mail failed after ${mail.attempts} tries, not retried: ${message}`);
      await record(() => markMailFailed(db, mail.id, now(), message), about);
      return;
    }
    counts.retried += 1;
    const dueAt = new Date(now().getTime() + retryDelayMs(config.retryBaseMs, mail.attempts, random));
    logger.warn({ ...about, err: error, retryAt: dueAt.toISOString() }, `mail not sent, will retry: ${message}`);
    await record(() => retryMailAt(db, mail.id, dueAt, message), about);
  }

  /** A write of an outcome that fails leaves the claim to run out: the mail is then tried again. */
  async function record(write: () => Promise<void>, about: object) {
    try {
      await write();
    } catch (error) {
      logger.warn({ ...about, err: error }, `could not record a mail's outcome: ${(error as Error).message}`);
    }
  }

  let soon: NodeJS.Immediate | null = null;
  wake();
  return {
    enabled: true,
    // After the current turn of the event loop, once the answer to the request that queued the mail
    // is on its way: with the embedded database the sender's queries run on this thread, and the
    // request must not wait for them (nor take longer when a mail is to be sent than when not).
    queued() {
      soon ??= setImmediate(() => {
        soon = null;
        wake();
      });
    },
    counts: () => ({ ...counts }),
    async oldestPendingAgeSeconds() {
      const oldest = await oldestPendingMail(db as Executor);
      return oldest === null ? 0 : Math.max(0, (now().getTime() - oldest.getTime()) / 1000);
    },
    async stop() {
      stopped = true;
      if (soon) clearImmediate(soon);
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
