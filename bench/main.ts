// The benchmark page: opened with ?backend=webgpu|webgl|cpu (and optionally ?budget=<factor>),
// it runs every workload in module workers on that backend and publishes the table rows on
// window.__benchResults for bench/run.mjs, or the failure on window.__benchError.
import * as Comlink from 'comlink';
import type { BackendInfo, BackendName } from '../src/runtime/backend-types';
import type { BenchWorkerApi } from './bench.worker';
import { benchRows, type Measurements, type Row } from './report';
import { FULL_EPOCHS, TRIALS } from './workloads/sizes';

/** What the page publishes when every workload has run. */
export interface BenchResults {
  backend: BackendInfo;
  /** The time budgets used, in seconds, after the ?budget factor. */
  budgets: Record<keyof typeof BUDGETS, number>;
  rows: Row[];
  measurements: Measurements;
  /**
   * Tensors alive in the main worker at the start and after each part, in order: a count that
   * grows points at the part that leaks.
   */
  tensors: Record<string, number>;
}

/**
 * Seconds each timed part may take before it stops at the next whole unit (epoch, trial,
 * start) and the rest is extrapolated: keeps all three backends within about ten minutes on
 * two cores with software WebGPU. On a real GPU most parts finish their full work first.
 */
const BUDGETS = { oneTrial: 15, population: 40, serialFit: 15, pool: 15, plainJs: 10, sliceSingles: 10 };

/** Workers of the pool in W2 (c). */
const POOL_SIZE = 2;

const params = new URLSearchParams(location.search);
const backend = (params.get('backend') ?? 'webgpu') as BackendName;
const factor = Number(params.get('budget') ?? 1);
/** Workloads to run (?only=W1,W2), all when absent. */
const only = params.get('only')?.split(',');
const wanted = (w: string) => !only || only.includes(w);
const log = document.getElementById('log')!;
const page = window as unknown as { __benchResults?: BenchResults; __benchError?: string };

function say(line: string): void {
  log.textContent += `\n${line}`;
}

function startWorker(): { api: Comlink.Remote<BenchWorkerApi>; worker: Worker } {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  return { api: Comlink.wrap<BenchWorkerApi>(worker), worker };
}

/** W2 (c): our single-trial step in a pool of workers, each on its share of the grid, at the same time. */
async function timePool(epochs: number, budget: number) {
  const pool = Array.from({ length: POOL_SIZE }, startWorker);
  try {
    await Promise.all(pool.map(({ api }) => api.prepare(backend)));
    const share = (k: number) => Array.from({ length: TRIALS / POOL_SIZE }, (_, i) => k + POOL_SIZE * i);
    return await Promise.all(pool.map(({ api }, k) => api.serialOurs(epochs, share(k), budget)));
  } finally {
    pool.forEach(({ worker }) => worker.terminate());
  }
}

async function main(): Promise<void> {
  const budgets = Object.fromEntries(Object.entries(BUDGETS).map(([k, v]) => [k, v * factor])) as BenchResults['budgets'];
  const { api, worker } = startWorker();
  const info = await api.prepare(backend);
  say(`backend ${info.name}${info.adapter ? ` (${info.adapter})` : ''}${info.fallbackReason ? `, fell back: ${info.fallbackReason}` : ''}`);
  const tensors: BenchResults['tensors'] = { start: await api.tensorCount() };
  /** Runs one part, saying so on the page, and notes the main worker's tensors after it. */
  const part = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    say(`${name}…`);
    const result = await run();
    tensors[name] = await api.tensorCount();
    return result;
  };
  const measurements: Measurements = {};
  if (wanted('W1')) measurements.oneTrial = await part('W1', () => api.oneTrial(budgets.oneTrial));
  if (wanted('W2')) {
    const { population, batchedJs, rounds } = await part('W2 population and batched plain JS', () => api.populationAndPeer(FULL_EPOCHS, budgets.population));
    const epochs = population.epochs;
    const all = Array.from({ length: TRIALS }, (_, t) => t);
    const serialFit = await part('W2 serial model.fit', () => api.serialFit(epochs, all, budgets.serialFit));
    const pool = await part('W2 pool', () => timePool(epochs, budgets.pool));
    const plainJs = await part('W2 plain JS', () => api.plainJs(epochs, budgets.plainJs));
    measurements.study = { population, serialFit, pool, plainJs, batchedJs, rounds };
    measurements.pruning = await part('W2 pruned', () => api.pruning(FULL_EPOCHS));
  }
  if (wanted('W3')) measurements.basinMap = await part('W3', () => api.basinMap());
  if (wanted('W4')) measurements.lrSweep = await part('W4', () => api.lrSweep());
  if (wanted('W5')) measurements.compressSweep = await part('W5', () => api.compressSweep());
  if (wanted('W6')) measurements.trainedSlice = await part('W6', () => api.trainedSlice(budgets.sliceSingles));
  worker.terminate();
  page.__benchResults = { backend: info, budgets, rows: benchRows(info, measurements), measurements, tensors };
  say('done');
}

main().catch((error: unknown) => {
  page.__benchError = error instanceof Error ? (error.stack ?? error.message) : String(error);
  say(`failed: ${page.__benchError}`);
});
