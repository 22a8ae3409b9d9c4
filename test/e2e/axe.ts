/**
 * axe-core in the browser tests: the rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA run on the
 * page as it is, and each violation comes back as a line that names the rule, the elements and why,
 * so that a failing assertion says what to fix.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** "color-contrast (serious): Elements must meet minimum color contrast ratio thresholds at .hint, #x"; [] when the page passes. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated rather than added as a <script>: the app's Content-Security-Policy refuses inline scripts.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(axe.source);
  const results = await page.evaluate(
    (tags) => (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    WCAG_AA,
  );
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'no impact given'}): ${v.help} at ${v.nodes
        .map((node) => `${node.target.join(' ')}${node.failureSummary ? ` [${node.failureSummary.replace(/\s+/g, ' ')}]` : ''}`)
        .join('; ')}`,
  );
}
