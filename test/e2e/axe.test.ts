/**
 * Every screen checked with axe-core (WCAG 2 A and AA, test/e2e/axe.ts) on a phone and on a desktop:
 * signed out (Welcome, Sign in, Create account, Forgot password, Set a new password; single sign-on's
 * Link your account, Complete your profile and a refusal), then a person with logs and no goal (Dashboard, Log
 * measurement, Start a goal), then with a goal and a check-in (Dashboard, Log progress, Daily log,
 * History, Plans, Settings). Each screen is checked once its content has loaded, in the light theme
 * and again in the dark one (prefers-color-scheme, docs/DESIGN.md "Themes"), colour contrast included.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetToken, type SmtpSink, startSmtpSink } from '../helpers/smtp.ts';
import { axeViolations } from './axe.ts';
import { browserTests, signIn, uniqueEmail } from './fixture.ts';

// The service sends mail (to a local sink), so Sign in offers Forgot password and its screens work;
// with single sign-on, Sign in and Create account show its button, and its screens are checked too.
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.stop();
});
const suite = browserTests({ sso: true, env: () => sink.env });
const password = 'an accessible password';
const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
const at = (days: number) => new Date(Date.now() - days * DAY_MS - 3_600_000).toISOString();

describe.each([
  ['phone', true],
  ['desktop', false],
] as const)('no axe-core violations on any screen (%s)', (viewport, phone) => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let token: string;
  const email = uniqueEmail(`ada.${viewport}`);

  /** Opens `path`, waits for its h1 and for every section to finish loading, and runs axe in both themes. */
  async function check(path: string, h1: string | RegExp) {
    if (new URL(page.url(), suite.baseUrl).pathname !== path || page.url() === 'about:blank') await page.goto(path);
    await page.getByRole('heading', { level: 1, name: h1 }).waitFor();
    await expect.poll(() => page.locator('.loading').count()).toBe(0);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      // Soft: one run lists the violations of every screen, each line naming the rule and the elements.
      const violations = await axeViolations(page);
      expect.soft(violations, `${path} on the ${viewport}, ${colorScheme}:\n${violations.join('\n')}`).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  beforeAll(async () => {
    ({ context, page, errors } = await suite.openPage({ phone }));
    ({ access: token } = await suite.register({ email, password, full_name: 'Ada Okafor', date_of_birth: '1991-05-02' }));
    // Three weeks of weigh-ins and food, and a measurement: every section of every screen has something to show.
    for (let d = 21; d >= 1; d--) {
      await suite.api('PUT', `/users/me/weights/${day(d)}`, { token, body: { weight_kg: 85 - (21 - d) * 0.05 } });
      await suite.api('PUT', `/users/me/intake/${day(d)}`, { token, body: { calories: 2300, protein_g: 150, complete: d !== 3 } });
    }
    await suite.api('POST', '/measurements', {
      token,
      body: { weight_kg: 85, calculation_method: 'navy', waist_cm: 91, neck_cm: 38, measured_at: at(14) },
    });
  });
  afterAll(async () => {
    await context.close();
  });

  it('signed out: Welcome, Sign in, Create account, Forgot password, Set a new password', async () => {
    await check('/', 'Get leaner or bigger — and see it happen');
    await check('/signin', 'Sign in');
    await check('/signup', 'Create account');
    await check('/forgot-password', 'Forgot password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('status').waitFor();
    await check('/forgot-password', 'Forgot password');
    // A link without its token, then the mailed one.
    await check('/reset-password', 'Set a new password');
    await page.goto(`/reset-password#token=${resetToken(await sink.mailTo(email))}`);
    await page.getByLabel('New password', { exact: true }).waitFor();
    await check('/reset-password', 'Set a new password');
  });

  it('single sign-on: Link your account, Complete your profile, a refusal', async () => {
    /** Sign in with the provider as a provider account with `email`, up to the screen it leads to. */
    const arrive = async (email: string, h1: string) => {
      const sub = `${viewport}-${email}`;
      suite.provider.account({ sub, email, email_verified: true, name: 'Ada Okafor' });
      suite.provider.signInAs(sub);
      await context.clearCookies();
      await page.goto('/signin');
      await page.getByRole('link', { name: 'Sign in with Test provider' }).click();
      await page.getByRole('heading', { level: 1, name: h1 }).waitFor();
      await check('/sso', h1);
    };
    await arrive(email, 'Link your account');
    await arrive(uniqueEmail(`newcomer.${viewport}`), 'Complete your profile');
    await context.clearCookies();
    // From another path: a change of the fragment alone would not load the screen again.
    await page.goto('/signin');
    await page.goto('/sso#error=oidc_unavailable');
    await check('/sso', 'Signing in');
  });

  it('without a goal: Dashboard, Log measurement, Start a goal', async () => {
    await page.goto('/signin');
    await signIn(page, email, password);
    // Signed in once the dashboard opens: a navigation before that would cut the sign-in short.
    await page.waitForURL((url) => url.pathname === '/');
    await check('/', 'Hi, Ada');
    await check('/measurements/new', 'Log measurement');
    await check('/goals/new', 'Start a goal');
  });

  it('with a goal and a check-in: Dashboard, Log progress, Daily log, History, Plans, Settings', async () => {
    const { id: start } = await suite.api('GET', '/measurements?limit=1', { token }).then((list) => list.measurements[0]);
    const goal = await suite.api('POST', '/goals', {
      token,
      body: { goal_type: 'cutting', initial_measurement_id: start, target_body_fat_percentage: 15 },
    });
    const checkIn = await suite.api('POST', '/measurements', {
      token,
      body: { weight_kg: 84.2, calculation_method: 'navy', waist_cm: 90, neck_cm: 38, measured_at: at(1) },
    });
    await suite.api('POST', `/goals/${goal.id}/progress`, { token, body: { measurement_id: checkIn.id } });

    await check('/', 'Hi, Ada');
    await check('/progress/new', 'Log progress');
    await check('/daily', 'Daily log');
    await check('/history', 'History');
    await check('/plans', 'Your plans');
    await check('/settings', 'Settings');
    expect(errors).toEqual([]);
  });
});
