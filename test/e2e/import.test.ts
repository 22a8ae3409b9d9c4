/**
 * Settings' Import card in Chromium, on a desktop and on a phone: the Daily log's link to it for a
 * person with few days logged, a file in no known format dropped on the card and refused with the
 * service's message, a MyFitnessPal Nutrition Summary chosen with the file input and read in a dry
 * run (format, days, range, a day entered by hand kept, a row left out), then imported, and the
 * imported days on the Daily log.
 */
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byRole, screenshot } from './browser.ts';
import { browserTests, signIn, uniqueEmail } from './fixture.ts';

const suite = browserTests();
const password = 'an import password';
const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
/** How the card and the list name a day (en-GB, as the browser context is set up). */
const shown = (date: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`));

/** The file's days: 20 to 5 days ago. */
const FIRST = 20;
const LAST = 5;
/** The day the person logged by hand before importing, with other calories than the file's. */
const TYPED = 10;
const kcalOn = (daysAgo: number) => 2000 + daysAgo * 10;

/**
 * A MyFitnessPal "Nutrition Summary" export: a row per date and meal, sixteen days of three meals
 * each adding up to kcalOn(day), and one row whose calories are not a number.
 */
function nutritionSummary(): string {
  const header =
    'Date,Meal,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,Trans Fat,Cholesterol,Sodium (mg),Potassium,' +
    'Carbohydrates (g),Fiber,Sugar,Protein (g),Vitamin A,Vitamin C,Calcium,Iron,Note';
  const rest = '3.1,1.2,4.4,0,45,"1,230",410';
  const rows = [header];
  for (let ago = FIRST; ago >= LAST; ago--) {
    const total = kcalOn(ago);
    rows.push(`${day(ago)},Breakfast,500,15,${rest},60,6.5,12,25,8,15,20,10,`);
    rows.push(`${day(ago)},Lunch,700,25,${rest},80,6.5,12,40,8,15,20,10,`);
    rows.push(`${day(ago)},Dinner,"${(total - 1200).toLocaleString('en-US')}",30,${rest},90,6.5,12,50,8,15,20,10,`);
  }
  rows.push(`${day(LAST)},Snacks,lots,1,${rest},1,6.5,12,1,8,15,20,10,`);
  return `\ufeff${rows.join('\n')}\n`;
}

describe.each([
  ['desktop', false],
  ['phone', true],
] as const)('importing a history in Settings (%s)', (viewport, phone) => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let token: string;
  const email = uniqueEmail(`noor.${viewport}`);
  const { heading, button, link } = byRole(() => page);
  const card = () => page.locator('#import');
  const fileInput = () => page.getByLabel(/^Choose (a|another) file$/);
  const status = () => page.getByTestId('import-status').textContent();
  const noSidewaysScrolling = async () => {
    if (phone) expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  };
  /** The card at the top of a phone's screen, as the person sees it there. */
  const cardShot = async (name: string) => {
    if (!phone) return;
    await card().evaluate((section) => section.scrollIntoView({ block: 'start' }));
    await screenshot(page, name, { fullPage: false });
  };

  beforeAll(async () => {
    ({ context, page, errors } = await suite.openPage({ phone }));
    ({ access: token } = await suite.register({ email, password, full_name: 'Noor Haddad' }));
    await suite.api('PUT', `/users/me/intake/${day(TYPED)}`, { token, body: { calories: 1800 } });
  });
  afterAll(async () => {
    await context.close();
  });

  it('links from the Daily log of a person with few days logged to the Import card, usable from the keyboard', async () => {
    await page.goto('/signin');
    await signIn(page, email, password);
    await heading('Hi, Noor').waitFor();
    // The phone's tab bar names the Daily log by its short label.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: phone ? 'Log' : 'Daily log', exact: true })
      .click();
    await heading('Daily log').waitFor();
    await page.getByTestId('import-suggestion').getByRole('link', { name: 'Import your history' }).click();
    await heading('Settings').waitFor();
    // The card is where the link leads: its heading takes focus, and Tab reaches the file input.
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('import-heading');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('import-file');
    expect(await fileInput().getAttribute('type')).toBe('file');
  });

  it("takes a file dropped on the card, and refuses one in no known format with the service's message", async () => {
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/api/v1/users/me/imports'));
    const dropped = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['Dear diary,\nate well today.\n'], 'notes.txt', { type: 'text/plain' }));
      return transfer;
    });
    await page.getByTestId('import-drop').dispatchEvent('dragenter', { dataTransfer: dropped });
    expect(await page.getByTestId('import-drop').getAttribute('class')).toBe('drop-zone over');
    await page.getByTestId('import-drop').dispatchEvent('drop', { dataTransfer: dropped });
    expect((await refused).status()).toBe(422);
    const alert = card().getByRole('alert');
    await expect
      .poll(() => alert.textContent())
      .toMatch(/^The file is in no format this service reads; it reads .*a MyFitnessPal export; /);
    expect(await card().getByText('notes.txt', { exact: true }).count()).toBe(1);
    // Nothing to try again: another file is the way on.
    expect(await button('Try again').count()).toBe(0);
    expect(await fileInput().count()).toBe(1);
    await noSidewaysScrolling();
  });

  it('reads a MyFitnessPal Nutrition Summary in a dry run, following the job, and reports it', async () => {
    // The first poll of the job waits until its progress bar has been seen.
    let held: Route | undefined;
    const polled = new Promise<void>((resolve) => {
      void page.route('**/api/v1/users/me/imports/*', (route) => {
        if (held) return route.continue();
        held = route;
        resolve();
        return undefined;
      });
    });
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/api/v1/users/me/imports'));
    await fileInput().setInputFiles({ name: 'Nutrition-Summary.csv', mimeType: 'text/csv', buffer: Buffer.from(nutritionSummary()) });
    const request = await sent;
    expect(new URL(request.url()).searchParams.get('dry_run')).toBe('true');
    expect(request.headers().authorization).toMatch(/^Bearer /);
    await polled;
    const bar = page.getByRole('progressbar', { name: /^Reading the file: \d+ %$/ });
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(0);
    expect(await bar.getAttribute('aria-valuemax')).toBe('100');
    expect(await status()).toBe('Reading the file.');
    await held!.continue();

    const report = page.getByTestId('import-report');
    await report.waitFor();
    await page.unroute('**/api/v1/users/me/imports/*');
    const range = `${shown(day(FIRST))} – ${shown(day(LAST))}`;
    expect(await report.textContent()).toBe(`FormatMyFitnessPalDates16 days, ${range}`);
    expect(await status()).toBe(`MyFitnessPal export read: 16 days, ${range}. Nothing is stored until you choose Import.`);
    const counts = page.getByTestId('import-counts');
    expect(await counts.textContent()).toBe('Food16 days: 15 new, 1 of yours kept');
    // The day typed by hand: kept unless the person chooses the file's.
    expect(await page.getByRole('radio', { name: /^Keep mine/ }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: /^Use the file’s/ }).check();
    expect(await counts.textContent()).toBe('Food16 days: 15 new, 1 of yours replaced');
    await page.getByRole('radio', { name: /^Keep mine/ }).check();
    const rejections = page.getByTestId('import-rejections');
    expect(await rejections.getByRole('heading').textContent()).toBe('Not imported: 1');
    expect(await rejections.getByRole('listitem').textContent()).toBe(`line ${(FIRST - LAST + 1) * 3 + 2}: not a number`);
    // A dry run stores nothing.
    expect((await suite.api('GET', `/users/me/intake?from=${day(FIRST)}`, { token })).intake).toHaveLength(1);
    await noSidewaysScrolling();
    await cardShot('import-dry-run-phone');
  });

  it('imports the file, then the Daily log shows the imported days and keeps the typed one', async () => {
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/api/v1/users/me/imports'));
    await button('Import').click();
    const query = new URL((await sent).url()).searchParams;
    expect([query.get('dry_run'), query.get('on_conflict')]).toEqual(['false', 'keep']);
    await expect.poll(status).toBe(`Imported: 16 days, ${shown(day(FIRST))} – ${shown(day(LAST))}.`);
    // The Import button went with its step: focus is on the step that took its place, not lost to the page.
    await expect.poll(() => page.evaluate('document.activeElement.dataset.step')).toBe('done');
    expect(await card().locator('.alert-success').textContent()).toBe(
      `Imported from MyFitnessPal: 16 days, ${shown(day(FIRST))} – ${shown(day(LAST))}.`,
    );
    expect(await page.getByTestId('import-counts').textContent()).toBe('Food16 days: 15 new, 1 of yours kept');
    await noSidewaysScrolling();
    await cardShot('import-done-phone');

    await link('Open the Daily log').click();
    await heading('Daily log').waitFor();
    // A day's row: its date, its weight (none here: "—"), then its food.
    const row = (daysAgo: number) => page.getByTestId(`logged-${day(daysAgo)}`);
    await row(LAST).waitFor();
    expect(await row(LAST).textContent()).toMatch(
      new RegExp(`^${shown(day(LAST))}—${kcalOn(LAST).toLocaleString('en-GB')} kcal115 g protein, 230 g carbs, 70 g fat`),
    );
    expect(await row(TYPED).textContent()).toMatch(new RegExp(`^${shown(day(TYPED))}—1,800 kcal`));
    await button('Show all 16 days').click();
    expect(await row(FIRST).textContent()).toMatch(new RegExp(`^${shown(day(FIRST))}—${kcalOn(FIRST).toLocaleString('en-GB')} kcal`));
    // Sixteen days logged: no more need for the suggestion.
    expect(await page.getByTestId('import-suggestion').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
