import { afterAll, beforeAll, expect, test } from 'vitest';
import { PENGUINS } from '../support/penguins-table';
import { openSite, type Site } from './harness';

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

  await expect.poll(() => page.textContent('[data-testid=trial-counts]'), { timeout: 170_000, interval: 1000 }).toBe('12 complete');
  const front = page.getByTestId('pareto-point');
  expect(await front.count()).toBeGreaterThan(0);
  expect(await front.count() + (await page.getByTestId('trial-point').count())).toBe(12);
  // Two generations, each with its hypervolume.
  await expect.poll(() => page.locator('[data-testid=hypervolume-plot] canvas').count()).toBeGreaterThan(0);
  expect(await page.textContent('[data-testid=pareto-count]')).toMatch(/^\d+ Pareto-optimal trials? of maximize validation accuracy \/ R², minimize parameter count$/);
  // The trial table carries both objectives; parameter counts of a 10-u-3 network (the one-hot island makes 10 inputs): 14u + 3.
  const sizes = await page.locator('[data-testid=trial-table] tbody tr td:nth-child(5)').allTextContents();
  for (const s of sizes) expect([2, 8, 32].map((u) => String(14 * u + 3))).toContain(s);
  await page.screenshot({ path: 'test-results/e2e-study-pareto.png', fullPage: true });

  // Open the Pareto-optimal trial with the fewest parameters: the training screen gets its network.
  const list = await page.locator('[data-testid=pareto-trials] li').allTextContents();
  const smallest = list.map((text) => ({ text, size: Number(/parameter count (\d+)/.exec(text)![1]) })).sort((a, b) => a.size - b.size)[0];
  const units = (smallest.size - 3) / 14;
  const number = /Open trial (\d+)/.exec(smallest.text)![1];
  await page.getByRole('link', { name: `Open trial ${number}`, exact: true }).first().click();
  await expect.poll(() => page.url()).toContain('#/train?');
  await expect.poll(() => page.locator('.layer .units span').first().textContent()).toBe(String(units));
  await page.screenshot({ path: 'test-results/e2e-study-pareto-open.png' });
  expect(errors).toEqual([]);
});
