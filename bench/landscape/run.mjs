// `npm run bench:landscape`: bundles the TypeScript figures script for Node with Vite (tfjs-core's
// own Node entry lacks the gradients the trainer registers) and prints the spiral's sharpness
// (batch 8 against full batch) and the barrier between two seeds.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';

const outDir = fileURLToPath(new URL('../../node_modules/.landscape-figures/', import.meta.url));
await build({
  configFile: false,
  logLevel: 'error',
  ssr: { noExternal: true },
  build: { ssr: fileURLToPath(new URL('./figures.ts', import.meta.url)), outDir, emptyOutDir: true, rollupOptions: { output: { entryFileNames: 'figures.mjs' } } },
});
const { main } = await import(pathToFileURL(`${outDir}figures.mjs`).href);
await main();
