// W2: the 64 trials of an 8 × 8 grid of learning rates and momenta, trained four ways.
import { BatchedNetwork, type PeerOptimizer } from '../baselines/batched-nn';
import { buildNetwork, trainEpoch, type Example } from '../baselines/playground-nn';
import type { Dataset, SplitDataset } from '../../src/core/data';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { createRng } from '../../src/core/random/prng';
import { createPopulationPruner, type PopulationPruner, type PrunerTrial } from '../../src/core/search';
import { trialResult } from '../../src/core/study/schedule';
import { trainPopulation } from '../../src/core/train/population-run';
import { trainWithFit } from './model-fit';
import { trainOurs, warmUpOurs, type TrainingTime } from './our-training';
import { BATCH_SIZE, HIDDEN_UNITS, TRIALS } from './sizes';
import { spiralData, studyGrid } from './spiral';
import { fastestInTurns, repeatWithin, seconds, warmUp, type Timed } from './timing';

/** W2's population and its batched plain-JavaScript peer, each the fastest of its runs in turns. */
export interface PopulationAndPeer {
  population: TrainingTime;
  batchedJs: PeerRun;
  /** Timed runs of each. */
  rounds: number;
}

/**
 * (a) All 64 trials as one population, up to `maxEpochs` or the first epoch end after `budget`
 * seconds, and (e) the batched plain-JavaScript peer on the epochs ours reached, each warmed
 * up, then timed in turns up to three times while ours stays within its budget, the fastest of
 * each counting (as W3 and W4): on a shared machine one run of either side was at the mercy of
 * whatever else ran. Our time includes setting the trainer up and freeing it, as a trial's would.
 */
export async function timePopulationAndPeer(maxEpochs: number, budget: number): Promise<PopulationAndPeer> {
  const grid = studyGrid(maxEpochs);
  const data = spiralData(grid[0]);
  const ours = async (): Promise<TrainingTime> => {
    const start = seconds();
    const run = await trainOurs(grid, data, budget);
    return { ...run, seconds: seconds() - start };
  };
  await warmUpOurs(grid, data);
  const first = await ours();
  const peer = batchedPeer(first.epochs);
  await warmUp((k) => peer.trial(k % TRIALS));
  const { ours: population, peer: batchedJs, rounds } = await fastestInTurns(first, ours, peer.all, budget);
  return { population, batchedJs, rounds };
}

/**
 * Trials `indices` of the grid one after the other until `budget` seconds are spent, after an
 * untimed warm-up of one-epoch runs (`warmUpOnce`, see warmUp); each trial's time covers building, training and freeing its model.
 */
async function serialTrials(
  indices: number[],
  budget: number,
  warmUpOnce: () => Promise<unknown>,
  train: (trial: number) => Promise<TrainingTime>,
): Promise<Timed> {
  await warmUp(warmUpOnce);
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
export async function timePlainJs(epochs: number, budget: number): Promise<Timed> {
  const grid = studyGrid(epochs);
  const data = spiralData(grid[0]);
  const [train, test] = [examples(data.train), examples(data.val)];
  const trial = (t: number) => {
    const { lr, momentum = 0 } = grid[t].optimizer;
    const network = buildNetwork([2, ...HIDDEN_UNITS, 1], createRng(grid[t].seed).next);
    for (let e = 0; e < epochs; e++) trainEpoch(network, train, test, BATCH_SIZE, lr, momentum);
  };
  await warmUp((k) => trial(k % TRIALS));
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

/** (e) The batched plain-JavaScript peer on W2's trials for `epochs`: one trial, and all 64 one after the other, timed (the whole work). */
function batchedPeer(epochs: number): { trial: (t: number) => number; all: () => PeerRun } {
  const grid = studyGrid(epochs);
  const data = spiralData(grid[0]);
  const trial = (t: number) => {
    const { lr, momentum = 0 } = grid[t].optimizer;
    return trainBatchedPeer(data, { kind: 'momentum', lr, momentum }, grid[t].seed, epochs);
  };
  const all = (): PeerRun => {
    const start = seconds();
    const finalTrainLoss = grid.map((_, t) => trial(t));
    return { count: TRIALS, seconds: seconds() - start, epochs, finalTrainLoss };
  };
  return { trial, all };
}

/** A W2 study as one population, pruned or not: its wall time, best value and what it trained. */
export interface PrunedStudy {
  /** Median wall time over the repeats, seconds. */
  seconds: number;
  /** The best final validation loss over the trials that completed. */
  best: number;
  /** Trials pruned. */
  pruned: number;
  /** Member-epochs trained (64 × the epochs without pruning). */
  memberEpochs: number;
}

/**
 * One W2 study with `pruner` (none when null): the 64 trials as one population, every member
 * judged at each epoch as the study runner judges them, timed from building the trainer to
 * freeing it.
 */
async function prunedStudy(epochs: number, pruner: PopulationPruner | null): Promise<PrunedStudy> {
  const grid = studyGrid(epochs);
  const data = spiralData(grid[0]);
  const trials: PrunerTrial[] = grid.map((_, id) => ({ id, state: 'running', intermediate: [] }));
  let memberEpochs = 0;
  const start = seconds();
  const { members } = await trainPopulation(grid, {
    data,
    onEpoch: (epoch, metrics) => {
      const reported = metrics.flatMap((m, p) => (m ? [p] : []));
      memberEpochs += reported.length;
      reported.forEach((p) => trials[p].intermediate.push(metrics[p]!.valLoss));
      const prune = pruner?.prune(epoch, reported.map((p) => ({ id: p, value: metrics[p]!.valLoss })), trials).map((k) => reported[k]) ?? [];
      prune.forEach((p) => (trials[p].state = 'pruned'));
      return prune;
    },
  });
  const elapsed = seconds() - start;
  const values = members.map((m) => trialResult(m, { metric: 'valLoss', direction: 'minimize' }).value ?? Infinity);
  return { seconds: elapsed, best: Math.min(...values), pruned: members.filter((m) => m.status === 'pruned').length, memberEpochs };
}

/** The pruners W2 is timed with besides none: Optuna's defaults (Hyperband's brackets over W2's epochs). */
const W2_PRUNERS = {
  asha: { kind: 'asha', minResource: 1, reductionFactor: 4 },
  hyperband: { kind: 'hyperband', minResource: 1, reductionFactor: 3, studyName: 'W2' },
} as const;

/** Which of W2's pruned ways. */
export type W2Pruning = keyof typeof W2_PRUNERS;

/**
 * W2 with asynchronous successive halving (Optuna's defaults: minimum resource 1, η = 4) and
 * with Hyperband (η = 3, brackets over the 20 epochs), against no pruning, the same 64 trials
 * and seeds, each run `repeats` times in turn after a warm-up of each; the median time of each.
 */
export async function timePruning(epochs: number, repeats = 3): Promise<Record<W2Pruning | 'none', PrunedStudy>> {
  const ways: Record<W2Pruning | 'none', () => PopulationPruner | null> = {
    none: () => null,
    asha: () => createPopulationPruner(W2_PRUNERS.asha),
    hyperband: () => createPopulationPruner({ ...W2_PRUNERS.hyperband, maxResource: epochs }),
  };
  const names = Object.keys(ways) as (W2Pruning | 'none')[];
  for (const name of names) await prunedStudy(epochs, ways[name]());
  const runs: Record<string, PrunedStudy>[] = [];
  for (let k = 0; k < repeats; k++) {
    const run: Record<string, PrunedStudy> = {};
    for (const name of names) run[name] = await prunedStudy(epochs, ways[name]());
    runs.push(run);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  // The trials, seeds and values are the same in every repeat; the times vary.
  return Object.fromEntries(names.map((name) => [name, { ...runs[0][name], seconds: median(runs.map((r) => r[name].seconds)) }])) as Record<W2Pruning | 'none', PrunedStudy>;
}
