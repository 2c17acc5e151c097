import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSite, type Site } from './harness';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

/** How many pixels of the overlay canvas are near a colour: the paths drawn on the contour plot. */
function countColour(page: import('playwright-core').Page, rgb: [number, number, number]) {
  return page.$eval('[data-testid=contour] canvas:last-of-type', (el, [r, g, b]) => {
    const canvas = el as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40 && data[i + 3] > 200) n++;
    return n;
  }, rgb);
}

test('a student opens a lesson from its link and sees the paths drawn', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/lab?surface=rosenbrock&opt=sgd:0.001,adam:0.05&start=-1.5,2&steps=500&view=paths&lesson=adam-rosenbrock`);
  await expect.poll(() => page.textContent('[data-testid=lesson-text]'), { timeout: 30_000 }).toContain('Rosenbrock');
  expect(await page.textContent('[data-testid=surface-formula]')).toContain('100');
  // The two paths, red (#e8453c) for SGD and blue (#2e9bf0) for Adam, are drawn once computed.
  await expect.poll(() => countColour(page, [46, 155, 240]), { timeout: 90_000, interval: 1000 }).toBeGreaterThan(200);
  await expect.poll(() => countColour(page, [232, 69, 60]), { timeout: 30_000 }).toBeGreaterThan(20);
  await page.screenshot({ path: 'test-results/e2e-lab.png', fullPage: true });

  // A bad formula gets its position, and the surface stays.
  await page.locator('select[aria-label=Surface]').selectOption('formula');
  const before = await page.textContent('[data-testid=surface-formula]');
  await page.locator('input.mono').fill('x^2 + foo(y)');
  await page.locator('input.mono').dispatchEvent('change');
  await expect.poll(() => page.textContent('[role=alert]')).toContain('position 6');
  expect(await page.textContent('[data-testid=surface-formula]')).toBe(before);
  expect(errors).toEqual([]);
});
