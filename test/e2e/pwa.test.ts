/**
 * The installable app (docs/DESIGN.md, 'The installable app') on a phone, with the service worker
 * allowed: the manifest and its icons, the worker taking control, Chromium's own installability
 * check, the shell opening with no network, Reload to update when a new build is deployed, and API
 * answers with personal data kept by no cache.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { axeViolations } from './axe.ts';
import { byRole, openProfilePage } from './browser.ts';
import { browserTests, signIn, uniqueEmail } from './fixture.ts';

const suite = browserTests();
const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const PASSWORD = 'Correct-Horse-9';

/** The Chromiums a test started on a profile of its own (openProfilePage), stopped and removed after it, on failure too. */
const started: { context: BrowserContext; profile: string }[] = [];
async function profilePage(baseUrl: string) {
  const profile = await mkdtemp(path.join(tmpdir(), 'recomp-profile-'));
  const opened = await openProfilePage(baseUrl, profile, { phone: true, serviceWorkers: 'allow' });
  started.push({ context: opened.context, profile });
  return opened;
}
afterEach(async () => {
  for (const { context, profile } of started.splice(0)) {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

/** The width and height a PNG's header (IHDR) states, or null when the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Waits for the worker the page registered to be active, then reloads so that it controls the page. */
async function underWorker(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toMatch(/\/sw\.js$/);
}

describe('the installable app on a phone', () => {
  it('links a manifest with the name, start URL, standalone display, colours, and 192, 512 and maskable PNG icons', async () => {
    const { context, page, errors } = await suite.openPage({ phone: true, serviceWorkers: 'allow' });
    await page.goto('/');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBeTruthy();
    const response = await fetch(new URL(href as string, suite.baseUrl));
    expect(response.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const manifest = await response.json();
    expect(manifest).toMatchObject({
      id: '/',
      name: 'Recomp',
      short_name: 'Recomp',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      theme_color: '#0f5f59',
      background_color: '#f4f6f5',
    });
    expect(manifest.description).toEqual(expect.any(String));

    const icons = manifest.icons as { src: string; sizes: string; type: string; purpose?: string }[];
    const pngs = icons.filter((icon) => icon.type === 'image/png');
    for (const icon of pngs) {
      const file = await fetch(new URL(icon.src, suite.baseUrl));
      expect(file.status, icon.src).toBe(200);
      expect(file.headers.get('content-type')).toBe('image/png');
      const [width, height] = icon.sizes.split('x').map(Number);
      expect(pngSize(Buffer.from(await file.arrayBuffer())), icon.src).toEqual({ width, height });
    }
    const purposes = (size: string) => pngs.filter((icon) => icon.sizes === size).flatMap((icon) => (icon.purpose ?? 'any').split(' '));
    expect(purposes('192x192')).toContain('any');
    expect(purposes('512x512')).toContain('any');
    expect(purposes('512x512')).toContain('maskable');

    const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
    expect(pngSize(Buffer.from(await (await fetch(new URL(touchIcon as string, suite.baseUrl))).arrayBuffer()))).toEqual({
      width: 180,
      height: 180,
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is controlled by its service worker after a reload, and Chromium reports no installability errors', async () => {
    const { context, page, errors } = await profilePage(suite.baseUrl);
    await page.goto('/');
    const worker = await fetch(new URL('/sw.js', suite.baseUrl));
    expect(worker.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    await underWorker(page);

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('opens from the cached shell with no network', async () => {
    const { context, page } = await suite.openPage({ phone: true, serviceWorkers: 'allow' });
    const { heading } = byRole(() => page);
    await page.goto('/');
    await underWorker(page);
    await context.setOffline(true);
    await page.reload();
    await heading(/Get leaner or bigger/).waitFor();
    // A screen's own address is answered with the same shell.
    await page.goto('/signin');
    await heading('Sign in').waitFor();
    await context.close();
  });

  it('on Background Sync, the worker asks the open window to send the queue, with a port for the answer', async () => {
    const { context, page } = await suite.openPage({ phone: true, serviceWorkers: 'allow' });
    await page.goto('/');
    await underWorker(page);
    // The page answers as onSyncRequest does (web/src/pwa.ts; its own test is web/test/pwa.test.ts).
    await page.evaluate(() => {
      const asked = new Promise<{ type: unknown; ports: number }>((resolve) => {
        navigator.serviceWorker.addEventListener('message', (event) => {
          event.ports[0]?.postMessage({ ok: true });
          resolve({ type: event.data?.type, ports: event.ports.length });
        });
      });
      Object.assign(window, { syncAsked: asked });
    });
    const cdp = await context.newCDPSession(page);
    const registered = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const registration = registrations.find((r) => !r.isDeleted);
        if (registration) resolve(registration.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registered;
    await cdp.send('ServiceWorker.dispatchSyncEvent', { origin: suite.baseUrl, registrationId, tag: 'recomp-queue', lastChance: false });
    expect(await page.evaluate(() => (window as unknown as { syncAsked: Promise<unknown> }).syncAsked)).toEqual({
      type: 'recomp-sync',
      ports: 1,
    });
    await context.close();
  });

  it('never keeps an API answer: personal data comes from the service with Cache-Control: no-store', async () => {
    const email = uniqueEmail('pwa');
    await suite.register({ email, password: PASSWORD, full_name: 'Installed Person' });
    const { context, page, errors } = await suite.openPage({ phone: true, serviceWorkers: 'allow' });
    await page.goto('/signin');
    await underWorker(page);
    const me = page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/api/v1/users/me' && response.request().method() === 'GET',
    );
    await signIn(page, email, PASSWORD);
    const answer = await me;
    expect(answer.status()).toBe(200);
    expect(answer.headers()['cache-control']).toBe('no-store');
    expect(answer.fromServiceWorker()).toBe(false);
    expect((await answer.json()).email).toBe(email);

    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      return urls;
    });
    expect(cached.length).toBeGreaterThan(0);
    expect(cached.filter((url) => new URL(url).pathname.startsWith('/api/'))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('a new build', () => {
  let service: TestApp | undefined;
  let newBuild: string | undefined;
  afterAll(async () => {
    await service?.close();
    if (newBuild) await rm(newBuild, { recursive: true, force: true });
  });

  /**
   * web/dist as a later build would differ: index.html marked, and its precache revision (the
   * MD5 of its bytes, as Workbox computes it) changed in sw.js, so the browser finds a new worker.
   */
  async function makeNewBuild(): Promise<string> {
    const folder = await mkdtemp(path.join(tmpdir(), 'recomp-build-'));
    await cp(WEB_DIST, folder, { recursive: true });
    const oldIndex = await readFile(path.join(folder, 'index.html'), 'utf8');
    const newIndex = oldIndex.replace('<head>', '<head>\n    <meta name="recomp-build" content="new" />');
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const worker = await readFile(path.join(folder, 'sw.js'), 'utf8');
    expect(worker).toContain(md5(oldIndex));
    await writeFile(path.join(folder, 'index.html'), newIndex);
    await writeFile(path.join(folder, 'sw.js'), worker.replace(md5(oldIndex), md5(newIndex)));
    return folder;
  }

  it('keeps the old shell until the person chooses Reload to update (or Not now until the next start), then runs the new one', async () => {
    // The service is deployed anew on the same address (the worker belongs to an origin).
    service = await createTestApp({ env: { RESPONSE_TIMEOUT_MS: '60000' } });
    const baseUrl = await service.app.listen({ host: '127.0.0.1', port: 0 });
    const { page } = await profilePage(baseUrl);
    const { heading, button } = byRole(() => page);
    await page.goto('/');
    await underWorker(page);
    await heading(/Get leaner or bigger/).waitFor();

    newBuild = await makeNewBuild();
    await service.close();
    service = await createTestApp({ env: { RESPONSE_TIMEOUT_MS: '60000' }, webRoot: newBuild });
    await service.app.listen({ host: '127.0.0.1', port: Number(new URL(baseUrl).port) });

    const focused = () => page.evaluate(() => document.activeElement?.outerHTML ?? null);
    const focusedBefore = await focused();
    // Coming back to the app looks for a new worker; it installs and waits.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    const prompt = page.getByRole('status').filter({ hasText: 'A new version of Recomp is ready.' });
    await prompt.waitFor();
    expect(await page.locator('meta[name="recomp-build"]').count()).toBe(0);
    // It leaves the focus where it was and passes the accessibility rules every screen does.
    expect(await focused()).toBe(focusedBefore);
    expect(await axeViolations(page)).toEqual([]);

    // Not now puts it away; reloading on one's own keeps the old build's shell, and the prompt is back.
    await button('Not now').click();
    expect(await prompt.count()).toBe(0);
    await page.reload();
    await prompt.waitFor();
    expect(await page.locator('meta[name="recomp-build"]').count()).toBe(0);

    await Promise.all([page.waitForEvent('load'), button('Reload to update').click()]);
    expect(await page.locator('meta[name="recomp-build"]').getAttribute('content')).toBe('new');
    await heading(/Get leaner or bigger/).waitFor();
    expect(await page.getByRole('button', { name: 'Reload to update' }).count()).toBe(0);
  });
});
