// What a new user meets on the training and Data screens: the decision picture's legend and the
// network's output names, the Play button that keeps focus, the confusion matrix inside its
// panel, the run history's live count, the charts' readouts, model files named after their run,
// screens that open at the top.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSite, type Site } from './harness';
import { PENGUINS } from '../support/penguins-table';
import { exportModelFiles } from './table-steps';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

/** The confusion matrix's box and its recall column lie inside the output panel, with nothing scrolled. */
async function expectMatrixInPanel(page: import('playwright-core').Page): Promise<void> {
  const right = (box: { x: number; width: number } | null) => box!.x + box!.width;
  const panel = right(await page.locator('.panel:has(#out-h)').boundingBox());
  expect(right(await page.getByTestId('confusion-box').boundingBox())).toBeLessThanOrEqual(panel);
  expect(right(await page.getByTestId('confusion-matrix').locator('thead th', { hasText: 'recall' }).boundingBox())).toBeLessThanOrEqual(panel);
}

test('training on the penguins: legend, Space pauses what Play started, live history, readouts, matrix in its panel, named files', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/train?table=${encodeURIComponent(JSON.stringify(PENGUINS))}&hidden=16:relu,8:relu&opt=adam&lr=0.03&batch=32&epochs=40&seed=1`);
  await expect.poll(() => page.locator('[data-stage=data]').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
  // Which colour is which species, in the recipe's class order.
  expect(await page.getByTestId('class-legend').locator('li').allTextContents()).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  // A class picture is keyed by its classes, not by a scale of values.
  expect(await page.getByTestId('value-scale').count()).toBe(0);
  const swatches = await page.getByTestId('class-legend').locator('.swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
  expect(swatches).toEqual(['rgb(78, 121, 167)', 'rgb(242, 142, 43)', 'rgb(225, 87, 89)']);
  // The network's output units carry the same names, in the same order.
  expect(await page.getByTestId('output-label').evaluateAll((els) => els.map((e) => e.firstChild?.textContent))).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);

  // On WebGPU here (software, slow) the 40 epochs last long enough to pause in the middle; the
  // cpu, which the measured choice picks on this machine, ends them before a key can land.
  await page.getByLabel('Backend').selectOption('webgpu');
  await page.getByRole('button', { name: 'Play' }).click();
  // Focus stays on the button, which now pauses.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Pause');
  const current = page.locator('[data-testid=run-history] li.current .meta');
  await expect.poll(async () => (await current.textContent())?.replace(/\s+/g, ' ') ?? '', { timeout: 120_000 }).toMatch(/ [1-9]\d* epochs · running/);
  await page.keyboard.press('Space');
  await expect.poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 30_000 }).toBe('paused');
  const paused = Number(await page.textContent('[data-testid=epoch]'));
  expect((await current.textContent())?.replace(/\s+/g, ' ')).toContain(`${paused} epochs · paused`);
  await page.keyboard.press('Space');
  await expect.poll(() => page.getByTestId('evaluation').isVisible(), { timeout: 180_000 }).toBe(true);
  await expect.poll(async () => (await current.textContent())?.replace(/\s+/g, ' '), { timeout: 30_000 }).toContain('40 epochs · complete');

  // The loss chart's readout shows the last epoch, not "--", with no pointer over it.
  const readout = await page.locator('.panel:has(#out-h) .u-legend').textContent();
  expect(readout).not.toContain('--');
  expect(readout).toMatch(/^epoch40training[\d.e+-]+validation[\d.e+-]+$/);

  // Three species' confusion matrix fits the output panel whole.
  await expectMatrixInPanel(page);
  const box = await page.getByTestId('confusion-box').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(box.scroll).toBeLessThanOrEqual(box.client);

  // The files are named after the data and the network, and the screen says they were saved.
  await exportModelFiles(page, 'palmer-penguins-16-8-adam');
  expect(await page.getByTestId('export-notice').textContent()).toBe(
    'Saved to your downloads: palmer-penguins-16-8-adam.json, palmer-penguins-16-8-adam.weights.bin, palmer-penguins-16-8-adam.recipe.json',
  );
  await page.screenshot({ path: 'test-results/e2e-first-use.png', fullPage: true });
  expect(errors).toEqual([]);
}, 300_000);

test('a three-epoch run that the screen calls complete is saved as complete, so a reload right then keeps it so', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/train?epochs=3&seed=4`);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 120_000, interval: 20 }).not.toMatch(/running|idle/);
  expect(await page.getAttribute('[data-testid=status]', 'data-status')).toBe('complete');
  // Its 75 steps end on the CPU before a GPU would have started: none was started or timed, and the badge says why.
  expect(await page.textContent('[data-testid=backend]')).toMatch(/^CPU: [\d.]+ ms\/step × 75 ≈ [\d.]+ ms — measured; too short for a GPU$/);
  await page.reload();
  const run = page.locator('[data-testid=run-history] li').first();
  await expect.poll(() => run.getAttribute('data-status'), { timeout: 30_000 }).toBe('complete');
  expect((await run.locator('.meta').textContent())?.replace(/\s+/g, ' ')).toContain('3 epochs · complete');
  expect(errors).toEqual([]);
});

test('the Data screen says how many values its bars leave out; the training screen it opens starts at the top and keeps a matrix of six long class names in its panel', async () => {
  const { page, errors } = await site.newPage();
  await page.setViewportSize({ width: 1440, height: 600 });
  await page.goto(`${site.url}#/data`);
  const colours = ['red', 'green', 'blue', 'amber', 'violet'];
  const regions = ['north-eastern-highlands', 'south-western-lowlands', 'central-river-valley', 'eastern-coastal-plain', 'western-mountain-range', 'northern-lake-district'];
  const lines = ['width,height,colour,ref,region', ...Array.from({ length: 120 }, (_, i) => `${i % 6 + (i % 7) / 10},${(i * 3) % 11},${colours[i % 5]},ref-${i},${regions[i % 6]}`)];
  // A file name longer than experiments take is shortened to their 200 characters.
  await page.setInputFiles('[data-testid=file-input]', { name: `regions-${'r'.repeat(240)}.csv`, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expect.poll(() => page.getAttribute('[data-column=colour]', 'data-type'), { timeout: 30_000 }).toBe('categorical');
  expect(await page.textContent('#selected-h')).toBe(`regions-${'r'.repeat(192)}`);
  // Four bars of five colours, of six regions.
  expect(await page.locator('[data-column=colour] svg rect').count()).toBe(4);
  expect(await page.locator('[data-column=colour] [data-testid=more-values]').textContent()).toBe('+1 more');
  expect(await page.locator('[data-column=region] [data-testid=more-values]').textContent()).toBe('+2 more');
  expect(await page.locator('[data-column=width] [data-testid=more-values]').count()).toBe(0);
  await expect.poll(() => page.getByLabel('Target (what to predict)').inputValue()).toBe('region');
  // An identifier made categorical: capped, and the card says how.
  expect(await page.getAttribute('[data-column=ref]', 'data-type')).toBe('ignore');
  expect(await page.locator('[data-testid=category-cap]').count()).toBe(0);
  await page.getByLabel('Type of ref').selectOption('categorical');
  await expect.poll(() => page.locator('[data-column=ref] [data-testid=category-cap]').textContent()).toBe(
    '120 categories: the 49 most frequent get an input each, the others share one “other” input.',
  );
  await expect.poll(() => page.getByRole('checkbox', { name: 'ref' }).isChecked()).toBe(true);

  const train = page.getByRole('button', { name: 'Train a model on it' });
  await expect.poll(() => train.isDisabled()).toBe(false);
  await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  expect(await page.evaluate(() => scrollY)).toBeGreaterThan(200);
  await train.click();
  await expect.poll(() => new URL(page.url()).hash).toMatch(/^#\/train/);
  await expect.poll(() => page.locator('[data-stage=data]').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
  expect(await page.evaluate(() => scrollY)).toBe(0);
  // The experiment took the table: no refusal to tell.
  expect(await page.getByTestId('hidden-error').count()).toBe(0);
  expect(await page.getByTestId('table-data').textContent()).toContain('Predicting region');

  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.getByLabel('Epochs', { exact: true }).fill('2');
  await page.getByLabel('Epochs', { exact: true }).dispatchEvent('change');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => page.getByTestId('confusion-matrix').isVisible(), { timeout: 120_000 }).toBe(true);
  // Six long names do not fit: the matrix scrolls in its own box, recall pinned in view.
  await expectMatrixInPanel(page);
  expect(await page.getByTestId('confusion-matrix').locator('thead th').allTextContents()).toEqual(['', ...[...regions].sort(), 'recall']);
  // The capped identifier is typed in as one of its kept values or as any other one.
  const ref = page.getByTestId('predict-form').getByLabel('ref', { exact: true });
  expect(await ref.locator('option').count()).toBe(1 + 49 + 1);
  expect(await ref.locator('option').last().textContent()).toBe('any other value');
  // Nothing, a 200-character table name included, widens the page past the window.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
  await page.screenshot({ path: 'test-results/e2e-first-use-regions.png', fullPage: true });
  expect(errors).toEqual([]);
}, 240_000);

test('a saved record that no longer reads is listed as damaged, says why, and can be deleted', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/train`);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  // Records as a broken version or a hand edit may leave them: a run, a study, and a trial of it.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('tunelab');
        open.onsuccess = () => {
          const tx = open.result.transaction(['runs', 'studies', 'trials'], 'readwrite');
          tx.objectStore('runs').put({ id: 'broken-run', createdAt: 5, updatedAt: 5, spec: { nonsense: true }, backend: null, epochs: [], status: 'complete' });
          tx.objectStore('studies').put({ id: 'broken-study', createdAt: 6, spec: { version: 1 }, status: 'complete' });
          tx.objectStore('trials').put({ studyId: 'broken-study', number: 3, params: {}, spec: { nonsense: true }, state: 'complete', epochs: [] });
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  await page.reload();
  const damaged = page.getByTestId('damaged-runs');
  await expect.poll(() => damaged.isVisible(), { timeout: 30_000 }).toBe(true);
  const listed = await damaged.locator('li span').allTextContents();
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatch(/ · its spec does not read$/);
  await damaged.getByRole('button', { name: 'Delete damaged record broken-run' }).click();
  await expect.poll(() => damaged.count()).toBe(0);
  await page.reload();
  await page.getByRole('button', { name: 'Play' }).waitFor();
  expect(await page.getByTestId('damaged-runs').count()).toBe(0);

  // The Study screen lists the study and the trial the same way; each goes with its own Delete.
  await page.getByRole('link', { name: 'Study' }).click();
  const studies = page.getByTestId('damaged-studies');
  await expect.poll(() => studies.locator('li span').allTextContents(), { timeout: 30_000 }).toEqual([
    expect.stringMatching(/ · study · its spec\.name does not read$/),
    'Undated · trial 3 · its spec does not read',
  ]);
  await studies.getByRole('button', { name: 'Delete damaged record broken-study trial 3' }).click();
  await expect.poll(() => studies.locator('li').count()).toBe(1);
  await studies.getByRole('button', { name: 'Delete damaged record broken-study' }).click();
  await expect.poll(() => studies.count()).toBe(0);
  expect(errors).toEqual([]);
});
