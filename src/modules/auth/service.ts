import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import { AppError, conflict, unauthorized, unprocessable } from '../../core/errors.ts';
import { findUserByEmail, findUserById, replacePasswordHash, updateUser, type UserRow } from '../users/repository.ts';
import { currentUser } from '../users/service.ts';
import { checkPassword } from './loginLimiter.ts';
import { consumeRefreshToken, findRefreshToken, revokeFamily, revokeOtherFamilies, storeRefreshToken } from './repository.ts';
import { digestToken } from './tokens.ts';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
}

/**
 * A disabled account (docs/SECURITY.md, "Disabled accounts") is told so only to whoever holds its
 * password or one of its tokens, so the code tells a stranger nothing about which emails have accounts.
 */
export const accountDisabled = () =>
  new AppError('unauthorized', 'account_disabled', 'This account is disabled; ask the administrator of this service to enable it');

/** Starts a sign-in of `userId`, a new refresh-token family (`familyId`) and its first pair: password sign-in, single sign-on and a password reset all end here. */
export async function issuePair(ctx: AppContext, userId: string, familyId: string): Promise<TokenPair> {
  const refresh = ctx.tokens.issueRefresh(userId, familyId);
  const stored = await storeRefreshToken(ctx.db, { userId, familyId, tokenHash: digestToken(refresh.token), expiresAt: refresh.expiresAt });
  if (!stored) throw accountDisabled();
  return {
    access_token: ctx.tokens.issueAccess(userId, familyId),
    refresh_token: refresh.token,
    token_type: 'bearer',
    expires_in: ctx.tokens.accessTtlSeconds,
  };
}

const LOGIN_FAILED = 'Incorrect email or password';

export async function login(ctx: AppContext, email: string, password: string, address: string, log: FastifyBaseLogger): Promise<TokenPair> {
  const user = await checkPassword(ctx.loginLimiter, email, address, async () => {
    const found = await findUserByEmail(ctx.db, email);
    // An unknown email still costs one argon2 verification, so timing does not tell which it was.
    const right = await ctx.passwords.verify(found?.passwordHash ?? null, password);
    return right && found !== null ? found : false;
  });
  if (user === false) throw unauthorized(LOGIN_FAILED);
  if (user.disabledAt !== null) throw accountDisabled();
  ctx.profiles.remember(user);
  if (user.passwordHash !== null && ctx.passwords.needsRehash(user.passwordHash))
    await rehash(ctx, user.id, user.passwordHash, password, log);
  return issuePair(ctx, user.id, randomUUID());
}

/**
 * Stores the password hashed with the current parameters, once it has been verified against a hash
 * made with others. The sign-in succeeds whatever happens here; the old hash keeps working.
 */
async function rehash(ctx: AppContext, userId: string, verified: string, password: string, log: FastifyBaseLogger): Promise<void> {
  try {
    const replaced = await replacePasswordHash(ctx.db, userId, verified, await ctx.passwords.hash(password));
    log.info(
      { userId, replaced },
      replaced ? 'password hash upgraded to the current parameters' : 'password hash not upgraded: it changed meanwhile',
    );
  } catch (error) {
    log.warn({ err: error, userId }, 'could not upgrade the password hash; it stays as it was');
  }
}

/**
 * Changes the password of the signed-in user once the current one is confirmed (wrong attempts
 * count towards the sign-in limits, as at sign-in). Every other sign-in of the account ends; this
 * one goes on.
 */
export async function changePassword(
  ctx: AppContext,
  auth: { userId: string; sessionId: string },
  current: string,
  next: string,
  address: string,
): Promise<void> {
  if (next === current) {
    throw unprocessable(
      'The new password must differ from the current one',
      [{ field: 'body.new_password', message: 'must differ from the current password' }],
      'password_unchanged',
    );
  }
  const user = await currentUser(ctx, auth.userId);
  await confirmPassword(ctx, user, current, address, 'The current password does not match; the password was not changed');
  const now = ctx.now();
  if (!(await replacePasswordHash(ctx.db, user.id, user.passwordHash!, await ctx.passwords.hash(next), now))) {
    throw conflict('The password was changed by another request meanwhile; nothing was changed', 'password_changed_meanwhile');
  }
  await revokeOtherFamilies(ctx.db, user.id, auth.sessionId, now);
  ctx.sessions.forgetUser(user.id);
}

/** Confirms the signed-in user's password, counting a wrong one as a failed sign-in (403 `refusal`). */
export async function confirmPassword(ctx: AppContext, user: UserRow, password: string, address: string, refusal: string): Promise<void> {
  if (!(await checkPassword(ctx.loginLimiter, user.email, address, () => ctx.passwords.verify(user.passwordHash, password)))) {
    throw new AppError('forbidden', 'password_mismatch', refusal);
  }
}

/**
 * Changes the sign-in address once the password is confirmed. Stored lower-cased, as at
 * registration; an address another account has is refused by the unique index (409 email_taken).
 */
export async function changeEmail(ctx: AppContext, userId: string, password: string, newEmail: string, address: string): Promise<UserRow> {
  const email = newEmail.toLowerCase();
  const user = await currentUser(ctx, userId);
  if (user.email === email) {
    throw unprocessable(
      'The new email is the one you already have',
      [{ field: 'body.new_email', message: 'is already your email' }],
      'email_unchanged',
    );
  }
  await confirmPassword(ctx, user, password, address, 'The password does not match; the email was not changed');
  // Whether an address is taken shows here as at sign-up (409): both draw on the same allowance
  // per client address (docs/SECURITY.md, "Accounts and sign-in").
  await ctx.signupLimiter.take(address);
  const updated = await updateUser(ctx.db, user.id, { email });
  if (!updated) throw unauthorized('Could not validate credentials');
  ctx.profiles.remember(updated);
  return updated;
}

/**
 * Rotation with reuse detection (docs/DESIGN.md, 'Tokens and sign-ins'): each refresh token works once; presenting one that was
 * already rotated means it leaked, so the whole family (that sign-in) is revoked.
 */
export async function refresh(ctx: AppContext, refreshToken: string): Promise<TokenPair> {
  const claims = ctx.tokens.verify(refreshToken);
  if (claims === null || claims.type !== 'refresh') throw unauthorized('Could not validate refresh token');
  const tokenHash = digestToken(refreshToken);
  const now = ctx.now();
  const live = await consumeRefreshToken(ctx.db, tokenHash, now);
  if (live) return issuePair(ctx, live.userId, live.familyId);
  const known = await findRefreshToken(ctx.db, tokenHash);
  if (known) {
    await revokeFamily(ctx.db, known.familyId, now);
    ctx.sessions.forgetUser(known.userId);
    // Disabling ended every sign-in of the account: say why this one ended.
    if ((await findUserById(ctx.db, known.userId))?.disabledAt) throw accountDisabled();
  }
  throw unauthorized('Could not validate refresh token');
}

export async function logout(ctx: AppContext, userId: string, sessionId: string): Promise<void> {
  await revokeFamily(ctx.db, sessionId, ctx.now());
  ctx.sessions.forgetUser(userId);
}
