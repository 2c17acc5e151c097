import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSite, type Site } from './harness';
import { SCREENS, visitEveryScreen, type Screen } from './every-screen';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

/** axe-core's serious and critical violations on the page as it is: rule, and where. */
async function axeViolations(page: Page): Promise<string[]> {
  // One document for the whole walk (screens change by the hash): axe is injected once.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${n.failureSummary?.split('\n')[1]?.trim()})`));
}

/**
 * Tabs through the page from its top until focus comes round again, and returns the visible
 * controls Tab never reached and the controls it reached whose focus is not drawn.
 */
async function keyboardWalk(page: Page): Promise<{ unreached: string[]; unseen: string[] }> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    document.querySelectorAll('[data-reached]').forEach((el) => el.removeAttribute('data-reached'));
  });
  const unseen: string[] = [];
  for (let i = 0; i < 600; i++) {
    await page.keyboard.press('Tab');
    const step = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { done: true, name: '', drawn: true };
      const done = el.hasAttribute('data-reached');
      el.setAttribute('data-reached', '');
      // A hidden file picker shows its focus on the label round it.
      const ring = getComputedStyle(el).opacity === '0' ? el.closest('label')! : el;
      const style = getComputedStyle(ring);
      const drawn = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
      return { done, name: `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`, drawn };
    });
    if (step.done) break;
    if (!step.drawn) unseen.push(step.name);
  }
  const unreached = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary')]
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden' && !(el as HTMLInputElement).disabled && !el.hasAttribute('data-reached'))
      .map((el) => `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`),
  );
  return { unreached, unseen };
}

test('on every screen axe finds no serious or critical violation, Tab reaches every control with its focus drawn, and charts say their numbers', async () => {
  const { page, errors } = await site.newPage();
  const found = {} as Record<Screen, { axe: string[]; unreached: string[]; unseen: string[] }>;
  const charts: string[] = [];
  await visitEveryScreen(page, site.url, async (screen) => {
    // Deploy and monitor are panels of the training screen: its walk is made once all of them show.
    const walk = screen === 'train' || screen === 'deploy' ? { unreached: [], unseen: [] } : await keyboardWalk(page);
    found[screen] = { axe: await axeViolations(page), ...walk };
    if (screen === 'train' || screen === 'landscape' || screen === 'lab') charts.push(...(await page.locator('[role=img]').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')!))));
  });
  expect(found).toEqual(Object.fromEntries(SCREENS.map((s) => [s, { axe: [], unreached: [], unseen: [] }])));
  console.log(charts.join('\n'));
  expect(errors).toEqual([]);
});
