/**
 * The dashboard's Today card in Chromium (web/src/components/TodayCard.tsx): on a phone, today's
 * weigh-in is one fill and one tap on Save from opening the app, with no navigation; a refused
 * weight keeps what was typed; today's calories are logged from the same card; pounds for a person
 * in pounds, a logged day with macros left alone, the field usable before anything has loaded; and
 * on a desktop without a goal, Enter saves. axe checks the dashboard with the card.
 */
import type { Locator, Page, Route } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe.ts';
import { browserTests, signIn, uniqueEmail } from './fixture.ts';

const suite = browserTests();
const password = 'a today card password';
const DAY_MS = 86_400_000;
/** The date `days` ago; the browser runs in UTC, so today is the app's today too. */
const day = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

/** Every page opened, for their script errors at the end. */
const opened: Awaited<ReturnType<typeof suite.openPage>>[] = [];

afterAll(() => {
  expect(opened.flatMap((o) => o.errors)).toEqual([]);
});

interface Person {
  email: string;
  token: string;
  firstName: string;
}

async function register(firstName: string, extra: Record<string, unknown> = {}): Promise<Person> {
  const email = uniqueEmail(firstName.toLowerCase());
  const { access } = await suite.register({ email, password, full_name: `${firstName} Tester`, ...extra });
  return { email, token: access, firstName };
}

/** Weigh-ins on the days before today, oldest first: `weights[0]` was `weights.length` days ago. */
async function weighIns(person: Person, weights: number[]) {
  for (const [i, weightKg] of weights.entries())
    await suite.api('PUT', `/users/me/weights/${day(weights.length - i)}`, { token: person.token, body: { weight_kg: weightKg } });
}

/** Yesterday's trend weight as the API gives it. */
async function yesterdaysTrendKg(person: Person): Promise<number> {
  const { weights } = await suite.api('GET', `/users/me/weights?from=${day(1)}&to=${day(1)}`, { token: person.token });
  return weights[0].trend_weight_kg as number;
}

/** Signs in on a page of their own, then opens the app afresh at `/` in the same browser: the dashboard, signed in. */
async function openApp(person: Person, options: { phone?: boolean } = {}): Promise<Page> {
  const browser = await suite.openPage(options);
  opened.push(browser);
  await browser.page.goto('/signin');
  await signIn(browser.page, person.email, password);
  await hi(browser.page, person).waitFor();
  await browser.page.close();
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => browser.errors.push(`page error: ${error.message}`));
  await page.goto('/');
  return page;
}

const hi = (page: Page, person: Person) => page.getByRole('heading', { level: 1, name: `Hi, ${person.firstName}` });
const card = (page: Page) => page.getByTestId('today-card');
const weightField = (page: Page) => page.getByLabel(/^Today’s weight/);
const caloriesField = (page: Page) => page.getByLabel(/^Calories eaten today/);
/** The Save next to `field`. */
const save = (field: Locator) => field.page().locator('form', { has: field }).getByRole('button', { name: 'Save', exact: true });

/** Whether the Today card comes before the element `selector` finds in the page. */
const cardComesBefore = (page: Page, selector: string) =>
  page.evaluate((other) => {
    const today = document.querySelector('[data-testid="today-card"]');
    const found = document.querySelector(other);
    return Boolean(today && found && today.compareDocumentPosition(found) & Node.DOCUMENT_POSITION_FOLLOWING);
  }, selector);

async function weighInOf(person: Person, date: string): Promise<number | null> {
  const { weights } = await suite.api('GET', `/users/me/weights?from=${date}&to=${date}`, { token: person.token });
  return weights[0]?.weight_kg ?? null;
}

async function intakeOf(person: Person, date: string) {
  const { intake } = await suite.api('GET', `/users/me/intake?from=${date}&to=${date}`, { token: person.token });
  return intake[0] ?? null;
}

describe('the Today card on a phone', () => {
  let ana: Person;
  let page: Page;

  it('logs today’s weigh-in with one fill and one tap on Save, without navigating', async () => {
    ana = await register('Ana');
    await weighIns(ana, [73.4, 73.1, 72.9]);
    const trendKg = await yesterdaysTrendKg(ana);
    page = await openApp(ana, { phone: true });
    await hi(page, ana).waitFor();
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });

    await expect.poll(() => weightField(page).getAttribute('placeholder')).toBe(trendKg.toFixed(1));
    expect(await weightField(page).getAttribute('inputmode')).toBe('decimal');
    expect(await weightField(page).getAttribute('enterkeyhint')).toBe('done');
    await weightField(page).fill('72.4');
    await save(weightField(page)).tap();

    await expect.poll(() => page.getByTestId('today-weight').textContent()).toBe('Saved: 72.4 kg');
    expect(navigations).toEqual([]);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await weighInOf(ana, day(0))).toBe(72.4);
  });

  it('shows a refused weight’s message next to the field and keeps what was typed, until Cancel', async () => {
    await page.getByRole('button', { name: 'Change today’s weight' }).tap();
    await expect.poll(() => weightField(page).inputValue()).toBe('72.4');
    await weightField(page).fill('5');
    await save(weightField(page)).tap();
    await expect.poll(() => page.locator('#today-weight-error').textContent()).toBe('Must be at least 30 kg.');
    expect(await weightField(page).inputValue()).toBe('5');
    expect(await weightField(page).getAttribute('aria-invalid')).toBe('true');
    expect(await weightField(page).getAttribute('aria-describedby')).toBe('today-weight-error');
    expect(await weighInOf(ana, day(0))).toBe(72.4);
    await card(page).getByRole('button', { name: 'Cancel', exact: true }).tap();
    await expect.poll(() => page.getByTestId('today-weight').textContent()).toBe('Saved: 72.4 kg');
  });

  it('logs today’s calories from the same card and then shows them, with the Daily log to edit them', async () => {
    await caloriesField(page).fill('1850');
    await save(caloriesField(page)).tap();
    await expect.poll(() => page.getByTestId('today-calories').textContent()).toBe('Calories today: 1,850 kcal');
    expect(await caloriesField(page).count()).toBe(0);
    expect(await card(page).getByRole('link', { name: 'Edit in Daily log' }).getAttribute('href')).toBe('/daily');
    expect(await intakeOf(ana, day(0))).toMatchObject({ calories: 1850, complete: true, protein_g: null });
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('shows what today has logged when the app opens again, and passes axe', async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('today-weight').textContent()).toBe('Today: 72.4 kg');
    await expect.poll(() => page.getByTestId('today-calories').textContent()).toBe('Calories today: 1,850 kcal');
    await expect.poll(() => page.locator('.loading').count()).toBe(0);
    const violations = await axeViolations(page);
    expect(violations, violations.join('\n')).toEqual([]);
  });

  it('sits above the goal card for a person with a goal', async () => {
    const m = await suite.api('POST', '/measurements', {
      token: ana.token,
      body: {
        weight_kg: 72.4,
        calculation_method: 'navy',
        waist_cm: 88,
        neck_cm: 38,
        measured_at: new Date(Date.now() - 3_600_000).toISOString(),
      },
    });
    await suite.api('POST', '/goals', {
      token: ana.token,
      body: { goal_type: 'cutting', initial_measurement_id: m.id, target_body_fat_percentage: 14 },
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Cutting goal' }).waitFor();
    expect(await cardComesBefore(page, '.goal-card')).toBe(true);
    await expect.poll(() => page.getByTestId('today-weight').textContent()).toBe('Today: 72.4 kg');
    await expect.poll(() => page.locator('.loading').count()).toBe(0);
    const violations = await axeViolations(page);
    expect(violations, violations.join('\n')).toEqual([]);
  });

  it('works in pounds, lets the weight be typed before anything has loaded, and leaves a day with macros alone', async () => {
    const ben = await register('Ben', { units: 'imperial' });
    await weighIns(ben, [80.2, 80, 79.9]);
    await suite.api('PUT', `/users/me/intake/${day(0)}`, { token: ben.token, body: { calories: 2300, protein_g: 160 } });
    const trendKg = await yesterdaysTrendKg(ben);
    const browser = await suite.openPage({ phone: true });
    opened.push(browser);
    const first = browser.page;
    await first.goto('/signin');
    await signIn(first, ben.email, password);
    await hi(first, ben).waitFor();

    // Today's weights held back: the field is there and takes typing all the same.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await first.route(/\/api\/v1\/users\/me\/weights\?/, async (route: Route) => {
      await held;
      await route.continue();
    });
    await first.reload();
    await hi(first, ben).waitFor();
    expect(await card(first).locator('label[for="today-weight"]').textContent()).toBe('Today’s weight (lb)');
    await weightField(first).fill('160');
    expect(await weightField(first).getAttribute('placeholder')).toBeNull();
    release();
    await expect.poll(() => weightField(first).getAttribute('placeholder')).toBe((trendKg / 0.45359237).toFixed(1));
    expect(await weightField(first).inputValue()).toBe('160');

    // The day's food has macros: the card shows it and offers no entry that would replace it.
    await expect.poll(() => first.getByTestId('today-calories').textContent()).toBe('Calories today: 2,300 kcal');
    expect(await caloriesField(first).count()).toBe(0);

    await save(weightField(first)).tap();
    await expect.poll(() => first.getByTestId('today-weight').textContent()).toBe('Saved: 160.0 lb');
    expect(await weighInOf(ben, day(0))).toBeCloseTo(72.57, 2);
    expect(await intakeOf(ben, day(0))).toMatchObject({ calories: 2300, protein_g: 160 });
  });
});

describe('the Today card on a desktop', () => {
  it('is there without a goal or a weigh-in, with no placeholder, and Enter saves', async () => {
    const cleo = await register('Cleo');
    const page = await openApp(cleo);
    await page.getByRole('heading', { name: 'Start with a measurement' }).waitFor();
    expect(await cardComesBefore(page, '.cta')).toBe(true);
    expect(await weightField(page).getAttribute('placeholder')).toBeNull();
    const violations = await axeViolations(page);
    expect(violations, violations.join('\n')).toEqual([]);

    await weightField(page).fill('64,8');
    await weightField(page).press('Enter');
    await expect.poll(() => page.getByTestId('today-weight').textContent()).toBe('Saved: 64.8 kg');
    expect(await weighInOf(cleo, day(0))).toBe(64.8);
    expect(new URL(page.url()).pathname).toBe('/');
  });
});
