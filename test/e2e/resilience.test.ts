/**
 * When the network or the API misbehaves: a rate limit or an outage while the app starts (or while
 * it refreshes the sign-in) keeps the person signed in; a lost answer to Save measurement, Create
 * goal or Log progress is retried without creating anything twice; a check-in that reaches the goal
 * says so; and what was typed survives an expired sign-in. Playwright's page.route fakes the failures.
 */
import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { daysAgo } from './browser.ts';
import { browserTests, signIn as fillSignIn, uniqueEmail } from './fixture.ts';

const suite = browserTests();

const PASSWORD = 'a good long password';

interface Person {
  email: string;
  access: string;
  goalId: string | null;
}

/**
 * A man registered through the API, with a Navy measurement two weeks ago (about 19.8 % at 180 cm,
 * waist 90, neck 38) and, when asked, a goal from it.
 */
async function newPerson(
  goal?: { goal_type: 'cutting'; target_body_fat_percentage: number } | { goal_type: 'bulking'; ceiling_body_fat_percentage: number },
): Promise<Person> {
  const email = uniqueEmail('resilient');
  const { access } = await suite.register({ email, password: PASSWORD, full_name: 'Rui Costa' });
  if (!goal) return { email, access, goalId: null };
  const measurement = await suite.api('POST', '/measurements', {
    token: access,
    body: {
      calculation_method: 'navy',
      measured_at: new Date(Date.now() - 14 * 24 * 3600 * 1000).toISOString(),
      weight_kg: 84,
      waist_cm: 90,
      neck_cm: 38,
    },
  });
  const created = await suite.api('POST', '/goals', { token: access, body: { ...goal, initial_measurement_id: measurement.id } });
  return { email, access, goalId: created.id };
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** Fills a Navy tape measurement (Log measurement or Log progress, the method already chosen). */
async function fillNavy(page: Page, at: string, tape: { weight: string; waist: string; neck: string }) {
  await page.getByLabel('Date and time').fill(at);
  await page.getByLabel(/^Weight/).fill(tape.weight);
  await page.getByLabel(/^Waist/).fill(tape.waist);
  await page.getByLabel(/^Neck/).fill(tape.neck);
}

/** A page signed in as `person` (through the Sign in screen), on the dashboard. */
async function signedIn(person: Person) {
  const opened = await suite.openPage();
  await opened.page.goto('/signin');
  await signIn(opened.page, person);
  await heading(opened.page, 'Hi, Rui').waitFor();
  return opened;
}

const signIn = (page: Page, person: Person) => fillSignIn(page, person.email, PASSWORD);

/**
 * Lets the first `drop` POSTs to a URL reach the service and then loses their answers (the
 * connection resets), as a phone going through a tunnel would; records each one's Idempotency-Key.
 */
async function loseAnswers(page: Page, url: string | RegExp, drop: number): Promise<(string | undefined)[]> {
  const keys: (string | undefined)[] = [];
  await page.route(url, async (route: Route) => {
    if (route.request().method() !== 'POST') return route.continue();
    keys.push(route.request().headers()['idempotency-key']);
    if (keys.length > drop) return route.continue();
    await route.fetch();
    return route.abort('connectionreset');
  });
  return keys;
}

/** The script errors a test did not cause on purpose (its faked 5xx answers and lost connections are expected). */
const unexpected = (errors: string[]) => errors.filter((e) => !/net::ERR_|status of 5\d\d|^5\d\d from /.test(e));

/** Ends the page's sign-in behind its back (as a sign-out on another device would), so its next call is refused. */
async function endSignInBehindThePage(page: Page) {
  const tokens = JSON.parse(String(await page.evaluate('localStorage.getItem("recomp.session")'))) as { access: string };
  await suite.api('POST', '/auth/logout', { token: tokens.access });
  await page.evaluate(`(() => {
    const s = JSON.parse(localStorage.getItem('recomp.session'));
    localStorage.setItem('recomp.session', JSON.stringify({ ...s, accessExpiresAt: 0 }));
  })()`);
}

describe('resilience in Chromium', () => {
  it('keeps a person signed in through a rate limit or an outage while the app starts', async () => {
    const person = await newPerson();
    const { context, page, errors } = await signedIn(person);
    await page.route('**/api/v1/users/me', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 429,
          title: 'Too Many Requests',
          detail: 'Too many requests; retry in 42 seconds',
          code: 'rate_limited',
        }),
      }),
    );
    await page.reload();
    await heading(page, 'Cannot load Recomp').waitFor();
    await page.getByText('Too many requests; retry in 42 seconds').waitFor();
    expect(await page.evaluate('localStorage.getItem("recomp.session")')).not.toBeNull();

    await page.unroute('**/api/v1/users/me');
    await page.route('**/api/v1/users/me', (route) =>
      route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' }),
    );
    await button(page, 'Try again').click();
    await page.getByText('Something went wrong (503). Please try again.').waitFor();
    await heading(page, 'Cannot load Recomp').waitFor();

    await page.unroute('**/api/v1/users/me');
    await button(page, 'Try again').click();
    await heading(page, 'Hi, Rui').waitFor();
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('reports a refused refresh as the API worded it, and only a lost connection as unreachable', async () => {
    const person = await newPerson();
    const { context, page, errors } = await signedIn(person);
    const expire = () =>
      page.evaluate(`(() => {
      const s = JSON.parse(localStorage.getItem('recomp.session'));
      localStorage.setItem('recomp.session', JSON.stringify({ ...s, accessExpiresAt: 0 }));
    })()`);
    await page.route('**/api/v1/auth/refresh', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 429,
          title: 'Too Many Requests',
          detail: 'Too many requests; retry in 17 seconds',
          code: 'rate_limited',
        }),
      }),
    );
    await expire();
    await page.reload();
    await heading(page, 'Cannot load Recomp').waitFor();
    await page.getByText('Too many requests; retry in 17 seconds').waitFor();
    expect(await page.getByText(/cannot be reached/).count()).toBe(0);

    await page.unroute('**/api/v1/auth/refresh');
    await page.route('**/api/v1/auth/refresh', (route) => route.abort('internetdisconnected'));
    await button(page, 'Try again').click();
    // No answer at all: the app opens on what the device kept of the person, and says so.
    await heading(page, 'Hi, Rui').waitFor();
    await expect.poll(() => page.getByTestId('offline-banner').textContent()).toMatch(/^Recomp cannot be reached right now\./);

    // The stored refresh token was never spent: once the API answers, the sign-in carries on, and the
    // next screen's reads come from the service. (Not a reload: the page keeps trying to refresh,
    // and a reload that cut off a refresh the service had answered would lose its new pair.)
    await page.unroute('**/api/v1/auth/refresh');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Daily log' }).click();
    await heading(page, 'Daily log').waitFor();
    await expect.poll(() => page.getByTestId('offline-banner').count()).toBe(0);
    await page.getByTestId('weight-summary').waitFor();
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('saves a measurement once when its answer was lost and the person tries again', async () => {
    const person = await newPerson();
    const { context, page, errors } = await signedIn(person);
    const keys = await loseAnswers(page, '**/api/v1/measurements', 1);
    await page.getByRole('link', { name: 'Log measurement', exact: true }).click();
    await heading(page, 'Log measurement').waitFor();
    await page.getByRole('radio', { name: 'Navy tape', exact: true }).check();
    await fillNavy(page, daysAgo(1), { weight: '83.5', waist: '89', neck: '38' });
    await button(page, 'Save measurement').click();
    await page.getByText('Recomp cannot be reached. Check your connection and try again.').waitFor();
    await button(page, 'Save measurement').click();
    await heading(page, 'Measurement saved').waitFor();

    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect((await suite.api('GET', '/measurements?limit=10', { token: person.access })).total).toBe(1);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('starts one goal, not a false "already active", when the answer to Create goal was lost', async () => {
    const person = await newPerson();
    await suite.api('POST', '/measurements', {
      token: person.access,
      body: {
        calculation_method: 'navy',
        measured_at: new Date(Date.now() - 3600_000).toISOString(),
        weight_kg: 84,
        waist_cm: 90,
        neck_cm: 38,
      },
    });
    const { context, page, errors } = await signedIn(person);
    const keys = await loseAnswers(page, '**/api/v1/goals', 1);
    await page.goto('/goals/new');
    await heading(page, 'Start a goal').waitFor();
    await page.getByLabel(/^Target body fat/).fill('15');
    await button(page, 'Create goal').click();
    await page.getByText('Recomp cannot be reached. Check your connection and try again.').waitFor();
    await button(page, 'Create goal').click();
    await heading(page, 'Your cutting goal has started').waitFor();

    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect((await suite.api('GET', '/goals?limit=10', { token: person.access })).goals).toHaveLength(1);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('logs a check-in once when both of its answers were lost, each request keeping its own key', async () => {
    const person = await newPerson({ goal_type: 'cutting', target_body_fat_percentage: 12 });
    const { context, page, errors } = await signedIn(person);
    const measurementKeys = await loseAnswers(page, '**/api/v1/measurements', 1);
    const entryKeys = await loseAnswers(page, /\/api\/v1\/goals\/[^/]+\/progress$/, 1);
    await page.getByRole('link', { name: 'Log progress', exact: true }).click();
    await heading(page, 'Log progress').waitFor();
    await fillNavy(page, daysAgo(7), { weight: '83', waist: '88', neck: '38' });
    // The measurement's answer is lost: the check-in goes into the device's queue, which sends the
    // measurement again at once (its answer replayed) and then the entry, whose answer is lost too.
    await button(page, 'Log progress').click();
    await page.getByTestId('check-in-queued').waitFor();
    // The queue sends the entry again by itself, and its answer is replayed (no "already linked" refusal).
    await expect.poll(() => entryKeys.length, { timeout: 20_000 }).toBe(2);
    await expect
      .poll(async () => (await suite.api('GET', `/goals/${person.goalId}/progress?limit=100`, { token: person.access })).length)
      .toBe(1);
    await page.getByRole('link', { name: 'Back to the dashboard' }).click();
    await expect.poll(() => page.getByTestId('sync-entry').count()).toBe(0);

    expect(measurementKeys).toEqual([measurementKeys[0], measurementKeys[0]]);
    expect(entryKeys).toEqual([entryKeys[0], entryKeys[0]]);
    expect(entryKeys[0]).not.toBe(measurementKeys[0]);
    expect((await suite.api('GET', '/measurements?limit=10', { token: person.access })).total).toBe(2);
    expect(await suite.api('GET', `/goals/${person.goalId}/progress?limit=100`, { token: person.access })).toHaveLength(1);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('says a cut is complete after the check-in that reaches the target, with next steps', async () => {
    const person = await newPerson({ goal_type: 'cutting', target_body_fat_percentage: 18 });
    const { context, page, errors } = await signedIn(person);
    await page.goto('/progress/new');
    await heading(page, 'Log progress').waitFor();
    await fillNavy(page, daysAgo(1), { weight: '81', waist: '85', neck: '38' });
    await button(page, 'Log progress').click();
    await heading(page, 'Cutting goal reached').waitFor();
    const result = page.getByTestId('goal-reached');
    expect(await result.textContent()).toMatch(/reaching your target of 18\.0 %/);
    expect(await result.textContent()).toMatch(/maintenance/);
    expect(await button(page, 'Log another check-in').count()).toBe(0);
    await page.getByRole('link', { name: 'Start a goal', exact: true }).click();
    await heading(page, 'Start a goal').waitFor();
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('says a bulk is complete after the check-in that reaches the ceiling', async () => {
    const person = await newPerson({ goal_type: 'bulking', ceiling_body_fat_percentage: 21 });
    const { context, page, errors } = await signedIn(person);
    await page.goto('/progress/new');
    await heading(page, 'Log progress').waitFor();
    await fillNavy(page, daysAgo(1), { weight: '86', waist: '93', neck: '38' });
    await button(page, 'Log progress').click();
    await heading(page, 'Bulk complete').waitFor();
    expect(await page.getByTestId('goal-reached').textContent()).toMatch(/your ceiling of 21\.0 %.*maintenance/);
    expect(await page.getByRole('link', { name: 'Start a goal', exact: true }).count()).toBe(1);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('keeps what was typed in Log progress and Log measurement through an expired sign-in', async () => {
    const person = await newPerson({ goal_type: 'cutting', target_body_fat_percentage: 12 });
    const { context, page, errors } = await signedIn(person);
    await page.goto('/progress/new');
    await heading(page, 'Log progress').waitFor();
    const when = daysAgo(2);
    await fillNavy(page, when, { weight: '82.7', waist: '87.5', neck: '38' });
    await page.getByLabel('Notes (optional)').fill('Slept badly');
    await endSignInBehindThePage(page);
    await button(page, 'Log progress').click();
    await heading(page, 'Sign in').waitFor();
    await signIn(page, person);
    await heading(page, 'Log progress').waitFor();
    expect(await page.getByLabel('Date and time').inputValue()).toBe(when);
    expect(await page.getByLabel(/^Weight/).inputValue()).toBe('82.7');
    expect(await page.getByLabel(/^Waist/).inputValue()).toBe('87.5');
    expect(await page.getByLabel('Notes (optional)').inputValue()).toBe('Slept badly');
    await button(page, 'Log progress').click();
    await heading(page, /check-in saved$/).waitFor();
    // Saved: the draft is gone.
    await page.goto('/progress/new');
    await heading(page, 'Log progress').waitFor();
    expect(await page.getByLabel(/^Weight/).inputValue()).toBe('');

    await page.goto('/measurements/new');
    await heading(page, 'Log measurement').waitFor();
    await page.getByRole('radio', { name: 'Navy tape', exact: true }).check();
    await page.getByLabel(/^Weight/).fill('82.4');
    await page.getByLabel(/^Waist/).fill('87');
    await page.getByLabel(/^Neck/).fill('38.5');
    await endSignInBehindThePage(page);
    await button(page, 'Save measurement').click();
    await heading(page, 'Sign in').waitFor();
    await signIn(page, person);
    await heading(page, 'Log measurement').waitFor();
    expect(await page.getByRole('radio', { name: 'Navy tape', exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel(/^Weight/).inputValue()).toBe('82.4');
    expect(await page.getByLabel(/^Waist/).inputValue()).toBe('87');
    expect(await page.getByLabel(/^Neck/).inputValue()).toBe('38.5');

    // Signing out forgets the draft.
    await page.goto('/settings');
    await button(page, 'Sign out').click();
    await page.getByRole('link', { name: 'Create account' }).first().waitFor();
    expect(await page.evaluate('Object.keys(sessionStorage).filter((k) => k.startsWith("recomp.draft."))')).toEqual([]);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});
