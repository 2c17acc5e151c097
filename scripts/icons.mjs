// Renders the app icons of the web app manifest (public/icons/*.png) from public/favicon.svg's
// drawing, in the system Chromium, so that they are made without any network or image tool.
// Usage: node scripts/icons.mjs  (then commit public/icons/)
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findBrowser, missingBrowserMessage } from '../tests/support/browser-path.mjs';

/** The favicon's curve and dot, on a 32 × 32 canvas. */
const DRAWING = '<path d="M5 24 C10 6, 16 6, 18 16 S 24 26, 27 8" fill="none" stroke="#f59322" stroke-width="3" stroke-linecap="round"/><circle cx="27" cy="8" r="3" fill="#5fb4ee"/>';

/**
 * "any" icons keep the favicon's rounded square; the maskable one fills the whole square and
 * shrinks the drawing into the central 80% circle that every launcher's mask keeps.
 */
const ICONS = [
  { file: 'icon-192.png', size: 192, svg: `<rect width="32" height="32" rx="7" fill="#183153"/>${DRAWING}` },
  { file: 'icon-512.png', size: 512, svg: `<rect width="32" height="32" rx="7" fill="#183153"/>${DRAWING}` },
  { file: 'icon-maskable-512.png', size: 512, svg: `<rect width="32" height="32" fill="#183153"/><g transform="translate(16 16) scale(0.66) translate(-16 -16)">${DRAWING}</g>` },
  { file: 'apple-touch-icon.png', size: 180, svg: `<rect width="32" height="32" fill="#183153"/><g transform="translate(16 16) scale(0.8) translate(-16 -16)">${DRAWING}</g>` },
];

const executablePath = findBrowser();
if (!executablePath) throw new Error(missingBrowserMessage());
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
mkdirSync('public/icons', { recursive: true });
for (const { file, size, svg } of ICONS) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<style>html,body{margin:0;background:transparent}</style><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="${size}" height="${size}" style="display:block">${svg}</svg>`);
  await page.screenshot({ path: `public/icons/${file}`, omitBackground: true });
  await page.close();
  console.log(`public/icons/${file}`);
}
await browser.close();
