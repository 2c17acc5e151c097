import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { penguinExperiment } from '../support/penguin-study';
import { openSite, type Site } from './harness';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

const PENGUINS = penguinExperiment().data;
const ROW = { Island: 'Dream', 'Bill length (mm)': '46.1', 'Bill depth (mm)': '17.2', 'Flipper length (mm)': '195', 'Body mass (g)': '3900', Sex: 'FEMALE' };
const CSV = readFileSync('src/core/data/table/builtin/penguins.csv', 'utf8');

/** Fills a form's fields by their labels, selects and inputs alike. */
async function fill(form: import('playwright-core').Locator) {
  for (const [name, value] of Object.entries(ROW)) {
    const field = form.getByLabel(name, { exact: true });
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

/** A static file server over `root`, as any plain host would serve the folder. */
function serve(root: string): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' };
  const server = createServer((req, res) => {
    try {
      const body = readFileSync(join(root, decodeURIComponent(new URL(req.url!, 'http://x').pathname)));
      res.writeHead(200, { 'content-type': types[extname(req.url!)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

test('a trained penguin model is exported as a predictor folder that predicts as the app does, served or from disk, and is monitored on new rows', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/train?table=${encodeURIComponent(JSON.stringify(PENGUINS))}&hidden=16:relu,8:relu&opt=adam&lr=0.03&batch=32&epochs=8&seed=1`);
  await expect.poll(() => page.locator('[data-stage=data]').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getByTestId('evaluation').isVisible(), { timeout: 180_000 }).toBe(true);

  // The app's own prediction for one row.
  const form = page.getByTestId('predict-form');
  await fill(form);
  await form.getByRole('button', { name: 'Predict' }).click();
  await expect.poll(() => page.getByTestId('prediction').locator('li').count(), { timeout: 30_000 }).toBe(3);
  const appShares = (await page.getByTestId('prediction').locator('.p').allTextContents()).map((t) => Number(t.replace('%', '')) / 100);

  // Export the predictor and unzip it.
  const folder = mkdtempSync(join(tmpdir(), 'tunelab-predictor-'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export predictor (.zip)' }).click()]);
  const zip = join(folder, download.suggestedFilename());
  await download.saveAs(zip);
  expect(download.suggestedFilename()).toBe('palmer-penguins-predictor.zip');
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, folder]);
  const root = join(folder, 'palmer-penguins-predictor');

  const { server, url } = await serve(root);
  try {
    for (const address of [`${url}/index.html`, `file://${root}/index.html`]) {
      const { page: predictor, errors: predictorErrors } = await site.newPage();
      await predictor.goto(address);
      await fill(predictor.locator('#row'));
      await predictor.getByRole('button', { name: 'Predict' }).click();
      const shares = JSON.parse((await predictor.locator('#result').getAttribute('data-probabilities'))!) as number[];
      // The app shows shares to 0.1%: the predictor's agree to that rounding.
      shares.forEach((p, k) => expect(Math.abs(p - appShares[k]), address).toBeLessThanOrEqual(0.0005 + 1e-9));
      expect(await predictor.locator('#result').getAttribute('data-value')).toBe((await page.getByTestId('prediction').locator('strong').textContent())!.trim());

      // A dropped CSV comes back with a prediction column.
      await predictor.locator('#file').setInputFiles({ name: 'penguins.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
      await expect.poll(() => predictor.locator('#download').isVisible()).toBe(true);
      const [csvDownload] = await Promise.all([predictor.waitForEvent('download'), predictor.locator('#download').click()]);
      const predicted = readFileSync((await csvDownload.path())!, 'utf8').trimEnd().split('\n');
      expect(predicted[0]).toBe(`${CSV.split('\n')[0]},prediction,p(Adelie),p(Chinstrap),p(Gentoo)`);
      expect(predicted).toHaveLength(345);
      const right = predicted.slice(1).filter((line) => { const cells = line.split(','); return cells[0] === cells[7]; }).length;
      expect(right / 344).toBeGreaterThan(0.85);
      if (address.startsWith('http')) await predictor.screenshot({ path: 'test-results/e2e-predictor.png', fullPage: true });
      expect(predictorErrors).toEqual([]);
      await predictor.context().close();
    }
  } finally {
    server.close();
  }

  // Monitor: rows that do not fit are named; Gentoo-only rows drift; the simulator moves.
  const monitor = page.getByTestId('monitor');
  await expect.poll(() => monitor.getByTestId('monitor-file').count(), { timeout: 30_000 }).toBe(1);
  const bad = 'Island,Bill length (mm),Colour\nDream,long,black\n';
  await monitor.getByTestId('monitor-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await expect.poll(() => monitor.getByTestId('monitor-problems').textContent()).toContain('“Bill length (mm)” is numeric in the model, but 1 of the new rows hold text there (“long”).');
  expect(await monitor.getByTestId('monitor-problems').textContent()).toContain('The model needs the column “Body mass (g)”, which the new rows lack.');
  expect(await monitor.getByTestId('monitor-problems').textContent()).toContain('The column “Colour” is not one the model uses');
  const lines = CSV.trimEnd().split('\n');
  const gentoo = [lines[0], ...lines.filter((l) => l.startsWith('Gentoo'))].join('\n');
  // Dropped on the panel, as its text invites, rather than chosen.
  const dropped = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'gentoo.csv', { type: 'text/csv' }));
    return transfer;
  }, gentoo);
  await monitor.dispatchEvent('drop', { dataTransfer: dropped });
  await expect.poll(() => monitor.getByTestId('monitor-drift-verdict').textContent()).toContain('the data set has drifted');
  expect(await monitor.getByTestId('monitor-score').textContent()).toMatch(/accuracy \d+\.\d% on 124 rows/);
  const firstRow = await monitor.getByTestId('monitor-drift').locator('tbody tr').first().textContent();
  expect(firstRow).toContain('Drifted');
  const simulated = () => monitor.getByTestId('sim-drift').locator('tbody tr').allTextContents();
  await monitor.getByLabel('Feature to shift').selectOption('Flipper length (mm)');
  await expect.poll(async () => (await simulated()).find((row) => row.includes('Flipper length (mm)'))).not.toContain('Drifted');
  const slider = monitor.getByLabel('Shift', { exact: true });
  await slider.evaluate((el: HTMLInputElement) => {
    el.value = '2';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // Two standard deviations longer flippers: that feature drifts, and comes first.
  await expect.poll(async () => (await simulated())[0]).toContain('Flipper length (mm)');
  expect((await simulated())[0]).toContain('Drifted');
  expect(await monitor.getByTestId('sim-score').textContent()).toMatch(/accuracy \d+\.\d% on \d+ rows/);
  await page.screenshot({ path: 'test-results/e2e-monitor.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a penguins study exports as a Python project, and a finished Optuna study imports into the study view', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/train?table=${encodeURIComponent(JSON.stringify(PENGUINS))}&hidden=8:relu&opt=adam&lr=0.01&batch=32&epochs=5&seed=1`);
  await expect.poll(() => page.locator('[data-stage=data]').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
  await page.goto(`${site.url}#/study`);
  const exchange = page.getByTestId('study-exchange');
  const folder = mkdtempSync(join(tmpdir(), 'tunelab-python-'));
  const [download] = await Promise.all([page.waitForEvent('download'), exchange.getByRole('button', { name: /as a Python project/ }).click()]);
  const zip = join(folder, download.suggestedFilename());
  await download.saveAs(zip);
  expect(download.suggestedFilename()).toBe('learning-rate-and-beta1-study.zip');
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, folder]);
  const script = readFileSync(join(folder, 'learning-rate-and-beta1-study', 'study.py'), 'utf8');
  // The study form's default space for Adam at lr 0.01: a decade either side, and β₁.
  expect(script).toContain('params["optimizer.lr"] = trial.suggest_float("optimizer.lr", 0.001, 0.1, log=True)');
  expect(script).toContain('params["optimizer.beta1"] = trial.suggest_float("optimizer.beta1", 0.5, 0.99)');
  expect(script).toContain('optuna.pruners.MedianPruner(');

  await exchange.getByLabel('Optuna study file (CSV or JSON)').setInputFiles('tests/support/optuna-trials.csv');
  await expect.poll(() => page.getByTestId('study-list').textContent()).toContain('optuna-trials');
  await expect.poll(() => page.getByTestId('trial-counts').textContent()).toContain('9');
  expect(await page.getByTestId('trial-table').locator('tbody tr').count()).toBe(12);
  await exchange.getByLabel('Optuna study file (CSV or JSON)').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') });
  await expect.poll(() => page.getByTestId('study-exchange-error').textContent()).toContain('no “number” column');
  await page.screenshot({ path: 'test-results/e2e-optuna-import.png', fullPage: true });

  // A study of two objectives comes back with its Pareto front; one whose objective is none of tunelab's says which.
  await exchange.getByLabel('Optuna study file (CSV or JSON)').setInputFiles('tests/support/optuna-pareto-trials.csv');
  await expect.poll(() => page.getByTestId('pareto-count').textContent()).toBe('2 Pareto-optimal trials of minimize validation loss, minimize inference ms per row');
  expect(await page.getByTestId('pareto-trials').getByRole('listitem').count()).toBe(2);
  const latency = readFileSync('tests/support/optuna-pareto-trials.csv', 'utf8').replace('user_attrs_inferenceTime', 'user_attrs_latency');
  await exchange.getByLabel('Optuna study file (CSV or JSON)').setInputFiles({ name: 'latency.csv', mimeType: 'text/csv', buffer: Buffer.from(latency) });
  await expect.poll(() => page.getByTestId('study-exchange-error').textContent()).toContain("Objective 2 of the study is none of tunelab's");
  await page.screenshot({ path: 'test-results/e2e-optuna-import-pareto.png', fullPage: true });
  expect(errors).toEqual([]);
});
