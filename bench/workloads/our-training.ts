// tunelab's own training, timed as the app runs it: Trainer steps, and at each epoch's end the
// one read from the device that gives every member's metrics.
import type { SplitDataset } from '../../src/core/data';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { Trainer } from '../../src/core/train/trainer';
import { seconds, WARM_UP_SECONDS } from './timing';

/** A timed stretch of training. */
export interface TrainingTime {
  epochs: number;
  /** Optimizer steps taken (by each member). */
  steps: number;
  seconds: number;
  /** Each member's training loss after the last epoch. */
  finalTrainLoss: number[];
}

/**
 * Trains `specs` as one population (P = 1 is a single run) for up to their epochs, stopping
 * at the first epoch end after `budget` seconds. Setting up the trainer (data upload, weights)
 * is outside the timing, as it is outside model.fit's.
 */
export async function trainOurs(specs: ExperimentSpec[], data: SplitDataset, budget = Infinity): Promise<TrainingTime> {
  const trainer = new Trainer(specs, data);
  try {
    const start = seconds();
    let finalTrainLoss: number[] = [];
    while (!trainer.done) {
      trainer.stepBatch();
      if (!trainer.atEpochEnd) continue;
      finalTrainLoss = (await trainer.endEpoch()).map((m) => m?.trainLoss ?? NaN);
      if (seconds() - start >= budget) break;
    }
    return { epochs: trainer.epoch, steps: trainer.epoch * trainer.batchesPerEpoch, seconds: seconds() - start, finalTrainLoss };
  } finally {
    trainer.dispose();
  }
}

/** Untimed training of the same population, so that every shape's kernels exist and are optimized before timing: at least one epoch and {@link WARM_UP_SECONDS}. */
export async function warmUpOurs(specs: ExperimentSpec[], data: SplitDataset): Promise<void> {
  await trainOurs(specs, data, WARM_UP_SECONDS);
}
