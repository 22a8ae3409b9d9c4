/**
 * Units and accessibility in Chromium: a height that survives unit switches and imperial saves,
 * group errors read on the input that takes focus, Create account when the sign-in after it fails,
 * imperial limits that are accepted when typed, error placement, focus around Settings'
 * confirmations, and a `next` that is not a path of this app.
 */
import type { Page, Request } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { byRole, daysAgo } from './browser.ts';
import { browserTests, signIn } from './fixture.ts';

const suite = browserTests();
let page: Page;
let errors: string[];
const email = `riley.${Date.now()}@example.com`;
const password = 'a long enough password';

beforeAll(async () => {
  ({ page, errors } = await suite.openPage());
});

const { heading, button, radio } = byRole(() => page);
const focused = (property: 'id' | 'textContent') => () => page.evaluate(`document.activeElement.${property}`);
const attribute = (selector: string, name: string) => page.locator(selector).getAttribute(name);
const requestTo = (path: string, method: string) =>
  page.waitForRequest((r: Request) => new URL(r.url()).pathname === `/api/v1${path}` && r.method() === method);

describe('units and accessibility in Chromium', () => {
  it('keeps a typed cm through unit switches and reads group errors on the focused input', async () => {
    await page.goto('/signup');
    await heading('Create account').waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Full name').fill('Riley Chen');
    await page.getByLabel('Date of birth').fill('1992-06-20');
    await page.getByLabel(/^Height/).fill('180');

    await radio('Imperial (lb, in)').check();
    await expect.poll(() => page.getByLabel('Feet').inputValue()).toBe('5');
    expect(await page.getByLabel('Inches').inputValue()).toBe('10.9');
    await radio('Metric (kg, cm)').check();
    // 5 ft 10.9 in is 180.1 cm: the typed 180 must come back, not its rounding.
    await expect.poll(() => page.getByLabel(/^Height/).inputValue()).toBe('180');

    await radio('Imperial (lb, in)').check();
    await page.getByLabel('Feet').fill('');
    await button('Create account').click();
    // Sex is the first invalid field: its first radio takes focus and carries the error itself.
    await expect.poll(focused('id')).toBe('gender-male');
    expect(await attribute('#gender-male', 'aria-invalid')).toBe('true');
    expect((await attribute('#gender-male', 'aria-describedby'))?.split(' ')).toContain('gender-error');
    expect(await page.locator('#gender-error').textContent()).toMatch(/Choose male or female/);
    expect(await page.locator('fieldset:has(#gender-male)').getAttribute('aria-invalid')).toBeNull();
    for (const id of ['height_ft', 'height_in']) {
      expect(await attribute(`#${id}`, 'aria-invalid')).toBe('true');
      expect(await attribute(`#${id}`, 'aria-describedby')).toBe('height_cm-error');
    }

    await radio('Female').check();
    await button('Create account').click();
    await expect.poll(focused('id')).toBe('height_ft');
    expect(await page.locator('#height_cm-error').textContent()).toMatch(/feet and inches/);
  });

  it('sends the person to Sign in with the email filled in when the sign-in after Create account fails', async () => {
    await page.getByLabel('Feet').fill('5');
    // The automatic sign-in is refused once (as a rate limit would): the account exists by then.
    await page.route('**/api/v1/auth/login', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 429, detail: 'Too many requests', code: 'rate_limited' }),
      }),
    );
    const registered = requestTo('/users', 'POST');
    await button('Create account').click();
    expect((await registered).postDataJSON()).toMatchObject({ email, height_cm: 180 });
    await heading('Sign in').waitFor();
    await page.getByText('Your account was created.').waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await page.unroute('**/api/v1/auth/login');

    await page.getByLabel('Password').fill(password);
    await button('Sign in').click();
    await heading('Hi, Riley').waitFor();
  });

  it('saves the profile in imperial without touching the height, and converts feet and inches only when edited', async () => {
    await page.goto('/settings');
    await heading('Settings').waitFor();
    expect(await radio('Imperial').isChecked()).toBe(true);
    await page.getByLabel('Full name').fill('Riley M. Chen');
    let patched = requestTo('/users/me', 'PATCH');
    await button('Save profile').click();
    expect((await patched).postDataJSON()).not.toHaveProperty('height_cm');
    await page.getByText('Profile saved.').waitFor();

    // The lowest height, shown in feet and inches, is accepted when typed.
    await page.getByLabel('Feet').fill('3');
    await page.getByLabel('Inches').fill('10');
    await button('Save profile').click();
    await expect.poll(() => page.locator('#height_cm-error').textContent()).toBe('Must be at least 3 ft 11.3 in.');
    await expect.poll(focused('id')).toBe('height_ft');
    await page.getByLabel('Inches').fill('11.3');
    patched = requestTo('/users/me', 'PATCH');
    await button('Save profile').click();
    expect((await patched).postDataJSON()).toMatchObject({ height_cm: 120.1 });
    await page.getByText('Profile saved.').waitFor();

    // Back to what it showed at first: the exact 180 cm it was filled from, not 180.1.
    await page.getByLabel('Feet').fill('5');
    await page.getByLabel('Inches').fill('10.9');
    patched = requestTo('/users/me', 'PATCH');
    await button('Save profile').click();
    expect((await patched).postDataJSON()).toMatchObject({ height_cm: 180 });
    await page.getByText('Profile saved.').waitFor();
    await radio('Metric').check();
    await expect.poll(() => page.getByLabel(/^Height/).inputValue()).toBe('180');
    await radio('Imperial').check();
  });

  it('shows a pound limit that is accepted when typed, and a Navy refusal next to Waist', async () => {
    await page.goto('/measurements/new');
    await heading('Log measurement').waitFor();
    await radio('Navy tape').check();
    await page.getByLabel('Date and time').fill(daysAgo(1));
    await page.getByLabel(/^Weight/).fill('40');
    await page.getByLabel(/^Waist/).fill('35');
    await page.getByLabel(/^Neck/).fill('13');
    await page.getByLabel(/^Hip/).fill('40');
    await button('Save measurement').click();
    await expect.poll(() => page.locator('#weight_kg-error').textContent()).toBe('Must be at least 66.2 lb.');

    await page.getByLabel(/^Weight/).fill('150');
    await page.getByLabel(/^Waist/).fill('4');
    await page.getByLabel(/^Hip/).fill('4');
    await page.getByLabel(/^Neck/).fill('20');
    await button('Save measurement').click();
    await expect.poll(() => page.locator('#waist_cm-error').textContent()).toMatch(/waist plus hip must be larger than the neck/);
    await expect.poll(focused('id')).toBe('waist_cm');

    await page.getByLabel(/^Weight/).fill('66.2');
    await page.getByLabel(/^Waist/).fill('35');
    await page.getByLabel(/^Hip/).fill('40');
    await page.getByLabel(/^Neck/).fill('13');
    await button('Save measurement').click();
    await heading('Measurement saved').waitFor();
  });

  it('moves focus into a confirmation when it opens and back to its button when it is cancelled', async () => {
    await page.getByRole('link', { name: 'Start a goal', exact: true }).first().click();
    await heading('Start a goal').waitFor();
    await radio(/Cutting/).check();
    const current = Number.parseFloat((await page.getByTestId('current-body-fat').textContent()) ?? '');
    await page.getByLabel(/^Target body fat/).fill(String(Math.max(15, Math.floor(current - 4))));
    await button('Create goal').click();
    await heading('Your cutting goal has started').waitFor();

    await page.goto('/settings');
    await button('Abandon goal').focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused('textContent')).toBe('Yes, abandon goal');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Keep goal');
    await page.keyboard.press('Enter');
    await expect.poll(focused('textContent')).toBe('Abandon goal');

    await button('Delete account').click();
    await expect.poll(focused('id')).toBe('password');
    await button('Keep my account').click();
    await expect.poll(focused('textContent')).toBe('Delete account');

    // Once abandoning worked, its button is gone: focus goes to the message that says so.
    await button('Abandon goal').click();
    await button('Yes, abandon goal').click();
    await expect.poll(focused('textContent')).toBe('Your cutting goal was abandoned. You can start a new one any time.');
  });

  it('says in a sentence that the new email is the current one', async () => {
    await page.getByLabel('New email', { exact: true }).fill(email);
    await page.locator('input#email_password').fill(password);
    await button('Change email').click();
    await expect.poll(() => page.locator('#new_email-error').textContent()).toBe('This is already your email.');
  });

  it('ignores a `next` that names another host and signs in to the dashboard', async () => {
    const other = await suite.openPage();
    try {
      await other.page.goto(`/signin?next=${encodeURIComponent('/\\evil.example')}`);
      await signIn(other.page, email, password);
      await other.page.getByRole('heading', { level: 1, name: 'Hi, Riley' }).waitFor();
      expect(new URL(other.page.url()).pathname).toBe('/');
      expect(other.errors).toEqual([]);
    } finally {
      await other.context.close();
    }
  });

  it('raised no script errors along the way', () => {
    expect(errors).toEqual([]);
  });
});
