/**
 * Single sign-on (docs/SECURITY.md, 'Single sign-on'; docs/DEPLOY.md, 'Single sign-on'): a sign-in
 * begun here goes to the provider and comes back to the callback, which hands the web app a
 * short-lived code; the code is exchanged for the same token pair as a password sign-in. Accounts
 * are known by the provider's (issuer, sub); a first sign-in joins an account with the same email
 * only once its password is proven (or, when allowed, on the provider's word that it verified the
 * email), or creates one when sign-up is allowed.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import type { OidcConfig } from '../../../config.ts';
import type { AppContext } from '../../../core/context.ts';
import { AppError, conflict, unauthorized, unprocessable } from '../../../core/errors.ts';
import { findUserByEmail, findUserById, insertUser, type UserRow } from '../../users/repository.ts';
import { profileChanges } from '../../users/service.ts';
import { checkPassword } from '../loginLimiter.ts';
import { accountDisabled, issuePair, type TokenPair } from '../service.ts';
import type { OidcProvider } from './provider.ts';
import {
  findHandoff,
  findIdentityUser,
  type HandoffRow,
  insertIdentity,
  setFirstPasswordHash,
  storeHandoff,
  storeLogin,
  takeHandoff,
  takeLogin,
} from './repository.ts';
import type { SignupBody } from './schemas.ts';

/** How long a sign-in may take at the provider, and the web app to use the code it comes back with. */
const LOGIN_TTL_MS = 10 * 60_000;
const HANDOFF_TTL_MS = 10 * 60_000;

const digest = (value: string) => createHash('sha256').update(value).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

export const notConfigured = () => new AppError('not_found', 'oidc_not_configured', 'Single sign-on is not set up on this service');

const callbackInvalid = (detail: string) =>
  new AppError('bad_request', 'oidc_callback_invalid', `The sign-in could not be verified: ${detail}`);

const codeInvalid = () =>
  new AppError('bad_request', 'oidc_code_invalid', 'This sign-in code is unknown, used or expired; sign in with the provider again');

/** The unique indexes of user_identities, for src/http/errors.ts. */
export const identityTaken = () =>
  conflict('This provider account is already linked to an account, or this account to another provider account', 'oidc_identity_taken');

function oidcSettings(ctx: AppContext): OidcConfig {
  if (ctx.config.oidc === null) throw notConfigured();
  return ctx.config.oidc;
}

/** A new sign-in: the provider's URL to send the browser to, and the value of the cookie binding it to this browser. */
export async function beginLogin(ctx: AppContext, provider: OidcProvider): Promise<{ url: URL; browserBinding: string }> {
  const secrets = { state: secret(), nonce: secret(), codeVerifier: secret() };
  const url = await provider.authorizationUrl(secrets);
  const browserBinding = secret();
  const now = ctx.now();
  await storeLogin(
    ctx.db,
    {
      stateHash: digest(secrets.state),
      browserHash: digest(browserBinding),
      codeVerifier: secrets.codeVerifier,
      nonce: secrets.nonce,
      expiresAt: new Date(now.getTime() + LOGIN_TTL_MS),
    },
    now,
  );
  return { url, browserBinding };
}

/**
 * The provider's redirect back: the sign-in begun with its state, in this browser, once; then
 * openid-client checks state, PKCE, issuer, audience and nonce as it redeems the code. Returns the
 * code the web app exchanges.
 */
export async function completeLogin(
  ctx: AppContext,
  provider: OidcProvider,
  query: string,
  state: string | undefined,
  browserBinding: string | undefined,
): Promise<string> {
  const settings = oidcSettings(ctx);
  if (state === undefined) throw callbackInvalid('the answer has no state');
  const login = await takeLogin(ctx.db, digest(state), ctx.now());
  if (login === null) throw callbackInvalid('this sign-in is unknown, already finished or expired');
  // Login CSRF: a callback for a sign-in this browser did not begin is refused.
  if (browserBinding === undefined || digest(browserBinding) !== login.browserHash)
    throw callbackInvalid('this sign-in was begun in another browser');
  const identity = await provider.redeem(new URL(`${settings.redirectUri}?${query}`), {
    state,
    nonce: login.nonce,
    codeVerifier: login.codeVerifier,
  });
  const code = secret();
  const now = ctx.now();
  await storeHandoff(
    ctx.db,
    {
      codeHash: digest(code),
      issuer: identity.issuer,
      subject: identity.subject,
      email: identity.email !== null && identity.email.length <= 255 ? identity.email : null,
      emailVerified: identity.emailVerified,
      fullName: identity.fullName?.slice(0, 255) ?? null,
      expiresAt: new Date(now.getTime() + HANDOFF_TTL_MS),
    },
    now,
  );
  return code;
}

async function liveHandoff(ctx: AppContext, code: string): Promise<HandoffRow> {
  const handoff = await findHandoff(ctx.db, digest(code), ctx.now());
  if (handoff === null) throw codeInvalid();
  return handoff;
}

/** Uses the handoff up and signs its account in. */
async function signIn(ctx: AppContext, handoff: HandoffRow, user: UserRow): Promise<TokenPair> {
  if (user.disabledAt !== null) throw accountDisabled();
  if (!(await takeHandoff(ctx.db, handoff.codeHash))) throw codeInvalid();
  ctx.profiles.remember(user);
  return issuePair(ctx, user.id, randomUUID());
}

type NextStep = { step: 'sign_in'; user: UserRow } | { step: 'link'; user: UserRow } | { step: 'signup' } | { step: 'refused' };

/** What a handoff leads to: its linked account, an account to link (with its password), a sign-up, or nothing. */
async function nextStep(ctx: AppContext, handoff: HandoffRow): Promise<NextStep> {
  const settings = oidcSettings(ctx);
  const linked = await findIdentityUser(ctx.db, handoff.issuer, handoff.subject);
  if (linked !== null) {
    const user = await findUserById(ctx.db, linked);
    if (user !== null) return { step: 'sign_in', user };
  }
  const sameEmail = handoff.email === null ? null : await findUserByEmail(ctx.db, handoff.email);
  if (sameEmail !== null) {
    if (handoff.emailVerified === true && settings.linkVerifiedEmail) {
      await insertIdentity(ctx.db, { userId: sameEmail.id, issuer: handoff.issuer, subject: handoff.subject });
      return { step: 'sign_in', user: sameEmail };
    }
    return { step: 'link', user: sameEmail };
  }
  return settings.allowSignup ? { step: 'signup' } : { step: 'refused' };
}

const signupRefused = () =>
  new AppError(
    'forbidden',
    'oidc_signup_disabled',
    'No account here belongs to this provider account, and this service does not create accounts through single sign-on; ask its administrator',
  );

/** The web app's code, exchanged once for a token pair; a first sign-in is told what it needs first (409). */
export async function exchangeCode(ctx: AppContext, code: string): Promise<TokenPair> {
  const handoff = await liveHandoff(ctx, code);
  const next = await nextStep(ctx, handoff);
  switch (next.step) {
    case 'sign_in':
      return signIn(ctx, handoff, next.user);
    case 'link':
      throw conflict('An account with this email exists: confirm its password once to link it', 'oidc_link_required');
    case 'signup':
      throw conflict('Complete your profile to create your account', 'oidc_signup_required');
    case 'refused':
      await takeHandoff(ctx.db, handoff.codeHash);
      throw signupRefused();
  }
}

/** What the web app shows on a first sign-in: the next step and what the provider said of the person. */
export async function pendingSignIn(ctx: AppContext, code: string) {
  const handoff = await liveHandoff(ctx, code);
  const next = await nextStep(ctx, handoff);
  return {
    next: next.step,
    email: handoff.email,
    full_name: handoff.fullName,
    provider: oidcSettings(ctx).name,
  };
}

/** Links the provider account to the account with its email once that account's password is proven, as at sign-in. */
export async function linkWithPassword(ctx: AppContext, code: string, password: string, address: string): Promise<TokenPair> {
  const handoff = await liveHandoff(ctx, code);
  const next = await nextStep(ctx, handoff);
  if (next.step === 'sign_in') return signIn(ctx, handoff, next.user);
  if (next.step !== 'link')
    throw new AppError('bad_request', 'oidc_nothing_to_link', 'No account here has the email this provider account gave');
  const { user } = next;
  const right = await checkPassword(ctx.loginLimiter, user.email, address, () => ctx.passwords.verify(user.passwordHash, password));
  if (!right) throw unauthorized('Incorrect password');
  if (user.disabledAt !== null) throw accountDisabled();
  if (!(await takeHandoff(ctx.db, handoff.codeHash))) throw codeInvalid();
  await insertIdentity(ctx.db, { userId: user.id, issuer: handoff.issuer, subject: handoff.subject });
  ctx.profiles.remember(user);
  return issuePair(ctx, user.id, randomUUID());
}

/** Creates an account without a password for a provider account nobody here has, with the profile the person completed. */
export async function signUpWithProvider(ctx: AppContext, body: Static<typeof SignupBody>, address: string): Promise<TokenPair> {
  const handoff = await liveHandoff(ctx, body.code);
  const next = await nextStep(ctx, handoff);
  if (next.step === 'sign_in') return signIn(ctx, handoff, next.user);
  if (next.step === 'link') throw conflict('An account with this email exists: link it with its password instead', 'oidc_link_required');
  if (next.step === 'refused') throw signupRefused();
  if (handoff.email === null)
    throw new AppError('forbidden', 'oidc_email_missing', 'The provider did not say your email, which an account here needs');
  if (handoff.emailVerified === false)
    throw new AppError('forbidden', 'oidc_email_unverified', 'The provider has not verified your email; verify it there first');
  const { code: _code, ...fields } = body;
  const fullName = fields.full_name ?? handoff.fullName;
  if (fullName === null)
    throw unprocessable('The provider did not say your name', [{ field: 'body.full_name', message: 'Field required' }]);
  const profile = profileChanges({ ...fields, full_name: fullName }, ctx.now());
  await ctx.signupLimiter.take(address);
  if (!(await takeHandoff(ctx.db, handoff.codeHash))) throw codeInvalid();
  const email = handoff.email;
  const user = await ctx.db.transaction(async (tx) => {
    const created = await insertUser(tx, {
      ...(profile as Required<typeof profile>),
      units: body.units ?? 'metric',
      email,
      passwordHash: null,
    });
    await insertIdentity(tx, { userId: created.id, issuer: handoff.issuer, subject: handoff.subject });
    return created;
  });
  ctx.profiles.remember(user);
  return issuePair(ctx, user.id, randomUUID());
}

/** The first password of an account made through single sign-on; an account with one changes it with the current one. */
export async function setFirstPassword(ctx: AppContext, userId: string, password: string): Promise<void> {
  const hash = await ctx.passwords.hash(password);
  if (!(await setFirstPasswordHash(ctx.db, userId, hash, ctx.now())))
    throw conflict('This account has a password already: change it with the current one', 'password_already_set');
}
