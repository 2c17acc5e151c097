// W2: the 64 trials of an 8 × 8 grid of learning rates and momenta, trained four ways.
import { BatchedNetwork, type PeerOptimizer } from '../baselines/batched-nn';
import { buildNetwork, trainEpoch, type Example } from '../baselines/playground-nn';
import type { Dataset, SplitDataset } from '../../src/core/data';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { createRng } from '../../src/core/random/prng';
import { trainWithFit } from './model-fit';
import { trainOurs, warmUpOurs, type TrainingTime } from './our-training';
import { BATCH_SIZE, HIDDEN_UNITS, TRIALS } from './sizes';
import { spiralData, studyGrid } from './spiral';
import { repeatWithin, seconds, type Timed } from './timing';

/**
 * (a) All 64 trials as one population, up to `maxEpochs` or the first epoch end after `budget`
 * seconds. Its time includes setting the trainer up and freeing it, as a trial's would.
 */
export async function timePopulation(maxEpochs: number, budget: number): Promise<TrainingTime> {
  const grid = studyGrid(maxEpochs);
  const data = spiralData(grid[0]);
  await warmUpOurs(grid, data);
  const start = seconds();
  const run = await trainOurs(grid, data, budget);
  return { ...run, seconds: seconds() - start };
}

/**
 * Trials `indices` of the grid one after the other until `budget` seconds are spent, after an
 * untimed one-epoch warm-up; each trial's time covers building, training and freeing its model.
 */
async function serialTrials(
  indices: number[],
  budget: number,
  warmUp: () => Promise<unknown>,
  train: (trial: number) => Promise<TrainingTime>,
): Promise<Timed> {
  await warmUp();
  return repeatWithin(indices.length, budget, (k) => train(indices[k]));
}

const oneEpoch = (spec: ExperimentSpec): ExperimentSpec => ({ ...spec, training: { ...spec.training, epochs: 1 } });

/** (b) One trial at a time with model.fit, each building its own model as a study would. */
export function timeSerialFit(epochs: number, indices: number[], budget: number): Promise<Timed> {
  const grid = studyGrid(epochs);
  const data = spiralData(grid[0]);
  return serialTrials(indices, budget, () => trainWithFit(oneEpoch(grid[indices[0]]), data), (t) => trainWithFit(grid[t], data));
}

/** (c) One trial at a time with our own step (a population of one), as each worker of a pool runs them. */
export function timeSerialOurs(epochs: number, indices: number[], budget: number): Promise<Timed> {
  const grid = studyGrid(epochs);
  const data = spiralData(grid[0]);
  return serialTrials(indices, budget, () => warmUpOurs([grid[indices[0]]], data), (t) => trainOurs([grid[t]], data));
}

function examples(set: Dataset): Example[] {
  return Array.from({ length: set.n }, (_, i) => ({ inputs: [set.x[2 * i], set.x[2 * i + 1]], label: set.y[i] }));
}

/** (d) One trial at a time in plain JavaScript, per example, as TensorFlow Playground trains. */
export function timePlainJs(epochs: number, budget: number): Promise<Timed> {
  const grid = studyGrid(epochs);
  const data = spiralData(grid[0]);
  const [train, test] = [examples(data.train), examples(data.val)];
  const trial = (t: number) => {
    const { lr, momentum = 0 } = grid[t].optimizer;
    const network = buildNetwork([2, ...HIDDEN_UNITS, 1], createRng(grid[t].seed).next);
    for (let e = 0; e < epochs; e++) trainEpoch(network, train, test, BATCH_SIZE, lr, momentum);
  };
  trial(0);
  return repeatWithin(TRIALS, budget, trial);
}

/** What the batched plain-JavaScript peer did: every trial whole, and its final training losses. */
export interface PeerRun extends Timed {
  epochs: number;
  finalTrainLoss: number[];
}

/** Trains one network of the peer for `epochs` on `data`: its final training loss. */
export function trainBatchedPeer(data: SplitDataset, optimizer: PeerOptimizer, seed: number, epochs: number): number {
  const network = new BatchedNetwork([2, ...HIDDEN_UNITS, 1], seed, optimizer, BATCH_SIZE);
  let loss = NaN;
  for (let e = 0; e < epochs; e++) {
    loss = network.trainEpoch(data.train.x, data.train.y, data.train.n);
    network.meanLoss(data.val.x, data.val.y, data.val.n);
  }
  return loss;
}

/** (e) All 64 trials, one after the other, with the batched plain-JavaScript peer: the whole work. */
export function timeBatchedJs(epochs: number): PeerRun {
  const grid = studyGrid(epochs);
  const data = spiralData(grid[0]);
  const run = (t: number) => {
    const { lr, momentum = 0 } = grid[t].optimizer;
    return trainBatchedPeer(data, { kind: 'momentum', lr, momentum }, grid[t].seed, epochs);
  };
  run(0);
  const start = seconds();
  const finalTrainLoss = grid.map((_, t) => run(t));
  return { count: TRIALS, seconds: seconds() - start, epochs, finalTrainLoss };
}
