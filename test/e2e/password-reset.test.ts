/**
 * A forgotten password: Sign in's "Forgot password?", the mail's link, a new password, and the
 * person signed in with it; the old password and the old sign-in no longer work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink, TEST_PUBLIC_URL } from '../helpers/smtp.ts';
import { browserTests, uniqueEmail } from './fixture.ts';

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.stop();
});
const suite = browserTests({ env: () => sink.env });

const OLD_PASSWORD = 'the password I forgot';
const NEW_PASSWORD = 'a password I will remember';

describe('password reset in the browser', () => {
  it('Forgot password → the mail’s link → a new password → signed in', async () => {
    const email = uniqueEmail('forgetful');
    const before = await suite.register({ email, password: OLD_PASSWORD, full_name: 'Grace Forgetful' });
    const { page, errors } = await suite.openPage({ phone: true });

    await page.goto('/signin');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Forgot password' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    const sent = page.getByRole('status').filter({ hasText: 'If an account exists for that address, a link is on its way' });
    await sent.waitFor();
    await expect.poll(() => sent.evaluate((element) => element === document.activeElement)).toBe(true);

    const mail = await sink.mailTo(email);
    const link = new URL(/https?:\/\/\S+\/reset-password#token=[\w-]+/.exec(mail.text)![0]);
    expect(link.origin).toBe(TEST_PUBLIC_URL);
    await page.goto(`${link.pathname}${link.hash}`);
    await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
    // The token is taken out of the address bar once read.
    expect(new URL(page.url()).hash).toBe('');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: /Hi, Grace/ }).waitFor();

    expect((await suite.request('POST', '/auth/login', { body: { email, password: OLD_PASSWORD } })).status).toBe(401);
    expect((await suite.request('POST', '/auth/login', { body: { email, password: NEW_PASSWORD } })).status).toBe(200);
    expect((await suite.request('POST', '/auth/refresh', { body: { refresh_token: before.refresh } })).status).toBe(401);

    // The link worked once: opened again, it says so and offers a new one.
    await page.goto(`${link.pathname}${link.hash}`);
    await page.getByLabel('New password', { exact: true }).fill(`${NEW_PASSWORD} again`);
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByRole('alert').filter({ hasText: 'This link to set a new password does not work' }).waitFor();
    await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
