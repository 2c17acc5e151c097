import * as Comlink from 'comlink';
import { afterAll, describe, expect, test } from 'vitest';
import { logSpace } from '../../src/core/landscape';
import { BASIN_GRID, SWEEP_RANGE } from '../../src/core/landscape/lab-spec';
import { findLesson } from '../../src/core/landscape/lessons';
import type { LandscapeWorkerApi } from '../../src/workers/landscape.worker';
import { tensorWorker } from '../../src/runtime/tensor-worker';

const workers: Worker[] = [];
async function worker(backend: 'webgpu' | 'cpu') {
  const w = tensorWorker('landscape');
  workers.push(w);
  const api = Comlink.wrap<LandscapeWorkerApi>(w);
  const info = await api.prepare(backend);
  expect(info.name).toBe(backend);
  expect(info.fallbackReason).toBeUndefined();
  return api;
}
afterAll(() => workers.forEach((w) => w.terminate()));

const sixHump = findLesson('six-hump-trap')!.setup;
const stability = findLesson('stability-bound')!.setup;
const bowl = { id: 'bowl' as const, condition: stability.condition, rotation: stability.rotation };

describe('the landscape worker on webgpu and cpu', () => {
  test('the 128×128 basin map and the 64-rate sweep agree between the backends', async () => {
    const [gpu, cpu] = [await worker('webgpu'), await worker('cpu')];
    const [gpuBase, cpuBase] = [await gpu.tensorCount(), await cpu.tensorCount()];
    const basins = { surface: sixHump.surface, optimizer: sixHump.optimizers[1], grid: { size: BASIN_GRID }, steps: sixHump.steps };
    const [a, b] = [await gpu.basinMap(basins), await cpu.basinMap(basins)];
    expect(a.labels.length).toBe(128 * 128);
    let differ = 0;
    for (let i = 0; i < a.labels.length; i++) if (a.labels[i] !== b.labels[i]) differ++;
    // Only starts on a basin's edge may fall either way in float32 on different hardware.
    expect(differ).toBeLessThanOrEqual(16);
    expect(Math.abs(a.shareGlobal - b.shareGlobal)).toBeLessThanOrEqual(16 / (128 * 128));
    expect(a.counts.filter((c) => c > 0).length).toBe(6);

    const sweep = { surface: bowl, optimizer: stability.optimizers[0], start: stability.start, steps: stability.steps, lrs: logSpace(SWEEP_RANGE) };
    const [s, t] = [await gpu.sweepWithRuns(sweep), await cpu.sweepWithRuns(sweep)];
    expect(s.sweep.lrs).toHaveLength(64);
    expect(s.sweep.threshold).toBe(t.sweep.threshold);
    expect(s.sweep.diverged).toEqual(t.sweep.diverged);
    // 2/L = 0.2: the first diverging rate is the first grid rate above it.
    expect(s.sweep.threshold).toBe(sweep.lrs.find((lr) => lr > 0.2));
    expect(s.values).toHaveLength((stability.steps + 1) * 64);
    expect(s.path).toHaveLength((stability.steps + 1) * 64 * 2);
    expect(await gpu.tensorCount()).toBe(gpuBase);
    expect(await cpu.tensorCount()).toBe(cpuBase);
  });

  test('a long basin map stops when cancelled and frees its tensors', async () => {
    const gpu = await worker('webgpu');
    const base = await gpu.tensorCount();
    const progress: number[] = [];
    const run = gpu.basinMap(
      { surface: 'himmelblau', optimizer: { kind: 'adam', lr: 0.05 }, grid: { size: 128 }, steps: 2000 },
      Comlink.proxy((done: number) => progress.push(done)),
    );
    await expect.poll(() => progress.length, { timeout: 60_000 }).toBeGreaterThan(0);
    await gpu.cancel();
    await expect(run).rejects.toThrow(/abort/i);
    expect(progress.at(-1)!).toBeLessThan(2000);
    expect(await gpu.tensorCount()).toBe(base);
  });
});
