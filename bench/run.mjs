// `npm run bench [-- webgpu cpu] [-- --budget=2] [-- --only=W1,W2]`: builds the benchmark page, opens it in
// headless Chromium (the browser the tests use) once per backend, prints one table of ratios,
// and writes bench/results/<date>-<backend>.json. `--budget` multiplies every time budget.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, findBrowser, missingBrowserMessage } from '../tests/support/browser-path.mjs';

const BACKENDS = ['webgpu', 'webgl', 'cpu'];
/** Longest wait for one backend's page before it counts as hung. */
const PAGE_TIMEOUT_MS = 10 * 60_000;

const executablePath = findBrowser();
if (!executablePath) {
  console.error(missingBrowserMessage());
  process.exit(1);
}
const args = process.argv.slice(2);
const budget = Number(args.find((a) => a.startsWith('--budget='))?.slice('--budget='.length) ?? 1);
/** `--only=W1,W2`: run only these workloads (a quick look; the table then has only their rows). */
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const asked = args.filter((a) => !a.startsWith('--'));
const unknown = asked.filter((b) => !BACKENDS.includes(b));
if (unknown.length || !(budget > 0)) {
  console.error(`usage: npm run bench [-- ${BACKENDS.join(' ')}] [-- --budget=<factor>] [-- --only=W1,W2,W3,W4,W5,W6]; got ${args.join(' ')}`);
  process.exit(2);
}
const backends = asked.length ? asked : BACKENDS;

const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const started = Date.now();
// Other work on the machine slows the timed parts unevenly: say how busy it was.
const loadAtStart = loadavg()[0];
console.log('building the benchmark page…');
await build({ configFile });
const server = await preview({ configFile, preview: { port: 0, open: false } });
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
const date = new Date().toISOString().slice(0, 10);
mkdirSync(resultsDir, { recursive: true });

/** Each backend's published results, or the error that stopped it. */
const runs = [];
try {
  for (const backend of backends) {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`  [${backend} page] ${error.message}`));
    const t0 = Date.now();
    process.stdout.write(`running on ${backend}… `);
    try {
      await page.goto(`${url}?backend=${backend}&budget=${budget}${only ? `&only=${only}` : ''}`);
      await page.waitForFunction(() => window.__benchResults || window.__benchError, null, { timeout: PAGE_TIMEOUT_MS, polling: 1000 });
      const error = await page.evaluate(() => window.__benchError);
      if (error) throw new Error(error);
      const result = await page.evaluate(() => window.__benchResults);
      console.log(`${describe(result.backend)}, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      writeFileSync(`${resultsDir}${date}-${backend}.json`, JSON.stringify({ date, budgetFactor: budget, ...result }, null, 2));
      runs.push({ backend, result });
    } catch (error) {
      console.log('failed');
      runs.push({ backend, error: String(error?.message ?? error) });
    } finally {
      await page.close();
    }
  }
} finally {
  await browser.close();
  server.httpServer.close();
}

printTable(runs);
console.log(`\nwhole run ${((Date.now() - started) / 1000).toFixed(0)} s; results in bench/results/${date}-<backend>.json`);
process.exit(runs.some((r) => r.error) ? 1 : 0);

/** 'webgpu (google · swiftshader)', with the reason when the backend asked for did not run. */
function describe(info) {
  const adapter = info.adapter ? ` (${info.adapter})` : '';
  const fallback = info.name !== info.requested ? `, NOT ${info.requested}: ${info.fallbackReason}` : '';
  return `${info.name}${adapter}${fallback}`;
}

/** The one table of every backend's rows, with numbered notes below it. */
function printTable(runs) {
  const header = ['workload', 'backend', 'ours', 'baseline', 'ratio', 'target', 'met?', 'note'];
  const notes = [];
  const lines = runs.flatMap(({ backend, result }) =>
    (result?.rows ?? []).map((r) => {
      if (r.note) notes.push(r.note);
      const shortBy = r.met === false ? `NO, ${(r.target / r.ratio).toFixed(1)}× short` : '';
      return [
        r.workload,
        result.backend.name === backend ? backend : `${result.backend.name} (asked ${backend})`,
        r.ours,
        r.baseline,
        `${r.ratio >= 10 ? r.ratio.toFixed(0) : r.ratio.toFixed(2)}×`,
        r.target === undefined ? '–' : `≥ ${r.target}×`,
        r.met === undefined ? '–' : r.met ? 'yes' : shortBy,
        r.note ? `[${notes.length}]` : '',
      ];
    }),
  );
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const format = (cells) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  console.log('\nbackends:');
  for (const { backend, result, error } of runs) console.log(`  ${backend}: ${error ? `FAILED: ${error}` : describe(result.backend)}`);
  console.log(`machine: ${availableParallelism()} cores, load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`);
  const budgets = runs.find((r) => r.result)?.result.budgets;
  if (budgets) {
    console.log(`time budgets (s): ${Object.entries(budgets).map(([k, v]) => `${k} ${v}`).join(', ')};`);
    console.log('a part that reaches its budget stops at the next whole epoch, trial or start, and the rest is extrapolated (see notes).');
  }
  console.log('ratio = how many times faster ours is than the baseline, on the same backend in the same run.\n');
  console.log(format(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  lines.forEach((l) => console.log(format(l)));
  console.log('');
  notes.forEach((n, i) => console.log(`[${i + 1}] ${n}`));
  for (const { backend, result } of runs) {
    const counts = Object.entries(result?.tensors ?? {});
    const leaks = counts.slice(1).map(([part, n], i) => [part, n - counts[i][1]]).filter(([, grew]) => grew !== 0);
    if (leaks.length) console.log(`warning: on ${backend}, tensors left behind: ${leaks.map(([part, grew]) => `${part} ${grew > 0 ? '+' : ''}${grew}`).join(', ')}`);
  }
}
