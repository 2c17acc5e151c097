import { afterAll, beforeAll, expect, test } from 'vitest';
import { PENGUINS } from '../support/penguins-table';
import { openSite, type Site } from './harness';
import { PENGUINS_LINK, predictRow, exportModelFiles } from './table-steps';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const GENTOO = { Island: 'Biscoe', 'Bill length (mm)': '47.5', 'Bill depth (mm)': '14.6', 'Flipper length (mm)': '217', 'Body mass (g)': '5200', Sex: 'MALE' };

const predictGentoo = (page: import('playwright-core').Page) => predictRow(page, GENTOO, 'Gentoo');

test('a practitioner trains on the penguins, reads the confusion matrix, predicts a row, exports the model and loads it back, and tunes it in a study', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}${PENGUINS_LINK}`);
  await expect.poll(() => page.locator('[data-stage=data]').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
  expect(await page.getByTestId('table-data').textContent()).toContain('Predicting Species (several classes) from 6 columns');

  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getByTestId('evaluation').isVisible(), { timeout: 180_000 }).toBe(true);
  const accuracy = Number((await page.getByTestId('eval-accuracy').textContent())!.replace('%', '')) / 100;
  console.log(`penguins: test accuracy ${accuracy} after 15 epochs`);
  expect(accuracy).toBeGreaterThan(0.9);
  const matrix = page.getByTestId('confusion-matrix');
  expect(await matrix.locator('thead th').allTextContents()).toEqual(['', 'Adelie', 'Chinstrap', 'Gentoo', 'recall']);
  // 15% of 344 rows, stratified: every test row is counted once.
  const counts = await matrix.locator('tbody tr').evaluateAll((rows) =>
    rows.slice(0, 3).flatMap((r) => [...r.querySelectorAll('td:not(.score)')].map((td) => Number(td.textContent))),
  );
  expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(50);
  expect(await page.locator('[data-stage=model]').getAttribute('data-state')).toBe('done');

  // The picture's axes are in the columns' units: bill length about 32–60 mm across, bill depth 13–22 mm up.
  const picture = await page.getByTestId('heatmap').locator('canvas').getAttribute('aria-label');
  const [, x0, x1, y0, y1] = picture!.match(/across ([\d.]+) to ([\d.]+), up ([\d.]+) to ([\d.]+)/)!.map(Number);
  expect([x0 > 28 && x0 < 34, x1 > 58 && x1 < 63, y0 > 11 && y0 < 14, y1 > 21 && y1 < 23]).toEqual([true, true, true, true]);
  await predictGentoo(page);
  await page.screenshot({ path: 'test-results/e2e-table.png', fullPage: true });

  // Export: model.json, its weights and the recipe, as three downloads.
  const downloads = await exportModelFiles(page, 'palmer-penguins-16-8-adam');

  // Load it back: a new run opens from the files and predicts the same.
  const before = await page.locator('[data-testid=run-history] li').count();
  await page.getByLabel('Model files (model.json, weights, recipe)').setInputFiles(downloads);
  await expect.poll(() => page.locator('[data-testid=run-history] li').count(), { timeout: 30_000 }).toBe(before + 1);
  await expect.poll(() => page.getByTestId('predict-form').isVisible(), { timeout: 30_000 }).toBe(true);
  await predictGentoo(page);

  // A study tunes the same table: its trials train on the prepared penguins in the workers.
  await page.getByRole('link', { name: 'Study' }).click();
  await expect.poll(() => page.textContent('.setup')).toContain('Palmer penguins');
  await page.getByLabel('Trials').fill('3');
  await page.getByLabel('Trials').dispatchEvent('change');
  await page.getByRole('button', { name: 'Run study' }).click();
  await expect.poll(() => page.textContent('[data-testid=trial-counts]'), { timeout: 150_000, interval: 1000 }).toBe('3 complete');
  await page.goBack();

  // Only the weights: a clear message beside the import.
  await page.getByLabel('Model files (model.json, weights, recipe)').setInputFiles(downloads.filter((p) => p.endsWith('.bin')));
  await expect.poll(() => page.getByTestId('import-model-error').textContent()).toBe('Pick the model.json file (with its .weights.bin beside it).');
  expect(errors).toEqual([]);
});

test('the Data screen opens on the table and preprocessing of the experiment a link brought, and then keeps the user\'s own choice', async () => {
  const { page, errors } = await site.newPage();
  const table = { ...PENGUINS, preprocess: { ...PENGUINS.preprocess, scaling: 'minmax', features: PENGUINS.preprocess.features.filter((f) => f !== 'Sex') } };
  await page.goto(`${site.url}#/train?table=${encodeURIComponent(JSON.stringify(table))}&hidden=8:relu`);
  await expect.poll(() => page.locator('[data-stage=data]').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
  const nav = page.getByRole('navigation');
  await nav.getByRole('link', { name: 'Data', exact: true }).click();
  await expect.poll(() => page.textContent('#selected-h')).toBe('Palmer penguins');
  expect(await page.getByLabel('Scaling of numbers').inputValue()).toBe('minmax');
  expect(await page.getByRole('checkbox', { name: /^Sex/ }).isChecked()).toBe(false);
  expect(await page.getByRole('checkbox', { name: /^Island/ }).isChecked()).toBe(true);

  // Another table chosen here stays chosen after a visit to the training screen.
  await page.getByRole('button', { name: 'Iris' }).click();
  await expect.poll(() => page.textContent('#selected-h')).toBe('Iris');
  await nav.getByRole('link', { name: 'Train', exact: true }).click();
  await nav.getByRole('link', { name: 'Data', exact: true }).click();
  await expect.poll(() => page.textContent('#selected-h')).toBe('Iris');
  expect(errors).toEqual([]);
});
