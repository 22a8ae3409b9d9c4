/**
 * The daily loop on a phone (390 × 844) in Chromium: the Daily log opens on today's saved weight and
 * food and edits them (only what changed is sent), another date loads that day, the answer to Save
 * (or a failure) is next to the button, in view and focused; Edit and Delete from the logged days;
 * History as cards with each measurement's tape sites and the weigh-ins, no wider than the screen.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { byRole, screenshot } from './browser.ts';
import { browserTests, signIn, uniqueEmail } from './fixture.ts';

const suite = browserTests();
let page: Page;
let errors: string[];
let token: string;
const email = uniqueEmail('mara');
const password = 'a daily edit password';
const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
/** How the screens name a day (en-GB, as the browser context is set up). */
const shown = (date: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`));
/** The weigh-in of day `d` ago: 80.0 kg three weeks ago, 0.1 kg lighter each day. */
const weightOn = (d: number) => Math.round((78 + d * 0.1) * 10) / 10;

const { heading, button } = byRole(() => page);
const focusedTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.id);
/** Whether the element is wholly inside the phone's viewport. */
const inView = (selector: string) =>
  page.locator(selector).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth;
  });
const stored = async (date: string) => ({
  weight: (await suite.api('GET', `/users/me/weights?from=${date}&to=${date}`, { token })).weights.find(
    (w: { weight_kg: number | null }) => w.weight_kg !== null,
  ),
  intake: (await suite.api('GET', `/users/me/intake?from=${date}&to=${date}`, { token })).intake[0],
});
const writes = (path: RegExp) => {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET' && path.test(new URL(r.url()).pathname)) seen.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  return seen;
};

beforeAll(async () => {
  ({ page, errors } = await suite.openPage({ phone: true }));
  ({ access: token } = await suite.register({ email, password, full_name: 'Mara Lind', gender: 'female' }));
  for (let d = 20; d >= 0; d--) {
    await suite.api('PUT', `/users/me/weights/${day(d)}`, { token, body: { weight_kg: weightOn(d) } });
    await suite.api('PUT', `/users/me/intake/${day(d)}`, { token, body: { calories: 1900 + d, protein_g: 120 } });
  }
  await suite.api('PUT', `/users/me/intake/${day(0)}`, { token, body: { calories: 2100, protein_g: 150, complete: true } });
  // A Navy measurement (a woman's: waist, neck and hip) for History.
  await suite.api('POST', '/measurements', {
    token,
    body: {
      weight_kg: 79.5,
      calculation_method: 'navy',
      waist_cm: 84,
      neck_cm: 33,
      hip_cm: 104,
      measured_at: new Date(Date.now() - 5 * DAY_MS).toISOString(),
    },
  });
});

describe('the Daily log and History on a phone', () => {
  it("opens on today's saved weight and food, and saves only what was changed", async () => {
    await page.goto('/signin');
    await signIn(page, email, password);
    await heading('Hi, Mara').waitFor();
    await page.goto('/daily');
    await heading('Daily log').waitFor();
    await expect
      .poll(() => page.getByTestId('day-state').textContent())
      .toBe(`You logged ${shown(day(0))}: change what you need and save.`);
    expect(await page.getByLabel('Date').inputValue()).toBe(day(0));
    expect(await page.locator('#weight_kg').inputValue()).toBe(String(weightOn(0)));
    expect(await page.getByLabel(/^Calories/).inputValue()).toBe('2100');
    expect(await page.getByLabel(/^Protein/).inputValue()).toBe('150');
    expect(await page.getByLabel('Complete day', { exact: true }).isChecked()).toBe(true);

    const sent = writes(/^\/api\/v1\/users\/me\/(weights|intake)\//);
    await page.getByLabel(/^Calories/).fill('2250');
    await button('Save day').click();
    await expect.poll(() => page.getByTestId('day-saved').textContent()).toBe(`Saved for ${shown(day(0))}.`);
    // Where the person is looking: next to Save, on the screen, with focus.
    await expect.poll(focusedTestId).toBe('day-saved');
    expect(await inView('[data-testid="day-saved"]')).toBe(true);
    expect(await page.locator('.form-actions').getByRole('status').count()).toBe(1);
    // The weigh-in was shown, not sent again.
    expect(sent).toEqual([`PUT /api/v1/users/me/intake/${day(0)}`]);
    expect(await stored(day(0))).toMatchObject({
      weight: { weight_kg: weightOn(0), source: 'manual' },
      intake: { calories: 2250, protein_g: 150, complete: true },
    });
    await screenshot(page, 'daily-log-saved-phone', { fullPage: false });
  });

  it('says a refused save next to Save, in view and focused', async () => {
    await page.route('**/api/v1/users/me/intake/*', (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 409, title: 'Conflict', detail: 'This day changed meanwhile.', code: 'conflict' }),
      }),
    );
    await page.getByLabel(/^Calories/).fill('2260');
    await button('Save day').click();
    await expect.poll(focusedTestId).toBe('day-failed');
    expect(await page.getByTestId('day-failed').getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('day-failed').textContent()).toBe('This day changed meanwhile.');
    expect(await inView('[data-testid="day-failed"]')).toBe(true);
    await page.unroute('**/api/v1/users/me/intake/*');
    expect((await stored(day(0))).intake.calories).toBe(2250);
  });

  it('keeps a save that got no answer on the device, says so next to Save, and sends it by itself', async () => {
    await page.route('**/api/v1/users/me/intake/*', (route) => route.abort('internetdisconnected'));
    await button('Save day').click();
    await expect.poll(focusedTestId).toBe('day-saved');
    expect(await page.getByTestId('day-saved').textContent()).toBe(
      `Saved on this device for ${shown(day(0))}: waiting to sync. It is sent as soon as Recomp can be reached.`,
    );
    expect(await inView('[data-testid="day-saved"]')).toBe(true);
    expect(await page.getByTestId('sync-entry').textContent()).toMatch(/Waiting to sync$/);
    await page.unroute('**/api/v1/users/me/intake/*');
    // The queue tries again after a short wait (docs/DESIGN.md, 'Offline').
    await expect.poll(async () => (await stored(day(0))).intake.calories, { timeout: 20_000 }).toBe(2260);
    await expect.poll(() => page.getByTestId('sync-entry').count()).toBe(0);
  });

  it("loads another date's saved values, and empty boxes for a day not logged", async () => {
    await page.getByLabel('Date').fill(day(2));
    await expect.poll(() => page.locator('#weight_kg').inputValue()).toBe(String(weightOn(2)));
    expect(await page.getByLabel(/^Calories/).inputValue()).toBe('1902');
    await page.getByLabel('Date').fill(day(45));
    await expect.poll(() => page.getByTestId('day-state').textContent()).toBe(`Nothing logged for ${shown(day(45))} yet.`);
    expect(await page.locator('#weight_kg').inputValue()).toBe('');
    expect(await page.getByLabel(/^Calories/).inputValue()).toBe('');
  });

  it('edits a day from the list: the form shows it, with focus on its weight', async () => {
    const edit = page.getByRole('button', { name: `Edit ${shown(day(3))}`, exact: true });
    await edit.scrollIntoViewIfNeeded();
    await edit.click();
    await expect.poll(() => page.getByLabel('Date').inputValue()).toBe(day(3));
    expect(await page.locator('#weight_kg').inputValue()).toBe(String(weightOn(3)));
    await expect.poll(focusedTestId).toBe('weight_kg');
    expect(await inView('#weight_kg')).toBe(true);
    await page.locator('#weight_kg').fill('77.7');
    await button('Save day').click();
    await expect.poll(() => page.getByTestId('day-saved').textContent()).toBe(`Saved for ${shown(day(3))}.`);
    expect((await stored(day(3))).weight.weight_kg).toBe(77.7);
    await expect.poll(() => page.getByTestId(`logged-${day(3)}`).textContent()).toContain('77.7 kg');

    // Emptied boxes delete what they showed; the weigh-in stays.
    await page.getByLabel(/^Calories/).fill('');
    await page.getByLabel(/^Protein/).fill('');
    await button('Save day').click();
    await expect.poll(() => page.getByTestId('day-saved').textContent()).toBe(`Saved for ${shown(day(3))}. The food was deleted.`);
    expect(await stored(day(3))).toMatchObject({ weight: { weight_kg: 77.7 }, intake: undefined });
    await expect.poll(() => page.getByTestId(`logged-${day(3)}`).textContent()).toMatch(/77\.7 kg—/);
  });

  it('deletes a day from the list once confirmed, and says so', async () => {
    const row = page.getByTestId(`logged-${day(4)}`);
    await row.getByRole('button', { name: `Delete ${shown(day(4))}`, exact: true }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, delete');
    await button('Keep it').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Delete ${shown(day(4))}`);
    await row.getByRole('button', { name: `Delete ${shown(day(4))}`, exact: true }).click();
    await button('Yes, delete').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(`The log of ${shown(day(4))} was deleted.`);
    await expect.poll(() => row.count()).toBe(0);
    expect(await stored(day(4))).toEqual({ weight: undefined, intake: undefined });

    // Logged again, the day is back in the list.
    await page.getByLabel('Date').fill(day(4));
    await expect.poll(() => page.getByTestId('day-state').textContent()).toBe(`Nothing logged for ${shown(day(4))} yet.`);
    await page.locator('#weight_kg').fill('78.3');
    await button('Save day').click();
    await expect.poll(() => row.textContent()).toMatch(/78\.3 kg—/);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  });

  it('shows History as cards no wider than the screen, with the tape sites and the weigh-ins', async () => {
    await page.goto('/history');
    await heading('History').waitFor();
    const measurement = page.locator('table.history tbody tr').first();
    await expect.poll(() => measurement.getByTestId('sites').textContent()).toBe('Waist 84.0 cm, Neck 33.0 cm, Hip 104.0 cm');
    expect(await measurement.textContent()).toMatch(/Navy tape.*79\.5 kg.*\d+\.\d %/);
    await page.getByTestId(`weigh-in-${day(1)}`).waitFor();
    expect(await page.getByTestId(`weigh-in-${day(1)}`).textContent()).toContain(`${weightOn(1).toFixed(1)} kg`);
    expect(await page.getByTestId(`weigh-in-${day(4)}`).textContent()).toContain('78.3 kg');

    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // Body fat in full on the card, and the date on one line.
    const bodyFat = measurement.locator('td[data-label="Body fat"]');
    const box = await bodyFat.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    const date = measurement.locator('td.date');
    expect(await date.evaluate((e) => e.getBoundingClientRect().height < 1.5 * Number.parseFloat(getComputedStyle(e).lineHeight))).toBe(
      true,
    );
    await screenshot(page, 'history-phone', { fullPage: false });
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  });
});
