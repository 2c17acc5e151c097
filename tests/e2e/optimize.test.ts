import { statSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSite, type Site } from './harness';
import { PENGUINS_LINK, predictRow, exportModelFiles, trainCars } from './table-steps';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const ADELIE = { Island: 'Torgersen', 'Bill length (mm)': '39.1', 'Bill depth (mm)': '18.7', 'Flipper length (mm)': '181', 'Body mass (g)': '3750', Sex: 'MALE' };

test('a newcomer prunes the penguins model to 80 % sparsity, quantizes it to 8 bits, reads accuracy and size, exports it and imports it back with the same predictions', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}${PENGUINS_LINK}`);
  await expect.poll(() => page.locator('[data-stage=data]').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getByTestId('evaluation').isVisible(), { timeout: 180_000 }).toBe(true);
  console.log(`trained on ${await page.getByTestId('backend').textContent()}`);

  // The pipeline's last stage leads to the optimize screen.
  await page.locator('[data-stage=optimize] a').click();
  await expect.poll(() => page.getByTestId('optimize-screen').isVisible(), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => page.getByLabel('Saved run').locator('option').count()).toBe(1);

  // Bad input gets a message at its field, and nothing runs.
  await page.getByLabel('Amount to prune (0 to below 1)').fill('1');
  await page.getByLabel('Amount to prune (0 to below 1)').dispatchEvent('change');
  await page.getByLabel('Bits (2 to 16)').fill('1');
  await page.getByLabel('Bits (2 to 16)').dispatchEvent('change');
  await page.getByLabel('Quantization-aware training epochs').fill('-1');
  await page.getByLabel('Quantization-aware training epochs').dispatchEvent('change');
  await page.getByRole('button', { name: 'Optimize' }).click();
  await expect.poll(() => page.getByRole('alert').allTextContents()).toEqual([
    'Amount to prune must be at least 0 and less than 1 (got 1).',
    'Bits must be a whole number from 2 to 16 (got 1).',
    'Quantization-aware epochs must be a whole number from 0 to 500 (got -1).',
  ]);
  expect(await page.getByTestId('optimize-results').count()).toBe(0);

  // 80 % magnitude pruning in 3 rounds of 5 fine-tuning epochs, then 2 epochs of
  // quantization-aware training (activations too) and 8 bits per tensor.
  await page.getByLabel('Amount to prune (0 to below 1)').fill('0.8');
  await page.getByLabel('Amount to prune (0 to below 1)').dispatchEvent('change');
  await page.getByLabel('Bits (2 to 16)').fill('8');
  await page.getByLabel('Bits (2 to 16)').dispatchEvent('change');
  await page.getByLabel('Quantization-aware training epochs').fill('2');
  await page.getByLabel('Quantization-aware training epochs').dispatchEvent('change');
  await page.getByLabel('Quantize the activations too while training (8-bit, observed range)').check();
  const started = Date.now();
  await page.getByRole('button', { name: 'Optimize' }).click();
  // The results, or what went wrong.
  await expect.poll(() => page.locator('[data-testid=optimize-results], [role=alert]').count(), { timeout: 240_000 }).toBeGreaterThan(0);
  console.log(`optimized in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await page.screenshot({ path: 'test-results/e2e-optimize.png', fullPage: true });
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);
  const percent = async (id: string) => Number((await page.getByTestId(id).textContent())!.replace(' %', '')) / 100;
  const bytes = async (id: string) => Number((await page.getByTestId(id).textContent())!.replace(' B', ''));
  const [before, after, sparsity] = [await percent('accuracy-before'), await percent('accuracy-after'), await percent('sparsity-after')];
  console.log(`penguins optimized: test accuracy ${before} → ${after}, sparsity ${sparsity}, packed ${await bytes('size-before')} → ${await bytes('size-after')} bytes`);
  expect(before).toBeGreaterThan(0.9);
  expect(after).toBeGreaterThan(0.85);
  expect(sparsity).toBeGreaterThan(0.79);
  expect(sparsity).toBeLessThan(0.81);
  // 323 float32 parameters: 1292 bytes; 60 kept kernel weights at 8 bits with 296 mask bits, 3 scales and zero points, 27 float biases.
  expect(await bytes('size-before')).toBe(1292);
  expect(await bytes('size-after')).toBeLessThan(1292 / 4);
  expect(await page.getByTestId('weight-histogram').count()).toBe(3);
  expect(await page.getByTestId('rounds').textContent()).toMatch(/Rounds: [\d.]+ % → [\d.]+ % → 79\.\d %/);
  // The decision picture before and after, the points whose predicted class changed counted and ringed.
  expect(await page.getByTestId('changed-points').textContent()).toMatch(/\d+ of \d+ held-out points changed their predicted class/);
  expect(await page.locator('[data-testid=picture-before] canvas, [data-testid=picture-after] canvas').count()).toBe(2);
  // In the columns' own units, as the training screen draws it: bill lengths in millimetres (32-60 in the table), not standard scores.
  const across = /across ([\d.-]+) to ([\d.-]+)/.exec((await page.locator('[data-testid=picture-after] canvas').getAttribute('aria-label'))!)!;
  expect(Number(across[1])).toBeGreaterThan(25);
  expect(Number(across[2])).toBeLessThan(70);
  expect(await page.getByTestId('optimize-summary').textContent()).toContain('8-bit per tensor, 2 epochs quantization-aware with 8-bit activations');

  // Export: model.json, its weights (kernels as uint8, biases float32) and the recipe.
  const downloads = await exportModelFiles(page, 'tunelab-optimized');
  expect(statSync(downloads.find((p) => p.endsWith('.weights.bin'))!).size).toBe(9 * 16 + 16 * 8 + 8 * 3 + 4 * (16 + 8 + 3));

  // The optimized network as a run of its own predicts a row; imported from its files, the same.
  await page.getByRole('button', { name: 'Save as a run and open it' }).click();
  await expect.poll(() => page.url()).toContain('#/train');
  const saved = await predictRow(page, ADELIE, 'Adelie');
  await page.getByLabel('Model files (model.json, weights, recipe)').setInputFiles(downloads);
  await expect.poll(() => page.locator('[data-testid=run-history] li').count(), { timeout: 30_000 }).toBe(3);
  const imported = await predictRow(page, ADELIE, 'Adelie');
  expect(imported).toBe(saved);
  await page.screenshot({ path: 'test-results/e2e-optimize-imported.png', fullPage: true });

  // Half the hidden neurons cut whole (8 of 16 and 4 of 8), drawn removed in the network diagram.
  await page.goto(`${site.url}#/optimize`);
  await expect.poll(() => page.getByTestId('optimize-screen').isVisible(), { timeout: 30_000 }).toBe(true);
  // The run trained first, listed last (newest first).
  await page.getByLabel('Saved run').selectOption({ index: (await page.getByLabel('Saved run').locator('option').count()) - 1 });
  await page.getByLabel('Method').selectOption('neurons');
  await page.getByLabel('Amount to prune (0 to below 1)').fill('0.5');
  await page.getByLabel('Amount to prune (0 to below 1)').dispatchEvent('change');
  await page.getByLabel('Rounds').fill('1');
  await page.getByLabel('Rounds').dispatchEvent('change');
  await page.getByLabel('Quantize the weights').uncheck();
  await page.getByRole('button', { name: 'Optimize' }).click();
  await expect.poll(() => page.getByTestId('cut-neuron').count(), { timeout: 240_000 }).toBe(12);
  await page.screenshot({ path: 'test-results/e2e-optimize-neurons.png', fullPage: true });

  // The small-data preset: 20 training rows, plain and augmented; the gap between validation and training loss closes.
  await page.getByRole('button', { name: 'Small-data preset' }).click();
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect.poll(() => page.getByTestId('loss-gap-chart').isVisible(), { timeout: 120_000 }).toBe(true);
  const gap = async (name: string) => Number(await page.getByTestId(`gap-${name}`).textContent());
  const [plainGap, augmentedGap] = [await gap('plain'), await gap('augmented')];
  console.log(`small-data preset: loss gap ${plainGap} plain, ${augmentedGap} augmented`);
  expect(augmentedGap).toBeLessThan(plainGap / 2);
  await page.getByTestId('loss-gap-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/e2e-optimize-augment.png', fullPage: true });

  // Class weights: typed ones that do not fit get a message at their field; balanced ones retrain, recall per class before and after.
  await page.getByRole('combobox', { name: /^Class weights/ }).selectOption('typed');
  await page.getByLabel('Typed class weights').fill('1, 0');
  await page.getByLabel('Typed class weights').dispatchEvent('change');
  await page.getByRole('button', { name: 'Retrain with class weights' }).click();
  await expect.poll(() => page.getByRole('alert').allTextContents()).toEqual(['Type 3 weights above 0, separated by commas, one per class in order (got "1, 0").']);
  await page.getByRole('combobox', { name: /^Class weights/ }).selectOption('balanced');
  await page.getByLabel('Retraining epochs').fill('3');
  await page.getByLabel('Retraining epochs').dispatchEvent('change');
  await page.getByRole('button', { name: 'Retrain with class weights' }).click();
  await expect.poll(() => page.getByTestId('recall-after').count(), { timeout: 120_000 }).toBe(3);
  console.log(`recall per class: ${(await page.getByTestId('recall-results').innerText()).replace(/\s+/g, ' ')}`);
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);
  await page.getByTestId('recall-results').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/e2e-optimize-rebalance.png', fullPage: true });

  // Size against accuracy, as a study: a bad list gets its message; 2 sparsities × 2 bit widths × student or not, 1 epoch each,
  // beside the dense model; a dot opens its model, and the study reads on the study screen.
  const start = page.getByRole('button', { name: 'Start the size-against-accuracy study' });
  await page.getByLabel('Bit widths').fill('8, 1');
  await page.getByLabel('Bit widths').dispatchEvent('change');
  await start.click();
  await expect.poll(() => page.getByRole('alert').allTextContents()).toEqual(['Bits are whole numbers from 2 to 16, separated by commas (got "8, 1").']);
  await page.getByLabel('Sparsities').fill('0.5, 0.9');
  await page.getByLabel('Sparsities').dispatchEvent('change');
  await page.getByLabel('Bit widths').fill('8, 2');
  await page.getByLabel('Bit widths').dispatchEvent('change');
  await page.getByLabel('Epochs per point').fill('1');
  await page.getByLabel('Epochs per point').dispatchEvent('change');
  await page.getByLabel('Also as a student distilled from this run').check();
  await start.click();
  await expect.poll(() => page.getByTestId('sweep-point').count(), { timeout: 240_000 }).toBe(8);
  await expect.poll(() => start.isEnabled(), { timeout: 60_000 }).toBe(true);
  expect(await page.getByTestId('sweep-dense').count()).toBe(1);
  console.log(`size study: ${await page.getByTestId('size-study').textContent()}`);
  await page.getByTestId('sweep-dense').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/e2e-optimize-sweep.png', fullPage: true });
  await page.locator('[data-testid=sweep-point].on-front').first().click();
  await expect.poll(() => page.url()).toContain('#/train');
  await expect.poll(() => page.getByTestId('evaluation').isVisible(), { timeout: 30_000 }).toBe(true);
  // The point's network says how it was compressed; training it again would train the experiment without compression.
  expect(await page.getByText(/compressed from the run of .*: (50|90) % of its kernel weights pruned and its kernels at (8|2) bits.* Training again trains this experiment anew, without compression\.$/).count()).toBe(1);
  await page.evaluate(() => (location.hash = '#/study'));
  await page.getByRole('button', { name: /^Size against accuracy: 2 sparsities × 2 bit widths × distilled/ }).click();
  await expect.poll(() => page.getByTestId('pareto-plot').isVisible(), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => page.getByTestId('trial-table').locator('tbody tr').count()).toBe(8);
  await page.getByTestId('pareto-plot').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/e2e-optimize-sweep-study.png', fullPage: true });
  expect(errors).toEqual([]);
}, 480_000);

test('a regression run is scored by R² before and after, and the tools for classes say they need them before they are pressed', async () => {
  const { page, errors } = await site.newPage();
  await trainCars(page, site.url, 5);
  await page.locator('[data-stage=optimize] a').click();
  await expect.poll(() => page.getByLabel('Saved run').locator('option').count(), { timeout: 30_000 }).toBe(1);

  const task = 'this run learns Cars (fuel economy): Miles_per_Gallon (regression).';
  expect(await page.getByTestId('rebalance-note').textContent()).toBe(`Class weights need a classification; ${task}`);
  expect(await page.getByRole('button', { name: 'Retrain with class weights' }).isDisabled()).toBe(true);
  expect(await page.getByTestId('smote-note').textContent()).toBe(`SMOTE needs classes to fill up; ${task}`);
  expect(await page.getByLabel('SMOTE the smaller classes (k = 5)').isDisabled()).toBe(true);
  expect(await page.getByTestId('distill-note').textContent()).toBe(`Distillation needs a table with three or more classes; ${task}`);
  expect(await page.getByRole('button', { name: 'Distill' }).isDisabled()).toBe(true);
  expect(await page.getByLabel('Also as a student distilled from this run').isDisabled()).toBe(true);

  await page.getByRole('button', { name: 'Optimize' }).click();
  await expect.poll(() => page.getByTestId('optimize-results').isVisible(), { timeout: 120_000 }).toBe(true);
  expect(await page.getByTestId('optimize-results').locator('thead th').nth(1).textContent()).toBe('Test R²');
  // The pictures' colours are keyed in miles per gallon, over the held-out cars.
  expect(await page.getByTestId('value-scale').getAttribute('aria-label')).toMatch(/^Predicted Miles_per_Gallon: orange 1?\d(\.\d+)? through white to blue [34]\d(\.\d+)?$/);
  for (const id of ['accuracy-before', 'accuracy-after']) expect(await page.getByTestId(id).textContent()).toMatch(/^-?\d+\.\d{3}$/);
  await page.screenshot({ path: 'test-results/e2e-optimize-regression.png', fullPage: true });
  expect(errors).toEqual([]);
});
