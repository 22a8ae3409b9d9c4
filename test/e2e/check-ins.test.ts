/**
 * Check-ins on a phone (390 px): a measurement logged with an active goal counts as a check-in (the
 * goal's check-ins list it, and its target's reason is said); Log progress prefills today's
 * weigh-in, asks before replacing the day's check-in, and deletes the latest one after a confirmation.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { byRole, daysAgo } from './browser.ts';
import { browserTests, signIn as fillSignIn, uniqueEmail } from './fixture.ts';

const suite = browserTests();
let page: Page;

const PASSWORD = 'a good long password';
const { heading, button } = byRole(() => page);

/** A man registered through the API with a cutting goal from a Navy measurement three weeks ago. */
async function newPerson() {
  const email = uniqueEmail('checker');
  const { access } = await suite.register({ email, password: PASSWORD, full_name: 'Rui Costa' });
  const start = await suite.api('POST', '/measurements', {
    token: access,
    body: {
      calculation_method: 'navy',
      // 20 days ago at noon (UTC): a check-in dated 7 days ago at 07:00 is in week 1 at any hour of the run.
      measured_at: daysAgo(20, 12),
      weight_kg: 85,
      waist_cm: 91,
      neck_cm: 38,
    },
  });
  const goal = await suite.api('POST', '/goals', {
    token: access,
    body: { goal_type: 'cutting', target_body_fat_percentage: 12, initial_measurement_id: start.id },
  });
  return { email, access, goalId: goal.id as string };
}

async function signIn(email: string) {
  const opened = await suite.openPage({ phone: true });
  page = opened.page;
  await page.goto('/signin');
  await fillSignIn(page, email, PASSWORD);
  await heading('Hi, Rui').waitFor();
  return opened;
}

describe('check-ins in Chromium on a phone', () => {
  it('counts a measurement logged with an active goal as a check-in, by default', async () => {
    const person = await newPerson();
    const { context, errors } = await signIn(person.email);
    try {
      // The dashboard's two log buttons say how they differ.
      expect(await page.getByTestId('log-buttons-hint').textContent()).toMatch(
        /^Log progress is your check-in: .* Log measurement saves any measurement and asks whether it counts as one\.$/,
      );
      await page.goto('/measurements/new');
      await page.getByRole('radio', { name: 'Yes, count it as a check-in' }).waitFor();
      expect(await page.getByRole('radio', { name: 'Yes, count it as a check-in' }).isChecked()).toBe(true);
      await page.getByLabel('Date and time').fill(daysAgo(7));
      await page.getByLabel(/^Weight/).fill('84.2');
      await page.getByLabel(/^Waist/).fill('90');
      await page.getByLabel(/^Neck/).fill('38');
      await button('Save measurement').click();
      await page.getByTestId('check-in-saved').waitFor();
      expect(await page.getByTestId('check-in-saved').textContent()).toContain('week 1 check-in');
      expect(await page.getByTestId('target-change').textContent()).toMatch(/^Your target (changed|was kept|stayed)/);

      const entries = await suite.api('GET', `/goals/${person.goalId}/progress`, { token: person.access });
      expect(entries).toHaveLength(1);
      expect(entries[0].weight_kg).toBe(84.2);
      // The dashboard says why the target is what it is.
      await page.goto('/');
      await page.getByTestId('target-change').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // The diet plan says it too, and lists the targets: the start's and the check-in's.
      await page.goto('/plans');
      await page.getByRole('heading', { name: 'Calorie target history' }).waitFor();
      expect(await page.locator('.target-history-list li').count()).toBe(2);
      expect(await page.getByTestId('target-change').textContent()).toBe(
        (await suite.api('GET', `/goals/${person.goalId}/targets`, { token: person.access })).at(-1).reason,
      );
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('prefills today’s weigh-in, asks before replacing the day’s check-in, and deletes the latest one', async () => {
    const person = await newPerson();
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    await suite.api('PUT', `/users/me/weights/${day}`, { token: person.access, body: { weight_kg: 83.4 } });
    const earlier = await suite.api('POST', '/measurements', {
      token: person.access,
      body: {
        calculation_method: 'navy',
        measured_at: new Date(Math.max(Date.now() - 300_000, new Date().setUTCHours(0, 0, 1, 0))).toISOString(),
        weight_kg: 83.6,
        waist_cm: 89.5,
        neck_cm: 38,
      },
    });
    await suite.api('POST', `/goals/${person.goalId}/progress`, { token: person.access, body: { measurement_id: earlier.id } });
    const { context, errors } = await signIn(person.email);
    try {
      await page.goto('/progress/new');
      await page.getByTestId('weigh-in-prefill').waitFor();
      expect(await page.getByLabel(/^Weight/).inputValue()).toBe('83.4');
      await page.getByLabel(/^Waist/).fill('89');
      await page.getByLabel(/^Neck/).fill('38');
      await button('Log progress').click();
      await page.getByTestId('replace-check-in').waitFor();
      expect(await page.getByTestId('replace-check-in').textContent()).toContain('You already checked in today. Replace that check-in?');
      await button('Replace it').click();
      await heading(/check-in saved$/).waitFor();
      const entries = await suite.api('GET', `/goals/${person.goalId}/progress`, { token: person.access });
      expect(entries.map((e: { weight_kg: number }) => e.weight_kg)).toEqual([83.4]);

      await button('Log another check-in').click();
      await page.getByTestId('check-in-row').first().waitFor();
      await page.getByRole('button', { name: /^Delete the week \d+ check-in$/ }).click();
      // The question takes the button's place, with focus on its answer.
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, delete');
      await button('Yes, delete').click();
      await page.getByTestId('check-in-row').first().waitFor({ state: 'detached' });
      expect(await suite.api('GET', `/goals/${person.goalId}/progress`, { token: person.access })).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
