/**
 * Whose device data to use: the person the stored sign-in belongs to, read from the access token's
 * `sub` claim. The app needs it before any answer has come (an app opened without a network), and
 * the token is on the device already; nothing here trusts it beyond choosing which data to show:
 * the server verifies every token it is sent.
 */
import { loadTokens } from '../api/tokens.ts';

function claimsOf(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const claims: unknown = JSON.parse(json);
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The signed-in person's id, or null when no sign-in is stored. */
export function signedInPerson(): string | null {
  const tokens = loadTokens();
  if (!tokens) return null;
  const sub = claimsOf(tokens.access)?.sub;
  return typeof sub === 'string' && sub !== '' ? sub : null;
}
