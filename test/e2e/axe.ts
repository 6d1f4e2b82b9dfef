import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** What a person is stopped by: axe's two highest impacts. */
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe-core (WCAG 2.x A and AA rules, and its best practices) on the page as it stands and
 * returns its serious and critical violations, one line each with the elements concerned, so
 * that a failed expectation says what to fix: `expect(await blockingViolations(page)).toEqual([])`.
 * The script comes from node_modules (nothing is downloaded) and is evaluated through the
 * DevTools protocol: the app's CSP (script-src 'self') refuses the inline script tag that
 * page.addScriptTag would add, and would count as a violation in the test's teardown.
 */
export async function blockingViolations(page: Page): Promise<string[]> {
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) await page.evaluate(await readFile(AXE_SCRIPT, 'utf8'));
  const results = await page.evaluate(() => (window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } }).axe.run(document));
  return results.violations.filter((violation) => BLOCKING.has(violation.impact ?? '')).map(describe);
}

function describe(violation: Result): string {
  const where = violation.nodes
    .slice(0, 5)
    .map((node) => `${node.target.join(' ')}${node.failureSummary ? ` (${node.failureSummary.replace(/\s+/g, ' ').trim()})` : ''}`)
    .join('; ');
  return `${violation.impact} ${violation.id}: ${violation.help} — ${where}`;
}
