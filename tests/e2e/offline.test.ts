import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CHROMIUM_ARGS, findBrowser } from '../support/browser-path.mjs';
import { openSite, type Site } from './harness';
import { importSmallCsv, runSmallStudy, SMALL_XOR, trainToEnd } from './small-steps';

let site: Site;
let subPathSite: Site;
/** A copy of dist/ that the update test changes, served under a sub-path. */
const copy = mkdtempSync(join(tmpdir(), 'tunelab-dist-'));
beforeAll(async () => {
  cpSync('dist', copy, { recursive: true });
  site = await openSite();
  subPathSite = await openSite({ base: '/class/tunelab/', dir: copy });
});
afterAll(async () => {
  await site?.close();
  await subPathSite?.close();
  rmSync(copy, { recursive: true, force: true });
});

/** Waits for the header's "Available offline": the service worker has stored every file. */
async function waitOfflineReady(page: Page) {
  await expect.poll(() => page.getByTestId('offline-ready').isVisible(), { timeout: 60_000, interval: 500 }).toBe(true);
  expect(await page.getByTestId('offline-ready').textContent()).toContain('Available offline');
}

/**
 * Watches a page gone offline; gives, when called, every request of it that went unanswered
 * (one that a reload cut short aside) and every console error. Chromium's own check for a new
 * service worker, made on each navigation, fails offline too and logs a line for it; that line
 * is no failure of the site's, and is left out, as is its fetch of the tab's icon.
 */
function watchOffline(page: Page, errors: string[]): () => string[] {
  const unanswered: string[] = [];
  page.context().on('requestfailed', (r) => {
    // Chromium fetches the tab's icon itself, past the service worker: offline, that fetch may fail whatever the site precached.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED' && !r.url().endsWith('/favicon.svg')) unanswered.push(`${r.url()} ${r.failure()?.errorText}`);
  });
  return () => [...unanswered, ...errors.filter((e) => e !== 'Failed to load resource: net::ERR_INTERNET_DISCONNECTED')];
}

test('visited once, the site works with the network off: it trains a run, draws the lab, runs a study and imports a CSV', async () => {
  const { page, errors } = await site.newPage();
  await page.goto(site.url);
  await waitOfflineReady(page);
  await page.screenshot({ path: 'test-results/e2e-offline-ready.png' });

  const problems = watchOffline(page, errors);
  await page.context().setOffline(true);
  await page.goto(`${site.url}#/train?${SMALL_XOR}`);
  await page.reload();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await waitOfflineReady(page);

  // Training: the tensor worker and its chunks come from the precache.
  await trainToEnd(page, 3);

  // The lab, loaded when first opened, draws a lesson's paths.
  await page.getByRole('link', { name: 'Landscape lab' }).click();
  await page.getByRole('button', { name: /Saddle point/i }).first().click();
  await expect.poll(() => page.getByRole('button', { name: 'Show all' }).isEnabled(), { timeout: 90_000 }).toBe(true);
  await page.getByRole('button', { name: 'Show all' }).click();
  await expect.poll(() => page.getAttribute('[data-testid=contour]', 'data-steps-shown')).toBe('100');

  // A small study in the workers, and a CSV file parsed in the import worker.
  await runSmallStudy(page);
  await importSmallCsv(page, 'offline.csv', 30);
  await expect.poll(() => page.textContent('[data-testid=preview] thead'), { timeout: 30_000 }).toContain('weight');
  // The class pack offers the new dataset at once.
  await expect.poll(() => page.getByTestId('class-pack').textContent()).toContain('30 rows');
  await page.screenshot({ path: 'test-results/e2e-offline-data.png', fullPage: true });
  expect(problems()).toEqual([]);
});

test('from a sub-path the site works offline too, and a new version waits for the user to reload', async () => {
  expect(subPathSite.url).toMatch(/\/class\/tunelab\/$/);
  const { page, errors } = await subPathSite.newPage();
  await page.goto(subPathSite.url);
  await waitOfflineReady(page);
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.scope))).toBe(subPathSite.url);

  const problems = watchOffline(page, errors);
  await page.context().setOffline(true);
  await page.goto(`${subPathSite.url}#/train?${SMALL_XOR}`);
  await page.reload();
  await waitOfflineReady(page);
  await trainToEnd(page, 3);

  // A new version is published: it installs in the background and waits for the user's word.
  await page.context().setOffline(false);
  appendFileSync(join(copy, 'sw.js'), '\n// a new version\n');
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
  const prompt = page.getByTestId('update-ready');
  await expect.poll(() => prompt.isVisible(), { timeout: 60_000, interval: 500 }).toBe(true);
  expect(await prompt.textContent()).toContain('A new version of tunelab is ready.');
  await page.screenshot({ path: 'test-results/e2e-offline-update.png' });
  // Nothing reloaded on its own: the finished run is still on screen.
  expect(Number(await page.textContent('[data-testid=epoch]'))).toBe(3);

  await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Reload' }).click()]);
  await waitOfflineReady(page);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !r?.waiting))).toBe(true);
  expect(await page.locator('[data-testid=update-ready]').count()).toBe(0);
  expect(problems()).toEqual([]);
});

test('the built site is installable, and its header offers Install once the browser does, which opens the browser\'s dialog', async () => {
  // A profile of its own on disk: Chromium offers no installing in an incognito-like context, which newContext() makes.
  const profile = mkdtempSync(join(tmpdir(), 'tunelab-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: findBrowser()!, args: CHROMIUM_ARGS, headless: true });
  const visitor = context.pages()[0] ?? (await context.newPage());
  await visitor.goto(site.url);
  await waitOfflineReady(visitor);
  // Chromium's own verdict on the manifest, its icons and the service worker.
  const cdp = await context.newCDPSession(visitor);
  expect(await cdp.send('Page.getInstallabilityErrors')).toEqual({ installabilityErrors: [] });
  const { errors: manifestErrors, url } = await cdp.send('Page.getAppManifest');
  expect([manifestErrors, url]).toEqual([[], `${site.url}manifest.webmanifest`]);
  await context.close();
  rmSync(profile, { recursive: true, force: true });

  // Where the browser does not offer it (here, the incognito-like context), there is no button; its offer
  // (a synthetic one, with prompt() counted) shows it.
  const { page, errors } = await site.newPage();
  await page.goto(site.url);
  await waitOfflineReady(page);
  const install = page.getByTestId('install');
  expect(await install.count()).toBe(0);
  const kept = await page.evaluate(() => {
    const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: async () => {
        (window as unknown as { prompted: number }).prompted = ((window as unknown as { prompted?: number }).prompted ?? 0) + 1;
        return { outcome: 'accepted' };
      },
    });
    window.dispatchEvent(offer);
    return offer.defaultPrevented;
  });
  // The page keeps the offer rather than letting the browser show its own banner.
  expect(kept).toBe(true);
  await expect.poll(() => install.isVisible()).toBe(true);
  await install.click();
  expect(await page.evaluate(() => (window as unknown as { prompted?: number }).prompted)).toBe(1);
  // An offer prompts once: the button goes with it.
  await expect.poll(() => install.count()).toBe(0);
  expect(errors).toEqual([]);
});
