// `node bench/samplers/tabulate.mjs`: trains the grids behind the suite's real objectives (see
// tabulate.ts). Through Vite's server-side module runner with tfjs inlined, as the unit
// tests load it: tfjs-core's Node bundle lacks the gradients that its ES modules register.
import { createRequire } from 'node:module';
import { createServer, createServerModuleRunner } from 'vite';

// tfjs-core's Node platform looks for `require`, which inlined ES modules do not have.
globalThis.require = createRequire(import.meta.url);

const server = await createServer({
  configFile: false,
  logLevel: 'error',
  server: { middlewareMode: true, hmr: false, ws: false },
  ssr: { noExternal: [/@tensorflow\//] },
});
try {
  const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
  const module = await runner.import(new URL('./tabulate.ts', import.meta.url).pathname);
  await module.main();
} finally {
  await server.close();
}
