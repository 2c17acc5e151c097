// The benchmark's workloads, run in a module worker as the app runs its training: each returns
// the time of tunelab's way and of its baselines, measured here, in the same run.
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { basinMap, lrSweep, trajectory } from '../../src/core/landscape';
import { generateDataset } from '../../src/core/data/generators';
import { splitDataset } from '../../src/core/data/split';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { trainPopulation } from '../../src/core/train/population-run';
import { Trainer } from '../../src/core/train/trainer';
import { createRng } from '../../src/core/random/prng';
import { selectBackend } from '../../src/runtime/backend';
import { buildNetwork, trainPlayground } from './playground-nn';

/** One measured comparison. */
export interface Row {
  workload: string;
  ours: string;
  baseline: string;
  oursSeconds: number;
  baselineSeconds: number;
  /** How many times faster ours is. */
  ratio: number;
  target?: number;
  note?: string;
}

const now = () => performance.now() / 1000;

function spiralSpec(epochs: number): ExperimentSpec {
  return {
    ...structuredClone(DEFAULT_EXPERIMENT),
    data: { kind: 'spiral', n: 500, noise: 0, trainRatio: 0.8, seed: 1 },
    model: { features: ['x1', 'x2'], hidden: [{ units: 16, activation: 'tanh' }, { units: 16, activation: 'tanh' }], l1: 0, l2: 0, dropout: 0 },
    optimizer: { kind: 'adam', lr: 0.01 },
    training: { batchSize: 32, epochs, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
  };
}

/** Seconds of `model.fit` on the same data and network, for `epochs`. */
async function fitSeconds(spec: ExperimentSpec, epochs: number, optimizer: () => tf.Optimizer): Promise<{ seconds: number; steps: number }> {
  const data = splitDataset(generateDataset(spec.data), spec.data.trainRatio, spec.data.seed).train;
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [2], units: 16, activation: 'tanh' }),
      tfl.layers.dense({ units: 16, activation: 'tanh' }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: optimizer(), loss: 'binaryCrossentropy' });
  const x = tf.tensor2d(data.x, [data.n, 2]);
  const y = tf.tensor2d(data.y, [data.n, 1]);
  await model.fit(x, y, { batchSize: spec.training.batchSize, epochs: 1, verbose: 0 });
  const t = now();
  await model.fit(x, y, { batchSize: spec.training.batchSize, epochs, verbose: 0 });
  const seconds = now() - t;
  tf.dispose([x, y]);
  model.dispose();
  return { seconds, steps: epochs * Math.ceil(data.n / spec.training.batchSize) };
}

/** Seconds of our own step for one trial, for `epochs`, with one read from the device per epoch. */
async function ourSeconds(spec: ExperimentSpec, epochs: number): Promise<{ seconds: number; steps: number }> {
  const data = splitDataset(generateDataset(spec.data), spec.data.trainRatio, spec.data.seed);
  const run = async (e: number) => {
    const trainer = new Trainer([{ ...spec, training: { ...spec.training, epochs: e } }], data);
    const t = now();
    while (!trainer.done) {
      trainer.stepBatch();
      if (trainer.atEpochEnd) await trainer.endEpoch();
    }
    const seconds = now() - t;
    const steps = e * trainer.batchesPerEpoch;
    trainer.dispose();
    return { seconds, steps };
  };
  await run(1);
  return run(epochs);
}

const api = {
  prepare: (backend: 'webgpu' | 'webgl' | 'cpu') => selectBackend(backend),

  /** W1: one trial, our step against model.fit, in steps per second. */
  async w1(epochs: number): Promise<Row> {
    const spec = spiralSpec(epochs);
    const ours = await ourSeconds(spec, epochs);
    const fit = await fitSeconds(spec, epochs, () => tf.train.adam(0.01));
    return {
      workload: `W1 one trial (spiral 500, 2-16-16-1 tanh, Adam, batch 32, ${epochs} epochs)`,
      ours: `${(ours.steps / ours.seconds).toFixed(1)} steps/s`, baseline: `model.fit ${(fit.steps / fit.seconds).toFixed(1)} steps/s`,
      oursSeconds: ours.seconds, baselineSeconds: fit.seconds * (ours.steps / fit.steps), ratio: (ours.steps / ours.seconds) / (fit.steps / fit.seconds), target: 2,
    };
  },

  /** W2: a 64-trial grid of learning rates and momenta. */
  async w2(epochs: number, sampleTrials: number): Promise<Row[]> {
    const lrs = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
    const momenta = [0, 0.5, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99];
    const base = spiralSpec(epochs);
    const grid = lrs.flatMap((lr) => momenta.map((momentum) => ({ ...base, optimizer: { kind: 'momentum' as const, lr, momentum } })));
    await trainPopulation(grid.slice(0, 2).map((s) => ({ ...s, training: { ...s.training, epochs: 1 } })));
    let t = now();
    await trainPopulation(grid);
    const population = now() - t;
    let fitTotal = 0;
    for (const s of grid.slice(0, sampleTrials)) fitTotal += (await fitSeconds(s, epochs, () => tf.train.momentum(s.optimizer.lr, s.optimizer.momentum!))).seconds;
    const serialFit = (fitTotal / sampleTrials) * 64;
    let oursTotal = 0;
    for (const s of grid.slice(0, sampleTrials)) oursTotal += (await ourSeconds(s, epochs)).seconds;
    const pool = ((oursTotal / sampleTrials) * 64) / 2;
    const data = splitDataset(generateDataset(base.data), base.data.trainRatio, base.data.seed).train;
    const xs = Array.from({ length: data.n }, (_, i) => [data.x[2 * i], data.x[2 * i + 1]]);
    const ys = Array.from(data.y);
    t = now();
    grid.forEach((s, i) => {
      const rng = createRng(i);
      trainPlayground(buildNetwork([2, 16, 16, 1], rng.next), xs, ys, epochs, 32, s.optimizer.lr, s.optimizer.momentum!);
    });
    const playground = now() - t;
    const perMinute = (seconds: number) => `${(64 / (seconds / 60)).toFixed(1)} trials/min`;
    const name = `W2 64-trial study (8 lr × 8 momentum, ${epochs} epochs)`;
    return [
      { workload: name, ours: `population ${population.toFixed(1)} s, ${perMinute(population)}`, baseline: `serial model.fit ${serialFit.toFixed(1)} s`, oursSeconds: population, baselineSeconds: serialFit, ratio: serialFit / population, note: `model.fit timed on ${sampleTrials} trials, ×64` },
      { workload: name, ours: `population ${population.toFixed(1)} s`, baseline: `our step, pool of 2 workers ${pool.toFixed(1)} s`, oursSeconds: population, baselineSeconds: pool, ratio: pool / population, note: `timed on ${sampleTrials} trials, ×64 ÷ 2 (ideal pool)` },
      { workload: name, ours: `population ${population.toFixed(1)} s`, baseline: `plain JS per-sample ${playground.toFixed(1)} s`, oursSeconds: population, baselineSeconds: playground, ratio: playground / population },
    ];
  },

  /** W3: a basin map, batched against one start at a time. */
  async w3(size: number, steps: number, sample: number): Promise<Row> {
    const optimizer = { kind: 'adam' as const, lr: 0.05 };
    await basinMap({ surface: 'himmelblau', optimizer, grid: { size: 4 }, steps: 5 });
    let t = now();
    await basinMap({ surface: 'himmelblau', optimizer, grid: { size }, steps });
    const batched = now() - t;
    t = now();
    for (let i = 0; i < sample; i++) await trajectory({ surface: 'himmelblau', optimizer, start: [i / sample - 0.5, 1], steps });
    const single = ((now() - t) / sample) * size * size;
    return { workload: `W3 basin map ${size}×${size}, ${steps} Adam steps, Himmelblau`, ours: `batched ${batched.toFixed(2)} s`, baseline: `one start at a time ${single.toFixed(0)} s`, oursSeconds: batched, baselineSeconds: single, ratio: single / batched, target: 50, note: `single starts timed on ${sample}, ×${size * size}` };
  },

  /** W4: a 64-rate learning-rate sweep, batched against one rate at a time. */
  async w4(steps: number, sample: number): Promise<Row> {
    const optimizer = { kind: 'sgd' as const, lr: 0.1 };
    const surface = { id: 'bowl' as const, condition: 10, rotation: 30 };
    let t = now();
    await lrSweep({ surface, optimizer, start: [-3, 3], steps, lrs: { low: 1e-4, high: 10, count: 64 } });
    const batched = now() - t;
    t = now();
    for (let i = 0; i < sample; i++) await trajectory({ surface, optimizer: { kind: 'sgd', lr: 0.01 * (i + 1) }, start: [-3, 3], steps });
    const single = ((now() - t) / sample) * 64;
    return { workload: `W4 learning-rate sweep, 64 rates × ${steps} steps`, ours: `batched ${batched.toFixed(2)} s`, baseline: `one rate at a time ${single.toFixed(1)} s`, oursSeconds: batched, baselineSeconds: single, ratio: single / batched, note: `single rates timed on ${sample}, ×64` };
  },
};

/** The benchmark worker's interface. */
export type BenchWorkerApi = typeof api;

Comlink.expose(api);
