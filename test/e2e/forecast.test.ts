/**
 * The goal card on a phone (390 px): one timeline wording built from the API's forecast (no
 * "Weeks remaining" beside it), the one current weight, and Change rate showing the new target and
 * forecast before it saves them.
 */
import { describe, expect, it } from 'vitest';
import { screenshot } from './browser.ts';
import { browserTests, signIn, uniqueEmail } from './fixture.ts';

const suite = browserTests();
const password = 'a forecast password';
const DAY_MS = 86_400_000;
/**
 * An instant `days` ago: an hour back so that "today" is never in the future, but never before the
 * start of today's (UTC) day, so that "today" stays today whatever the hour of the run.
 */
const at = (days: number) => {
  const now = Date.now();
  return new Date(Math.max(now - 3_600_000, now - (now % DAY_MS)) - days * DAY_MS).toISOString();
};
const dayOf = (days: number) => at(days).slice(0, 10);

describe('the goal card’s forecast on a phone', () => {
  it('shows one timeline wording, the trend weight, and previews a new rate before saving it', async () => {
    const email = uniqueEmail('mira');
    const { access: token } = await suite.register({ email, password, full_name: 'Mira Tester' });
    // Three weeks of a cut: weigh-ins every other day, the tape at the start, after two weeks and today.
    for (let d = 21; d >= 0; d -= 2) {
      await suite.api('PUT', `/users/me/weights/${dayOf(d)}`, { token, body: { weight_kg: Math.round((90 - 0.05 * (21 - d)) * 10) / 10 } });
    }
    const measure = (days: number, waistCm: number, weightKg: number) =>
      suite.api<{ id: string }>('POST', '/measurements', {
        token,
        body: { weight_kg: weightKg, calculation_method: 'navy', waist_cm: waistCm, neck_cm: 38, measured_at: at(days) },
      });
    const start = await measure(21, 92, 90);
    const goal = await suite.api<{ id: string }>('POST', '/goals', {
      token,
      body: { goal_type: 'cutting', initial_measurement_id: start.id, target_body_fat_percentage: 15 },
    });
    for (const [days, waist, kg] of [
      [14, 91.2, 89.6],
      [7, 90.5, 89.3],
      [0, 89.6, 89],
    ] as const) {
      const m = await measure(days, waist, kg);
      await suite.api('POST', `/goals/${goal.id}/progress`, { token, body: { measurement_id: m.id } });
    }
    const trends = await suite.api<{ forecast: { plan: { weeks: number } } }>('GET', `/goals/${goal.id}/trends`, { token });

    const { page, errors } = await suite.openPage({ phone: true });
    await page.goto('/signin');
    await signIn(page, email, password);
    await page.getByRole('heading', { name: 'Cutting goal' }).waitFor();

    // One element tells the timeline, with the API's plan weeks; nothing else counts weeks.
    const forecast = page.getByTestId('goal-forecast');
    await expect.poll(() => forecast.count()).toBe(1);
    const text = await forecast.textContent();
    expect(text).toMatch(
      new RegExp(`^15\\.0 % in about ${trends.forecast.plan.weeks} weeks \\(\\d+–\\d+\\) on your plan\\. At your current rate: `),
    );
    expect(await page.getByText('Weeks remaining').count()).toBe(0);
    expect(await page.getByText(/on your plan/).count()).toBe(1);
    expect(await page.getByText(/in about \d+ weeks?/).count()).toBe(1);
    expect(await page.getByTestId('current-weight').textContent()).toMatch(
      /^Weight: \d+\.\d kg trend weight \(89\.0 kg on the scale today\), down 0\.\d\d kg a week\.$/,
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Change rate: the preview first, nothing saved until Save rate.
    const target = await page.getByTestId('calorie-target').textContent();
    await page.getByRole('button', { name: 'Change rate' }).click();
    await page.getByLabel('New weekly rate').selectOption('0.75');
    const preview = page.getByTestId('rate-preview');
    await expect
      .poll(() => preview.textContent())
      .toMatch(/^New target [\d,]+ kcal a day \(now [\d,]+ kcal\)\. 15\.0 % in about \d+ weeks/);
    const previewed = await suite.api<{ target_calories: number }>('GET', `/goals/${goal.id}/rate-preview?weekly_rate_percent=0.75`, {
      token,
    });
    expect(await preview.textContent()).toContain(`New target ${previewed.target_calories.toLocaleString('en')} kcal a day`);
    expect(await page.getByTestId('calorie-target').textContent()).toBe(target);
    expect(await page.getByTestId('weekly-rate').textContent()).toBe('0.5 % a week');
    await screenshot(page, 'change-rate-preview');

    await page.getByRole('button', { name: 'Save rate' }).click();
    await expect.poll(() => page.getByTestId('weekly-rate').textContent()).toBe('0.75 % a week');
    await expect
      .poll(() => page.getByTestId('calorie-target').textContent())
      .toBe(`${previewed.target_calories.toLocaleString('en')} kcal/day`);
    expect(await page.getByTestId('goal-forecast').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
