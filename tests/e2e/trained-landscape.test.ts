import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { encodeExperiment } from '../../src/runtime/url-state';
import { PENGUINS_SPEC } from '../support/penguins-network';
import { openSite, type Site } from './harness';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const SPIRAL: ExperimentSpec = {
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: { kind: 'spiral', n: 200, noise: 0, trainRatio: 0.5, seed: 1 },
  model: { ...DEFAULT_EXPERIMENT.model, hidden: [{ units: 8, activation: 'tanh' }] },
  training: { ...DEFAULT_EXPERIMENT.training, batchSize: 16, epochs: 12 },
};

test('a trained run opens on its landscape: the 1-D line, the 2-D slice with its training path, and the sharpness', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/train?${encodeExperiment(SPIRAL)}`);
  await page.getByRole('button', { name: 'Play' }).click();
  const run = page.locator('[data-testid=run-history] li').first();
  await expect.poll(() => run.getAttribute('data-status'), { timeout: 120_000 }).toBe('complete');

  await run.getByRole('link', { name: 'Landscape' }).click();
  await page.getByTestId('slice-plot').waitFor({ timeout: 120_000 });
  // The path on the PCA plane, its axes labelled with their shares of the variance.
  await expect.poll(() => page.getByTestId('slice-plot').textContent()).toMatch(/a · PC1 \(\d+\.\d% of the path's variance\)/);
  expect(await page.getByTestId('off-plane').textContent()).toMatch(/Off the plane: \d+\.\d% [\s\S]* random walk [\s\S]*: \d+\.\d%/);
  const colours = await page.$eval('[data-testid=slice-plot] canvas', (el) => {
    const canvas = el as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  });
  expect(colours).toBeGreaterThan(20);
  expect(await page.getByTestId('barrier').textContent()).toMatch(/Barrier between the ends: [\d.e+-]+ \(training\)/);
  await expect.poll(() => page.getByTestId('sharpness').textContent(), { timeout: 120_000 }).toMatch(/Largest Hessian eigenvalue [^:]*: -?\d[\d.e+-]*/);
  await page.screenshot({ path: 'test-results/e2e-trained-landscape.png', fullPage: true });

  // A grid size outside what the view allows: said next to the field, the other figures stay.
  await page.getByLabel('Grid (points a side)').fill('500');
  await page.getByLabel('Grid (points a side)').dispatchEvent('change');
  await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('11 to 101 points a side');
  expect(errors).toEqual([]);
});

test('a penguins run has a landscape too: its slice along random directions, and the sharpness', async () => {
  const { page, errors } = await site.newPage();
  const spec: ExperimentSpec = { ...PENGUINS_SPEC, training: { ...PENGUINS_SPEC.training, batchSize: 32, epochs: 6 } };
  await page.goto(`${site.url}#/train?${encodeExperiment(spec)}`);
  await expect.poll(() => page.locator('[data-stage=data]').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
  await page.getByRole('button', { name: 'Play' }).click();
  const run = page.locator('[data-testid=run-history] li').first();
  await expect.poll(() => run.getAttribute('data-status'), { timeout: 120_000 }).toBe('complete');
  await run.getByRole('link', { name: 'Landscape' }).click();
  await page.getByTestId('slice-plot').waitFor({ timeout: 120_000 });
  await page.getByLabel('2-D directions').selectOption('random');
  await expect.poll(() => page.getByTestId('slice-plot').textContent(), { timeout: 120_000 }).toContain('a · δ (random)');
  await expect.poll(() => page.getByTestId('sharpness').textContent(), { timeout: 120_000 }).toMatch(/Largest Hessian eigenvalue [^:]*: -?\d[\d.e+-]*/);
  await page.screenshot({ path: 'test-results/e2e-trained-landscape-penguins.png', fullPage: true });
  expect(errors).toEqual([]);
});
