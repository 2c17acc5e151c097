// Steps of the tests that walk through every screen quickly: a small run trained to its end, a
// two-trial study, a small CSV file imported.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** A three-epoch XOR experiment of a few hundred steps: the training link's settings. */
export const SMALL_XOR = 'data=xor&n=100&noise=0&split=0.5&dataSeed=1&features=x1,x2&hidden=4:tanh&l1=0&l2=0&dropout=0&opt=momentum&lr=0.1&batch=10&epochs=3&clip=0&patience=0&schedule=constant&seed=1';

/** Plays the experiment on the training screen until it has finished its `epochs` epochs. */
export async function trainToEnd(page: Page, epochs: number) {
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 120_000, interval: 500 }).toBe('complete');
  expect(Number(await page.textContent('[data-testid=epoch]'))).toBe(epochs);
}

/** Opens the Study screen on the XOR experiment and runs a study of two trials, unpruned, to its end. */
export async function runSmallStudy(page: Page) {
  await page.getByRole('link', { name: 'Study' }).click();
  await expect.poll(() => page.textContent('.setup')).toContain('xor');
  await page.getByLabel('Trials').fill('2');
  await page.getByLabel('Trials').dispatchEvent('change');
  await page.getByLabel('Pruning').selectOption('none');
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect.poll(() => page.textContent('[data-testid=trial-counts]'), { timeout: 150_000, interval: 1000 }).toBe('2 complete');
}

/** Imports a CSV file of `rows` rows (size, weight, kind) on the Data screen, and waits for it in the library. */
export async function importSmallCsv(page: Page, name: string, rows: number) {
  await page.getByRole('link', { name: 'Data' }).click();
  const csv = ['size,weight,kind', ...Array.from({ length: rows }, (_, i) => `${i},${(i * 1.5).toFixed(1)},${i % 2 ? 'a' : 'b'}`)].join('\n');
  await page.setInputFiles('[data-testid=file-input]', { name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect.poll(() => page.locator('[data-testid=library-entry]').count(), { timeout: 30_000 }).toBe(1);
  expect(await page.locator('[data-testid=library-entry]').textContent()).toContain(`${rows} rows`);
}
