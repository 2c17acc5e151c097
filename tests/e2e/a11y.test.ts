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

/** The weight matrices (kernels, not biases) of the newest run saved in the page's IndexedDB, as plain numbers. */
function savedKernels(page: Page): Promise<number[][]> {
  return page.evaluate(
    () =>
      new Promise<number[][]>((resolve, reject) => {
        const open = indexedDB.open('tunelab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('runs').objectStore('runs').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            open.result.close();
            const newest = (all.result as { createdAt: number; weights: Float32Array[] }[]).sort((a, b) => b.createdAt - a.createdAt)[0];
            resolve(newest.weights.filter((_, k) => k % 2 === 0).map((w) => Array.from(w)));
          };
        };
      }),
  );
}

test('on every screen axe finds no serious or critical violation, Tab reaches every control with its focus drawn, and charts say their numbers', async () => {
  const { page, errors } = await site.newPage();
  const found = {} as Record<Screen, { axe: string[]; unreached: string[]; unseen: string[] }>;
  const charts: Partial<Record<Screen | 'picture' | 'network', { label: string; shown?: string }>> = {};
  await visitEveryScreen(page, site.url, async (screen) => {
    // Deploy and monitor are panels of the training screen: its walk is made once all of them show.
    const walk = screen === 'train' || screen === 'deploy' ? { unreached: [], unseen: [] } : await keyboardWalk(page);
    found[screen] = { axe: await axeViolations(page), ...walk };
    // One chart per screen, read as a screen reader reads it, next to the number the screen shows.
    if (screen === 'train') {
      charts.train = { label: (await page.locator('.out [role=img][aria-label^="loss against epoch"]').getAttribute('aria-label'))!,
        shown: (await page.getByTestId('train-loss').textContent())! };
      charts.picture = { label: (await page.getByTestId('heatmap').locator('canvas').getAttribute('aria-label'))!, shown: (await page.getByText(/\d+ training, \d+ validation and \d+ test rows\./).textContent())! };
      charts.network = { label: (await page.locator('svg.network[role=img]').getAttribute('aria-label'))!, shown: JSON.stringify(await savedKernels(page)) };
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
  // The decision picture: per class, its share of the picture and its training points in its own region,
  // which add up to the training rows the data panel counts.
  const classes = [...charts.picture!.label.matchAll(/(Adelie|Chinstrap|Gentoo) takes (\d+)% of the picture, (\d+) of (\d+) of its points lie in it/g)];
  expect(classes.map((m) => m[1]), charts.picture!.label).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  const shares = classes.map((m) => Number(m[2]));
  expect(Math.abs(shares.reduce((a, b) => a + b, 0) - 100)).toBeLessThanOrEqual(2);
  const trainingRows = Number(charts.picture!.shown!.match(/(\d+) training, \d+ validation/)![1]);
  expect(classes.reduce((n, m) => n + Number(m[4]), 0)).toBe(trainingRows);
  classes.forEach((m) => expect(Number(m[3])).toBeLessThanOrEqual(Number(m[4])));
  // After 3 epochs of Adam most penguins already lie in their own class's region.
  expect(classes.reduce((n, m) => n + Number(m[3]), 0)).toBeGreaterThan(trainingRows / 2);
  // The network drawing: per weight matrix its count, mean |w| and largest weight, as the saved run has them.
  const kernels = JSON.parse(charts.network!.shown!) as number[][];
  const matrices = [...charts.network!.label.matchAll(/(inputs|layer \d+) to (layer \d+|output): (\d+) weights, mean \|w\| ([\d.e-]+), strongest .*? → (?:layer \d+ unit \d+|Adelie|Chinstrap|Gentoo) \(([\d.e-]+)\)/g)];
  expect(matrices.map((m) => `${m[1]} to ${m[2]}`), charts.network!.label).toEqual(['inputs to layer 1', 'layer 1 to layer 2', 'layer 2 to output']);
  matrices.forEach((m, k) => {
    const abs = kernels[k].map(Math.abs);
    expect(Number(m[3])).toBe(kernels[k].length);
    // Three significant digits: within half a unit of the third.
    const mean = abs.reduce((a, b) => a + b, 0) / abs.length;
    expect(Math.abs(Number(m[4]) - mean)).toBeLessThanOrEqual(0.005 * mean);
    expect(Math.abs(Math.abs(Number(m[5])) - Math.max(...abs))).toBeLessThanOrEqual(0.005 * Math.max(...abs));
  });
  expect(charts.network!.label).toMatch(new RegExp(`^Network: ${kernels[0].length / 16} inputs, hidden layers 16, 8, 3 outputs\\. Weights: `));
  // A column's histogram: its bins count the 342 of 344 penguins whose bill length is known.
  const counts = charts.data!.label.match(/counts per bin: ([\d, ]+)$/)![1].split(', ').map(Number);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(342);
  // The lab's surface: Himmelblau's four minima, and each path's 150 steps from the start at (0, 0).
  expect(charts.lab!.label).toMatch(/^Contour plot of the surface over x from -5 to 5, y from -5 to 5; (global minimum at \([\d.-]+, [\d.-]+\); ){4}start at \(0, 0\); sgd: 150 steps from \(0, 0\) to .*; momentum: 150 steps from \(0, 0\) to .*; adam: 150 steps from \(0, 0\) to \([\d.-]+, [\d.-]+\)\.$/);
  expect(errors).toEqual([]);
});
