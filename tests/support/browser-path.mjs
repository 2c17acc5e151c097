// Finds the Chromium or Chrome that tests, e2e and benchmarks drive. One place, so that
// `npm test`, `npm run bench` and the vitest browser project agree on the browser.
import { existsSync } from 'node:fs';

/** Paths tried, in order, when CHROME_PATH is not set. */
export const CANDIDATE_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

/** The browser to use: CHROME_PATH if set, else the first candidate that exists, else null. */
export function findBrowser() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATE_PATHS.find((p) => existsSync(p)) ?? null;
}

/** What to tell a person whose machine has no browser the tests can drive. */
export function missingBrowserMessage() {
  const fromEnv = process.env.CHROME_PATH;
  return [
    fromEnv
      ? `CHROME_PATH is set to "${fromEnv}", but no file is there.`
      : 'No Chromium or Chrome was found. Looked in:\n  ' + CANDIDATE_PATHS.join('\n  '),
    'tunelab tests run in a real browser. Install one, for example on Debian/Ubuntu:',
    '  sudo apt-get install chromium',
    'or point the tests at yours:',
    '  CHROME_PATH=/path/to/chrome npm test',
  ].join('\n');
}

/**
 * Flags for headless Chromium: WebGPU on (SwiftShader where no GPU is present), and no
 * background traffic, since test machines may have no network.
 */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
