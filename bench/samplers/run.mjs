// `npm run bench:samplers [-- --seeds=1000-1019] [--only=Mixed]`: loads the TypeScript benchmark through Vite's module runner (no
// other tool needed after `npm ci`) and prints its table.
import { runnerImport } from 'vite';

const { module } = await runnerImport(new URL('./bench.ts', import.meta.url).pathname, { configFile: false, logLevel: 'error' });
module.main(process.argv.slice(2));
