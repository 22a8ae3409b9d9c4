/**
 * Offline in Chromium on a phone (docs/DESIGN.md, 'Offline'): the app opens without a network from
 * the service worker's shell and the person's last-seen data, takes a weigh-in, a day's food and a
 * check-in into the device's queue, keeps them through a reload, and sends each exactly once when
 * the network is back. A refused entry is shown with the server's words, to fix or discard, and
 * signing out deletes what the device kept.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { byRole, daysAgo, screenshot } from './browser.ts';
import { browserTests, signIn } from './fixture.ts';

const suite = browserTests();
let page: Page;
let context: BrowserContext;
let errors: string[];
let token: string;
let goalId: string;
const email = `noor.${Date.now()}@example.com`;
const password = 'an offline password';
const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
const today = day(0);

beforeAll(async () => {
  ({ page, context, errors } = await suite.openPage({ phone: true, serviceWorkers: 'allow' }));
  ({ access: token } = await suite.register({ email, password, full_name: 'Noor Haddad' }));
  for (let d = 6; d >= 1; d--) await suite.api('PUT', `/users/me/weights/${day(d)}`, { token, body: { weight_kg: 82 - d * 0.1 } });
  const start = await suite.api('POST', '/measurements', {
    token,
    body: { weight_kg: 82, calculation_method: 'navy', waist_cm: 92, neck_cm: 38, measured_at: `${day(14)}T07:00:00` },
  });
  goalId = (
    await suite.api('POST', '/goals', {
      token,
      body: { goal_type: 'cutting', initial_measurement_id: start.id, target_body_fat_percentage: 15 },
    })
  ).id;
});

const { heading, button } = byRole(() => page);
/** The day's weigh-in and calories as the service has them (null: none). */
const weighInOn = async (date: string): Promise<number | null> =>
  (await suite.api('GET', `/users/me/weights?from=${date}&to=${date}`, { token })).weights.find((w: { date: string }) => w.date === date)
    ?.weight_kg ?? null;
const caloriesOn = async (date: string): Promise<number | null> =>
  (await suite.api('GET', `/users/me/intake?from=${date}&to=${date}`, { token })).intake.find((i: { date: string }) => i.date === date)
    ?.calories ?? null;
const goOffline = async () => {
  await context.setOffline(true);
  await expect.poll(() => page.evaluate(() => navigator.onLine)).toBe(false);
};
const entries = () => page.getByTestId('sync-entry');
/** A tab of the phone's tab bar, by the short label it shows. */
const tab = (label: 'Today' | 'Log' | 'Settings') =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true });

describe('offline on a phone', () => {
  it('signs in online and is controlled by the service worker after a reload', async () => {
    await page.goto('/signin');
    await signIn(page, email, password);
    await heading('Hi, Noor').waitFor();
    await page.getByRole('heading', { name: 'Cutting goal' }).waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await heading('Hi, Noor').waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toMatch(/\/sw\.js$/);
    // What the dashboard shows is on the device once its reads are answered.
    await page.getByTestId('calorie-target').waitFor();
    await tab('Log').click();
    await heading('Daily log').waitFor();
    await page.getByTestId('weight-summary').waitFor();
    // The app as it opens from the home screen, in the light and the dark theme.
    await tab('Today').click();
    await page.getByTestId('calorie-target').waitFor();
    await screenshot(page, 'phone-app-light', { fullPage: false });
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'phone-app-dark', { fullPage: false });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('opens without a network on the last-seen goal and says it is offline, and how old the data is', async () => {
    await goOffline();
    await page.goto('/');
    await heading('Hi, Noor').waitFor();
    await page.getByRole('heading', { name: 'Cutting goal' }).waitFor();
    const banner = await page.getByTestId('offline-banner').textContent();
    expect(banner).toMatch(/^You are offline\. What you see was saved on this device (just now|\d+ minutes? ago) \(.+\)\. What you log/);
  });

  it('takes today’s weight and calories on the dashboard offline, marked Waiting to sync, and keeps them through a reload', async () => {
    // The three taps: the field, the weight, Save; no other screen.
    await page.getByLabel(/^Today’s weight/).fill('81.2');
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    await expect.poll(() => page.getByTestId('today-weight').textContent()).toBe('Today: 81.2 kg Waiting to sync');
    await page.getByLabel(/^Calories eaten today/).fill('2150');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('today-calories').textContent()).toMatch(/^Calories today: 2,150 kcal Waiting to sync/);
    await expect.poll(() => entries().count()).toBe(2);
    expect(await entries().allTextContents()).toEqual([
      expect.stringMatching(/^Weigh-in, .+: 81\.2 kgWaiting to sync$/),
      expect.stringMatching(/^Food, .+: 2,150 kcalWaiting to sync$/),
    ]);
    await page.reload();
    await heading('Hi, Noor').waitFor();
    await expect.poll(() => entries().count()).toBe(2);
    await expect.poll(() => page.getByTestId('today-weight').textContent()).toBe('Today: 81.2 kg Waiting to sync');
    // Nothing reached the service.
    expect(await weighInOn(today)).toBeNull();
    expect(await caloriesOn(today)).toBeNull();
  });

  it('takes check-ins offline, from Log measurement and from Log progress', async () => {
    // Yesterday's measurement, counted as a check-in (the default with a goal of the same method).
    await page.getByRole('link', { name: 'Log measurement' }).click();
    await heading('Log measurement').waitFor();
    await page.getByLabel('Date and time').fill(daysAgo(1));
    await page.getByLabel(/^Weight/).fill('81.6');
    await page.getByLabel(/^Waist/).fill('91');
    await page.getByLabel(/^Neck/).fill('38');
    expect(await page.getByRole('radio', { name: 'Yes, count it as a check-in' }).isChecked()).toBe(true);
    await button('Save measurement').click();
    await page.getByTestId('check-in-queued').waitFor();
    await page.getByRole('link', { name: 'Back to the dashboard' }).click();
    // Today's, in Log progress.
    await page.getByRole('link', { name: 'Log progress' }).click();
    await heading('Log progress').waitFor();
    await page.getByLabel(/^Weight/).fill('81.2');
    await page.getByLabel(/^Waist/).fill('90');
    await page.getByLabel(/^Neck/).fill('38');
    await button('Log progress').click();
    await page.getByTestId('check-in-queued').waitFor();
    await page.getByRole('link', { name: 'Back to the dashboard' }).click();
    await expect.poll(() => entries().count()).toBe(4);
  });

  it('sends each entry exactly once when the network is back, and the marks go', async () => {
    const before = await suite.api('GET', `/goals/${goalId}/progress`, { token });
    const measurementsBefore = (await suite.api('GET', '/measurements?limit=100', { token })).total;
    await context.setOffline(false);
    await expect.poll(() => entries().count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('offline-banner').count()).toBe(0);
    expect(await weighInOn(today)).toBe(81.2);
    expect(await caloriesOn(today)).toBe(2150);
    const after = await suite.api('GET', `/goals/${goalId}/progress`, { token });
    expect(after.length).toBe(before.length + 2);
    expect((await suite.api('GET', '/measurements?limit=100', { token })).total).toBe(measurementsBefore + 2);
    // The dashboard reads again what it showed from the device.
    await page.getByTestId('calorie-target').waitFor();
  });

  it('shows a refused entry with the server’s words, sends the rest, and lets the person fix it', async () => {
    await goOffline();
    await tab('Log').click();
    await heading('Daily log').waitFor();
    await page.getByLabel('Date').fill(day(8));
    await page.locator('#weight_kg').fill('5');
    await page.locator('#calories').fill('1900');
    await button('Save day').click();
    await expect.poll(() => entries().count()).toBe(2);
    await context.setOffline(false);
    await expect.poll(() => entries().count(), { timeout: 30_000 }).toBe(1);
    const refused = entries().first();
    expect(await refused.textContent()).toMatch(/Not saved.*The server refused it: Must be at least/);
    // The day's food, sent with it, arrived.
    expect(await caloriesOn(day(8))).toBe(1900);
    expect(await weighInOn(day(8))).toBeNull();
    await refused.getByLabel(/^Weight/).fill('80.9');
    await refused.getByRole('button', { name: 'Send again' }).click();
    await expect.poll(() => entries().count(), { timeout: 30_000 }).toBe(0);
    expect(await weighInOn(day(8))).toBe(80.9);
  });

  it('sends the queue from one tab when two are open', async () => {
    await goOffline();
    const other = await context.newPage();
    await other.goto('/daily');
    await other.getByRole('heading', { level: 1, name: 'Daily log' }).waitFor();
    const puts: string[] = [];
    await context.route(`**/api/v1/users/me/weights/${day(9)}`, (route) => {
      puts.push(route.request().method());
      return route.continue();
    });
    await page.getByLabel('Date').fill(day(9));
    // Offline, a day not seen before cannot be read: the form says so and shows no other day’s values.
    await expect.poll(() => page.getByTestId('day-state').textContent()).toMatch(/^Could not load/);
    expect(await page.locator('#calories').inputValue()).toBe('');
    await page.locator('#weight_kg').fill('79.9');
    await button('Save day').click();
    await page.getByTestId('day-saved').waitFor();
    await expect.poll(() => entries().count()).toBe(1);
    // The other tab hears of the entry and shows it too.
    await expect.poll(() => other.getByTestId('sync-entry').count()).toBe(1);
    await context.setOffline(false);
    await expect.poll(() => entries().count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => other.getByTestId('sync-entry').count()).toBe(0);
    expect(await weighInOn(day(9))).toBe(79.9);
    expect(puts).toEqual(['PUT']);
    await context.unroute(`**/api/v1/users/me/weights/${day(9)}`);
    await other.close();
  });

  it('deletes what the device kept at sign-out', async () => {
    const databases = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
    expect((await databases()).some((name) => name.startsWith('recomp-person-'))).toBe(true);
    await tab('Settings').click();
    await heading('Settings').waitFor();
    await button('Sign out').click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    expect((await databases()).filter((name) => name.startsWith('recomp-person-'))).toEqual([]);
    // Requests that found no network are expected here; nothing else may have failed.
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  });
});
