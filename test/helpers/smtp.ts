/**
 * A local SMTP server that keeps what it receives, for the mail tests: on 127.0.0.1 at a random
 * port (or a given one, to come back after being stopped), without TLS or authentication. Each
 * mail is parsed (mailparser) so a test can read its text, HTML and links.
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { type DatabaseHandle, openPostgres } from '../../src/db/client.ts';
import { databaseKind, openTestDatabase } from './app.ts';
import { createPostgresDatabase, dropPostgresDatabase } from './backup.ts';

export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** SMTP_URL, MAIL_FROM and PUBLIC_URL for an app that sends here. */
  env: Record<string, string>;
  /** The first mail to `to` received after the `after`-th mail to it; waits for it up to `timeoutMs`. */
  mailTo(to: string, options?: { after?: number; timeoutMs?: number }): Promise<ReceivedMail>;
  mailsTo(to: string): ReceivedMail[];
  stop(): Promise<void>;
}

export const TEST_PUBLIC_URL = 'https://recomp.test';

const address = (value: ParsedMail['to'] | ParsedMail['from']) =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => a.value.map((v) => v.address ?? '')).join(',');

export async function startSmtpSink(options: { port?: number; publicUrl?: string } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push({
            to: address(parsed.to).toLowerCase(),
            from: address(parsed.from),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const mailsTo = (to: string) => mails.filter((mail) => mail.to === to.toLowerCase());
  return {
    port,
    mails,
    env: {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Recomp <recomp@example.com>',
      PUBLIC_URL: options.publicUrl ?? TEST_PUBLIC_URL,
    },
    mailsTo,
    async mailTo(to, { after = 0, timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (mailsTo(to).length <= after) {
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return mailsTo(to)[after]!;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The token of a reset mail's link (`…/reset-password#token=…`), from its text. */
export function resetToken(mail: ReceivedMail): string {
  const match = /\/reset-password#token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`no reset link in: ${mail.text}`);
  return match[1]!;
}

/**
 * A database of the caller's own on either engine (on PostgreSQL a new one, migrated, dropped on
 * close). Apps that send mail use one: every sender claims from the whole outbox, so apps of other
 * test files sharing the run's database would send each other's mails to their own sinks.
 */
export async function openOwnDatabase(): Promise<DatabaseHandle> {
  if (databaseKind() === 'pglite') return openTestDatabase();
  const url = await createPostgresDatabase();
  const handle = await openPostgres(url, { poolSize: 10, migrate: url });
  return { ...handle, close: () => dropPostgresDatabase(url, handle) };
}
