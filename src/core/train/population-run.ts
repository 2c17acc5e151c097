import type { SplitDataset } from '../data/types';
import type { ExperimentSpec } from '../spec/experiment';
import { Trainer, type MemberState, type TrainerOptions } from './trainer';
import { trainingData } from './training-data';
import type { EpochMetrics } from './types';

/** Options of {@link trainPopulation}. */
export interface PopulationOptions {
  /** The data, when it is not the members' generated set (a prepared table, a fold). */
  data?: SplitDataset;
  /**
   * Called after every epoch with each training member's metrics; returns the indices of the
   * members to prune (a study's pruner decides), or nothing.
   */
  onEpoch?: (epoch: number, metrics: (EpochMetrics | null)[]) => number[] | void | Promise<number[] | void>;
  /** Checked between batches: when it returns true the run stops and reports what it has. */
  cancelled?: () => boolean;
  /**
   * Called once every member has stopped (not when the run was cancelled), before the
   * trainer's tensors are freed: the moment to read members' weights.
   */
  finish?: (trainer: Trainer) => Promise<void>;
  /** How the population trains beyond its specs: starting weights, masks, quantization-aware training, distillation. */
  trainer?: TrainerOptions;
}

/** How every member of a population ended. */
export interface PopulationOutcome {
  members: MemberState[];
  cancelled: boolean;
}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Trains experiments that share data and architecture as one population (see Trainer): the
 * engine behind studies, where a grid of learning rates costs about as much as one run.
 * Members that diverge, stop early or are pruned freeze; the others go on.
 */
export async function trainPopulation(specs: ExperimentSpec[], options: PopulationOptions = {}): Promise<PopulationOutcome> {
  const trainer = new Trainer(specs, trainingData(specs[0], options.data), options.trainer);
  try {
    while (!trainer.done) {
      if (options.cancelled?.()) return { members: trainer.members, cancelled: true };
      trainer.stepBatch();
      if (!trainer.atEpochEnd) continue;
      const metrics = await trainer.endEpoch();
      const prune = (await options.onEpoch?.(trainer.epoch, metrics)) ?? [];
      prune.forEach((p) => trainer.prune(p));
      await yieldToEvents();
    }
    await options.finish?.(trainer);
    return { members: trainer.members, cancelled: false };
  } finally {
    trainer.dispose();
  }
}
