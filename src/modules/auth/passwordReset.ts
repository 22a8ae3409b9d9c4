/**
 * Password reset by mail (docs/SECURITY.md, 'Password reset').
 *
 * A request does the same work whatever the address: it counts against the limits and queues one
 * mail job for the lower-cased address, then answers 202. Which account the address belongs to is
 * decided later, by the mail sender (`passwordResetMail`): an address without an account that may
 * sign in gets no mail, and its job's address is blanked, leaving nothing about it stored. So neither the
 * answer nor its timing says whether an account exists, and a request that was answered is on
 * record: a crash after the 202 loses no mail.
 *
 * The link carries a random 32-byte token in its fragment (never sent to a server, so never in a
 * log or a Referer); only its SHA-256 is stored. It is made when the mail is sent, works once, for
 * RESET_TOKEN_TTL_MS; a later request makes a new link and leaves the earlier ones as they were.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { AppContext, PasswordResetLimiter } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { CounterStore } from '../../infra/counters.ts';
import { linkMail } from '../mail/content.ts';
import { queueMail } from '../mail/repository.ts';
import type { MailRenderer } from '../mail/sender.ts';
import { revokeAllFamilies } from './repository.ts';
import {
  liveResetToken,
  removeExpiredResetTokens,
  resettableAccount,
  setPasswordHash,
  storeResetToken,
  useAllResetTokens,
  useResetToken,
} from './passwordResetRepository.ts';
import { issuePair, type TokenPair } from './service.ts';
import { digestToken } from './tokens.ts';

const RESET_TOKEN_TTL_MS = 30 * 60_000;
/** A request the sender could not get to within this long (a long SMTP outage, a restored backup) is no longer wanted. */
const REQUEST_STALE_MS = 24 * 3_600_000;
/** The path of the web app's screen that reads the token from the fragment. */
const RESET_PATH = '/reset-password';

const mailDisabled = () =>
  new AppError('not_implemented', 'mail_disabled', 'This service does not send mail, so it cannot reset passwords; ask its administrator');

const invalidToken = () =>
  new AppError(
    'bad_request',
    'invalid_reset_token',
    'This link to set a new password is not valid: it was used, it expired, or it is wrong',
  );

export function createPasswordResetLimiter(store: CounterStore, limits: Config['passwordResetLimit']): PasswordResetLimiter {
  return {
    async take(address, email) {
      const allowances = [
        { key: `reset:address:${address}`, limit: limits.perAddress, windowMs: limits.windowMs },
        { key: `reset:account:${email.toLowerCase()}`, limit: limits.perAccount, windowMs: limits.windowMs },
      ].filter((allowance) => allowance.limit > 0);
      if (allowances.length === 0) return;
      const reservation = await store.take(allowances);
      if (reservation.granted) return;
      const retryAfter = Math.max(1, Math.ceil(reservation.retryAfterMs / 1000));
      throw new AppError(
        'too_many_requests',
        'too_many_password_resets',
        `Too many password-reset requests; try again in ${retryAfter} seconds`,
        { retryAfterSeconds: retryAfter },
      );
    },
  };
}

export async function requestPasswordReset(ctx: AppContext, email: string, address: string): Promise<void> {
  if (!ctx.mail.enabled) throw mailDisabled();
  const recipient = email.toLowerCase();
  await ctx.passwordResetLimiter.take(address, recipient);
  await queueMail(ctx.db, 'password_reset', recipient, ctx.now());
  ctx.mail.queued();
}

/** The sender's renderer of reset mails: a new link for the address's account, or null (no mail) without one. */
export function passwordResetMail(publicUrl: string, now: () => Date): MailRenderer {
  return async (db, mail) => {
    const at = now();
    if (at.getTime() - mail.createdAt.getTime() > REQUEST_STALE_MS) return null;
    const account = await resettableAccount(db, mail.recipient);
    if (account === null) return null;
    const token = randomBytes(32).toString('base64url');
    await db.transaction(async (tx) => {
      await removeExpiredResetTokens(tx, account.id, at);
      await storeResetToken(tx, {
        userId: account.id,
        tokenHash: digestToken(token),
        expiresAt: new Date(at.getTime() + RESET_TOKEN_TTL_MS),
        now: at,
      });
    });
    return linkMail(
      'Set a new password for Recomp',
      {
        before: 'Someone asked to set a new password for the Recomp account with this address. To choose a new password, open this link:',
        after: [
          `The link works once, for ${RESET_TOKEN_TTL_MS / 60_000} minutes. Setting a new password signs out every device signed in to the account.`,
          'If you did not ask for this, you can ignore this mail: your password stays as it is.',
        ],
      },
      { label: 'Set a new password', url: `${publicUrl}${RESET_PATH}#token=${token}` },
    );
  };
}

/**
 * Sets a new password with a reset link's token: the token is used up, with every other link of the
 * account, and every sign-in of the account ends; then a new sign-in starts. A used, expired or
 * unknown token, or one of a disabled account, gets the same refusal.
 */
export async function confirmPasswordReset(ctx: AppContext, token: string, newPassword: string): Promise<TokenPair> {
  if (!ctx.mail.enabled) throw mailDisabled();
  const tokenHash = digestToken(token);
  // Checked before the costly hash, so a wrong token costs no argon2 work; checked again below, atomically.
  if (!(await liveResetToken(ctx.db, tokenHash, ctx.now()))) throw invalidToken();
  const passwordHash = await ctx.passwords.hash(newPassword);
  const now = ctx.now();
  const userId = await ctx.db.transaction(async (tx) => {
    const owner = await useResetToken(tx, tokenHash, now);
    if (owner === null || !(await setPasswordHash(tx, owner, passwordHash, now))) throw invalidToken();
    await useAllResetTokens(tx, owner, now);
    await revokeAllFamilies(tx, owner, now);
    return owner;
  });
  ctx.sessions.forgetUser(userId);
  return issuePair(ctx, userId, randomUUID());
}
