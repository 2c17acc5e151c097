import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The optimize stage's figures as one Node script: every import (tfjs included) bundled, and
 * the built-in tables' CSV text inlined as the site does (`?raw`).
 */
export default defineConfig({
  logLevel: 'warn',
  ssr: { noExternal: true },
  build: {
    ssr: fileURLToPath(new URL('./figures.ts', import.meta.url)),
    outDir: 'node_modules/.compress-figures',
    emptyOutDir: true,
    rollupOptions: { output: { codeSplitting: false } },
  },
});
