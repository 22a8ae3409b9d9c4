/**
 * The dashboard's states in Chromium, each person set up through the API: a goal started today (too
 * early to tell), one section failing without taking the screen down, a cut going the wrong way, a
 * goal reached (a cut, then a bulk), a bulk past 100 check-ins whose latest one warns, and History
 * labelling the check-ins of a goal older than the ten most recent.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTests, signIn } from './fixture.ts';

const suite = browserTests();
const password = 'a dashboard password';
const DAY_MS = 86_400_000;
/** An instant `days` ago, an hour back so that "today" is never in the future. */
const at = (days: number) => new Date(Date.now() - days * DAY_MS - 3_600_000).toISOString();

/** A man of 180 cm measured with the Navy tape: a bigger waist is more body fat (85 cm ≈ 16 %, 90 cm ≈ 19.8 %). */
class Person {
  constructor(
    readonly email: string,
    readonly token: string,
  ) {}

  static async register(name: string): Promise<Person> {
    const email = `${name.toLowerCase()}.${Date.now()}@example.com`;
    const { access } = await suite.register({ email, password, full_name: `${name} Tester`, date_of_birth: '1990-03-14' });
    return new Person(email, access);
  }

  measure(daysAgo: number, waistCm: number, weightKg = 85): Promise<{ id: string; calculated_body_fat_percentage: number }> {
    return suite.api('POST', '/measurements', {
      token: this.token,
      body: { weight_kg: weightKg, calculation_method: 'navy', waist_cm: waistCm, neck_cm: 38, measured_at: at(daysAgo) },
    });
  }

  async goal(body: Record<string, unknown>): Promise<string> {
    return (await suite.api<{ id: string }>('POST', '/goals', { token: this.token, body })).id;
  }

  async checkIn(goalId: string, measurementId: string): Promise<{ status: string }> {
    await suite.api('POST', `/goals/${goalId}/progress`, { token: this.token, body: { measurement_id: measurementId } });
    return suite.api('GET', `/goals/${goalId}`, { token: this.token });
  }

  async abandon(goalId: string) {
    await suite.api('PATCH', `/goals/${goalId}`, { token: this.token, body: { status: 'abandoned' } });
  }

  /** A browser of their own, signed in on the dashboard. */
  async signIn(): Promise<Page> {
    const opened = await suite.openPage();
    pages.push(opened);
    const page = opened.page;
    await page.goto('/signin');
    await signIn(page, this.email, password);
    await page.getByRole('heading', { level: 1, name: /^Hi, / }).waitFor();
    return page;
  }
}

/** Every person's browser, for their script errors at the end. */
const pages: Awaited<ReturnType<typeof suite.openPage>>[] = [];

const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

describe('the dashboard’s states in Chromium', () => {
  let fresh: Person;
  let freshPage: Page;

  it('calls a goal started today too early to tell, not "Not on track", with the plan’s weeks', async () => {
    fresh = await Person.register('Noor');
    const m = await fresh.measure(0, 90);
    await fresh.goal({ goal_type: 'cutting', initial_measurement_id: m.id, target_body_fat_percentage: 15 });
    freshPage = await fresh.signIn();
    await freshPage.getByRole('heading', { name: 'Cutting goal' }).waitFor();
    await expect.poll(() => freshPage.getByTestId('track-state').textContent()).toBe('Too early to tell');
    expect(await freshPage.getByText('Not on track').count()).toBe(0);
    await expect
      .poll(() => freshPage.getByTestId('goal-forecast').textContent())
      .toMatch(/^15\.0 % in about \d+ weeks \(\d+–\d+\) on your plan\. Too few check-ins yet/);
  });

  it('keeps the goal card when a section fails, with Try again in that section only', async () => {
    const page = freshPage;
    const unavailable = {
      status: 503,
      contentType: 'application/problem+json',
      body: JSON.stringify({ status: 503, detail: 'The service is busy.' }),
    };
    await page.route(/\/api\/v1\/goals\/[^/]+\/(training-plan|trends)$/, (route) => route.fulfill(unavailable));
    await page.reload();
    await page.getByRole('heading', { name: 'Cutting goal' }).waitFor();
    // The card shows the goal's own figures; the sections that failed say so, each with Try again.
    expect(await page.getByTestId('current-bf').textContent()).toBe('19.8 %');
    await expect
      .poll(() => region(page, 'Training plan').getByRole('alert').textContent())
      .toMatch(/^Your training plan could not be loaded\. The service is busy\./);
    await expect
      .poll(() => region(page, 'Body fat and weight').getByRole('alert').textContent())
      .toMatch(/^Your trend and chart could not be loaded/);
    await expect.poll(() => region(page, 'Diet plan').textContent()).toMatch(/Protein\d+ g/);
    expect(await page.getByTestId('track-state').count()).toBe(0);

    await page.unroute(/\/api\/v1\/goals\/[^/]+\/(training-plan|trends)$/);
    await region(page, 'Training plan').getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => region(page, 'Training plan').textContent()).toMatch(/strength sessions? a week/);
    expect(await region(page, 'Training plan').getByRole('alert').count()).toBe(0);
    await region(page, 'Body fat and weight').getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('img', { name: /Chart of body fat/ }).waitFor();
    await expect.poll(() => page.getByTestId('track-state').textContent()).toBe('Too early to tell');
  });

  it('says a cut going the wrong way does not reach its target at the current rate', async () => {
    const person = await Person.register('Ravi');
    const start = await person.measure(21, 90);
    const goal = await person.goal({ goal_type: 'cutting', initial_measurement_id: start.id, target_body_fat_percentage: 15 });
    await person.checkIn(goal, (await person.measure(14, 91)).id);
    await person.checkIn(goal, (await person.measure(0, 92)).id);
    const page = await person.signIn();
    await page.getByRole('heading', { name: 'Cutting goal' }).waitFor();
    await expect
      .poll(() => page.getByTestId('goal-forecast').textContent())
      .toMatch(/on your plan\. At your current rate: not reached\. Your body fat readings do not fall/);
    expect(await page.getByTestId('track-state').textContent()).toBe('Not on track');
    // The text alternative says why there is no projection line.
    await expect
      .poll(() => page.getByTestId('chart-summary').textContent())
      .toMatch(/Your target is 15\.0 %\. The trend heads away from it, so no projection is drawn\.$/);
  });

  it('acknowledges a cut that reached its target, then a bulk that reached its ceiling, with next steps', async () => {
    const person = await Person.register('Lena');
    const start = await person.measure(14, 90);
    const cut = await person.goal({ goal_type: 'cutting', initial_measurement_id: start.id, target_body_fat_percentage: 19 });
    const lean = await person.measure(7, 88);
    expect(await person.checkIn(cut, lean.id)).toMatchObject({ status: 'completed' });

    const page = await person.signIn();
    const reached = page.getByTestId('goal-reached');
    await reached.waitFor();
    expect(await reached.getByRole('heading').textContent()).toBe('Cutting goal reached');
    expect(await reached.textContent()).toMatch(
      new RegExp(
        `You got down to ${lean.calculated_body_fat_percentage.toFixed(1)} % body fat on .+, reaching your target of 19\\.0 %, from 19\\.8 % at the start\\.`,
      ),
    );
    expect(await reached.textContent()).toMatch(/Next: eat at maintenance/);
    await page.getByRole('link', { name: 'Start a goal', exact: true }).waitFor();

    const bulk = await person.goal({ goal_type: 'bulking', initial_measurement_id: lean.id, ceiling_body_fat_percentage: 19 });
    expect(await person.checkIn(bulk, (await person.measure(0, 90)).id)).toMatchObject({ status: 'completed' });
    await page.reload();
    await expect.poll(() => reached.getByRole('heading').textContent()).toBe('Bulk complete');
    expect(await reached.textContent()).toMatch(
      /You reached 19\.8 % body fat on .+, your ceiling of 19\.0 %.*switch to maintenance calories.*cutting goal/,
    );
    await page.getByRole('link', { name: 'Start a goal', exact: true }).waitFor();
  });

  it('after more than 100 check-ins, shows the latest one’s warnings and labels it in History', async () => {
    const person = await Person.register('Mateo');
    // The latest check-in first, to set the ceiling half a point above it: close enough to warn.
    const latest = await person.measure(0, 88);
    const start = await person.measure(110, 85);
    const ceiling = Math.round((latest.calculated_body_fat_percentage + 0.5) * 10) / 10;
    const goal = await person.goal({ goal_type: 'bulking', initial_measurement_id: start.id, ceiling_body_fat_percentage: ceiling });
    for (let days = 109; days >= 10; days--) await person.checkIn(goal, (await person.measure(days, 85)).id);
    await person.checkIn(goal, latest.id);

    const page = await person.signIn();
    await page.getByRole('heading', { name: 'Bulking goal' }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Warnings' }).textContent()).toMatch(/points below your ceiling of/);
    expect(await page.getByTestId('current-bf').textContent()).toBe(`${latest.calculated_body_fat_percentage.toFixed(1)} %`);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    const rows = page.locator('table.history tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    await expect.poll(() => rows.nth(0).textContent()).toMatch(/Check-in, week 15 \(bulking\)/);
    expect(await rows.nth(1).textContent()).toMatch(/Check-in, week 14 \(bulking\)/);
  });

  it('labels in History the check-ins of a goal older than the ten most recent', async () => {
    const person = await Person.register('Ines');
    const start = await person.measure(21, 90);
    const first = await person.goal({ goal_type: 'cutting', initial_measurement_id: start.id, target_body_fat_percentage: 12 });
    await person.checkIn(first, (await person.measure(14, 89)).id);
    await person.abandon(first);
    for (let i = 0; i < 11; i++)
      await person.abandon(await person.goal({ goal_type: 'cutting', initial_measurement_id: start.id, target_body_fat_percentage: 12 }));

    const page = await person.signIn();
    await page.goto('/history');
    const rows = page.locator('table.history tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => rows.nth(0).textContent()).toMatch(/Check-in, week 1 \(cutting\)/);
    expect(await rows.nth(1).textContent()).toMatch(/Start of cutting goal/);
  });

  it('raised no script errors along the way, apart from the failures it injected', () => {
    expect(pages.flatMap((p) => p.errors).filter((e) => !/503|training-plan|trends/.test(e))).toEqual([]);
  });
});
