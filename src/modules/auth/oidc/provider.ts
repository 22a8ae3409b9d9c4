/**
 * The OpenID Connect provider as openid-client sees it. Discovery is lazy: the service starts while
 * the provider is down, learns its metadata on the first sign-in, keeps it, and tries again on the
 * next sign-in after a failure. A provider that cannot be reached (or answers nonsense) is a 503
 * `oidc_unavailable`; a callback that fails a check (state, PKCE, issuer, audience, nonce, a code
 * used twice) is a 400 `oidc_callback_invalid`: never a 500.
 */
import type { FastifyBaseLogger } from 'fastify';
import * as client from 'openid-client';
import type { OidcConfig } from '../../../config.ts';
import { AppError } from '../../../core/errors.ts';

/** Seconds a request to the provider may take: well inside the service's own response deadline. */
const PROVIDER_TIMEOUT_SECONDS = 5;

interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean | null;
  fullName: string | null;
}

interface LoginSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcProvider {
  /** The provider's authorization URL for a new sign-in with these secrets. */
  authorizationUrl(secrets: LoginSecrets): Promise<URL>;
  /** Checks the callback and redeems its code: the person the provider vouches for. */
  redeem(callbackUrl: URL, secrets: LoginSecrets): Promise<VerifiedIdentity>;
}

const providerUnavailable = () =>
  new AppError(
    'unavailable',
    'oidc_unavailable',
    'The sign-in provider cannot be reached right now; try again shortly or sign in with your password',
    { retryAfterSeconds: 5 },
  );

const callbackInvalid = (detail: string) =>
  new AppError('bad_request', 'oidc_callback_invalid', `The sign-in could not be verified: ${detail}`);

/** Network failures, timeouts and provider errors (5xx, not JSON) are the provider's being down. */
function isOutage(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  if (error instanceof client.ClientError)
    return ['OAUTH_TIMEOUT', 'OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON'].includes(error.code ?? '');
  return error instanceof DOMException;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

export function createOidcProvider(settings: OidcConfig, log: FastifyBaseLogger): OidcProvider {
  const issuer = new URL(settings.issuer);
  let discovered: Promise<client.Configuration> | null = null;

  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        // Plain http only for a provider on this machine (src/config.ts refuses it elsewhere).
        ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .then((found) => {
        found.timeout = PROVIDER_TIMEOUT_SECONDS;
        return found;
      })
      .catch((error: unknown) => {
        discovered = null;
        log.warn({ err: error, issuer: settings.issuer }, 'OpenID Connect discovery failed; it is tried again on the next sign-in');
        throw providerUnavailable();
      });
    return discovered;
  };

  return {
    async authorizationUrl({ state, nonce, codeVerifier }) {
      const config = await configuration();
      return client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
    },

    async redeem(callbackUrl, { state, nonce, codeVerifier }) {
      const config = await configuration();
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: codeVerifier,
          expectedState: state,
          expectedNonce: nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (claims === undefined) throw callbackInvalid('the provider sent no ID token');
        let profile: Record<string, unknown> = claims;
        // Many providers put email and name in the UserInfo answer rather than the ID token.
        if (text(claims.email) === null && tokens.access_token)
          profile = { ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
        return {
          issuer: claims.iss,
          subject: claims.sub,
          email: text(profile.email)?.toLowerCase() ?? null,
          emailVerified: typeof profile.email_verified === 'boolean' ? profile.email_verified : null,
          fullName: text(profile.name) ?? ([text(profile.given_name), text(profile.family_name)].filter(Boolean).join(' ') || null),
        };
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (isOutage(error)) {
          log.warn({ err: error }, 'the OpenID Connect provider did not answer the callback');
          throw providerUnavailable();
        }
        if (error instanceof client.AuthorizationResponseError)
          throw new AppError('bad_request', 'oidc_denied', `The provider did not sign you in: ${error.error}`);
        log.info({ err: error }, 'an OpenID Connect callback failed its checks');
        throw callbackInvalid(error instanceof Error ? error.message : 'unexpected answer');
      }
    },
  };
}
