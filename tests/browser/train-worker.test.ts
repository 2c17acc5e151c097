import * as Comlink from 'comlink';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import type { RunProgress } from '../../src/core/train/run';
import type { TrainWorkerApi } from '../../src/workers/train.worker';
import { tensorWorker } from '../../src/runtime/tensor-worker';

const spec: ExperimentSpec = {
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: { kind: 'circle', n: 200, noise: 0, trainRatio: 0.5, seed: 2 },
  model: { features: ['x1', 'x2'], hidden: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }], l1: 0, l2: 0, dropout: 0 },
  optimizer: { kind: 'adam', lr: 0.03 },
  training: { batchSize: 10, epochs: 6, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
  seed: 5,
};

const workers: Worker[] = [];
function startWorker() {
  const worker = tensorWorker('train');
  workers.push(worker);
  return Comlink.wrap<TrainWorkerApi>(worker);
}
afterAll(() => workers.forEach((w) => w.terminate()));

describe('the training worker', () => {
  test('trains on WebGPU, says so, and streams progress with the decision grid', async () => {
    const api = startWorker();
    const backend = await api.prepare('auto');
    expect(backend.name).toBe('webgpu');
    expect(backend.fallbackReason).toBeUndefined();
    const progress: RunProgress[] = [];
    const outcome = await api.train(spec, { gridSize: 16, startPaused: false }, Comlink.proxy((p: RunProgress) => progress.push(p)), Comlink.proxy(() => {}));
    expect(outcome.status).toBe('complete');
    expect(outcome.history).toHaveLength(6);
    expect(outcome.history.at(-1)!.trainLoss).toBeLessThan(outcome.history[0].trainLoss);
    const last = progress.at(-1)!;
    expect(last.status).toBe('complete');
    expect(last.grid).toBeInstanceOf(Float32Array);
    expect(last.grid!.length).toBe(256);
  });

  test("for 'best available' with an experiment, times its steps on every backend that starts, runs the fastest, and takes a remembered measurement instead", async () => {
    const api = startWorker();
    // Long enough (20,000 epochs of 10 steps) that the GPUs could pay for being started and timed.
    const long: ExperimentSpec = { ...spec, training: { ...spec.training, epochs: 20_000 } };
    const measured = await api.prepare('auto', null, long);
    const times = measured.measured!.milliseconds;
    expect(measured.measured!.unit).toBe('step');
    expect(Object.keys(times).sort()).toEqual(['cpu', 'webgl', 'webgpu']);
    expect(Object.values(times).every((ms) => ms! > 0)).toBe(true);
    expect(measured.name).toBe(Object.entries(times).sort((a, b) => a[1]! - b[1]!)[0][0]);
    expect(measured.measured!.earlier).toBeUndefined();

    // As this device remembered it: webgl fastest, though it was not.
    const remembered = { unit: 'step', milliseconds: { webgpu: 9, webgl: 1, cpu: 5 } };
    const again = await api.prepare('auto', remembered, long);
    expect(again).toMatchObject({ requested: 'auto', name: 'webgl', measured: { ...remembered, earlier: true } });
    const outcome = await api.train({ ...spec, training: { ...spec.training, epochs: 1 } }, { gridSize: 0, startPaused: false }, Comlink.proxy(() => {}), Comlink.proxy(() => {}));
    expect(outcome.status).toBe('complete');
    // A remembered measurement of other backends than start here is measured anew.
    const stale = await api.prepare('auto', { unit: 'step', milliseconds: { webgl: 1, cpu: 5 } }, long);
    expect(Object.keys(stale.measured!.milliseconds).sort()).toEqual(['cpu', 'webgl', 'webgpu']);
    expect(stale.measured!.earlier).toBeUndefined();

    // A run that ends before the calibration would (3 epochs of 5 steps, early stopping on) is
    // timed all the same, on the CPU alone: its 15 steps take less there than starting a GPU.
    const short: ExperimentSpec = { ...spec, data: { kind: 'xor', n: 100, noise: 0, trainRatio: 0.5, seed: 1 }, training: { ...spec.training, batchSize: 10, epochs: 3, patience: 1 } };
    const timed = await api.prepare('auto', { unit: 'step', milliseconds: { webgpu: 1, webgl: 2, cpu: 5 } }, short);
    expect(timed.name).toBe('cpu');
    expect(timed.measured!.units).toBe(15);
    expect(Object.keys(timed.measured!.milliseconds)).toEqual(['cpu']);
    expect(timed.measured!.milliseconds.cpu! * 15).toBeLessThan(1500);
    expect(timed.measured!.earlier).toBeUndefined();
  });

  test('the same spec and seed give final losses within 1% on cpu and webgpu', async () => {
    const losses: Record<string, number> = {};
    for (const name of ['cpu', 'webgpu'] as const) {
      const api = startWorker();
      expect((await api.prepare(name)).name).toBe(name);
      const outcome = await api.train(spec, { gridSize: 0, startPaused: false }, Comlink.proxy(() => {}), Comlink.proxy(() => {}));
      losses[name] = outcome.history.at(-1)!.valLoss;
    }
    expect(Math.abs(losses.webgpu - losses.cpu) / losses.cpu).toBeLessThan(0.01);
  });

  test('pauses, steps one batch, and cancels on request', async () => {
    const api = startWorker();
    await api.prepare('webgpu');
    const progress: RunProgress[] = [];
    const done = api.train(spec, { gridSize: 0, startPaused: true }, Comlink.proxy((p: RunProgress) => progress.push(p)), Comlink.proxy(() => {}));
    await expect.poll(() => progress.length, { timeout: 30_000 }).toBe(1);
    expect(progress[0]).toMatchObject({ status: 'paused', epoch: 0, batchInEpoch: 0 });
    await api.step('batch');
    await expect.poll(() => progress.at(-1)?.batchInEpoch, { timeout: 30_000 }).toBe(1);
    await api.cancel();
    expect((await done).status).toBe('cancelled');
  });
});
