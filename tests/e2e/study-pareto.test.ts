import { afterAll, beforeAll, expect, test } from 'vitest';
import { PENGUINS } from '../support/penguins-table';
import { openSite, type Site } from './harness';
import { exportModelFiles, predictRow } from './table-steps';

const GENTOO = { Island: 'Biscoe', 'Bill length (mm)': '47.5', 'Bill depth (mm)': '14.6', 'Flipper length (mm)': '217', 'Body mass (g)': '5200', Sex: 'MALE' };

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

test('a newcomer weighs accuracy against size on the penguins, reads the Pareto front and opens a Pareto-optimal trial', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/train?table=${encodeURIComponent(JSON.stringify(PENGUINS))}&hidden=8:relu&opt=adam&lr=0.03&batch=32&epochs=10&seed=1`);
  await page.getByRole('link', { name: 'Study' }).click();
  await expect.poll(() => page.textContent('.setup')).toContain('Palmer penguins');

  // Size varies only with the network's shape: vary the units per layer among three widths.
  await page.getByLabel('Vary Units per layer').check();
  await page.getByLabel('How Units per layer varies').selectOption('categorical');
  await page.getByLabel('Units per layer choices').fill('2, 8, 32');
  await page.getByLabel('Units per layer choices').dispatchEvent('change');

  // Several objectives: validation accuracy up and parameter count down are proposed first.
  await page.getByLabel('Weigh several objectives (a Pareto front)').check();
  expect(await page.getByLabel('Objective validation accuracy / R²').isChecked()).toBe(true);
  expect(await page.getByLabel('Objective parameter count').isChecked()).toBe(true);
  expect(await page.getByLabel('Direction of parameter count').inputValue()).toBe('minimize');
  expect(await page.getByLabel('Search').inputValue()).toBe('nsga2');
  // One objective alone is not several: the field says so and Run waits.
  await page.getByLabel('Objective parameter count').uncheck();
  await expect.poll(() => page.textContent('[data-testid=objectives] [role=alert]')).toBe('A study weighs two or three objectives (got 1).');
  expect(await page.getByRole('button', { name: 'Run study' }).isDisabled()).toBe(true);
  await page.getByLabel('Objective parameter count').check();
  expect(await page.locator('[data-testid=objectives] [role=alert]').count()).toBe(0);

  await page.getByLabel('Population').fill('6');
  await page.getByLabel('Population').dispatchEvent('change');
  await page.getByLabel('Trials').fill('12');
  await page.getByLabel('Trials').dispatchEvent('change');
  await page.getByRole('button', { name: 'Run study' }).click();

  // Every trial finished (a learning rate near 1 may diverge: such a trial is off the plot).
  const counts = () => page.textContent('[data-testid=trial-counts]').then((text) => Object.fromEntries([...text!.matchAll(/(\d+) (\w+)/g)].map((m) => [m[2], Number(m[1])])));
  await expect.poll(async () => { const c = await counts(); return !c.running && !c.waiting && Object.values(c).reduce((a, b) => a + b, 0); }, { timeout: 150_000, interval: 1000 }).toBe(12);
  const complete = (await counts()).complete;
  const front = page.getByTestId('pareto-point');
  expect(await front.count()).toBeGreaterThan(0);
  expect(await front.count() + (await page.getByTestId('trial-point').count())).toBe(complete);
  // Two generations, each with its hypervolume.
  await expect.poll(() => page.locator('[data-testid=hypervolume-plot] canvas').count()).toBeGreaterThan(0);
  expect(await page.textContent('[data-testid=pareto-count]')).toMatch(/^\d+ Pareto-optimal trials? of maximize validation accuracy \/ R², minimize parameter count$/);
  // The trial table carries both objectives. A network of n inputs, u units and 3 classes has
  // u(n + 1) + 3(u + 1) parameters: (size − 3) / u is n + 4 for every trial.
  const sizes = (await page.locator('[data-testid=trial-table] tbody tr td:nth-child(5)').allTextContents()).filter(Boolean).map(Number);
  expect(sizes).toHaveLength(complete);
  // The penguins give 9 or 10 inputs (island and sex one-hot): n + 4 lies between 8 and 20.
  const widths = sizes.map((size) => new Set([2, 8, 32].filter((u) => (size - 3) % u === 0).map((u) => (size - 3) / u).filter((k) => k >= 8 && k <= 20)));
  const common = [...widths[0]].filter((k) => widths.every((w) => w.has(k)));
  expect(common).toHaveLength(1);
  const perUnit = common[0];
  await page.screenshot({ path: 'test-results/e2e-study-pareto.png', fullPage: true });

  // The study kept the trained networks of its best trials (the front's ends first): open the
  // smallest of them; the training screen gets its network, trained.
  const keptEntries = page.getByTestId('pareto-trials').getByRole('button');
  expect(await keptEntries.count()).toBeGreaterThan(0);
  const keptNumbers = (await keptEntries.allTextContents()).map((text) => /Open trial (\d+)/.exec(text)![1]);
  const list = await page.locator('[data-testid=pareto-trials] li').allTextContents();
  const smallest = list
    .map((text) => ({ number: /Open trial (\d+)/.exec(text)![1], size: Number(/parameter count (\d+)/.exec(text)![1]) }))
    .filter((t) => keptNumbers.includes(t.number))
    .sort((a, b) => a.size - b.size)[0];
  const units = (smallest.size - 3) / perUnit;
  // The trial table marks every trial whose trained weights are kept (at most five), the
  // front's kept ones among them, and each such point says so in its caption and its name.
  const marked = await page.locator('[data-testid=trial-table] tbody tr').filter({ has: page.getByRole('img', { name: 'trained weights kept' }) }).locator('td:first-child').allTextContents();
  const markedNumbers = marked.map((text) => /^\d+/.exec(text)![0]);
  expect(markedNumbers.length).toBeGreaterThanOrEqual(keptNumbers.length);
  expect(markedNumbers.length).toBeLessThanOrEqual(5);
  for (const n of keptNumbers) expect(markedNumbers).toContain(n);
  expect(await page.locator('svg a[aria-label$=", trained weights kept"]').count()).toBe(markedNumbers.length);
  for (const n of markedNumbers) {
    expect(await page.locator(`svg a[aria-label="Open trial ${n}, trained weights kept"] title`).textContent()).toMatch(new RegExp(`^Trial ${n}: .*; trained weights kept; click to open$`));
  }
  // Its point on the plot links to the same experiment's settings, for a browser that opens it in a new tab.
  expect(await page.locator(`svg a[aria-label="Open trial ${smallest.number}, trained weights kept"]`).first().getAttribute('href')).toMatch(/^#\/train\?/);
  await page.getByTestId('pareto-trials').getByRole('button', { name: `Open trial ${smallest.number}`, exact: true }).click();
  await expect.poll(() => page.url()).toContain('#/train?');
  await expect.poll(() => page.locator('.layer .units span').first().textContent()).toBe(String(units));
  // Trained: the held-out test part is scored and a typed row is predicted without pressing Play.
  await expect.poll(() => page.getByTestId('evaluation').isVisible(), { timeout: 30_000 }).toBe(true);
  expect(await page.getByTestId('evaluation').textContent()).toMatch(/Test \(\d+\)/);
  expect(await page.getByTestId('eval-accuracy').textContent()).toMatch(/^\d+\.\d%$/);
  expect(await predictRow(page, GENTOO, '')).toMatch(/Species: (Adelie|Chinstrap|Gentoo)/);
  await page.screenshot({ path: 'test-results/e2e-study-pareto-open.png' });
  // Files are named after the data, the layers and the optimizer.
  await exportModelFiles(page, `palmer-penguins-${units}-adam`);
  expect(errors).toEqual([]);
});
