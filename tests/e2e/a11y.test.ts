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
  // Tab starts after the element last focused: a mark at the very top makes it start there.
  await page.evaluate(() => {
    document.querySelectorAll('[data-reached]').forEach((el) => el.removeAttribute('data-reached'));
    const top = document.createElement('span');
    top.tabIndex = -1;
    top.id = 'walk-start';
    document.body.prepend(top);
    top.focus();
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
  await page.evaluate(() => document.getElementById('walk-start')!.remove());
  const unreached = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary')]
      // Shown: the contents of a closed <details> keep their boxes but are not.
      .filter((el) => el.checkVisibility({ visibilityProperty: true }) && !(el as HTMLInputElement).disabled && !el.hasAttribute('data-reached'))
      .map((el) => `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`),
  );
  return { unreached, unseen };
}

test('on every screen axe finds no serious or critical violation, Tab reaches every control with its focus drawn, and charts say their numbers', async () => {
  const { page, errors } = await site.newPage();
  const found = {} as Record<Screen, { axe: string[]; unreached: string[]; unseen: string[] }>;
  const charts: Partial<Record<Screen, { label: string; shown?: string }>> = {};
  await visitEveryScreen(page, site.url, async (screen) => {
    // Deploy and monitor are panels of the training screen: its walk is made once all of them show.
    const walk = screen === 'train' || screen === 'deploy' ? { unreached: [], unseen: [] } : await keyboardWalk(page);
    found[screen] = { axe: await axeViolations(page), ...walk };
    // One chart per screen, read as a screen reader reads it, next to the number the screen shows.
    if (screen === 'train') {
      charts.train = { label: (await page.locator('.out [role=img][aria-label^="loss against epoch"]').getAttribute('aria-label'))!,
        shown: (await page.getByTestId('train-loss').textContent())! };
    }
    if (screen === 'data') charts.data = { label: (await page.getByRole('img', { name: /^Histogram of Bill length \(mm\)/ }).getAttribute('aria-label'))! };
    if (screen === 'lab') {
      await page.getByRole('button', { name: 'Show all' }).click();
      const picture = page.locator('[data-testid=contour] [role=img]');
      await expect.poll(() => picture.getAttribute('aria-label')).toContain('adam: 150 steps');
      charts.lab = { label: (await picture.getAttribute('aria-label'))! };
    }
  });
  expect(found).toEqual(Object.fromEntries(SCREENS.map((s) => [s, { axe: [], unreached: [], unseen: [] }])));

  // The loss chart: each curve's last value, the training one as the number above it shows it.
  const loss = charts.train!.label.match(/^loss against epoch\. training ([\d.e-]+) at epoch 3; validation ([\d.e-]+) at epoch 3\.$/);
  expect(loss, charts.train!.label).not.toBeNull();
  expect(Number(loss![1])).toBeCloseTo(Number(charts.train!.shown), 2);
  // A column's histogram: its bins count the 342 of 344 penguins whose bill length is known.
  const counts = charts.data!.label.match(/counts per bin: ([\d, ]+)$/)![1].split(', ').map(Number);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(342);
  // The lab's surface: Himmelblau's four minima, and each path's 150 steps from the start at (0, 0).
  expect(charts.lab!.label).toMatch(/^Contour plot of the surface over x from -5 to 5, y from -5 to 5; (global minimum at \([\d.-]+, [\d.-]+\); ){4}start at \(0, 0\); sgd: 150 steps from \(0, 0\) to .*; momentum: 150 steps from \(0, 0\) to .*; adam: 150 steps from \(0, 0\) to \([\d.-]+, [\d.-]+\)\.$/);
  expect(errors).toEqual([]);
});
