import { crossValidationSplits } from '../data/folds';
import type { ExperimentSpec } from '../spec/experiment';
import { trainPopulation, type PopulationOptions } from '../train/population-run';
import { Trainer, type MemberState } from '../train/trainer';
import { trainingData } from '../train/training-data';
import type { EpochMetrics } from '../train/types';
import { bestMembers, readKeptModels, type KeptModel } from './trained-models';
import { meanOverFolds } from './schedule';
import type { Objective } from './types';

/** How every member of a population ended in every fold (`folds[fold][member]`), and the trained networks kept. */
export interface CrossValidationOutcome {
  folds: MemberState[][];
  cancelled: boolean;
  /** With `keep`: the best members' trained networks, best first (none when cancelled). */
  kept: KeptModel[];
}

/** Options of {@link trainCrossValidated}. */
export interface CrossValidationOptions extends Omit<PopulationOptions, 'finish'> {
  /**
   * Keep the trained networks of the `count` best members by `objective` (see bestMembers).
   * Under k-fold the network kept is fold 0's, trained on the other k − 1 folds: one of the
   * networks the trial's value averages over, where retraining on every point would cost
   * another run and give a network that no validation number describes.
   */
  keep?: { count: number; objective: Objective };
}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Trains a population (see trainPopulation) under k-fold cross-validation: k = 1 is the plain
 * run on the experiment's own validation split; with k ≥ 2 the training and validation points
 * together (of `options.data`, or the generated set) are cut into k seeded folds (the
 * study's seed, so every trial meets the same folds) and one population per fold trains in
 * lock-step, epoch by epoch. `onEpoch` hears each member's metrics averaged over the folds,
 * so a pruner judges the trial, not one fold, and a member it prunes stops in every fold.
 */
export async function trainCrossValidated(
  specs: ExperimentSpec[],
  folds: { k: number; seed: number },
  options: CrossValidationOptions = {},
): Promise<CrossValidationOutcome> {
  const { k, seed } = folds;
  const { keep, ...population } = options;
  // The experiment's own split: what the training screen evaluates a network on.
  const own = trainingData(specs[0], options.data);
  let kept: KeptModel[] = [];
  const readKept = async (trainer: Trainer, folds: MemberState[][]) => {
    if (keep) kept = await readKeptModels(trainer, own, bestMembers(folds, keep.objective, keep.count));
  };
  if (k <= 1) {
    const { members, cancelled } = await trainPopulation(specs, { ...population, finish: (trainer) => readKept(trainer, [trainer.members]) });
    return { folds: [members], cancelled, kept };
  }
  const splits = crossValidationSplits(own, k, seed);
  const trainers: Trainer[] = [];
  const outcome = (cancelled: boolean) => ({ folds: trainers.map((t) => t.members), cancelled, kept });
  try {
    for (const split of splits) trainers.push(new Trainer(specs, split));
    while (trainers.some((t) => !t.done)) {
      const perFold: (EpochMetrics | null)[][] = [];
      for (const trainer of trainers) {
        if (trainer.done) {
          perFold.push(specs.map(() => null));
          continue;
        }
        while (!trainer.atEpochEnd) {
          if (options.cancelled?.()) return outcome(true);
          trainer.stepBatch();
        }
        perFold.push(await trainer.endEpoch());
      }
      const epoch = Math.max(...trainers.map((t) => t.epoch));
      const prune = (await options.onEpoch?.(epoch, meanOverFolds(perFold))) ?? [];
      for (const p of prune) trainers.forEach((t) => t.prune(p));
      await yieldToEvents();
    }
    await readKept(trainers[0], trainers.map((t) => t.members));
    return outcome(false);
  } finally {
    trainers.forEach((t) => t.dispose());
  }
}
