/**
 * The app's frame in Chromium: on a phone a tab bar that stays at the bottom of the screen and a
 * header of one row, on a desktop the same links in the header; the dashboard chart with dates on
 * its axes, the data and the next part of the forecast, five legend entries before "More lines",
 * and weight on a chart of its own; and the units following the account from one browser to another.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byRole } from './browser.ts';
import { browserTests, signIn, uniqueEmail } from './fixture.ts';

const suite = browserTests();
const password = 'a tab bar password';
const DAY_MS = 86_400_000;
const PHONE = { width: 390, height: 844 };

let email: string;
/** Everything opened, for script errors at the end. */
const opened: Awaited<ReturnType<typeof suite.openPage>>[] = [];

/** An hour ago (never in the future), but never before the start of today's (UTC) day: "today" stays today at any hour. */
function recently(): number {
  const now = Date.now();
  return Math.max(now - 3_600_000, now - (now % DAY_MS));
}

/** Six weeks of weekly Navy measurements, each a check-in of a cut to 12 %: enough for every line of the chart. */
beforeAll(async () => {
  email = uniqueEmail('tabs');
  const { access } = await suite.register({ email, password, full_name: 'Tess Okafor' });
  const measure = async (weeksAgo: number, waistCm: number, weightKg: number): Promise<string> =>
    (
      await suite.api('POST', '/measurements', {
        token: access,
        body: {
          calculation_method: 'navy',
          measured_at: new Date(recently() - weeksAgo * 7 * DAY_MS).toISOString(),
          weight_kg: weightKg,
          waist_cm: waistCm,
          neck_cm: 38,
        },
      })
    ).id;
  const start = await measure(6, 92, 88);
  const goal = await suite.api('POST', '/goals', {
    token: access,
    body: { goal_type: 'cutting', target_body_fat_percentage: 12, initial_measurement_id: start },
  });
  for (let week = 5; week >= 0; week -= 1) {
    const id = await measure(week, 92 - (6 - week) * 0.6, 88 - (6 - week) * 0.4);
    await suite.api('POST', `/goals/${goal.id}/progress`, { token: access, body: { measurement_id: id } });
  }
});

afterAll(() => {
  for (const { errors } of opened) expect(errors).toEqual([]);
});

async function signedIn(options: { phone?: boolean } = {}): Promise<Page> {
  const o = await suite.openPage(options);
  opened.push(o);
  await o.page.goto('/signin');
  await signIn(o.page, email, password);
  await byRole(() => o.page)
    .heading('Hi, Tess')
    .waitFor();
  return o.page;
}

const box = async (page: Page, selector: string) => {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not laid out`);
  return found;
};

/** The header is one row: no taller than the brand link and the bar's padding. */
async function expectOneRowHeader(page: Page) {
  const header = await box(page, '.site-header');
  const brand = await box(page, '.site-header .brand');
  const padding = await page.evaluate(() => {
    const style = getComputedStyle(document.querySelector('.site-header .header-row')!);
    return Number.parseFloat(style.paddingTop) + Number.parseFloat(style.paddingBottom);
  });
  expect(header.height).toBeLessThanOrEqual(brand.height + padding + 1);
}

describe('the tab bar on a phone', () => {
  let page: Page;

  it('shows five tabs at the bottom of the screen with Today current, and a header of one row', async () => {
    page = await signedIn({ phone: true });
    const nav = page.getByRole('navigation', { name: 'Main' });
    const tabs = nav.getByRole('link');
    expect(await tabs.allInnerTexts()).toEqual(['Today', 'Log', 'History', 'Plans', 'Settings']);
    expect(await nav.getByRole('link', { name: 'Today', exact: true }).getAttribute('aria-current')).toBe('page');
    expect(await page.locator('[aria-current="page"]').count()).toBe(1);
    // Every tab has its icon and is a comfortable target.
    expect(await nav.locator('svg.tab-icon').count()).toBe(5);
    for (const tab of await tabs.all()) expect((await tab.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    const bar = await box(page, '.main-nav');
    expect(bar.y + bar.height).toBeCloseTo(PHONE.height, 0);
    expect(bar.width).toBeCloseTo(PHONE.width, 0);
    await expectOneRowHeader(page);
    // Today still offers the actions a check-in starts from.
    await page.getByRole('link', { name: 'Log measurement' }).first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  });

  it('stays in view after scrolling, and hides nothing of the page behind it', async () => {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    const bar = await box(page, '.main-nav');
    expect(bar.y + bar.height).toBeCloseTo(PHONE.height, 0);
    // Scrolled to the end, the page's last line (the footer) ends above the bar.
    const footer = await box(page, '.site-footer');
    expect(footer.y + footer.height).toBeLessThanOrEqual(bar.y + 1);
  });

  it('navigates, moving aria-current to the tab of the screen shown', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const [tab, heading] of [
      ['Log', 'Daily log'],
      ['Plans', 'Your plans'],
      ['Settings', 'Settings'],
      ['History', 'History'],
      ['Today', 'Hi, Tess'],
    ] as const) {
      await nav.getByRole('link', { name: tab, exact: true }).click();
      await byRole(() => page)
        .heading(heading)
        .waitFor();
      expect(await nav.locator('[aria-current="page"]').innerText()).toBe(tab);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
      const bar = await box(page, '.main-nav');
      expect(bar.y + bar.height).toBeCloseTo(PHONE.height, 0);
      await expectOneRowHeader(page);
    }
  });
});

describe('the navigation on a desktop', () => {
  it('keeps the links in the header with their long names, on one row', async () => {
    const page = await signedIn();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Dashboard', 'Daily log', 'History', 'Plans', 'Settings']);
    const header = await box(page, '.site-header');
    const bar = await box(page, '.main-nav');
    expect(bar.y + bar.height).toBeLessThanOrEqual(header.y + header.height);
    await expectOneRowHeader(page);
    await nav.getByRole('link', { name: 'Daily log', exact: true }).click();
    await byRole(() => page)
      .heading('Daily log')
      .waitFor();
    expect(await nav.locator('[aria-current="page"]').innerText()).toBe('Daily log');
  });
});

describe.each([
  ['phone', true],
  ['desktop', false],
] as const)('the dashboard chart (%s)', (_viewport, phone) => {
  let page: Page;
  const labels = async (name: RegExp) => {
    const canvas = page.getByRole('img', { name });
    await expect.poll(() => canvas.getAttribute('data-x-labels')).toBeTruthy();
    return (await canvas.getAttribute('data-x-labels'))!.split('|');
  };

  it('labels both charts with dates, a handful of them, over the data and the next weeks of the forecast', async () => {
    page = await signedIn({ phone });
    for (const name of [/Chart of body fat/, /Chart of weight/]) {
      const ticks = await labels(name);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(7);
      for (const tick of ticks) expect(tick).toMatch(/^\d{1,2} [A-Z][a-z]{2,3}$/);
      expect(ticks.join(' ')).not.toMatch(/day|week/i);
    }
    // Weight and body fat on the same dates, each on its own axis.
    expect(await labels(/Chart of weight/)).toEqual(await labels(/Chart of body fat/));
    // The summary says what the chart shows, with no timeline of its own.
    const summary = await page.getByTestId('chart-summary').textContent();
    expect(summary).toMatch(
      /^Body fat 1\d\.\d %, down \d\.\d points in 6 weeks\. Weight 8\d\.\d kg trend weight \(8\d\.\d kg on the scale today\), down 0\.\d\d kg a week\./,
    );
    expect(summary).not.toMatch(/reach it in|at the current rate/i);
    if (phone) expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  });

  it('shows five legend entries, and the others with their lines behind More lines', async () => {
    const legend = page.getByTestId('chart-legend');
    const more = legend.getByRole('button', { name: 'More lines' });
    expect(await legend.getByRole('listitem').allTextContents()).toEqual(['Body fat', 'Target', 'Plan', 'Projection', 'Trend']);
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    await more.click();
    await expect.poll(() => more.getAttribute('aria-expanded')).toBe('true');
    expect(await legend.getByRole('listitem').allTextContents()).toEqual([
      'Body fat',
      'Target',
      'Plan',
      'Projection',
      'Trend',
      '4-week average',
      'Plan range',
    ]);
    await more.click();
    await expect.poll(() => legend.getByRole('listitem').count()).toBe(5);
    expect(await more.getAttribute('aria-expanded')).toBe('false');
  });
});

describe('the Daily log’s charts', () => {
  it('label their days with dates', async () => {
    const page = await signedIn({ phone: true });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Log', exact: true }).click();
    await byRole(() => page)
      .heading('Daily log')
      .waitFor();
    const canvas = page.getByRole('img', { name: /daily weigh-ins/ });
    await expect.poll(() => canvas.getAttribute('data-x-labels')).toBeTruthy();
    const ticks = (await canvas.getAttribute('data-x-labels'))!.split('|');
    for (const tick of ticks) expect(tick).toMatch(/^\d{1,2} [A-Z][a-z]{2,3}$/);
  });
});

describe('units on the account', () => {
  /** Chooses `units` in Settings on `page` and waits for the account to take them: PATCH /users/me {units}, 200. */
  async function choose(page: Page, units: 'Metric' | 'Imperial') {
    const saved = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/users/me' && r.request().method() === 'PATCH');
    await page.getByRole('radio', { name: units, exact: true }).check();
    const response = await saved;
    expect(response.status()).toBe(200);
    expect(response.request().postDataJSON()).toEqual({ units: units.toLowerCase() });
  }
  const checked = (page: Page, units: 'Metric' | 'Imperial') => page.getByRole('radio', { name: units, exact: true }).isChecked();

  it('shows on a second browser the units chosen on the first, and back again', async () => {
    const desktop = await signedIn();
    await desktop.goto('/settings');
    await desktop.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await checked(desktop, 'Metric')).toBe(true);
    await choose(desktop, 'Imperial');

    // Another device, with storage of its own that has never seen a units choice.
    const phone = await signedIn({ phone: true });
    await expect.poll(() => phone.getByTestId('chart-summary').textContent()).toMatch(/Weight 1\d\d\.\d lb/);
    await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await phone.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await checked(phone, 'Imperial')).toBe(true);

    // Chosen back on the phone, the desktop shows it after a reload.
    await choose(phone, 'Metric');
    await desktop.goto('/');
    await expect.poll(() => desktop.getByTestId('chart-summary').textContent()).toMatch(/Weight 8\d\.\d kg/);
  });
});
