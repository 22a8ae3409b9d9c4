/**
 * A local OpenID Connect provider (oidc-provider) on 127.0.0.1 for the single sign-on tests: one
 * client registered with Recomp's redirect URI, accounts the test controls (sub, email,
 * email_verified, name), and login and consent completed without a form for whichever account
 * the test names with `signInAs`. `follow` plays a browser from Recomp's start redirect to the
 * provider's redirect back to Recomp's callback.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

interface ProviderAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

const CLIENT_ID = 'recomp';
const CLIENT_SECRET = 'a-client-secret-for-the-tests-only';

export interface TestProvider {
  issuer: string;
  /** The settings that point Recomp at this provider. */
  env(publicUrl: string, extra?: Record<string, string>): Record<string, string>;
  /** Adds or replaces an account. */
  account(account: ProviderAccount): void;
  /** The account the next login completes as. */
  signInAs(sub: string): void;
  /**
   * Follows redirects from the provider's authorization URL (with this jar's cookies) until one leads
   * back to `redirectUri`; that URL, with the code, state and iss.
   */
  follow(authorizationUrl: string, redirectUri: string): Promise<URL>;
  close(): Promise<void>;
}

/** `port` 0 picks a free one; a given port lets a test start the provider where Recomp already looks for it. */
export async function startTestProvider(redirectUris: string[], port = 0): Promise<TestProvider> {
  const accounts = new Map<string, ProviderAccount>();
  let nextSub: string | null = null;
  type Handler = (request: IncomingMessage, response: ServerResponse) => unknown;
  let handler: Handler = (_request, response) => response.end();
  const server: Server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['a-cookie-key-for-the-tests-only'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (account === undefined) return undefined;
      return { accountId: sub, claims: async () => ({ ...account }) };
    },
  });
  const callback = provider.callback();

  handler = async (request, response) => {
    if (!request.url?.startsWith('/interaction/')) return callback(request, response);
    try {
      // Login and consent at once, for the account the test chose.
      const details = await provider.interactionDetails(request, response);
      if (nextSub === null) throw new Error('the test did not say who signs in (signInAs)');
      const clientId = String(details.params.client_id);
      const grant = new provider.Grant({ accountId: nextSub, clientId });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(request, response, { login: { accountId: nextSub }, consent: { grantId } });
    } catch (error) {
      response.statusCode = 500;
      response.end(String(error));
    }
  };

  const jar = new Map<string, string>();
  const remember = (setCookie: string[]) => {
    for (const line of setCookie) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!.trim(), value.join('='));
    }
  };

  return {
    issuer,
    env: (publicUrl, extra = {}) => ({
      PUBLIC_URL: publicUrl,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_NAME: 'Test provider',
      ...extra,
    }),
    account: (account) => void accounts.set(account.sub, account),
    signInAs: (sub) => {
      nextSub = sub;
    },
    async follow(authorizationUrl, redirectUri) {
      // A fresh browser each time: no provider session carries one person's login into the next.
      jar.clear();
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 10; hop++) {
        if (url.href.startsWith(redirectUri)) return url;
        const response = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
        });
        remember(response.headers.getSetCookie());
        const location = response.headers.get('location');
        if (location === null) throw new Error(`the provider answered ${response.status} without a redirect: ${await response.text()}`);
        url = new URL(location, url);
      }
      throw new Error('too many redirects at the provider');
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
