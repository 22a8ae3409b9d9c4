/** Mail over SMTP with nodemailer, to the server of SMTP_URL (docs/DEPLOY.md, 'Mail'). */
import { createTransport } from 'nodemailer';
import type { MailTransport } from './sender.ts';

/**
 * Time limits of one try, well within the sender's claim (CLAIM_LEASE_MS): an SMTP server that
 * stops answering fails the try, which is retried later, rather than holding the sender.
 */
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };

export function smtpTransport(smtpUrl: string): { send: MailTransport; close(): void } {
  const url = new URL(smtpUrl);
  const transporter = createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? (url.protocol === 'smtps:' ? 465 : 587) : Number(url.port),
    secure: url.protocol === 'smtps:',
    ...(url.username === '' ? {} : { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
    ...TIMEOUTS,
  });
  return {
    async send(mail) {
      await transporter.sendMail(mail);
    },
    close: () => transporter.close(),
  };
}
