import { afterAll, beforeAll, expect, test } from 'vitest';
import { canvasColours, openSite, type Site } from './harness';
import { trainCars } from './table-steps';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

test('a new user trains a network, sees the loss fall and the boundary drawn, and finds the run after a reload', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(site.url);
  // Before the first run the loss chart's place says what will appear there, and goes once values arrive.
  const waiting = page.locator('.panel:has(#out-h) .empty');
  expect(await waiting.textContent()).toBe('The training and validation loss appear here, epoch by epoch, once a run starts.');
  // Long enough to pause in the middle: the default 200 epochs take about a second on the cpu.
  await page.getByLabel('Epochs', { exact: true }).fill('10000');
  await page.getByLabel('Epochs', { exact: true }).dispatchEvent('change');
  await page.getByRole('button', { name: 'Play' }).click();

  // Three backends start in this Chromium: a few steps of this network timed on each chose the
  // one that runs, and the badge says what was measured.
  await expect.poll(() => page.getAttribute('[data-testid=backend]', 'data-backend'), { timeout: 60_000 }).toMatch(/^(webgpu|webgl|cpu)$/);
  const badge = (await page.textContent('[data-testid=backend]'))!;
  console.log(`training on ${badge}`);
  expect(badge).toMatch(/^(CPU|WebGL|WebGPU · SwiftShader): [\d.]+ ms\/step vs (CPU|WebGL|WebGPU) [\d.]+ ms(, (CPU|WebGL|WebGPU) [\d.]+ ms)? — measured/);
  // On a laptop's 1280 px the measured badge stays on the run bar's one row, beside the Pause button.
  await page.setViewportSize({ width: 1280, height: 900 });
  const [pause, badgeBox] = await Promise.all([page.getByRole('button', { name: 'Pause' }).boundingBox(), page.locator('[data-testid=backend]').boundingBox()]);
  expect(badgeBox!.y).toBeLessThan(pause!.y + pause!.height);
  await expect.poll(() => waiting.count()).toBe(0);

  await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]')?.textContent) >= 3, null, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 30_000 }).toBe('paused');

  const history = await page.$$eval('[data-testid=train-loss]', (els) => els.map((e) => Number(e.textContent)));
  expect(history[0]).toBeLessThan(0.6); // BCE of an untrained net is ~0.69
  expect(await canvasColours(page, '[data-testid=heatmap] canvas')).toBeGreaterThan(20);
  await page.screenshot({ path: 'test-results/e2e-train.png' });

  await page.reload();
  const run = page.locator('[data-testid=run-history] li').first();
  await expect.poll(() => run.getAttribute('data-status'), { timeout: 30_000 }).toBe('interrupted');
  await run.getByRole('button').first().click();
  await run.locator('input[type=checkbox]').check();
  await expect.poll(() => page.locator('[data-testid=run-history] ~ * canvas, .u-wrap canvas').count()).toBeGreaterThan(0);
  expect(Number(await page.textContent('[data-testid=epoch]'))).toBeGreaterThanOrEqual(3);
  await page.screenshot({ path: 'test-results/e2e-history.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a class watches the boundary form: at 10 epochs a second the default run is still forming after its first epochs, and full speed finishes it', async () => {
  const { page, errors } = await site.newPage();
  // On a 1024 × 768 projector the data, the network and the decision picture sit side by side, the picture on the first screen.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(site.url);
  const [data, network, picture] = await Promise.all(['#data-h', '#net-h', '[data-testid=heatmap] canvas'].map(async (s) => (await page.locator(s).boundingBox())!));
  expect(data.x).toBeLessThan(network.x);
  expect(network.x).toBeLessThan(picture.x);
  expect(picture.y).toBeLessThan(768 - picture.height / 2);
  await page.getByLabel('Speed').selectOption('10');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=epoch]')?.textContent) >= 2, null, { timeout: 120_000 });
  // 200 epochs at 10 a second take at least 20 s: it cannot have ended yet.
  expect(Number(await page.textContent('[data-testid=epoch]'))).toBeLessThan(50);
  expect(await page.getAttribute('[data-testid=status]', 'data-status')).toBe('running');
  await page.getByLabel('Speed').selectOption('null');
  await expect.poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 120_000 }).toBe('complete');
  expect(await page.textContent('[data-testid=epoch]')).toBe('0200');
  expect(errors).toEqual([]);
});

test('a student who trains a wide network on a few noisy points is told it overfits, and at which epoch it was best', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/train?data=circle&n=40&noise=50&split=0.5&dataSeed=1&hidden=32:relu,32:relu&opt=adam&lr=0.03&batch=10&epochs=300&seed=1`);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 120_000 }).toBe('complete');
  const note = (await page.textContent('[data-testid=overfitting]'))!.replace(/\s+/g, ' ');
  const [, epoch, best, now] = /lowest at epoch (\d+) \(([\d.e-]+)\) and is ([\d.e-]+) now/.exec(note)!;
  expect(Number(epoch)).toBeLessThan(300);
  expect(Number(now)).toBeGreaterThanOrEqual(1.2 * Number(best));
  expect(note).toContain('its 20 training points by heart');
  expect(Number(await page.textContent('[data-testid=val-loss]'))).toBeCloseTo(Number(now), 6);

  // The note offers the remedy: trained again with an early-stop patience, the best epoch's weights are kept, and there is nothing to advise.
  await page.getByRole('button', { name: 'Train again, stopping after 10 epochs without progress' }).click();
  await expect.poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 120_000 }).toBe('early-stopped');
  expect(await page.getByLabel('Early-stop patience').inputValue()).toBe('10');
  expect(Number(await page.textContent('[data-testid=epoch]'))).toBeLessThan(300);
  expect(await page.locator('[data-testid=overfitting]').count()).toBe(0);
  expect(errors).toEqual([]);
});


test('a regression on a table keys its picture\'s colours in the target\'s own units', async () => {
  const { page, errors } = await site.newPage();
  await trainCars(page, site.url, 3);
  // Orange is the lowest fuel economy among the training cars, blue the highest (the table's 9 to 46.6 mpg), not standard scores.
  const key = (await page.getAttribute('[data-testid=value-scale]', 'aria-label'))!;
  const [, lo, hi] = /^Predicted Miles_per_Gallon: orange ([\d.]+) through white to blue ([\d.]+)$/.exec(key)!;
  expect(Number(lo)).toBeGreaterThanOrEqual(9);
  expect(Number(lo)).toBeLessThan(12);
  expect(Number(hi)).toBeGreaterThan(40);
  expect(Number(hi)).toBeLessThanOrEqual(46.6);
  expect(await page.getByTestId('value-scale').textContent()).toContain('predicted Miles_per_Gallon');
  expect(errors).toEqual([]);
});
