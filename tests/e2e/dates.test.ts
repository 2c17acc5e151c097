import { afterAll, beforeAll, expect, test } from 'vitest';
import { weatherCsv } from '../support/weather-table';
import { openSite, type Site } from './harness';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

test('a weather table\'s date column becomes the year, month and weekday, trains with balanced class weights, and a typed row with a date is predicted', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/data`);
  await page.setInputFiles('[data-testid=file-input]', { name: 'weather.csv', mimeType: 'text/csv', buffer: Buffer.from(weatherCsv()) });
  await expect.poll(() => page.getAttribute('[data-column=date]', 'data-type')).toBe('date');
  const card = page.locator('[data-column=date] [data-testid=date-features]');
  expect((await card.textContent())!.replace(/\s+/g, ' ').trim()).toBe('2015-01-01 to 2016-12-26 Becomes 5 inputs: the year, the month (sin, cos) and the day of the week (sin, cos).');
  await expect.poll(() => page.getByLabel('Target (what to predict)').inputValue()).toBe('weather');
  expect(await page.getByRole('checkbox', { name: 'date' }).isChecked()).toBe(true);
  await page.screenshot({ path: 'test-results/e2e-dates-data.png', fullPage: true });

  await page.getByRole('button', { name: 'Train a model on it' }).click();
  await expect.poll(() => new URL(page.url()).hash).toMatch(/^#\/train/);
  await page.getByLabel('Epochs', { exact: true }).fill('30');
  await page.getByLabel('Epochs', { exact: true }).dispatchEvent('change');

  // Class weights: typed ones are checked at their field, then balanced ones train.
  const weights = page.getByTestId('class-weights');
  await expect.poll(() => weights.isVisible(), { timeout: 30_000 }).toBe(true);
  await weights.getByLabel('Class weights').selectOption('typed');
  const typed = weights.getByLabel('Weights, one per class (drizzle, fog, rain, sun)');
  await expect.poll(() => typed.inputValue()).toBe('1, 1, 1, 1');
  await typed.fill('1, -1, 1, 1');
  await typed.dispatchEvent('change');
  await expect.poll(() => weights.getByRole('alert').textContent()).toBe('Class weights must be greater than 0 and at most 1000, one per class (got 1, -1, 1, 1).');
  await typed.fill('1, 2');
  await typed.dispatchEvent('change');
  await expect.poll(() => weights.getByRole('alert').textContent()).toBe('Type one weight per class: 4 weights for 4 classes (got 2).');
  await weights.getByLabel('Class weights').selectOption('balanced');
  await expect.poll(() => decodeURIComponent(page.url())).toContain('classWeights=balanced');
  expect(await weights.getByRole('alert').count()).toBe(0);

  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getByTestId('confusion-matrix').isVisible(), { timeout: 120_000 }).toBe(true);
  const matrix = page.getByTestId('confusion-matrix');
  expect(await matrix.locator('thead th').allTextContents()).toEqual(['', 'weight', 'drizzle', 'fog', 'rain', 'sun', 'recall']);
  // 102 training rows: 21 drizzle, 6 fog, 13 rain and 62 sun; each weighs 102 / (4 · n_c).
  expect(await matrix.getByTestId('class-weight').allTextContents()).toEqual(['1.21', '4.25', '1.96', '0.41']);

  const form = page.getByTestId('predict-form');
  expect(await form.getByLabel('date', { exact: true }).getAttribute('placeholder')).toMatch(/^empty: 20\d\d-\d\d-\d\d$/);
  await form.getByLabel('date', { exact: true }).fill('2016-07-15T12:00');
  await form.getByLabel('precipitation', { exact: true }).fill('0');
  await form.getByLabel('temp_max', { exact: true }).fill('25');
  await form.getByLabel('wind', { exact: true }).fill('3');
  await form.getByRole('button', { name: 'Predict' }).click();
  await expect.poll(() => page.getByTestId('prediction').textContent(), { timeout: 30_000 }).toMatch(/weather: (sun|fog|drizzle|rain)/);
  expect(await page.getByTestId('prediction').locator('li').count()).toBe(4);
  await page.screenshot({ path: 'test-results/e2e-dates-predicted.png', fullPage: true });
  await form.getByLabel('date', { exact: true }).fill('2016-02-30');
  await form.getByRole('button', { name: 'Predict' }).click();
  await expect.poll(() => page.getByTestId('prediction').textContent()).toContain('“date” is a date column, but “2016-02-30” is not a date (write it as 2015-01-31).');
  expect(errors).toEqual([]);
});
