/**
 * Daily logs and rate-based goals (docs/SCIENCE.md 3.3, 7–10) in Chromium: a day's weigh-in and food on the Daily log, the trend weight and the
 * measured expenditure with its range, a goal planned at a chosen weekly rate, and the plan's
 * projection with its band on the dashboard.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { steadyPerson } from '../support/syntheticPerson.ts';
import { byRole, screenshot } from './browser.ts';
import { browserTests, signIn } from './fixture.ts';

const suite = browserTests();
let page: Page;
let errors: string[];
const email = `kai.${Date.now()}@example.com`;
const password = 'a daily log password';
const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);

beforeAll(async () => {
  ({ page, errors } = await suite.openPage());
  // Registered and given five weeks of logs through the API (a synthetic man burning 2,600 kcal):
  // this file is about what the screens show with them.
  const { access: token } = await suite.register({ email, password, full_name: 'Kai Moreno', date_of_birth: '1990-03-14' });
  const person = steadyPerson(21, { days: 35, startDate: day(35) });
  for (const w of person.weights) await suite.api('PUT', `/users/me/weights/${w.date}`, { token, body: { weight_kg: w.weightKg } });
  for (const d of person.intake) await suite.api('PUT', `/users/me/intake/${d.date}`, { token, body: { calories: d.calories } });
  await suite.api('POST', '/measurements', {
    token,
    body: { weight_kg: 83.5, calculation_method: 'navy', waist_cm: 90, neck_cm: 38, measured_at: `${day(1)}T07:00:00` },
  });
});

const { heading, button } = byRole(() => page);

describe('daily log, expenditure and the plan in Chromium', () => {
  it('signs in and opens the Daily log from the navigation', async () => {
    await page.goto('/signin');
    await signIn(page, email, password);
    await heading('Hi, Kai').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Daily log' }).click();
    await heading('Daily log').waitFor();
    expect(await page.getByLabel('Date').inputValue()).toBe(day(0));
  });

  it('shows the trend weight and the expenditure measured from the logs, with its range', async () => {
    await expect
      .poll(() => page.getByTestId('weight-summary').textContent())
      .toMatch(/^Trend weight \d{2}\.\d kg\. Trend down 0\.\d\d kg a week\.$/);
    const summary = await page.getByTestId('expenditure-summary').textContent();
    expect(summary).toMatch(/^About [\d,]+ kcal a day \(likely [\d,]+–[\d,]+ kcal\)\. (Partly m|M)easured from \d+ days of your logs\.$/);
    const kcal = Number((await page.getByTestId('expenditure-kcal').textContent())!.replace(/\D/g, ''));
    // The synthetic man burns 2,600: five weeks of logs get close (the equation would say ~2,800).
    expect(Math.abs(kcal - 2600)).toBeLessThanOrEqual(250);
    await screenshot(page, 'daily-log');
  });

  it('asks for a weight or calories before saving, and macros only with calories', async () => {
    await button('Save day').click();
    await expect.poll(() => page.locator('#weight_kg-error').textContent()).toBe('Enter your weight, your calories, or both.');
    // Focus moves to the field once the error has rendered (an effect after paint): wait for it.
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('weight_kg');
    await page.getByLabel(/^Protein/).fill('150');
    await button('Save day').click();
    await expect.poll(() => page.locator('#calories-error').textContent()).toMatch(/calories with the macros/);
  });

  it("saves today's weigh-in and food, and the API has them", async () => {
    await page.locator('#weight_kg').fill('83.4');
    await page.getByLabel(/^Calories/).fill('2150');
    await page.getByLabel(/^Carbs/).fill('210');
    await button('Save day').click();
    await expect.poll(() => page.getByTestId('day-saved').textContent()).toMatch(/^Saved for /);
    // The form keeps showing the day as saved, to edit again.
    expect(await page.locator('#weight_kg').inputValue()).toBe('83.4');
    const token = (await suite.api('POST', '/auth/login', { body: { email, password } })).access_token as string;
    const { intake } = await suite.api('GET', `/users/me/intake?from=${day(0)}&to=${day(0)}`, { token });
    expect(intake).toEqual([expect.objectContaining({ date: day(0), calories: 2150, protein_g: 150, carbs_g: 210, fat_g: null })]);
    const { weights } = await suite.api('GET', `/users/me/weights?from=${day(0)}&to=${day(0)}`, { token });
    expect(weights[0]).toMatchObject({ date: day(0), weight_kg: 83.4, source: 'manual' });
  });

  it('starts a goal at a chosen weekly rate, planned from the measured expenditure', async () => {
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.getByRole('link', { name: 'Start a goal', exact: true }).click();
    await heading('Start a goal').waitFor();
    expect(await page.getByLabel('Weekly rate').inputValue()).toBe('0.5');
    expect(await page.locator('#weekly_rate_percent-hint').textContent()).toMatch(/At 83\.5 kg, 0\.5 % is about 0\.42 kg a week\./);
    await page.getByRole('radio', { name: /Bulking/ }).check();
    expect(await page.getByLabel('Weekly rate').inputValue()).toBe('0.25');
    await page.getByRole('radio', { name: /Cutting/ }).check();
    await page.getByLabel(/^Target body fat/).fill('14');
    await page.getByLabel('Weekly rate').selectOption('0.75');
    // The hint follows the chosen rate, and the plan is told before the goal starts, in the words it then keeps.
    expect(await page.locator('#weekly_rate_percent-hint').textContent()).toMatch(/At 83\.5 kg, 0\.75 % is about 0\.63 kg a week\./);
    const preview = page.getByTestId('goal-preview');
    await expect
      .poll(() => preview.textContent())
      .toMatch(/^14\.0 % in about \d+ weeks \(\d+–\d+\) on your plan\. Calorie target [\d,]+ kcal a day\.$/);
    const planned = (await preview.textContent())!;
    await button('Create goal').click();
    await heading('Your cutting goal has started').waitFor();
    expect(await page.getByTestId('weekly-rate').textContent()).toBe('0.75 % a week');
    const summary = (await page.getByTestId('plan-summary').textContent())!;
    expect(summary).toMatch(/^14\.0 % in about \d+ weeks \(\d+–\d+\) on your plan\.$/);
    expect(planned.startsWith(summary)).toBe(true);
    expect(planned).toContain(`Calorie target ${(await page.getByTestId('calorie-target').textContent())!.replace(' a day', '')} a day.`);
    await screenshot(page, 'goal-started-with-rate');
  });

  it('shows the rate, the expenditure and the plan on the dashboard', async () => {
    await page.getByRole('link', { name: 'Go to dashboard' }).click();
    await heading('Hi, Kai').waitFor();
    expect(await page.getByTestId('weekly-rate').textContent()).toBe('0.75 % a week');
    // Each section of the dashboard loads on its own.
    await expect.poll(() => page.getByTestId('dashboard-expenditure').textContent()).toMatch(/^[\d,]+ kcal\/day$/);
    // The same plan, now counted from today, in the goal card's one timeline.
    await expect
      .poll(() => page.getByTestId('goal-forecast').textContent())
      .toMatch(/^14\.0 % in about \d+ weeks \(\d+–\d+\) on your plan\./);
    expect(await page.getByTestId('chart-summary').textContent()).toMatch(/target is 14\.0 %/);
    await screenshot(page, 'dashboard-with-plan');
    expect(errors).toEqual([]);
  });
});
