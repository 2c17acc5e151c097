import * as Comlink from 'comlink';
import { afterAll, describe, expect, test } from 'vitest';
import { tensorWorker } from '../../src/runtime/tensor-worker';
import type { TrainedLandscapeWorkerApi } from '../../src/workers/trained-landscape.worker';
import { penguinsNetwork } from '../support/penguins-network';

const workers: Worker[] = [];
async function worker(backend: 'webgpu' | 'cpu') {
  const w = tensorWorker('trained');
  workers.push(w);
  const api = Comlink.wrap<TrainedLandscapeWorkerApi>(w);
  const info = await api.prepare(backend);
  expect(info.name).toBe(backend);
  return api;
}
afterAll(() => workers.forEach((w) => w.terminate()));

/** a equals b to float32 rounding of sums over a few hundred rows: 2e-5 relative. */
function expectSame(a: ArrayLike<number>, b: ArrayLike<number>) {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  expect(worst).toBeLessThan(2e-5);
}

describe('a saved network’s landscape on webgpu and cpu', () => {
  test('the 51 × 51 slice of the penguins network and its 1-D line agree between the backends', async () => {
    const [gpu, cpu] = [await worker('webgpu'), await worker('cpu')];
    const [gpuBase, cpuBase] = [await gpu.tensorCount(), await cpu.tensorCount()];
    const run = penguinsNetwork(1);
    const [a, b] = [await gpu.slice(run, 'random', 3, 51), await cpu.slice(run, 'random', 3, 51)];
    expect(a.train).toHaveLength(2601);
    expectSame(a.train, b.train);
    expectSame(a.val, b.val);
    // A real surface: the centre is the network itself, the corners differ from it.
    expect(a.train[0]).not.toBeCloseTo(a.train[1300], 2);
    const other = penguinsNetwork(2);
    const [c, d] = [await gpu.interpolation(run, other), await cpu.interpolation(run, other)];
    expect(c.alphas).toHaveLength(401);
    expectSame(c.train, d.train);
    expectSame(c.val, d.val);
    expect([await gpu.tensorCount(), await cpu.tensorCount()]).toEqual([gpuBase, cpuBase]);
  });
});
