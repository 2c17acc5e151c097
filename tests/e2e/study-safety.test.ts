import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openSite, type Site } from './harness';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

/** A small momentum experiment, as a training-screen link. */
const XOR = 'data=xor&n=100&noise=0&split=0.5&dataSeed=1&features=x1,x2&hidden=4:tanh&l1=0&l2=0&dropout=0&opt=momentum&lr=0.1&batch=10&epochs=10&clip=0&patience=0&schedule=constant&seed=1';

/** Types into a field of the study editor and commits it, as leaving the field does. */
async function type(page: Page, label: string, text: string) {
  await page.getByLabel(label, { exact: true }).fill(text);
  await page.getByLabel(label, { exact: true }).dispatchEvent('change');
}

/** The statuses of the runs saved in this profile, read straight from IndexedDB. */
function savedRunStatuses(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('tunelab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('runs').objectStore('runs').getAll();
          request.onsuccess = () => {
            resolve(request.result.map((r: { status: string }) => r.status));
            open.result.close();
          };
        };
      }),
  );
}

test('the study editor answers a bad step, a million-point step and an eight-range grid with a message, and stays responsive', async () => {
  const { page, errors } = await site.newPage();
  // Momentum SGD: the study proposes its learning rate and momentum.
  await page.goto(`${site.url}#/train?${XOR}`);
  await page.getByRole('link', { name: 'Study' }).click();
  await page.getByLabel('Search').selectOption('grid');

  // A step of −1: the message by the field, and Run disabled saying why.
  await type(page, 'Learning rate step', '-1');
  await expect.poll(() => page.textContent('[data-field="optimizer.lr.step"]')).toBe('Step must be greater than 0 (got -1).');
  expect(await page.getAttribute('[aria-label="Learning rate step"]', 'aria-invalid')).toBe('true');
  expect(await page.getByRole('button', { name: 'Run study' }).isDisabled()).toBe(true);
  expect(await page.textContent('[data-testid=run-blocker]')).toBe('The search space has 1 problem; see the marked field.');
  // The message makes its whole row taller: the cells of every row still share one bottom line.
  const bottoms = await page.locator('table.space tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll(':scope > td')].map((c) => Math.round(c.getBoundingClientRect().bottom))),
  );
  expect(bottoms.filter((cells) => new Set(cells).size > 1), 'rows whose cells end at different heights').toEqual([]);
  expect(await page.evaluate(() => 6 * 7)).toBe(42);
  await type(page, 'Learning rate step', '');

  // A step of 1e-6 on [0, 1]: 1,000,001 momenta × 5 learning rates, counted, over the cap.
  await type(page, 'Momentum μ high', '1');
  await type(page, 'Momentum μ step', '0.000001');
  await expect.poll(() => page.textContent('[data-testid=grid-size]')).toContain('5,000,005 combinations');
  expect(await page.textContent('[data-testid=run-blocker]')).toBe(
    'Grid search would run 5,000,005 combinations, over the limit of 100,000: vary fewer parameters, use coarser steps, or search at random or with TPE.',
  );
  expect(await page.getByRole('button', { name: 'Run study' }).isDisabled()).toBe(true);
  expect(await page.evaluate(() => 6 * 7)).toBe(42);
  await type(page, 'Momentum μ step', '');

  // Seven continuous ranges: 5⁷ points, under the cap; an eighth goes over it.
  for (const row of ['Weight decay', 'L2 rate', 'L1 rate', 'Dropout', 'Epochs']) await page.getByLabel(`Vary ${row}`).check();
  await page.getByLabel('How Epochs varies').selectOption('float');
  await expect.poll(() => page.textContent('[data-testid=grid-size]')).toContain('78,125 combinations');
  expect(await page.getByRole('button', { name: 'Run study' }).isDisabled()).toBe(false);
  await page.getByLabel('Vary Seed').check();
  await page.getByLabel('How Seed varies').selectOption('float');
  await expect.poll(() => page.textContent('[data-testid=grid-size]')).toContain('390,625 combinations');
  expect(await page.getByRole('button', { name: 'Run study' }).isDisabled()).toBe(true);
  // Random search does not list the grid: the same space runs.
  await page.getByLabel('Search').selectOption('random');
  expect(await page.getByRole('button', { name: 'Run study' }).isDisabled()).toBe(false);
  expect(await page.evaluate(() => 6 * 7)).toBe(42);

  // The pruner's options: each out of range is a message at its field, and Run waits.
  const option = async (label: string, text: string) => {
    await page.getByLabel(label).fill(text);
    await page.getByLabel(label).dispatchEvent('change');
  };
  // The message is the field's accessible description.
  const fieldAlert = async (label: string) => {
    const id = await page.getByLabel(label).getAttribute('aria-describedby');
    return id ? page.locator(`[id="${id}"][role=alert]`).textContent() : null;
  };
  await page.getByLabel('Pruning').selectOption('asha');
  expect(await page.getByLabel('Reduction factor η').inputValue()).toBe('4');
  await option('Reduction factor η', '1');
  await expect.poll(() => fieldAlert('Reduction factor η')).toBe('η keeps one trial in η at each rung: a whole number of at least 2 (got 1).');
  expect(await page.getByLabel('Reduction factor η').getAttribute('aria-invalid')).toBe('true');
  expect(await page.textContent('[data-testid=run-blocker]')).toBe("The pruner's settings have a problem; see the marked field.");
  expect(await page.getByRole('button', { name: 'Run study' }).isDisabled()).toBe(true);
  await option('Reduction factor η', '3');
  await expect.poll(() => page.getByRole('button', { name: 'Run study' }).isDisabled()).toBe(false);
  await page.getByLabel('Pruning').selectOption('median');
  await option('Warm-up epochs', '10');
  await expect.poll(() => fieldAlert('Warm-up epochs')).toBe('Warm-up epochs are never pruned: a whole number from 0 to 9, below the 10 epochs a trial trains (got 10).');
  expect(await page.getByRole('button', { name: 'Run study' }).isDisabled()).toBe(true);
  await option('Warm-up epochs', '2');
  await expect.poll(() => page.getByRole('button', { name: 'Run study' }).isDisabled()).toBe(false);
  await page.screenshot({ path: 'test-results/e2e-study-editor.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('two tabs: a study and a run live in one are left alone by the other, and offered again once it closes', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const first = await context.newPage();
  // A run stepped by one epoch waits, paused: it is live (its tab holds it) but costs nothing.
  await first.goto(`${site.url}#/train?${XOR}`);
  await first.getByRole('button', { name: 'Step one epoch' }).click();
  await expect.poll(() => first.getAttribute('[data-testid=status]', 'data-status'), { timeout: 60_000 }).toBe('paused');
  // Saved once its backend is chosen (the first run of a shape times the backends).
  await expect.poll(() => savedRunStatuses(first), { timeout: 60_000 }).toHaveLength(1);
  // A long study, paused once it runs.
  await first.getByRole('link', { name: 'Study' }).click();
  await type(first, 'Trials', '500');
  await first.getByRole('button', { name: 'Run study' }).click();
  await first.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => first.getByRole('button', { name: 'Resume' }).count(), { timeout: 30_000 }).toBe(1);

  // The second tab starts up: the live run stays as it is, the study says where it runs.
  const second = await context.newPage();
  await second.goto(`${site.url}#/study`);
  await expect.poll(() => second.textContent('[data-testid=study-list]'), { timeout: 30_000 }).toContain('running in another tab');
  expect(await second.locator('[data-testid=study-list] button', { hasText: 'Resume' }).count()).toBe(0);
  const live = await savedRunStatuses(second);
  expect(live).toHaveLength(1);
  expect(['running', 'paused']).toContain(live[0]);

  // The first tab closes: its locks go, the study is offered for resuming, and a new tab's
  // start-up marks the run interrupted.
  await first.close();
  await expect.poll(() => second.locator('[data-testid=study-list] button', { hasText: 'Resume' }).count(), { timeout: 20_000 }).toBe(1);
  expect(await second.textContent('[data-testid=study-list]')).not.toContain('running in another tab');
  await second.screenshot({ path: 'test-results/e2e-study-two-tabs.png', fullPage: true });
  const third = await context.newPage();
  await third.goto(`${site.url}#/study`);
  await expect.poll(() => savedRunStatuses(third), { timeout: 30_000 }).toEqual(['interrupted']);
  await context.close();
});
