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

test('a weather table\'s date column becomes the year, month and weekday, trains, and a typed row with a date is predicted', async () => {
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
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getByTestId('confusion-matrix').isVisible(), { timeout: 120_000 }).toBe(true);

  const form = page.getByTestId('predict-form');
  expect(await form.getByLabel('date', { exact: true }).getAttribute('placeholder')).toMatch(/^2015-01-31 \(empty: 20\d\d-\d\d-\d\d\)$/);
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
