import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSite, type Site } from './harness';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

type Page = import('playwright-core').Page;

/** Pixels of the contour plot's top canvas (the paths) within a small distance of a colour. */
function countColour(page: Page, rgb: [number, number, number]) {
  return page.$eval('[data-testid=contour] canvas:last-of-type', (el, [r, g, b]) => {
    const canvas = el as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40 && data[i + 3] > 200) n++;
    return n;
  }, rgb);
}

test('a student opens a lesson from its link, sees both paths drawn where the lab measured fastest, and a bad formula is pointed at', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(`${site.url}#/lab?lesson=adam-rosenbrock`);
  await expect.poll(() => page.textContent('[data-testid=lesson-text]'), { timeout: 30_000 }).toContain('Rosenbrock');
  expect(await page.textContent('[data-testid=surface-formula]')).toBe('(1 − x)² + 100(y − x²)²');
  // WebGPU is there; the lab runs on it, or on the cpu where a small basin map ran faster, and says what it measured.
  await expect.poll(() => page.getAttribute('[data-testid=backend]', 'data-backend'), { timeout: 60_000 }).toMatch(/^(webgpu|cpu)$/);
  expect(await page.textContent('[data-testid=backend]')).toMatch(/^(CPU|WebGPU · SwiftShader): [\d.]+ ms\/map vs (CPU|WebGPU) [\d.]+ ms — measured$/);

  // The paths are computed in the worker, then revealed: show them all and look for their colours.
  await expect.poll(() => page.getByRole('button', { name: 'Show all' }).isEnabled(), { timeout: 90_000 }).toBe(true);
  await page.getByRole('button', { name: 'Show all' }).click();
  await expect.poll(() => page.getAttribute('[data-testid=contour]', 'data-steps-shown')).toBe('500');
  // Adam (blue, #2e9bf0) walks far down the valley; SGD (red, #e8453c) moves a little.
  await expect.poll(() => countColour(page, [46, 155, 240]), { timeout: 10_000 }).toBeGreaterThan(300);
  expect(await countColour(page, [232, 69, 60])).toBeGreaterThan(40);
  expect(await page.textContent('[data-testid=finals]')).toContain('adam 0.05');
  expect(new URL(page.url()).hash).toBe('#/lab?lesson=adam-rosenbrock');
  await page.screenshot({ path: 'test-results/e2e-lab.png', fullPage: true });

  // A bad formula gets a caret under its character; the surface and the link stay.
  await page.locator('select[aria-label=Surface]').selectOption('custom');
  await page.locator('#formula-input').fill('x^2 + foo(y)');
  await page.locator('#formula-input').press('Enter');
  await expect.poll(() => page.textContent('[data-testid=formula-error]')).toContain("Unknown name 'foo' at position 6");
  expect(await page.textContent('[data-testid=formula-error] .caret')).toBe('x^2 + foo(y)\n      ^');
  expect(await page.textContent('[data-testid=surface-formula]')).toBe('(1 − x)² + 100(y − x²)²');
  expect(new URL(page.url()).hash).toBe('#/lab?lesson=adam-rosenbrock');

  // A forced backend stays forced after a reload; back on 'best available', the measurement is not repeated.
  const backendSetting = page.getByLabel('Backend', { exact: true });
  await backendSetting.selectOption('webgpu');
  await expect.poll(() => page.textContent('[data-testid=backend]'), { timeout: 60_000 }).toBe('WebGPU · SwiftShader');
  await page.reload();
  await expect.poll(() => page.textContent('[data-testid=backend]'), { timeout: 60_000 }).toBe('WebGPU · SwiftShader');
  expect(await backendSetting.inputValue()).toBe('webgpu');
  await backendSetting.selectOption('auto');
  await expect.poll(() => page.textContent('[data-testid=backend]'), { timeout: 60_000 }).toMatch(/ — measured on this device before$/);
  expect(errors).toEqual([]);
});
