import { statSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { canvasColours, openSite, type Site } from './harness';
import { exportModelFiles } from './table-steps';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

test('a practitioner defines a space, runs a short study with the proposed search, reads its plots and opens the best trial', async () => {
  const { page, errors } = await site.newPage();
  // A small experiment on the training screen is what the study starts from.
  await page.goto(`${site.url}#/train?data=xor&n=100&noise=0&split=0.5&dataSeed=1&features=x1,x2&hidden=4:tanh&l1=0&l2=0&dropout=0&opt=momentum&lr=0.1&batch=10&epochs=10&clip=0&patience=0&schedule=constant&seed=1`);
  await page.getByRole('link', { name: 'Study' }).click();
  await expect.poll(() => page.textContent('.setup')).toContain('xor');
  // The search proposed is the one that learns from earlier trials, as Optuna's default.
  expect(await page.getByLabel('Search').inputValue()).toBe('tpe');
  // Vary the activation too, besides the learning rate and momentum proposed.
  await page.getByLabel('Vary Activation').check();
  await page.getByLabel('Activation choices').fill('tanh, relu');
  await page.getByLabel('Activation choices').dispatchEvent('change');
  // The grid's size is said under grid search alone: 5 learning rates × 5 momenta × 2 activations.
  expect(await page.locator('[data-testid=grid-size]').count()).toBe(0);
  await page.getByLabel('Search').selectOption('grid');
  await expect.poll(() => page.textContent('[data-testid=grid-size]')).toContain('50 combinations');
  await page.getByLabel('Search').selectOption('tpe');
  await page.getByLabel('Trials').fill('6');
  await page.getByLabel('Trials').dispatchEvent('change');
  // More workers than the backend can use: the field keeps its cap and says why, as a note, not
  // an error (the cap is a valid count), and keeps the focus a person typed in.
  await page.getByLabel('Workers').focus();
  await page.getByLabel('Workers').fill('50');
  await page.getByLabel('Workers').dispatchEvent('change');
  const workers = page.getByRole('spinbutton', { name: 'Workers' });
  await expect.poll(() => workers.getAttribute('aria-describedby').then((id) => page.textContent(`[id="${id}"]`))).toMatch(/^50 asked; at most \d on \w+: /);
  expect(await page.locator(`[id="${await workers.getAttribute('aria-describedby')}"]`).getAttribute('role')).toBe('status');
  expect(await workers.getAttribute('aria-invalid')).toBe('false');
  const cap = Number(await workers.inputValue());
  expect(cap).toBeGreaterThanOrEqual(1);
  expect(cap).toBeLessThan(50);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id)).toBe(await workers.getAttribute('id'));
  // Two-fold cross-validation: each trial's value is a mean ± std over its folds.
  await page.getByLabel('Folds').fill('2');
  await page.getByLabel('Folds').dispatchEvent('change');
  // Every trial to its end: the default median rule would prune some of the six against each other.
  await page.getByLabel('Pruning').selectOption('none');
  await page.getByRole('button', { name: 'Run study' }).click();

  await expect.poll(() => page.textContent('[data-testid=trial-counts]'), { timeout: 150_000, interval: 1000 }).toBe('6 complete');
  expect(await page.locator('[data-testid=trial-table] tbody tr').count()).toBe(6);
  expect(await page.locator('[data-testid=trial-table] tbody tr td:nth-child(3)').first().textContent()).toMatch(/^[\d.e-]+ ± [\d.e-]+$/);
  expect(await page.locator('[data-testid=history-plot] canvas').count()).toBeGreaterThan(0);
  // Losses that span decades read on a log axis: the toggle redraws every value axis of the study.
  await page.getByLabel('validation loss on a log scale').check();
  await expect.poll(() => page.getAttribute('[data-testid=history-plot] [role=img]', 'aria-label')).toMatch(/^validation loss \(log scale\) against trial\./);
  expect(await page.locator('[role=img][aria-label^="validation loss (log scale) against"]').count()).toBeGreaterThanOrEqual(4);
  await page.getByLabel('validation loss on a log scale').uncheck();
  expect(await page.locator('[data-testid=parallel-plot] polyline').count()).toBe(6);
  // Parameters are named as the editor names them, in the table, the slices and the parallel axes; the path is the tooltip.
  const headers = await page.locator('[data-testid=trial-table] thead th').allTextContents();
  expect(headers.slice(3).sort()).toEqual(['Activation', 'Learning rate', 'Momentum μ']);
  expect(await page.locator('[data-testid=trial-table] thead th button', { hasText: 'Momentum μ' }).getAttribute('title')).toBe('optimizer.momentum');
  expect(await page.getByRole('heading', { name: /^Slice: / }).allTextContents()).toEqual(headers.slice(3).map((h) => `Slice: ${h}`));
  expect((await page.locator('[data-testid=parallel-plot] text.name').allTextContents()).sort()).toEqual([...headers.slice(3), 'validation loss'].sort());
  // Learning rates and momenta are drawn at random, yet shown to four significant digits at most (0.008832, 1.235e-5).
  const cells = await page.locator('[data-testid=trial-table] tbody tr td:nth-child(n+4)').allTextContents();
  const numeric = cells.filter((c) => /^-?[\d.]+(e[-+]?\d+)?$/.test(c));
  expect(numeric.length).toBeGreaterThanOrEqual(12);
  for (const cell of numeric) expect(cell.replace(/e.*$/, '').replace(/\D/g, '').replace(/^0+/, '').length, cell).toBeLessThanOrEqual(4);
  // The trained weights of the best five trials are kept: the table marks them, the best among them.
  const kept = page.locator('[data-testid=trial-table] tbody tr').filter({ has: page.getByRole('img', { name: 'trained weights kept' }) });
  await expect.poll(() => kept.count()).toBe(5);
  const bestNumber = /Best: trial (\d+)/.exec((await page.textContent('.best'))!)![1];
  expect((await kept.locator('td:first-child').allTextContents()).map((text) => /^\d+/.exec(text)![0])).toContain(bestNumber);
  await page.screenshot({ path: 'test-results/e2e-study.png', fullPage: true });

  // The best trial's network was kept: it opens trained, without pressing Play.
  await page.getByTestId('open-best').click();
  await expect.poll(() => page.url()).toContain('#/train?');
  expect(['tanh', 'relu']).toContain(await page.locator('select[aria-label="Activation of layer 1"]').inputValue());
  await expect.poll(() => page.getByTestId('evaluation').isVisible(), { timeout: 30_000 }).toBe(true);
  expect(await page.getByTestId('eval-accuracy').textContent()).toMatch(/^\d+\.\d%$/);
  // Its curves are the trial's ten epochs (the mean over the two folds), and it says which fold's network it is.
  expect(await page.getByTestId('val-loss').textContent()).not.toBe('–');
  await expect.poll(() => page.textContent('main')).toContain('Of its 2 cross-validated networks this is fold 1\'s');
  // The decision picture is drawn from the kept network: the points alone give about 50 colours, the shaded picture under them some 250.
  await expect.poll(() => canvasColours(page, '[data-testid=heatmap] canvas'), { timeout: 30_000 }).toBeGreaterThan(100);
  await page.screenshot({ path: 'test-results/e2e-study-open-trained.png', fullPage: true });
  // It exports at once: model.json and its weights, 2·4 + 4 + 4·1 + 1 = 17 float32 numbers.
  const downloads = await exportModelFiles(page, 'xor-4-momentum', false);
  expect(statSync(downloads.find((p) => p.endsWith('.weights.bin'))!).size).toBe(17 * 4);
  expect(errors).toEqual([]);
});
