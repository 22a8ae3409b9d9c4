/**
 * The browser tests' harness: the real service (the app factory with the web plugin, on a PGlite
 * restored from the migrated dump) listening on a random port, and Debian's Chromium driven by
 * playwright-core. Screenshots go to docs/screenshots/ when RECOMP_SCREENSHOTS=1 (npm run screenshots).
 * Test files use it through fixture.ts, which starts and stops it around their tests.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { createServer } from 'node:net';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { startTestProvider, type TestProvider } from '../helpers/oidc.ts';

/** Headless Chromium on a machine without a network: nothing in the background may phone home. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const LAUNCH = { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS };

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

export interface E2E {
  baseUrl: string;
  browser: Browser;
  service: TestApp;
  /** The OpenID Connect provider single sign-on goes to, with `sso` (test/helpers/oidc.ts). */
  provider: TestProvider | null;
  close(): Promise<void>;
}

/** A port free at the moment: the service with single sign-on must know its address (PUBLIC_URL) before it listens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/**
 * `sso`: with single sign-on (sign-up allowed) at a local provider. `env`: more settings for the
 * service, such as SMTP_URL, MAIL_FROM and PUBLIC_URL for a test of mail (test/helpers/smtp.ts).
 */
export async function startE2E(options: { sso?: boolean; env?: Record<string, string> } = {}): Promise<E2E> {
  // A loaded two-core machine runs the browser, the service and PGlite at once: give slow answers
  // time rather than a 503.
  let env: Record<string, string> = { RESPONSE_TIMEOUT_MS: '60000', ...options.env };
  let port = 0;
  let provider: TestProvider | null = null;
  if (options.sso) {
    port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    provider = await startTestProvider([`${publicUrl}/api/v1/auth/oidc/callback`]);
    env = { ...env, ...provider.env(publicUrl, { OIDC_ALLOW_SIGNUP: 'true' }) };
  }
  const service = await createTestApp({ env });
  const baseUrl = await service.app.listen({ host: '127.0.0.1', port });
  // Playwright gives every launch a fresh, temporary --user-data-dir.
  const browser = await chromium.launch(LAUNCH);
  return {
    baseUrl,
    browser,
    service,
    provider,
    close: async () => {
      await browser.close();
      await service.close();
      await provider?.close();
    },
  };
}

export interface PageOptions {
  phone?: boolean;
  /**
   * Whether the app's service worker may register (web/src/sw.ts). Blocked unless a test is about
   * it, so that every other test sees each request reach the service.
   */
  serviceWorkers?: 'allow' | 'block';
}

function contextOptions(baseUrl: string, options: PageOptions): BrowserContextOptions {
  return {
    baseURL: baseUrl,
    locale: 'en-GB',
    timezoneId: 'UTC',
    serviceWorkers: options.serviceWorkers ?? 'block',
    ...(options.phone
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1200, height: 900 } }),
  };
}

/** A page whose script errors and failed requests for the app's own files fail the test that caused them. */
async function watchedPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) errors.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) errors.push(`${response.status()} from ${response.request().method()} ${response.url()}`);
  });
  return { page, errors };
}

/** A new browser context (its own storage: a separate person or device) and a page in it. */
export async function openPage(
  e2e: Pick<E2E, 'baseUrl' | 'browser'>,
  options: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await e2e.browser.newContext(contextOptions(e2e.baseUrl, options));
  return { context, ...(await watchedPage(context)) };
}

/**
 * A page in a Chromium of its own on a profile folder, as a person's everyday browser is: the
 * contexts of `openPage` are off the record, where Chromium never offers to install an app.
 * Closing the context stops that Chromium.
 */
export async function openProfilePage(
  baseUrl: string,
  profile: string,
  options: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await chromium.launchPersistentContext(profile, { ...LAUNCH, ...contextOptions(baseUrl, options) });
  return { context, ...(await watchedPage(context)) };
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  if (process.env.RECOMP_SCREENSHOTS !== '1') return;
  await mkdir(SCREENSHOTS, { recursive: true });
  // Let the caret and the chart settle; no animations are used.
  await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? true, animations: 'disabled' });
}

/** A `datetime-local` value `days` ago at `hour`:00, in the browser's time zone (UTC here). */
export function daysAgo(days: number, hour = 7): string {
  const date = new Date(Date.now() - days * 24 * 3600 * 1000);
  date.setUTCHours(hour, 0, 0, 0);
  return date.toISOString().slice(0, 16);
}

/** The page's controls by role and accessible name, as the tests ask for them; `page` is read at each call. */
export function byRole(page: () => Page) {
  return {
    heading: (name: string | RegExp) => page().getByRole('heading', { level: 1, name }),
    button: (name: string) => page().getByRole('button', { name, exact: true }),
    link: (name: string) => page().getByRole('link', { name, exact: true }),
    radio: (name: string | RegExp) => page().getByRole('radio', typeof name === 'string' ? { name, exact: true } : { name }),
  };
}
