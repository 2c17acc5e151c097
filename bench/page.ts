// The benchmark page: runs every workload in a worker on the backend named in ?backend= and
// publishes the rows on window.__benchResults for bench/run.mjs.
import * as Comlink from 'comlink';
import type { BenchWorkerApi, Row } from './workloads/bench.worker';

const params = new URLSearchParams(location.search);
const backend = (params.get('backend') ?? 'webgpu') as 'webgpu' | 'webgl' | 'cpu';
const log = document.getElementById('log')!;
const w = window as unknown as { __benchResults?: unknown; __benchError?: string };

async function main() {
  const api = Comlink.wrap<BenchWorkerApi>(new Worker(new URL('./workloads/bench.worker.ts', import.meta.url), { type: 'module' }));
  const info = await api.prepare(backend);
  // Software WebGPU (SwiftShader) and WebGL are slow per operation: fewer epochs there, stated in each row.
  const slow = info.name !== 'cpu';
  const rows: Row[] = [];
  const add = (r: Row | Row[]) => {
    rows.push(...(Array.isArray(r) ? r : [r]));
    log.textContent = JSON.stringify(rows, null, 1);
  };
  add(await api.w1(slow ? 3 : 20));
  add(await api.w2(slow ? 2 : 20, slow ? 1 : 4));
  add(await api.w3(128, 300, slow ? 2 : 8));
  add(await api.w4(300, slow ? 2 : 8));
  w.__benchResults = { backend: info, rows };
}

main().catch((error) => (w.__benchError = String(error?.stack ?? error)));
