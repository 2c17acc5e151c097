// `npm run bench`: builds the benchmark page, runs it in headless Chromium (the browser the
// tests use) on each backend, prints one table of ratios, and writes bench/results/<date>-<backend>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, findBrowser, missingBrowserMessage } from '../tests/support/browser-path.mjs';

const executablePath = findBrowser();
if (!executablePath) {
  console.error(missingBrowserMessage());
  process.exit(1);
}
const backends = process.argv.slice(2).length ? process.argv.slice(2) : ['webgpu', 'webgl', 'cpu'];

await build({ configFile: 'bench/vite.config.ts' });
const server = await preview({ configFile: 'bench/vite.config.ts', preview: { port: 0, open: false } });
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
const date = new Date().toISOString().slice(0, 10);
mkdirSync('bench/results', { recursive: true });
const all = [];
try {
  for (const backend of backends) {
    const page = await browser.newPage();
    await page.goto(`${url}?backend=${backend}`);
    process.stdout.write(`running on ${backend}… `);
    await page.waitForFunction(() => window.__benchResults || window.__benchError, null, { timeout: 15 * 60_000, polling: 1000 });
    const error = await page.evaluate(() => window.__benchError);
    if (error) throw new Error(`${backend}: ${error}`);
    const result = await page.evaluate(() => window.__benchResults);
    console.log(`${result.backend.name}${result.backend.adapter ? ` (${result.backend.adapter})` : ''}${result.backend.fallbackReason ? ` — fell back: ${result.backend.fallbackReason}` : ''}`);
    writeFileSync(`bench/results/${date}-${backend}.json`, JSON.stringify({ date, ...result }, null, 2));
    all.push(result);
    await page.close();
  }
} finally {
  await browser.close();
  server.httpServer.close();
}

const TARGETS = { 'W1/model.fit': 2, 'W2/serial model.fit': { webgpu: 20, cpu: 4 }, 'W3': 50 };
const rows = all.flatMap(({ backend, rows }) => rows.map((r) => ({ backend: backend.name, ...r })));
const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${pad('workload', 62)} ${pad('backend', 8)} ${pad('ours', 36)} ${pad('baseline', 40)} ${pad('ratio', 8)} target`);
for (const r of rows) {
  let target = r.target;
  if (r.baseline.startsWith('serial model.fit')) target = TARGETS['W2/serial model.fit'][r.backend];
  if (r.baseline.startsWith('plain JS') && r.backend === 'webgpu') target = 1;
  const verdict = target === undefined ? '' : r.ratio >= target ? `≥ ${target}× met` : `≥ ${target}× MISSED by ${(target / r.ratio).toFixed(1)}×`;
  console.log(`${pad(r.workload, 62)} ${pad(r.backend, 8)} ${pad(r.ours, 36)} ${pad(r.baseline, 40)} ${pad(`${r.ratio.toFixed(1)}×`, 8)} ${verdict}${r.note ? `  (${r.note})` : ''}`);
}
