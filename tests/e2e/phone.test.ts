import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSite, type Site } from './harness';
import { SCREENS, visitEveryScreen } from './every-screen';

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

/** The phones, in CSS pixels with touch: the narrowest common Android, an iPhone 14, an iPhone 14 Pro Max. */
const PHONES = [
  { width: 360, height: 800 },
  { width: 390, height: 844 },
  { width: 430, height: 932 },
];

test.each(PHONES)('on a $width px phone every screen fits the width in one column, every control is a 44 px target, and a tap starts a path in the lab', async ({ width: WIDTH, height }) => {
  const context = await site.browser.newContext({ viewport: { width: WIDTH, height }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  const found: Record<string, { scrollWidth: number; past: string[]; narrow: string[]; small: string[]; overlapping: string[] }> = {};
  await visitEveryScreen(page, site.url, async (screen) => {
    found[screen] = await page.evaluate(measure, WIDTH);
    await page.screenshot({ path: `test-results/e2e-phone-${WIDTH}-${screen}.png`, fullPage: true });
  });
  expect(found).toEqual(Object.fromEntries(SCREENS.map((s) => [s, { scrollWidth: WIDTH, past: [], narrow: [], small: [], overlapping: [] }])));

  // A first visit, before anything is saved, is in one column too.
  const fresh = await (await site.browser.newContext({ viewport: { width: WIDTH, height }, isMobile: true, hasTouch: true })).newPage();
  const firstVisit: Record<string, string[]> = {};
  for (const route of ['train', 'data', 'study', 'optimize', 'landscape', 'lab']) {
    await fresh.goto(`${site.url}#/${route}`);
    await fresh.locator('main .panel').first().waitFor({ timeout: 30_000 });
    firstVisit[route] = (await fresh.evaluate(measure, WIDTH)).narrow;
  }
  expect(firstVisit).toEqual({ train: [], data: [], study: [], optimize: [], landscape: [], lab: [] });
  await fresh.context().close();

  // A tap on the surface starts the paths there: the start moves, and the paths are drawn again from it.
  const plot = page.locator('[data-testid=contour] canvas.overlay');
  const picture = page.locator('[data-testid=contour] [role=img]');
  await plot.scrollIntoViewIfNeeded();
  const box = (await plot.boundingBox())!;
  const before = await page.getByLabel('Start x').inputValue();
  await plot.tap({ position: { x: box.width * 0.75, y: box.height * 0.3 } });
  await expect.poll(() => page.getByLabel('Start x').inputValue()).not.toBe(before);
  const [x, y] = [Number(await page.getByLabel('Start x').inputValue()), Number(await page.getByLabel('Start y').inputValue())];
  // The canvas has a 34 px axis margin in a picture of 554: three quarters across lands near x = 2.9 on [-5, 5].
  expect(x).toBeCloseTo(-5 + ((0.75 * 554 - 34) / 520) * 10, 0);
  expect(y).toBeCloseTo(5 - ((0.3 * 554) / 520) * 10, 0);
  await expect.poll(() => picture.getAttribute('aria-label'), { timeout: 60_000 }).toContain(`from (${x}, ${y})`);
  expect(errors).toEqual([]);
  await context.close();
});

/**
 * What reaches past the right edge of a screen `width` wide (outside any box that scrolls or clips
 * sideways), which panels leave most of the width empty beside them (two columns of a desktop
 * layout kept on a phone), which visible controls are smaller than 44 × 44 px (a control inside a label counts
 * the label, which a tap on it activates too), and which overlap another, where a tap could land
 * on either.
 */
function measure(width: number) {
  const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
  const clipped = (el: Element) => {
    for (let p = el.parentElement; p; p = p.parentElement) if (/auto|scroll|hidden|clip/.test(getComputedStyle(p).overflowX)) return true;
    return false;
  };
  const past: string[] = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if ((r.width > 0 || r.height > 0) && r.right > width + 0.5 && !clipped(el)) past.push(`${describe(el)} right edge ${Math.round(r.right)}`);
  }
  const narrow: string[] = [];
  for (const panel of document.querySelectorAll('.panel')) {
    const r = panel.getBoundingClientRect();
    if (r.width > 0 && r.width < 0.8 * width && !panel.parentElement?.closest('.panel')) narrow.push(`${describe(panel.querySelector('h2') ?? panel)} ${Math.round(r.width)} px wide`);
  }
  const small: string[] = [];
  const targets: [Element, DOMRect][] = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')) {
    const own = el.getBoundingClientRect();
    // The content of a closed <details> keeps its boxes but is neither shown nor tappable.
    if (own.width === 0 || own.height === 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
    targets.push([el, own]);
    if ((el as HTMLInputElement).disabled) continue;
    const label = el.closest('label')?.getBoundingClientRect();
    const w = label ? Math.max(own.right, label.right) - Math.min(own.left, label.left) : own.width;
    const h = label ? Math.max(own.bottom, label.bottom) - Math.min(own.top, label.top) : own.height;
    if (w < 43.5 || h < 43.5) small.push(`${describe(el)} ${Math.round(w)}×${Math.round(h)}`);
  }
  const overlapping: string[] = [];
  for (const [i, [a, ra]] of targets.entries()) {
    for (const [b, rb] of targets.slice(i + 1)) {
      const across = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const down = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (across > 1 && down > 1 && !a.contains(b) && !b.contains(a)) overlapping.push(`${describe(a)} and ${describe(b)}`);
    }
  }
  return { scrollWidth: document.scrollingElement!.scrollWidth, past, narrow, small, overlapping };
}
