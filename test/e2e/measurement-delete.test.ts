/**
 * Deleting a measurement from History: only one no goal starts from and no check-in uses has Delete,
 * confirmed in its place with focus handled; a refusal is said next to its row. And Log progress
 * deleting the measurement its refused check-in left behind once the person corrects the date.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { byRole, daysAgo } from './browser.ts';
import { browserTests, signIn as fillSignIn, uniqueEmail } from './fixture.ts';

const suite = browserTests();
let page: Page;

const PASSWORD = 'a good long password';
const { heading, button } = byRole(() => page);

interface Person {
  email: string;
  access: string;
  goalId: string;
}

const navy = (days: number, weightKg: number, waistCm: number) => ({
  calculation_method: 'navy',
  measured_at: new Date(Date.now() - days * 24 * 3600 * 1000).toISOString(),
  weight_kg: weightKg,
  waist_cm: waistCm,
  neck_cm: 38,
});

/** Saves a Navy measurement `days` ago; returns its id. */
const measure = async (person: Person, days: number, weightKg: number, waistCm: number): Promise<string> =>
  (await suite.api('POST', '/measurements', { token: person.access, body: navy(days, weightKg, waistCm) })).id;

const checkIn = (person: Person, measurementId: string) =>
  suite.api('POST', `/goals/${person.goalId}/progress`, { token: person.access, body: { measurement_id: measurementId, notes: null } });

const measurementsTotal = async (person: Person): Promise<number> =>
  (await suite.api('GET', '/measurements?limit=100', { token: person.access })).total;

/** A man registered through the API with a cutting goal from a Navy measurement three weeks ago. */
async function newPerson(): Promise<Person> {
  const email = uniqueEmail('deleter');
  const { access } = await suite.register({ email, password: PASSWORD, full_name: 'Rui Costa' });
  const person = { email, access, goalId: '' };
  const start = await measure(person, 21, 85, 91);
  person.goalId = (
    await suite.api('POST', '/goals', {
      token: access,
      body: { goal_type: 'cutting', target_body_fat_percentage: 12, initial_measurement_id: start },
    })
  ).id;
  return person;
}

/** Signs `person` in through the Sign in screen, in a context of its own. */
async function signIn(person: Person) {
  const opened = await suite.openPage();
  page = opened.page;
  await page.goto('/signin');
  await fillSignIn(page, person.email, PASSWORD);
  await heading('Hi, Rui').waitFor();
  return opened;
}

const deleteButtons = () => page.getByRole('button', { name: /^Delete the measurement of / });
const focused = () =>
  page.evaluate(() => {
    const element = document.activeElement;
    return element ? (element.getAttribute('aria-label') ?? element.getAttribute('role') ?? element.textContent) : null;
  });

describe('deleting a measurement in Chromium', () => {
  it('offers Delete only for a measurement no goal or check-in uses, confirms it in place, and deletes it', async () => {
    const person = await newPerson();
    await checkIn(person, await measure(person, 14, 84.2, 90));
    await checkIn(person, await measure(person, 7, 83.5, 89));
    await measure(person, 3, 83.1, 88.5);
    expect(await measurementsTotal(person)).toBe(4);
    const { context, errors } = await signIn(person);
    await page.getByRole('link', { name: 'History', exact: true }).first().click();
    await heading('History').waitFor();
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(4);

    // Only the extra measurement, named by its date; the goal's start and the check-ins have none.
    expect(await deleteButtons().count()).toBe(1);
    const extra = page.locator('table.history tbody tr').filter({ has: deleteButtons() });
    expect(await extra.locator('td').nth(1).textContent()).toBe('Measurement');
    const date = await extra.locator('td').first().textContent();
    expect(await deleteButtons().getAttribute('aria-label')).toBe(`Delete the measurement of ${date}`);
    const start = page.locator('table.history tbody tr').filter({ hasText: 'Start of cutting goal' });
    expect(await start.count()).toBe(1);
    expect(await start.getByRole('button').count()).toBe(0);
    const checkIns = page.locator('table.history tbody tr').filter({ hasText: 'Check-in, week' });
    expect(await checkIns.count()).toBe(2);
    expect(await checkIns.getByRole('button').count()).toBe(0);

    // The confirmation takes the button's place; Keep it gives focus back to Delete.
    await deleteButtons().click();
    await page.getByRole('group', { name: 'Delete this measurement? It cannot be undone.' }).waitFor();
    await expect.poll(focused).toBe('Yes, delete');
    await button('Keep it').click();
    await expect.poll(focused).toBe(`Delete the measurement of ${date}`);
    expect(await button('Yes, delete').count()).toBe(0);

    // By keyboard this time: Delete, then Yes, delete.
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('Yes, delete');
    await page.keyboard.press('Enter');
    const status = page.getByRole('status').filter({ hasText: `The measurement of ${date} was deleted.` });
    await status.waitFor();
    await expect.poll(focused).toBe('status');
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(3);
    expect(await deleteButtons().count()).toBe(0);
    expect(await measurementsTotal(person)).toBe(3);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says next to its row, in the API’s words, why a measurement that became a check-in stays', async () => {
    const person = await newPerson();
    const extra = await measure(person, 2, 83.4, 89);
    const { context, errors } = await signIn(person);
    await page.goto('/history');
    await heading('History').waitFor();
    await expect.poll(() => deleteButtons().count()).toBe(1);
    // Linked on another device after History loaded.
    await checkIn(person, extra);

    await deleteButtons().click();
    await button('Yes, delete').click();
    const alert = page.locator('table.history tbody tr').filter({ has: deleteButtons() }).getByRole('alert');
    await alert.waitFor();
    const refusal = await suite.request('DELETE', `/measurements/${extra}`, { token: person.access });
    expect(refusal.status).toBe(409);
    expect(refusal.body.code).toBe('measurement_in_use');
    expect(await alert.textContent()).toBe(refusal.body.detail);
    await expect.poll(focused).toMatch(/^Delete the measurement of /);
    expect(await page.getByRole('status').filter({ hasText: 'was deleted' }).count()).toBe(0);
    expect(await measurementsTotal(person)).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('leaves no orphan measurement when a refused check-in is corrected and logged', async () => {
    const person = await newPerson();
    await checkIn(person, await measure(person, 5, 84, 90));
    const { context, errors } = await signIn(person);
    await page.goto('/progress/new');
    await heading('Log progress').waitFor();
    // Before the last check-in: the measurement is saved, the check-in refused.
    await page.getByLabel('Date and time').fill(daysAgo(6));
    await page.getByLabel(/^Weight/).fill('83.6');
    await page.getByLabel(/^Waist/).fill('89.5');
    await page.getByLabel(/^Neck/).fill('38');
    await button('Log progress').click();
    await expect.poll(() => page.locator('#measured_at-error').textContent()).toMatch(/after/);
    expect(await measurementsTotal(person)).toBe(3);

    await page.getByLabel('Date and time').fill(daysAgo(1));
    await button('Log progress').click();
    await heading(/^Week \d+ check-in saved$/).waitFor();
    const { measurements, total } = await suite.api('GET', '/measurements?limit=100', { token: person.access });
    expect(total).toBe(3);
    expect(measurements.map((m: { measured_at: string }) => m.measured_at.slice(0, 10))).not.toContain(daysAgo(6).slice(0, 10));
    expect(errors).toEqual([]);
    await context.close();
  });
});
