// A walk through every screen in a state that shows what it has to show: a trained penguins
// model with its deploy and monitor panels, the penguins table on the Data screen, a finished
// two-trial study, an optimized model, the run's landscape and the lab's paths. The phone and
// accessibility tests look at each stop.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { PENGUINS } from '../support/penguins-table';

/** The screens the walk stops at, in its order. */
export const SCREENS = ['train', 'deploy', 'monitor', 'data', 'study', 'optimize', 'landscape', 'lab'] as const;
export type Screen = (typeof SCREENS)[number];

/** Three epochs of the penguins model (two hidden layers, whose controls must sit side by side): enough for a finished run, quick on any backend. */
const LINK = `#/train?table=${encodeURIComponent(JSON.stringify(PENGUINS))}&hidden=16:relu,8:relu&opt=adam&lr=0.03&batch=32&epochs=3&seed=1`;

/** Fills a number field by its label and commits it as a person leaving the field does. */
async function setNumber(page: Page, label: string, value: string) {
  await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByLabel(label, { exact: true }).dispatchEvent('change');
}

/** Opens a screen from the navigation, as a person taps its tab. */
async function open(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name, exact: true }).click();
}

/** Walks every screen of the site at `url`, calling `look` once each screen shows its content. */
export async function visitEveryScreen(page: Page, url: string, look: (screen: Screen) => Promise<void>) {
  await page.goto(`${url}${LINK}`);
  await expect.poll(() => page.locator('[data-stage=data]').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getByTestId('evaluation').isVisible(), { timeout: 120_000 }).toBe(true);
  await page.evaluate(() => scrollTo(0, 0));
  await look('train');

  await page.getByTestId('deploy').scrollIntoViewIfNeeded();
  await look('deploy');

  // New rows for the monitor: the penguins themselves, with their target.
  await page.getByTestId('monitor-file').setInputFiles({ name: 'new-penguins.csv', mimeType: 'text/csv', buffer: readFileSync('src/core/data/table/builtin/penguins.csv') });
  await expect.poll(() => page.getByTestId('monitor-drift').isVisible(), { timeout: 30_000 }).toBe(true);
  await page.getByTestId('monitor').scrollIntoViewIfNeeded();
  await look('monitor');

  await open(page, 'Data');
  await page.getByTestId('builtins').getByRole('button', { name: 'Palmer penguins' }).click();
  await expect.poll(() => page.getByLabel('Target (what to predict)').isVisible(), { timeout: 30_000 }).toBe(true);
  await look('data');

  await open(page, 'Study');
  await setNumber(page, 'Trials', '2');
  await page.getByLabel('Pruning').selectOption('none');
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect.poll(() => page.textContent('[data-testid=trial-counts]'), { timeout: 120_000, interval: 500 }).toBe('2 complete');
  await look('study');

  await open(page, 'Optimize');
  await expect.poll(() => page.getByLabel('Saved run').locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await setNumber(page, 'Rounds', '1');
  await setNumber(page, 'Fine-tuning epochs', '1');
  await page.getByRole('button', { name: 'Optimize', exact: true }).click();
  await expect.poll(() => page.getByTestId('optimize-results').isVisible(), { timeout: 60_000 }).toBe(true);
  await look('optimize');

  await open(page, 'Run landscape');
  await setNumber(page, 'Grid (points a side)', '11');
  await expect.poll(() => page.getByTestId('sharpness').isVisible(), { timeout: 120_000 }).toBe(true);
  await expect.poll(() => page.getByTestId('slice-plot').isVisible(), { timeout: 60_000 }).toBe(true);
  await look('landscape');

  await open(page, 'Landscape lab');
  await expect.poll(() => page.getByRole('button', { name: 'Show all' }).isEnabled(), { timeout: 90_000 }).toBe(true);
  await look('lab');
}
