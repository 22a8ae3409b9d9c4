/**
 * A woman's sites for each method, a bulking goal with its ceiling range, abandoning it in Settings
 * and starting a new goal, changing the password, an ended sign-in sending the person to Sign in
 * and back (with the new password), a new email, and at the end the data downloaded and the account deleted.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { byRole, daysAgo, screenshot } from './browser.ts';
import { browserTests, signIn as fillSignIn } from './fixture.ts';

const suite = browserTests();
let page: Page;
let errors: string[];
let email = `sam.${Date.now()}@example.com`;
let password = 'another good password';

beforeAll(async () => {
  ({ page, errors } = await suite.openPage());
  // Registered through the API: this file is about what comes after.
  await suite.api('POST', '/users', {
    body: {
      email,
      password,
      full_name: 'Sam Rivera',
      date_of_birth: '1994-09-30',
      gender: 'female',
      height_cm: 168,
      preferred_calculation_method: '3_site',
      activity_level: 'very_active',
    },
  });
});

const { heading, button, radio } = byRole(() => page);
const siteLabels = async () => (await page.locator('fieldset.sites label').allTextContents()).map((t) => t.replace(/\s*\(.*\)$/, ''));

/** With the email and password as they are now (both change below). */
const signIn = () => fillSignIn(page, email, password);

describe('goals and sessions in Chromium', () => {
  it('signs in and shows a woman’s sites for each method, starting from her preferred one', async () => {
    await page.goto('/signin');
    await signIn();
    await heading('Hi, Sam').waitFor();
    await page.getByRole('link', { name: 'Log measurement', exact: true }).click();
    await heading('Log measurement').waitFor();
    expect(await radio('3-site skinfold').isChecked()).toBe(true);
    await expect.poll(siteLabels).toEqual(['Triceps', 'Suprailiac', 'Thigh']);
    await radio('Navy tape').check();
    await expect.poll(siteLabels).toEqual(['Waist', 'Neck', 'Hip']);
    expect(await page.locator('#hip_cm-hint').textContent()).toMatch(/widest part/);
  });

  it('refuses an empty site before sending anything, naming it next to its field', async () => {
    await page.getByLabel('Date and time').fill(daysAgo(10));
    await page.getByLabel(/^Weight/).fill('62');
    await page.getByLabel(/^Waist/).fill('72');
    await page.getByLabel(/^Neck/).fill('32');
    await button('Save measurement').click();
    await expect.poll(() => page.locator('#hip_cm-error').textContent()).toBe('Enter the hip measurement.');
    // Focus moves to the field once the error has rendered (an effect after paint): wait for it.
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('hip_cm');
    await page.getByLabel(/^Hip/).fill('98');
    await button('Save measurement').click();
    await heading('Measurement saved').waitFor();
    expect(await page.getByTestId('body-fat-result').textContent()).toMatch(/^\d{2}\.\d %$/);
  });

  it('starts a bulking goal inside the ceiling range', async () => {
    await page.getByRole('link', { name: 'Start a goal', exact: true }).click();
    await heading('Start a goal').waitFor();
    const current = Number.parseFloat((await page.getByTestId('current-body-fat').textContent()) ?? '');
    await radio(/Bulking/).check();
    expect(await page.locator('#ceiling_body_fat_percentage-hint').textContent()).toMatch(/up to 30 %/);
    await page.getByLabel(/^Body fat ceiling/).fill('31');
    await button('Create goal').click();
    await expect.poll(() => page.locator('#ceiling_body_fat_percentage-error').textContent()).toMatch(/above the maximum of 30 %/);
    await page.getByLabel(/^Body fat ceiling/).fill(String(Math.min(30, Math.ceil(current + 3))));
    await button('Create goal').click();
    await heading('Your bulking goal has started').waitFor();
    await page.getByRole('link', { name: 'Go to dashboard', exact: true }).click();
    await page.getByRole('heading', { name: 'Bulking goal' }).waitFor();
    // The goal card's term (the chart's legend names the line Ceiling too).
    await page.getByRole('term').getByText('Ceiling', { exact: true }).waitFor();
  });

  it('abandons the goal in Settings and starts a new one', async () => {
    await page.goto('/settings');
    await button('Abandon goal').click();
    await page.getByText('Abandon your bulking goal?').waitFor();
    await button('Keep goal').click();
    await button('Abandon goal').click();
    await button('Yes, abandon goal').click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/bulking goal was abandoned/);

    await page.getByRole('link', { name: 'Start a goal', exact: true }).click();
    await heading('Start a goal').waitFor();
    await radio(/Cutting/).check();
    expect(await page.locator('#target_body_fat_percentage-hint').textContent()).toMatch(/from 15 % \(the safe minimum for women\)/);
    const current = Number.parseFloat((await page.getByTestId('current-body-fat').textContent()) ?? '');
    await page.getByLabel(/^Target body fat/).fill(String(Math.max(15, Math.floor(current - 4))));
    await button('Create goal').click();
    await heading('Your cutting goal has started').waitFor();
  });

  it('updates the profile, with an API error shown next to its field', async () => {
    await page.goto('/settings');
    await page.getByLabel(/^Height/).fill('300');
    await button('Save profile').click();
    await expect.poll(() => page.locator('#height_cm-error').textContent()).toBe('Must be at most 250 cm.');
    await page.getByLabel(/^Height/).fill('169');
    await page.getByLabel('Full name').fill('Samantha Rivera');
    await button('Save profile').click();
    await page.getByText('Profile saved.').waitFor();
    await page.goto('/');
    await heading('Hi, Samantha').waitFor();
  });

  it('changes the password in Settings, with a wrong current one shown next to its field', async () => {
    await page.goto('/settings');
    await page.getByLabel('Current password', { exact: true }).fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('a brand new password');
    await button('Change password').click();
    await expect.poll(() => page.locator('#current_password-error').textContent()).toMatch(/does not match/);
    await page.getByLabel('Current password', { exact: true }).fill(password);
    await button('Change password').click();
    await page.getByText('Password changed.').waitFor();
    expect(await page.getByLabel('Current password', { exact: true }).inputValue()).toBe('');
    await screenshot(page, 'settings-password-changed');
    // Signing in again below uses the new one.
    password = 'a brand new password';
  });

  it('sends a person whose sign-in has ended to Sign in, and back where they were', async () => {
    // End the sign-in behind the page's back (as a sign-out on another device would).
    const tokens = JSON.parse(String(await page.evaluate('localStorage.getItem("recomp.session")'))) as { access: string; refresh: string };
    expect((await suite.request('POST', '/auth/logout', { token: tokens.access })).status).toBe(204);
    await page.evaluate(`(() => {
      const s = JSON.parse(localStorage.getItem('recomp.session'));
      localStorage.setItem('recomp.session', JSON.stringify({ ...s, accessExpiresAt: 0 }));
    })()`);
    await page.goto('/plans');
    await heading('Sign in').waitFor();
    await page.getByText('Your session has ended').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/plans');
    await screenshot(page, 'signin-expired');
    await signIn();
    await heading('Your plans').waitFor();
    await page.getByRole('heading', { name: 'Training plan' }).waitFor();
  });

  it('changes the email in Settings after the password is confirmed', async () => {
    await page.goto('/settings');
    const moved = `samantha.${Date.now()}@example.com`;
    await page.getByLabel('New email', { exact: true }).fill(moved);
    await page.locator('input#email_password').fill('not my password');
    await button('Change email').click();
    await expect.poll(() => page.locator('#email_password-error').textContent()).toMatch(/does not match/);
    await page.locator('input#email_password').fill(password);
    await button('Change email').click();
    await page.getByText(`Email changed. Sign in with ${moved} from now on.`).waitFor();
    await page.getByText(`Signed in as ${moved}.`).waitFor();
    email = moved;
  });

  it('downloads the data, then deletes the account after the password is confirmed', async () => {
    await page.goto('/settings');
    const [json] = await Promise.all([page.waitForEvent('download'), button('Download all data (JSON)').click()]);
    expect(json.suggestedFilename()).toMatch(/^recomp-export-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile((await json.path())!, 'utf8')) as { user: { email: string }; measurements: unknown[] };
    expect(exported.user.email).toBe(email);
    expect(exported.measurements.length).toBeGreaterThan(0);
    const [csv] = await Promise.all([page.waitForEvent('download'), button('Download measurements (CSV)').click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    expect((await readFile((await csv.path())!, 'utf8')).split('\r\n')[0]).toMatch(/^id,measured_at,/);

    // What the device kept for the person (docs/DESIGN.md, 'Offline') is there until the account goes.
    const kept = () => page.evaluate(async () => (await indexedDB.databases()).filter((d) => d.name?.startsWith('recomp-person-')).length);
    expect(await kept()).toBe(1);
    await button('Delete account').click();
    await page.locator('input#password').fill('not my password');
    await button('Delete my account').click();
    await expect.poll(() => page.locator('#password-error').textContent()).toMatch(/does not match/);
    await screenshot(page, 'settings-delete-account');
    await page.locator('input#password').fill(password);
    await button('Delete my account').click();
    await page.getByText('Your account and all its data were deleted.').waitFor();
    expect(await kept()).toBe(0);
    await page.goto('/signin');
    await signIn();
    await page.getByText('Incorrect email or password').waitFor();
  });

  it('raised no script errors along the way', () => {
    expect(errors).toEqual([]);
  });
});
