// Serves the production build (dist/, made by `npm test` before this layer runs) on a free
// local port and drives it with playwright-core in the system Chromium, as a person would.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { CHROMIUM_ARGS, findBrowser, missingBrowserMessage } from '../support/browser-path.mjs';

/** A served build and a browser to look at it with. */
export interface Site {
  url: string;
  browser: Browser;
  /** A new page in a fresh profile (its own IndexedDB), with console errors collected. */
  newPage(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/**
 * Starts the preview server over dist/ and launches Chromium with WebGPU on. `base` serves the
 * site under a sub-path ('/class/tunelab/'), as a static host may; the build itself has
 * relative paths. `dir` serves another built folder than dist/ (a copy that a test changes).
 */
export async function openSite(options: { base?: string; dir?: string } = {}): Promise<Site> {
  const dir = options.dir ?? 'dist';
  if (!existsSync(`${dir}/index.html`)) throw new Error(`${dir}/ is missing: run \`npm run build\` (npm test does it).`);
  const executablePath = findBrowser();
  if (!executablePath) throw new Error(missingBrowserMessage());
  const server: PreviewServer = await preview({ base: options.base, build: { outDir: dir }, preview: { port: 0, strictPort: false, open: false }, logLevel: 'warn' });
  const url = server.resolvedUrls!.local[0];
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  return {
    url,
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      return { page, errors };
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    },
  };
}
