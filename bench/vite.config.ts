import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import site from '../vite.config.js';

/**
 * The benchmark page, built apart from the site into bench/dist: the site's build, worker and
 * dependency settings without its Svelte plugin or tests, so the code measured is built as the
 * app's is. tfjs-layers (the model.fit baseline) makes the worker chunk larger than the site's.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  worker: { ...site.worker, format: 'es' },
  optimizeDeps: { include: [...(site.optimizeDeps?.include ?? []), '@tensorflow/tfjs-layers'] },
  build: { ...site.build, outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
