// `npm run bench:live [-- --no-build] [-- --shots=DIR] [-- --profile]`: the landscape lab's live
// redraw rate in the built site. Forces the cpu backend with the lab's own backend setting
// (kept across the reload that follows), opens the six-hump camel's trap lesson (SGD and
// momentum, 300 steps) with 64×64 basin maps, drags a slider across its track as a hand does
// (the pointer moving as often as the page takes it) and counts the redraws the screen
// completed meanwhile: each is both basin maps and both paths computed for a new value and
// drawn, read from the `data-redraws` counter the plot carries. With --shots, PNGs of the plot
// are taken during a second drag; with --profile, the page's main thread is sampled during a
// third and its busiest functions are listed.
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, findBrowser, missingBrowserMessage } from '../../tests/support/browser-path.mjs';

const args = process.argv.slice(2);
const shots = args.find((a) => a.startsWith('--shots='))?.slice('--shots='.length);
const profile = args.includes('--profile');
/** How long one drag lasts. */
const DRAG_MS = 5000;

const executablePath = findBrowser();
if (!executablePath) {
  console.error(missingBrowserMessage());
  process.exit(1);
}
if (!args.includes('--no-build')) {
  console.log('building the site…');
  await build({ logLevel: 'warn' });
}
const server = await preview({ preview: { port: 0, open: false }, logLevel: 'warn' });
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });

/** Reads the plot's redraw counter. */
const redraws = (page) => page.getAttribute('[data-testid=contour]', 'data-redraws').then(Number);

/** Waits until the lab has nothing in progress and its counter stands still. */
async function settle(page) {
  let last = -1;
  for (;;) {
    await page.waitForSelector('[data-testid=progress]', { state: 'detached', timeout: 120_000 });
    const now = await redraws(page);
    if (now === last) return now;
    last = now;
    await page.waitForTimeout(500);
  }
}

/**
 * Notes in the page, by its own clock, when each input event reached a slider and when the
 * plot's redraw counter moved (a MutationObserver: the counter and the canvases change in the
 * same update).
 */
function watchInPage() {
  const log = (window.__live = { inputs: [], redraws: [] });
  document.addEventListener('input', () => log.inputs.push(performance.now()), true);
  new MutationObserver(() => log.redraws.push(performance.now())).observe(document.querySelector('[data-testid=contour]'), { attributes: true, attributeFilter: ['data-redraws'] });
}

/**
 * Drags the slider named `label` from 10 % to 90 % of its track for DRAG_MS, the pointer
 * moving as often as the page takes it, and returns, by the page's clock, the redraws
 * completed while the pointer moved, per second, and how long the last value took to be
 * drawn after its input event.
 */
async function drag(page, label, onMove) {
  const box = await page.getByLabel(label).boundingBox();
  const y = box.y + box.height / 2;
  const at = (t) => box.x + box.width * (0.1 + 0.8 * t);
  await page.mouse.move(at(0), y);
  await page.mouse.down();
  await page.evaluate(() => ((window.__live.inputs = []), (window.__live.redraws = [])));
  const begin = Date.now();
  for (let t = 0; t < DRAG_MS; t = Date.now() - begin) {
    await page.mouse.move(at(t / DRAG_MS), y);
    await onMove?.(t / DRAG_MS);
  }
  await page.mouse.move(at(1), y);
  const { inputs, redraws: drawn } = await page.evaluate(() => structuredClone(window.__live));
  const lastInput = inputs.at(-1);
  // The last value's redraw: the first one after its input event, whenever it comes.
  await page.waitForFunction((t) => window.__live.redraws.some((r) => r > t), lastInput, { timeout: 60_000 });
  const afterLast = await page.evaluate((t) => window.__live.redraws.find((r) => r > t), lastInput);
  await page.mouse.up();
  await settle(page);
  const seconds = (lastInput - inputs[0]) / 1000;
  const during = drawn.filter((r) => r > inputs[0] && r <= lastInput).length;
  return { label, seconds, inputs: inputs.length, redraws: during, perSecond: during / seconds, lastDrawnAfterMs: afterLast - lastInput };
}

/** Samples the page's main thread while `work` runs and prints the functions that held it longest. */
async function printProfile(page, work) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await work();
  const { profile: p } = await cdp.send('Profiler.stop');
  const self = new Map();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const dt = p.timeDeltas;
  p.samples.forEach((id, k) => {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
    self.set(where, (self.get(where) ?? 0) + (dt[k + 1] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`main thread during a drag, self time (${total.toFixed(0)} ms sampled):`);
  for (const [where, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${where}`);
}

try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${url}#/lab?lesson=six-hump-trap`);
  // First as a visitor finds it, 'best available': what the calibration measured.
  await page.waitForSelector('[data-testid=backend][data-backend]', { timeout: 120_000 });
  const measured = (await page.textContent('[data-testid=backend]')).trim();
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  // The forced backend is remembered: after a reload the lab runs on it again.
  await page.reload();
  await page.waitForSelector('[data-testid=backend][data-backend=cpu]', { timeout: 60_000 });
  await page.getByLabel('Starts per side of the basin map').selectOption('64');
  await page.waitForSelector('[data-testid=contour]');
  await settle(page);
  await page.evaluate(watchInPage);
  const badge = await page.textContent('[data-testid=backend]');
  const results = [];
  for (const label of ['learning rate slider of optimizer 1', 'momentum slider of optimizer 2']) results.push(await drag(page, label));
  if (shots) {
    mkdirSync(shots, { recursive: true });
    let next = 0;
    await drag(page, 'learning rate slider of optimizer 1', async (t) => {
      if (t < next / 5) return;
      await page.locator('[data-testid=contour]').screenshot({ path: `${shots}/live-${next}.png` });
      next++;
    });
    await page.screenshot({ path: `${shots}/live-page.png` });
  }
  if (profile) await printProfile(page, () => drag(page, 'momentum slider of optimizer 2'));
  console.log(`best available: ${measured}`);
  console.log(`backend: ${badge.trim()}; load average ${loadavg()[0].toFixed(1)}`);
  for (const r of results) {
    console.log(
      `${r.label}: ${r.redraws} redraws in ${r.seconds.toFixed(1)} s of dragging (${r.inputs} input events) = ${r.perSecond.toFixed(1)} redraws/s; ` +
        `last value drawn ${r.lastDrawnAfterMs.toFixed(0)} ms after its input event`,
    );
  }
  if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}
