/**
 * Partial days on the Daily log in Chromium (docs/SCIENCE.md 9, "Incomplete days in the estimate"), on a
 * desktop and on a phone: a day saved with Complete day unticked, a day marked partial from the list
 * of logged days, the mark kept over a reload and taken off again, and the expenditure saying what it
 * left out.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byRole, screenshot } from './browser.ts';
import { browserTests, signIn, uniqueEmail } from './fixture.ts';

const suite = browserTests();
const password = 'a partial days password';
const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
/** How the list names a day (en-GB, as the browser context is set up). */
const shown = (date: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`));

describe.each([
  ['desktop', false],
  ['phone', true],
] as const)('partial days on the Daily log (%s)', (viewport, phone) => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let token: string;
  const email = uniqueEmail(`ines.${viewport}`);
  const { heading, button } = byRole(() => page);

  const row = (date: string) => page.getByTestId(`logged-${date}`);
  const completeBox = (date: string) => page.getByRole('checkbox', { name: `Complete day, ${shown(date)}`, exact: true });
  const partialBadge = (date: string) => row(date).getByText('Partial', { exact: true });
  const stored = async (date: string) => (await suite.api('GET', `/users/me/intake?from=${date}&to=${date}`, { token })).intake[0];
  const putDone = () => page.waitForResponse((r) => r.request().method() === 'PUT' && /\/api\/v1\/users\/me\/intake\//.test(r.url()));

  beforeAll(async () => {
    ({ context, page, errors } = await suite.openPage({ phone }));
    ({ access: token } = await suite.register({ email, password, full_name: 'Ines Duarte' }));
    // A weigh-in, so that the expenditure estimate (the equation, this early) shows what it left out.
    await suite.api('PUT', `/users/me/weights/${day(2)}`, { token, body: { weight_kg: 82 } });
  });
  afterAll(async () => {
    await context.close();
  });

  it('saves a day with Complete day unticked, and marks it Partial in the list', async () => {
    await page.goto('/signin');
    await signIn(page, email, password);
    await heading('Hi, Ines').waitFor();
    // The phone's tab bar names the Daily log by its short label.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: phone ? 'Log' : 'Daily log', exact: true })
      .click();
    await heading('Daily log').waitFor();
    await page.getByRole('heading', { name: 'Logged days' }).waitFor();

    // Today, complete (the box starts ticked).
    expect(await page.getByLabel('Complete day', { exact: true }).isChecked()).toBe(true);
    await page.getByLabel(/^Calories/).fill('2150');
    await page.getByLabel(/^Protein/).fill('140');
    await button('Save day').click();
    await expect.poll(() => page.getByTestId('day-saved').textContent()).toMatch(/^Saved for /);
    await completeBox(day(0)).waitFor();
    expect(await completeBox(day(0)).isChecked()).toBe(true);
    expect(await partialBadge(day(0)).count()).toBe(0);

    // Yesterday, only breakfast logged.
    await page.getByLabel('Date').fill(day(1));
    await page.getByLabel(/^Calories/).fill('650');
    await page.getByLabel('Complete day', { exact: true }).uncheck();
    await button('Save day').click();
    await partialBadge(day(1)).waitFor();
    expect(await completeBox(day(1)).isChecked()).toBe(false);
    // The form still shows the day it saved.
    expect(await page.getByLabel('Complete day', { exact: true }).isChecked()).toBe(false);
    expect(await stored(day(1))).toMatchObject({ calories: 650, complete: false, source: 'manual' });
    await expect.poll(() => page.getByTestId('expenditure-summary').textContent()).toMatch(/Left out: 1 partial day of the last 28\.$/);
  });

  it('marks a logged day partial from the list; the mark stays after a reload', async () => {
    const saved = putDone();
    await completeBox(day(0)).uncheck();
    // The mark shows at once, before the answer.
    await partialBadge(day(0)).waitFor();
    expect((await saved).status()).toBe(200);
    // The PUT replaced the day with the same food: only the mark changed.
    expect(await stored(day(0))).toMatchObject({ calories: 2150, protein_g: 140, carbs_g: null, complete: false });
    await expect.poll(() => page.getByTestId('expenditure-summary').textContent()).toMatch(/Left out: 2 partial days of the last 28\.$/);

    await page.reload();
    await heading('Daily log').waitFor();
    await partialBadge(day(0)).waitFor();
    expect(await completeBox(day(0)).isChecked()).toBe(false);
    expect(await partialBadge(day(1)).count()).toBe(1);
    if (phone) {
      // Nothing wider than the screen: no sideways scrolling.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      // The screen as the phone shows it: the expenditure's note and the logged days at the bottom.
      await page.locator('.logged-days').evaluate((section) => section.scrollIntoView({ block: 'end' }));
      await screenshot(page, 'daily-log-partial-phone', { fullPage: false });
    }
  });

  it('takes the mark off again, and says so when a save fails', async () => {
    const saved = putDone();
    await completeBox(day(0)).check();
    expect((await saved).status()).toBe(200);
    await expect.poll(() => partialBadge(day(0)).count()).toBe(0);
    expect(await stored(day(0))).toMatchObject({ calories: 2150, protein_g: 140, complete: true });
    await page.reload();
    await completeBox(day(0)).waitFor();
    expect(await completeBox(day(0)).isChecked()).toBe(true);
    expect(await partialBadge(day(0)).count()).toBe(0);

    // Offline: the box goes back and the row says why; nothing was stored.
    await page.route('**/api/v1/users/me/intake/*', (route) => route.abort('internetdisconnected'));
    // click, not check: the box may be back before check() could see it ticked.
    await completeBox(day(1)).click();
    await expect.poll(() => row(day(1)).getByRole('alert').count()).toBe(1);
    expect(await completeBox(day(1)).isChecked()).toBe(false);
    expect(await partialBadge(day(1)).count()).toBe(1);
    await page.unroute('**/api/v1/users/me/intake/*');
    expect(await stored(day(1))).toMatchObject({ complete: false });
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  });
});
