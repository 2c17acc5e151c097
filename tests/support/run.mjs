// `npm test`: every layer of tests (unit in Node, browser in Chromium, e2e against the
// production build), after checking that a browser is there to run them.
// Usage: node tests/support/run.mjs [unit|browser|e2e ...]
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { findBrowser, missingBrowserMessage } from './browser-path.mjs';

const projects = process.argv.slice(2);
const needsBrowser = projects.length === 0 || projects.some((p) => p !== 'unit');
const needsBuild = projects.length === 0 || projects.includes('e2e');

if (needsBrowser && !findBrowser()) {
  console.error(missingBrowserMessage());
  process.exit(1);
}

function run(cmd, args) {
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ./tests/support/polyfills.mjs`.trim() };
  const r = spawnSync(cmd, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  return r.status ?? 1;
}

if (needsBuild && run('npx', ['vite', 'build', '--logLevel', 'warn']) !== 0) {
  console.error('The production build failed; e2e tests need it.');
  process.exit(1);
}

const report = 'node_modules/.vitest-report.json';
rmSync(report, { force: true });
const status = run('npx', [
  'vitest', 'run',
  ...projects.flatMap((p) => ['--project', p]),
  '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
]);

// One plain closing line, so any reader of the log sees the totals at a glance.
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  if (r.numTotalTests === 0) {
    console.error('No test ran.');
    process.exit(1);
  }
} catch {
  console.error('No test report was written.');
  process.exit(status || 1);
}
process.exit(status);
