import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSite, type Site } from './harness';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

/** A small plant table: two measurements (one with a gap), a soil category, the species to predict. */
function plantsCsv(): string {
  const lines = ['leaf_mm;height_cm;soil;species'];
  const soils = ['clay', 'sand', 'loam'];
  const species = ['oak', 'ash', 'elm'];
  for (let i = 0; i < 60; i++) {
    const leaf = i === 7 ? '' : (40 + (i % 3) * 15 + (i % 5)).toString().replace(/(\d)$/, '$1,5');
    lines.push(`${leaf};${100 + i * 3};${soils[i % 3]};${species[i % 3]}`);
  }
  return lines.join('\r\n');
}

test('a practitioner imports a CSV file, checks how it was read, finds it after a reload, trains a classifier on it and predicts a row', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/data`);
  await page.getByRole('link', { name: 'Data' }).waitFor();
  // The built-in tables are listed with their credits.
  await expect.poll(() => page.textContent('[data-testid=builtins]')).toContain('Palmer penguins');
  expect(await page.textContent('[data-testid=builtins]')).toContain('CC0');

  // A broken file first: the problem and its line appear by the drop zone.
  await page.setInputFiles('[data-testid=file-input]', { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n3,4,5\n') });
  await expect.poll(() => page.getAttribute('[data-testid=import-problem]', 'data-line')).toBe('3');
  expect(await page.textContent('[data-testid=import-problem]')).toContain('Line 3 has 3 fields where the header has 2');

  await page.setInputFiles('[data-testid=file-input]', { name: 'plants.csv', mimeType: 'text/csv', buffer: Buffer.from(plantsCsv()) });
  await expect.poll(() => page.locator('[data-testid=import-problem]').count()).toBe(0);
  await expect.poll(() => page.textContent('[data-testid=preview] thead')).toContain('leaf_mm');
  expect(await page.locator('[data-testid=preview] tbody tr').first().locator('td').allTextContents()).toEqual(['40.5', '100', 'clay', 'oak']);
  const types = await page.locator('[data-testid=column-card]').evaluateAll((cards) => cards.map((c) => [c.getAttribute('data-column'), c.getAttribute('data-type')]));
  expect(types).toEqual([['leaf_mm', 'numeric'], ['height_cm', 'numeric'], ['soil', 'categorical'], ['species', 'categorical']]);
  expect(await page.textContent('[data-column=leaf_mm]')).toContain('1 missing');
  expect(await page.locator('[data-column=leaf_mm] svg rect').count()).toBeGreaterThan(3);

  // The library keeps it across a reload.
  await page.reload();
  const entry = page.locator('[data-testid=library-entry]');
  await expect.poll(() => entry.count()).toBe(1);
  expect(await entry.textContent()).toContain('60 rows');
  await entry.getByRole('button', { name: 'plants' }).click();

  // Species is proposed as the target; choosing height makes it a regression, choosing species back a 3-class problem.
  const target = page.getByLabel('Target (what to predict)');
  await expect.poll(() => target.inputValue()).toBe('species');
  await target.selectOption('height_cm');
  await expect.poll(() => page.getByLabel('Task').inputValue()).toBe('regression');
  await target.selectOption('species');
  await expect.poll(() => page.getByLabel('Task').inputValue()).toBe('multiclass');
  expect(await page.textContent('.panel:has(#prep-h)')).toContain('Classes: ash, elm, oak.');
  // Height, the target for a moment, is a feature again; a column retyped as ignored is not one any more.
  expect(await page.getByRole('checkbox', { name: 'height_cm' }).isChecked()).toBe(true);
  await page.getByLabel('Type of soil').selectOption('ignore');
  await expect.poll(() => page.getAttribute('[data-column=soil]', 'data-type')).toBe('ignore');
  expect(await page.getByRole('checkbox', { name: 'soil' }).isChecked()).toBe(false);
  await page.getByLabel('Type of soil').selectOption('categorical');
  await expect.poll(() => page.getByRole('checkbox', { name: 'soil' }).isChecked()).toBe(true);
  // Filling with a mean says what an empty category gets; dropping the row needs no word.
  const emptyCells = page.getByRole('combobox', { name: 'Empty cells' });
  expect(await emptyCells.getAttribute('aria-describedby').then((id) => page.textContent(`[id="${id}"]`))).toBe('An empty category takes its most frequent level.');
  await emptyCells.selectOption('drop');
  await expect.poll(() => emptyCells.getAttribute('aria-describedby')).toBeNull();
  await emptyCells.selectOption('mean');

  // A split that does not add up is said next to the shares, and training waits for a good one.
  await page.getByLabel('Test (%)').fill('30');
  await page.getByLabel('Test (%)').dispatchEvent('change');
  await expect.poll(() => page.textContent('.panel:has(#prep-h) .error')).toContain('add up to 115 %');
  expect(await page.getByRole('button', { name: 'Train a model on it' }).isDisabled()).toBe(true);
  await page.getByLabel('Test (%)').fill('15');
  await page.getByLabel('Test (%)').dispatchEvent('change');
  await expect.poll(() => page.getByRole('button', { name: 'Train a model on it' }).isDisabled()).toBe(false);
  await page.screenshot({ path: 'test-results/e2e-data.png', fullPage: true });

  await page.getByRole('button', { name: 'Train a model on it' }).click();
  await expect.poll(() => new URL(page.url()).hash).toMatch(/^#\/train/);
  // Back on the Data screen, the dataset and its preprocessing are as they were left.
  await page.getByRole('navigation').getByRole('link', { name: 'Data', exact: true }).click();
  await expect.poll(() => page.textContent('#selected-h')).toBe('plants');
  expect(await page.getByLabel('Target (what to predict)').inputValue()).toBe('species');

  // Trained, the model is read through its confusion matrix and asked about a new plant.
  await page.getByRole('navigation').getByRole('link', { name: 'Train', exact: true }).click();
  await page.getByLabel('Epochs', { exact: true }).fill('40');
  await page.getByLabel('Epochs', { exact: true }).dispatchEvent('change');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getByTestId('confusion-matrix').isVisible(), { timeout: 120_000 }).toBe(true);
  expect(await page.getByTestId('confusion-matrix').locator('thead th').allTextContents()).toEqual(['', 'ash', 'elm', 'oak', 'recall']);
  const form = page.getByTestId('predict-form');
  await form.getByLabel('leaf_mm', { exact: true }).fill('56.5');
  await form.getByLabel('height_cm', { exact: true }).fill('103');
  await form.getByLabel('soil', { exact: true }).selectOption('sand');
  await form.getByRole('button', { name: 'Predict' }).click();
  await expect.poll(() => page.getByTestId('prediction').textContent(), { timeout: 30_000 }).toContain('species: ash');
  await form.getByLabel('leaf_mm', { exact: true }).fill('long');
  await form.getByRole('button', { name: 'Predict' }).click();
  await expect.poll(() => page.getByTestId('prediction').textContent()).toContain('leaf_mm');
  await page.screenshot({ path: 'test-results/e2e-data-trained.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a CSV file Excel saved on Windows (Windows-1252) is read with its accents, and the screen says how it was read', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/data`);
  const lines = ['ville;habitants', ...Array.from({ length: 12 }, (_, i) => `${i % 2 ? 'Zürich' : 'Genève'};${400 + i}`)];
  // ü and è as Windows-1252 bytes, which are not UTF-8.
  const bytes = Buffer.from(Uint8Array.from(lines.join('\r\n'), (ch) => ({ ü: 0xfc, è: 0xe8 })[ch] ?? ch.charCodeAt(0)));
  await page.setInputFiles('[data-testid=file-input]', { name: 'villes.csv', mimeType: 'text/csv', buffer: bytes });
  await expect.poll(() => page.textContent('[data-testid=import-note]')).toContain('Read as Windows-1252');
  expect(await page.locator('[data-testid=import-problem]').count()).toBe(0);
  expect(await page.locator('[data-testid=preview] tbody tr').first().locator('td').allTextContents()).toEqual(['Genève', '400']);
  await page.screenshot({ path: 'test-results/e2e-data-1252.png' });
  expect(errors).toEqual([]);
});
