import * as Comlink from 'comlink';
import { afterAll, describe, expect, test } from 'vitest';
import type { LandscapeWorkerApi } from '../../src/workers/landscape.worker';

const workers: Worker[] = [];
async function worker(backend: 'webgpu' | 'cpu') {
  const w = new Worker(new URL('../../src/workers/landscape.worker.ts', import.meta.url), { type: 'module' });
  workers.push(w);
  const api = Comlink.wrap<LandscapeWorkerApi>(w);
  expect((await api.prepare(backend)).name).toBe(backend);
  return api;
}
afterAll(() => workers.forEach((w) => w.terminate()));

describe('the landscape worker', () => {
  test('the basin map and the learning-rate sweep agree on webgpu and cpu', async () => {
    const [gpu, cpu] = [await worker('webgpu'), await worker('cpu')];
    const basins = { surface: 'himmelblau', optimizer: { kind: 'sgd' as const, lr: 0.01 }, grid: { size: 64 }, steps: 200 };
    const [a, b] = [await gpu.basinMap(basins), await cpu.basinMap(basins)];
    expect(a.counts.filter((c) => c > 0)).toHaveLength(4);
    let differ = 0;
    for (let i = 0; i < a.labels.length; i++) if (a.labels[i] !== b.labels[i]) differ++;
    // Only starts on a basin's boundary may fall either way in float32 on different hardware.
    expect(differ).toBeLessThanOrEqual(8);

    const sweep = { surface: { id: 'bowl' as const, condition: 10, rotation: 30 }, optimizer: { kind: 'sgd' as const, lr: 0.1 }, start: [-3, 3] as [number, number], steps: 100, lrs: { low: 1e-4, high: 10, count: 64 } };
    const [s, t] = [await gpu.lrSweep(sweep), await cpu.lrSweep(sweep)];
    expect(s.threshold).toBe(t.threshold);
    expect(s.diverged).toEqual(t.diverged);
    // 2/L = 0.2: the first diverging rate is the first grid rate above it.
    expect(s.threshold! / 0.2).toBeGreaterThan(1);
    expect(s.threshold! / 0.2).toBeLessThan(10 ** (8 / 63));
  });
});
