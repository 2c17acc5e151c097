import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';
import { findBrowser, CHROMIUM_ARGS } from './tests/support/browser-path.mjs';
import { offline } from './scripts/pwa.ts';

const browserPath = findBrowser() ?? undefined;

export default defineConfig({
  // Relative asset paths: dist/ works from any static host and any sub-path.
  base: './',
  plugins: [svelte(), offline()],
  worker: { format: 'es' },
  // Pre-bundled up front: discovering them mid-run makes Vite reload the browser tests.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients', '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-webgpu', 'comlink', 'idb', 'valibot', 'uplot', 'papaparse',
    ],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { port: 5173 },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // The layers run one after another: the unit layer's heavy tests (a Python study of
          // two processes, populations on the cpu) would otherwise starve the browser's timers.
          sequence: { groupOrder: 0 },
          // tfjs-core's Node entry is a bundle without gradients; loading its ES modules, as the
          // browser build does, lets core/autodiff register them on the one engine.
          server: { deps: { inline: [/@tensorflow\//] } },
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: { executablePath: browserPath, args: CHROMIUM_ARGS },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 2 },
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
