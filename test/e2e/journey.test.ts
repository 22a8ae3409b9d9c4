/**
 * One person's journey through the web app in real Chromium, screen by screen, as README.md ('The web app') names them:
 * sign up (with an error shown next to its field first), a measurement by each method, a cutting
 * goal (a refused target first), two check-ins, the dashboard with its chart and plans, history,
 * plans, a reload that stays signed in, imperial units, sign out and in again.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { byRole, daysAgo, screenshot } from './browser.ts';
import { browserTests, signIn } from './fixture.ts';

const suite = browserTests();
let page: Page;
let errors: string[];
const email = `alex.${Date.now()}@example.com`;
const password = 'correct horse battery';

beforeAll(async () => {
  ({ page, errors } = await suite.openPage());
});

const { heading, button, link } = byRole(() => page);

/** The error text tied to an input through aria-describedby, as a screen reader would read it. */
async function errorOf(label: string | RegExp): Promise<string> {
  const input = page.getByLabel(label);
  await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ').filter((id) => id.endsWith('-error'));
  expect(ids).toHaveLength(1);
  return (await page.locator(`[id="${ids[0]}"]`).textContent()) ?? '';
}

async function logMeasurement(
  method: 'Navy tape' | '3-site skinfold' | '7-site skinfold',
  when: string,
  weight: string,
  sites: Record<string, string>,
) {
  await page.goto('/measurements/new');
  await heading('Log measurement').waitFor();
  await page.getByRole('radio', { name: method }).check();
  await page.getByLabel('Date and time').fill(when);
  await page.getByLabel(/^Weight/).fill(weight);
  for (const [label, value] of Object.entries(sites)) await page.getByLabel(new RegExp(`^${label} \\(`)).fill(value);
  await button('Save measurement').click();
  await heading('Measurement saved').waitFor();
  return (await page.getByTestId('body-fat-result').textContent()) ?? '';
}

/** The labels of the site inputs the form shows now, in order. */
async function siteLabels(): Promise<string[]> {
  const labels = await page.locator('fieldset.sites label').allTextContents();
  return labels.map((text) => text.replace(/\s*\(.*\)$/, ''));
}

describe('the web app, end to end in Chromium', () => {
  it('welcomes a visitor with Sign in and Create account', async () => {
    await page.goto('/');
    await heading(/Get leaner or bigger/).waitFor();
    expect(await page.title()).toBe('Welcome · Recomp');
    await expect.poll(() => link('Sign in').isVisible()).toBe(true);
    await screenshot(page, 'welcome');
    await link('Create account').click();
    await heading('Create account').waitFor();
    expect(new URL(page.url()).pathname).toBe('/signup');
  });

  it('shows the API error next to its field, keeps what was typed, then creates the account', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Full name').fill('Alex Morgan');
    await page.getByLabel('Date of birth').fill('1990-04-12');
    await page.getByRole('radio', { name: 'Male', exact: true }).check();
    await page.getByLabel(/^Height/).fill('90'); // the API takes 120–250 cm
    await page.getByRole('radio', { name: /Moderately active/ }).check();
    await page.getByRole('radio', { name: 'Navy tape', exact: true }).check();
    await button('Create account').click();

    expect(await errorOf(/^Height/)).toContain('Must be at least 120 cm');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('correct the field');
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    // The first invalid field has the keyboard focus.
    // Focus moves to the field once the error has rendered (an effect after paint): wait for it.
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('height_cm');
    await screenshot(page, 'signup-error');

    await page.getByLabel(/^Height/).fill('180');
    await button('Create account').click();
    await heading('Hi, Alex').waitFor();
    await page.getByRole('heading', { name: 'Start with a measurement' }).waitFor();
  });

  it('logs a measurement with each method, showing only that method’s sites and the computed body fat', async () => {
    await page.goto('/measurements/new');
    await heading('Log measurement').waitFor();
    await expect.poll(siteLabels).toEqual(['Waist', 'Neck']);
    await page.getByRole('radio', { name: '3-site skinfold', exact: true }).check();
    await expect.poll(siteLabels).toEqual(['Chest', 'Abdomen', 'Thigh']);
    await page.getByRole('radio', { name: '7-site skinfold', exact: true }).check();
    await expect.poll(siteLabels).toEqual(['Chest', 'Midaxillary', 'Triceps', 'Subscapular', 'Abdomen', 'Suprailiac', 'Thigh']);
    // Every site has its how-to hint, tied to the input.
    expect(await page.getByLabel(/^Midaxillary/).getAttribute('aria-describedby')).toContain('midaxillary_mm-hint');
    expect(await page.locator('#midaxillary_mm-hint').textContent()).toMatch(/side of the chest/);

    const threeSite = await logMeasurement('3-site skinfold', daysAgo(16), '85.5', { Chest: '12', Abdomen: '22', Thigh: '16' });
    expect(threeSite).toMatch(/^\d{1,2}\.\d %$/);
    const sevenSite = await logMeasurement('7-site skinfold', daysAgo(15), '85.2', {
      Chest: '12',
      Midaxillary: '14',
      Triceps: '11',
      Subscapular: '15',
      Abdomen: '22',
      Suprailiac: '16',
      Thigh: '16',
    });
    expect(sevenSite).toMatch(/^\d{1,2}\.\d %$/);

    await page.goto('/measurements/new');
    await page.getByRole('radio', { name: 'Navy tape', exact: true }).check();
    await page.getByLabel('Date and time').fill(daysAgo(14, 6));
    await page.getByLabel(/^Weight/).fill('85');
    await page.getByLabel(/^Waist/).fill('90');
    await page.getByLabel(/^Neck/).fill('38');
    await screenshot(page, 'log-measurement');
    await button('Save measurement').click();
    await heading('Measurement saved').waitFor();
    expect(await page.getByTestId('body-fat-result').textContent()).toBe('19.8 %');
    await screenshot(page, 'measurement-saved');
  });

  it('starts a cutting goal: the safe range is shown, an unsafe target is refused next to its field', async () => {
    await link('Start a goal').click();
    await heading('Start a goal').waitFor();
    expect(await page.getByTestId('current-body-fat').textContent()).toBe('19.8 %');
    expect(await page.locator('#target_body_fat_percentage-hint').textContent()).toMatch(/from 8 %.*below your current 19\.8 %/);
    await page.getByRole('radio', { name: /Bulking/ }).check();
    expect(await page.locator('#ceiling_body_fat_percentage-hint').textContent()).toMatch(/above your current 19\.8 %, up to 30 %/);
    await page.getByRole('radio', { name: /Cutting/ }).check();

    await page.getByLabel(/^Target body fat/).fill('5');
    await button('Create goal').click();
    expect(await errorOf(/^Target body fat/)).toMatch(/too low to be safe.*8 %/);
    await screenshot(page, 'start-goal-error');

    await page.getByLabel(/^Target body fat/).fill('12');
    await button('Create goal').click();
    await heading('Your cutting goal has started').waitFor();
    expect(await page.getByTestId('calorie-target').textContent()).toMatch(/^[\d,]+ kcal a day$/);
    expect(await page.getByTestId('estimated-weeks').textContent()).toMatch(/^\d+ weeks?$/);
    await screenshot(page, 'goal-started');
  });

  it('logs two check-ins in one step each, with week, changes and on-track state', async () => {
    await link('Go to dashboard').click();
    await link('Log progress').click();
    await heading('Log progress').waitFor();
    await page.getByLabel(/^Weight/).waitFor(); // the form appears once the goal has loaded
    await expect.poll(siteLabels).toEqual(['Waist', 'Neck']);
    await page.getByLabel('Date and time').fill(daysAgo(7));
    await page.getByLabel(/^Weight/).fill('84.1');
    await page.getByLabel(/^Waist/).fill('88.8');
    await page.getByLabel(/^Neck/).fill('38');
    await page.getByLabel('Notes (optional)').fill('Slept well all week');
    await screenshot(page, 'log-progress');
    await button('Log progress').click();
    await heading('Week 1 check-in saved').waitFor();
    expect(await page.getByRole('status').textContent()).toMatch(/Body fat.*points.*Weight.*84\.1 kg.*−0\.9 kg/);
    await expect.poll(() => page.getByText('On track').isVisible()).toBe(true);

    await button('Log another check-in').click();
    await page.getByLabel('Date and time').fill(daysAgo(0, 7));
    await page.getByLabel(/^Weight/).fill('83.3');
    await page.getByLabel(/^Waist/).fill('87.6');
    await page.getByLabel(/^Neck/).fill('38');
    await button('Log progress').click();
    await heading('Week 2 check-in saved').waitFor();
    await screenshot(page, 'progress-logged');
  });

  it('shows the dashboard: goal card, chart with its text alternative, warnings and plan summaries', async () => {
    await link('Go to dashboard').click();
    await heading('Hi, Alex').waitFor();
    await page.getByRole('heading', { name: 'Cutting goal' }).waitFor();
    expect(await page.getByTestId('goal-limit').textContent()).toBe('12.0 %');
    expect(await page.getByTestId('current-bf').textContent()).toMatch(/^1[5-9]\.\d %$/);
    expect(await page.getByTestId('progress-percent').textContent()).toMatch(/^\d+ %$/);
    expect(await page.getByTestId('calorie-target').textContent()).toMatch(/kcal\/day/);
    const chart = page.getByRole('img', { name: /Chart of body fat/ });
    await chart.waitFor();
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(200);
    expect(await page.getByTestId('chart-summary').textContent()).toMatch(
      /^Body fat 1\d\.\d %, down \d\.\d points in 2 weeks\. Weight 8\d\.\d kg trend weight \(83\.3 kg on the scale today\), down 0\.\d\d kg a week\..*target is 12\.0 %/,
    );
    // Keyboard: the chart takes focus and the arrow keys walk its points.
    await chart.focus();
    await expect
      .poll(() => page.getByTestId('chart-point').textContent())
      .toMatch(/: body fat 18\.1 %, weight 83\.3 kg \(measurement 3 of 3\)\.$/);
    await page.keyboard.press('ArrowLeft');
    await expect
      .poll(() => page.getByTestId('chart-point').textContent())
      .toMatch(/: body fat 18\.9 %, weight 84\.1 kg \(measurement 2 of 3\)\.$/);
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('chart-point').textContent()).toMatch(/body fat 19\.8 %.*1 of 3/);
    await page.getByRole('heading', { name: 'Training plan' }).waitFor();
    expect(await page.getByRole('region', { name: 'Training plan' }).textContent()).toMatch(/strength sessions a week/);
    expect(await page.getByRole('region', { name: 'Diet plan' }).textContent()).toMatch(/Protein\d+ g/);
    await screenshot(page, 'dashboard');
  });

  it('shows the plans and the history', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Plans' }).click();
    await heading('Your plans').waitFor();
    await page.getByRole('table', { name: 'Exercises' }).waitFor();
    expect(await page.getByRole('table', { name: 'Exercises' }).textContent()).toMatch(/Squats.*×/);
    expect(await page.getByTestId('diet-calories').textContent()).toMatch(/kcal a day/);
    await page.getByRole('heading', { name: 'Guidelines' }).waitFor();
    await screenshot(page, 'plans');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    await heading('History').waitFor();
    const rows = page.locator('table.history tbody tr');
    await expect.poll(() => rows.count()).toBe(5);
    expect(await rows.nth(0).textContent()).toMatch(/Check-in, week 2/);
    expect(await rows.nth(1).textContent()).toMatch(/Check-in, week 1.*Slept well/);
    expect(await rows.nth(2).textContent()).toMatch(/Start of cutting goal.*Navy tape.*85\.0 kg.*19\.8 %/);
    expect(await rows.nth(3).textContent()).toMatch(/7-site skinfold/);
    expect(await rows.nth(4).textContent()).toMatch(/3-site skinfold/);
    await screenshot(page, 'history');
  });

  it('stays signed in across reloads, refreshing an expired access token once even with parallel requests', async () => {
    await page.reload();
    await heading('History').waitFor();
    // History's loads come in two rounds (the lists, then each goal's entries). Expiring the token
    // while the second is under way had that page refresh just as it was left: the rotated pair was
    // never stored, the next page spent the old refresh token again and, as reuse does (docs/DESIGN.md, 'Tokens and sign-ins'), ended the
    // sign-in (seen once in a test run). So the page finishes loading first.
    await page.waitForLoadState('networkidle');
    // Expire the access token: the dashboard's four parallel calls must share one refresh (a
    // second use of the rotated refresh token would end the sign-in).
    await page.evaluate(`(() => {
      const s = JSON.parse(localStorage.getItem('recomp.session'));
      localStorage.setItem('recomp.session', JSON.stringify({ ...s, accessExpiresAt: 0 }));
    })()`);
    const refreshes: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/auth/refresh')) refreshes.push(request.url());
    });
    await page.goto('/');
    await page.getByRole('heading', { name: 'Cutting goal' }).waitFor();
    expect(refreshes).toHaveLength(1);
    await page.reload();
    await page.getByRole('heading', { name: 'Cutting goal' }).waitFor();
    expect(refreshes).toHaveLength(1);
  });

  it('switches to imperial units for display and input; the API stays metric', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await heading('Settings').waitFor();
    await page.getByRole('radio', { name: 'Imperial', exact: true }).check();
    await page.getByLabel('Feet').waitFor();
    expect(await page.getByLabel('Feet').inputValue()).toBe('5');
    expect(await page.getByLabel('Inches').inputValue()).toBe('10.9');
    await screenshot(page, 'settings');

    await page.goto('/measurements/new');
    await page.getByRole('radio', { name: 'Navy tape', exact: true }).check();
    expect(await page.locator('label[for="weight_kg"]').textContent()).toBe('Weight (lb)');
    expect(await page.locator('label[for="waist_cm"]').textContent()).toBe('Waist (in)');
    await page.getByLabel('Date and time').fill(daysAgo(0, 8));
    await page.getByLabel(/^Weight/).fill('185');
    await page.getByLabel(/^Waist/).fill('35');
    await page.getByLabel(/^Neck/).fill('15');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/measurements') && r.request().method() === 'POST');
    await button('Save measurement').click();
    const body = (await (await saved).request().postDataJSON()) as Record<string, number>;
    expect(body.weight_kg).toBeCloseTo(83.91, 2);
    expect(body.waist_cm).toBeCloseTo(88.9, 2);
    expect(body.neck_cm).toBeCloseTo(38.1, 2);
    await heading('Measurement saved').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('185.0 lb');

    // An error from the API speaks the person's units too.
    await button('Log another measurement').click();
    await page.getByLabel(/^Weight/).fill('40');
    await page.getByLabel(/^Waist/).fill('35');
    await page.getByLabel(/^Neck/).fill('15');
    await button('Save measurement').click();
    expect(await errorOf(/^Weight/)).toBe('Must be at least 66.2 lb.');

    await page.goto('/history');
    await expect.poll(() => page.locator('table.history tbody tr').first().textContent()).toContain('185.0 lb');
    await page.goto('/settings');
    await page.getByRole('radio', { name: 'Metric', exact: true }).check();
  });

  it('signs out, guards the screens, and signs back in to where the person was going', async () => {
    await button('Sign out').click();
    await heading(/Get leaner or bigger/).waitFor();
    expect(await page.evaluate('localStorage.getItem("recomp.session")')).toBeNull();
    await page.goto('/history');
    await heading('Sign in').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/history');

    await signIn(page, email, 'not the password');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/email or password/i);
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await screenshot(page, 'signin-error');

    await page.getByLabel('Password').fill(password);
    await button('Sign in').click();
    await heading('History').waitFor();
  });

  it('is legible on a phone', async () => {
    const phone = await suite.openPage({ phone: true });
    try {
      await phone.page.goto('/signin');
      await signIn(phone.page, email, password);
      await phone.page.getByRole('heading', { name: 'Cutting goal' }).waitFor();
      await phone.page.getByRole('img', { name: /Chart of body fat/ }).waitFor();
      // Nothing wider than the screen: no sideways scrolling.
      expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await screenshot(phone.page, 'dashboard-phone');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });

  it('raised no script errors along the way', () => {
    expect(errors).toEqual([]);
  });
});
