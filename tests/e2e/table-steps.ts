// Steps the table tests share: the penguins as they train on them, a row typed into the
// prediction form, and the model's files exported.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { PENGUINS } from '../support/penguins-table';

/** The training link of the penguins model: 16 and 8 ReLU units, Adam, 15 epochs. */
export const PENGUINS_LINK = `#/train?table=${encodeURIComponent(JSON.stringify(PENGUINS))}&hidden=16:relu,8:relu&opt=adam&lr=0.03&batch=32&epochs=15&seed=1`;

/** Opens the built-in cars on the Data screen, trains their proposed regression of fuel economy for `epochs`, and waits for the run's end. */
export async function trainCars(page: Page, siteUrl: string, epochs: number): Promise<void> {
  await page.goto(`${siteUrl}#/data`);
  await page.getByRole('button', { name: 'Cars (fuel economy)' }).click();
  await expect.poll(() => page.getByLabel('Target (what to predict)').inputValue(), { timeout: 30_000 }).toBe('Miles_per_Gallon');
  await page.getByRole('button', { name: 'Train a model on it' }).click();
  await page.getByLabel('Epochs', { exact: true }).fill(String(epochs));
  await page.getByLabel('Epochs', { exact: true }).dispatchEvent('change');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 120_000 }).toBe('complete');
}

/** Types `row` into the prediction form, predicts, waits for `species`, and returns the answer as shown. */
export async function predictRow(page: Page, row: Record<string, string>, species: string): Promise<string> {
  const form = page.getByTestId('predict-form');
  await expect.poll(() => form.isVisible(), { timeout: 30_000 }).toBe(true);
  for (const [name, value] of Object.entries(row)) {
    const field = form.getByLabel(name, { exact: true });
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await form.getByRole('button', { name: 'Predict' }).click();
  await expect.poll(() => page.getByTestId('prediction').textContent(), { timeout: 30_000 }).toContain(`Species: ${species}`);
  return (await page.getByTestId('prediction').textContent())!.replace(/\s+/g, ' ');
}

/**
 * Presses Export model and waits for its downloads, `<name>.json`, `<name>.weights.bin` and,
 * for a table's model (`recipe`), `<name>.recipe.json`, saved in a new folder; returns their paths.
 */
export async function exportModelFiles(page: Page, name: string, recipe = true): Promise<string[]> {
  const folder = mkdtempSync(join(tmpdir(), `${name}-`));
  const downloads: string[] = [];
  page.on('download', async (d) => {
    const path = join(folder, d.suggestedFilename());
    await d.saveAs(path);
    downloads.push(path);
  });
  await page.getByRole('button', { name: 'Export model' }).click();
  const expected = [`${name}.json`, ...(recipe ? [`${name}.recipe.json`] : []), `${name}.weights.bin`];
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(expected.length);
  expect(downloads.map((p) => basename(p)).sort()).toEqual(expected);
  return downloads;
}
