// `npm run bench:samplers [-- --seeds=1000-1019] [--only=Mixed]`: loads the TypeScript benchmark through Vite's module runner (no
// other tool needed after `npm ci`) and prints its table; with `--widths`, the comparison of widths.ts instead.
import { runnerImport } from 'vite';

const args = process.argv.slice(2);
const script = args.includes('--widths') ? './widths.ts' : './bench.ts';
const { module } = await runnerImport(new URL(script, import.meta.url).pathname, { configFile: false, logLevel: 'error' });
module.main(args);
