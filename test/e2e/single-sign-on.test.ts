/**
 * Single sign-on in the browser: Sign in with the provider from the Sign in screen, through the
 * provider (test/helpers/oidc.ts completes its login by itself) and back to the dashboard: a first
 * sign-in completes its profile, a later one goes straight in, and an existing account is linked
 * with its password.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserTests, uniqueEmail } from './fixture.ts';

const suite = browserTests({ sso: true });

describe('single sign-on', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ context, page, errors } = await suite.openPage());
  });
  afterAll(async () => {
    await context.close();
  });

  async function signInWithProvider() {
    await page.goto('/signin');
    await page.getByRole('link', { name: 'Sign in with Test provider' }).click();
  }

  it('a first sign-in completes the profile and ends on the dashboard; the next goes straight in', async () => {
    const sub = randomUUID();
    suite.provider.account({ sub, email: uniqueEmail('grace'), email_verified: true, name: 'Grace Hopper' });
    suite.provider.signInAs(sub);
    await signInWithProvider();

    await page.getByRole('heading', { level: 1, name: 'Complete your profile' }).waitFor();
    // The code left the address bar as soon as the screen read it.
    expect(new URL(page.url()).hash).toBe('');
    await expect.poll(() => page.getByLabel('Full name').inputValue()).toBe('Grace Hopper');
    await page.getByLabel('Date of birth').fill('1986-12-09');
    await page.getByRole('radio', { name: 'Female' }).check();
    await page.getByLabel('Height').fill('168');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: 'Hi, Grace' }).waitFor();

    await page.evaluate(() => localStorage.clear());
    await signInWithProvider();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: 'Hi, Grace' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('shows a refused sign-in in place, with the way back to Sign in', async () => {
    await page.evaluate(() => localStorage.clear());
    await page.goto('/sso#error=oidc_denied');
    await page.getByRole('alert').filter({ hasText: 'The provider did not sign you in.' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await page.getByRole('link', { name: 'Back to Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  });

  it('links an existing account with its password, and says so when the password is wrong', async () => {
    const email = uniqueEmail('katherine');
    await suite.register({ email, password: 'katherine-password', full_name: 'Katherine Johnson' });
    const sub = randomUUID();
    suite.provider.account({ sub, email, email_verified: true, name: 'Katherine Johnson' });
    suite.provider.signInAs(sub);
    // Another person at this browser: signed out here and at the provider.
    await page.evaluate(() => localStorage.clear());
    await context.clearCookies();
    await signInWithProvider();

    await page.getByRole('heading', { level: 1, name: 'Link your account' }).waitFor();
    await page.getByLabel('Recomp password').fill('not-the-password');
    await page.getByRole('button', { name: 'Link and sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Incorrect password' }).waitFor();
    await page.getByLabel('Recomp password').fill('katherine-password');
    await page.getByRole('button', { name: 'Link and sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: 'Hi, Katherine' }).waitFor();
  });
});
