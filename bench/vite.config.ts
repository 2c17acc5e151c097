import { defineConfig } from 'vite';

/** The benchmark page, built apart from the site. */
export default defineConfig({
  root: 'bench',
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
});
