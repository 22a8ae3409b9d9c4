/**
 * The two themes (web/src/styles.css, docs/DESIGN.md "Themes") on a phone: the page follows the
 * device's prefers-color-scheme, light text on a dark page in dark and the reverse in light; form
 * controls are dark with readable text in dark; and the charts, which paint a canvas that CSS does
 * not reach, are painted in the theme's chart colours, redrawn when the device switches theme.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTests, signIn, uniqueEmail } from './fixture.ts';

const suite = browserTests();
const password = 'a password for the night';
const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
const at = (days: number) => new Date(Date.now() - days * DAY_MS - 3_600_000).toISOString();

type RGB = [number, number, number];
/** "rgb(15, 21, 20)" or "#0f1514" as numbers. */
function parse(color: string): RGB {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color.trim());
  if (hex) return [1, 2, 3].map((i) => Number.parseInt(hex[i]!, 16)) as RGB;
  const rgb = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  if (!rgb) throw new Error(`not a colour: ${color}`);
  return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
}
/** WCAG's relative luminance, 0 (black) to 1 (white). */
function luminance(color: string): number {
  const [r, g, b] = parse(color).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as RGB;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
/** WCAG's contrast ratio of two colours, 1 to 21. */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** An element's computed text colour, background and border. */
const colours = (element: Locator) =>
  element.first().evaluate((element) => {
    const style = getComputedStyle(element);
    return { color: style.color, background: style.backgroundColor, border: style.borderTopColor };
  });
const variable = (page: Page, name: string) =>
  page.evaluate((n) => getComputedStyle(document.documentElement).getPropertyValue(n).trim(), name);

/** How many of the canvas's opaque pixels are `color`, give or take anti-aliasing's rounding. */
function pixelsOf(page: Page, selector: string, color: string): Promise<number> {
  return page.locator(selector).evaluate((canvas, target) => {
    const { width, height } = canvas as HTMLCanvasElement;
    const pixels = (canvas as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, width, height).data;
    let count = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const near = [0, 1, 2].every((c) => Math.abs(pixels[i + c]! - target[c]!) <= 6);
      if (near && pixels[i + 3]! >= 250) count += 1;
    }
    return count;
  }, parse(color));
}

describe('dark mode follows the device (phone)', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const email = uniqueEmail('nox');

  beforeAll(async () => {
    ({ context, page, errors } = await suite.openPage({ phone: true }));
    const { access: token } = await suite.register({ email, password, full_name: 'Nox Adeyemi' });
    for (let d = 10; d >= 1; d--) {
      await suite.api('PUT', `/users/me/weights/${day(d)}`, { token, body: { weight_kg: 84 - (10 - d) * 0.1 } });
    }
    const start = await suite.api('POST', '/measurements', {
      token,
      body: { weight_kg: 85, calculation_method: 'navy', waist_cm: 92, neck_cm: 38, measured_at: at(14) },
    });
    const goal = await suite.api('POST', '/goals', {
      token,
      body: { goal_type: 'cutting', initial_measurement_id: start.id, target_body_fat_percentage: 15 },
    });
    const checkIn = await suite.api('POST', '/measurements', {
      token,
      body: { weight_kg: 83.8, calculation_method: 'navy', waist_cm: 90.5, neck_cm: 38, measured_at: at(1) },
    });
    await suite.api('POST', `/goals/${goal.id}/progress`, { token, body: { measurement_id: checkIn.id } });
  });
  afterAll(async () => {
    await context.close();
  });

  it('the page is light on dark in dark, dark on light in light, and its controls read well in both', async () => {
    await page.goto('/signin');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const dark = scheme === 'dark';
      const root = await colours(page.locator('html'));
      expect(luminance(root.background) < 0.05, `the page's background ${root.background} in ${scheme}`).toBe(dark);
      expect(luminance(root.color) > 0.6, `the page's text ${root.color} in ${scheme}`).toBe(dark);
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe(scheme);

      const input = await colours(page.getByLabel('Email'));
      expect(luminance(input.background) < 0.05, `the email field's background ${input.background} in ${scheme}`).toBe(dark);
      expect(contrast(input.color, input.background)).toBeGreaterThanOrEqual(4.5);
      // A field's edge is what shows where it is: 3:1 against what is around it.
      expect(contrast(input.border, root.background)).toBeGreaterThanOrEqual(3);

      const button = await colours(page.getByRole('button', { name: 'Sign in', exact: true }));
      expect(contrast(button.color, button.background), `Sign in's text on its background in ${scheme}`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(button.background, root.background)).toBeGreaterThanOrEqual(3);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('the dashboard and its charts are painted in the theme that is on, and repainted when it changes', async () => {
    await signIn(page, email, password);
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByTestId('chart-summary').waitFor();
    const chart = '.chart-box canvas[role="img"][tabindex="0"]';
    const light = { text: await variable(page, '--chart-text'), line: await variable(page, '--chart-body-fat') };
    expect(await pixelsOf(page, chart, light.text), 'the axes’ labels in the light theme').toBeGreaterThan(0);
    expect(await pixelsOf(page, chart, light.line), 'the body fat line in the light theme').toBeGreaterThan(0);

    // The device switches to dark with the page open: no reload.
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = { text: await variable(page, '--chart-text'), line: await variable(page, '--chart-body-fat') };
    const surface = (await colours(page.locator('.card'))).background;
    expect(luminance(surface), `a card's background ${surface} in dark`).toBeLessThan(0.05);
    expect(contrast(dark.text, surface)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(dark.line, surface)).toBeGreaterThanOrEqual(3);
    await expect.poll(() => pixelsOf(page, chart, dark.text), { message: 'the axes’ labels in the dark theme' }).toBeGreaterThan(0);
    expect(await pixelsOf(page, chart, light.text), 'no label left in the light theme’s dark grey').toBe(0);
    expect(await pixelsOf(page, chart, dark.line), 'the body fat line in the dark theme').toBeGreaterThan(0);
    expect(await pixelsOf(page, chart, light.line), 'no line left in the light theme’s dark teal').toBe(0);
    // Its legend, in HTML, follows too.
    const swatch = await page
      .getByTestId('chart-legend')
      .locator('.legend-swatch')
      .first()
      .evaluate((element) => getComputedStyle(element).borderTopColor);
    expect(parse(swatch)).toEqual(parse(dark.line));

    // The Daily log's charts (DailyChart) come up in dark when the page opens in dark.
    await page.goto('/daily');
    await page.getByTestId('weight-summary').waitFor();
    const weightChart = 'canvas[aria-describedby="weight-summary-summary"]';
    await expect.poll(() => pixelsOf(page, weightChart, dark.text)).toBeGreaterThan(0);
    expect(await pixelsOf(page, weightChart, light.text)).toBe(0);
    expect(await pixelsOf(page, weightChart, await variable(page, '--chart-weight'))).toBeGreaterThan(0);
    const button = await colours(page.getByRole('button', { name: 'Save day' }));
    expect(luminance(button.color) < luminance(button.background), 'Save day: dark text on the light teal').toBe(true);
    expect(contrast(button.color, button.background)).toBeGreaterThanOrEqual(4.5);
    const field = await colours(page.getByLabel(/^Weight/));
    expect(luminance(field.background)).toBeLessThan(0.05);
    expect(contrast(field.color, field.background)).toBeGreaterThanOrEqual(4.5);
    expect(errors).toEqual([]);
  });
});
