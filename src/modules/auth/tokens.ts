/**
 * HS256 JWTs. An access token carries `type: "access"` and is the only kind the API accepts on
 * protected routes; a refresh token (`type: "refresh"`) is only good for /auth/refresh, once.
 * Both carry `sid`, the refresh family (one sign-in), so logout can end the whole session.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createSigner, createVerifier } from 'fast-jwt';
import type { TokenClaims, TokenService } from '../../core/context.ts';

export function createTokenService(secret: string, accessTtlSeconds: number, refreshTtlSeconds: number): TokenService {
  const signAccess = createSigner({ key: secret, algorithm: 'HS256', expiresIn: accessTtlSeconds * 1000 });
  const signRefresh = createSigner({ key: secret, algorithm: 'HS256', expiresIn: refreshTtlSeconds * 1000 });
  const verifier = createVerifier({ key: secret, algorithms: ['HS256'], cache: 10_000 });
  return {
    accessTtlSeconds,
    issueAccess: (userId, familyId) => signAccess({ sub: userId, type: 'access', sid: familyId }),
    issueRefresh(userId, familyId) {
      const token = signRefresh({ sub: userId, type: 'refresh', sid: familyId, jti: randomUUID() });
      return { token, expiresAt: new Date(Date.now() + refreshTtlSeconds * 1000) };
    },
    verify(token) {
      try {
        const claims = verifier(token) as Partial<TokenClaims>;
        const valid =
          typeof claims.sub === 'string' &&
          typeof claims.sid === 'string' &&
          (claims.type === 'access' || claims.type === 'refresh') &&
          typeof claims.exp === 'number';
        return valid ? (claims as TokenClaims) : null;
      } catch {
        return null;
      }
    },
  };
}

/** Refresh tokens are stored as SHA-256 digests: a database leak yields no usable token. */
export const digestToken = (token: string) => createHash('sha256').update(token).digest('hex');
