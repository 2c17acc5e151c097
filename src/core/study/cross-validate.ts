import { crossValidationSplits } from '../data/folds';
import type { ExperimentSpec } from '../spec/experiment';
import { trainPopulation, type PopulationOptions } from '../train/population-run';
import { Trainer, type MemberState } from '../train/trainer';
import { trainingData } from '../train/training-data';
import type { EpochMetrics } from '../train/types';
import { meanOverFolds } from './schedule';

/** How every member of a population ended in every fold: `folds[fold][member]`. */
export interface CrossValidationOutcome {
  folds: MemberState[][];
  cancelled: boolean;
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
  options: PopulationOptions = {},
): Promise<CrossValidationOutcome> {
  const { k, seed } = folds;
  if (k <= 1) {
    const { members, cancelled } = await trainPopulation(specs, options);
    return { folds: [members], cancelled };
  }
  const splits = crossValidationSplits(trainingData(specs[0], options.data), k, seed);
  const trainers: Trainer[] = [];
  const outcome = (cancelled: boolean) => ({ folds: trainers.map((t) => t.members), cancelled });
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
    return outcome(false);
  } finally {
    trainers.forEach((t) => t.dispose());
  }
}
