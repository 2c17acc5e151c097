import { createPopulationPruner, type PopulationPruner, type PrunerSpec } from '../search';
import type { StudySpec, TrialRecord } from './types';

/**
 * A study's pruner for its populations (see createPopulationPruner), or null without one.
 * Hyperband's brackets take the study's name, as Optuna's do, and its epochs as the longest a
 * trial trains unless the spec says otherwise.
 */
export function studyPruner(spec: StudySpec): PopulationPruner | null {
  const { pruner } = spec;
  if (pruner.kind === 'none') return null;
  const given = pruner.maxResource;
  const filled = pruner.kind === 'hyperband' ? { ...pruner, maxResource: typeof given === 'number' ? given : spec.base.training.epochs, studyName: spec.name } : pruner;
  return createPopulationPruner(filled as PrunerSpec);
}

/** One epoch of a population as a study measured it: the members that trained in it and its wall time. */
export interface EpochTiming {
  members: number;
  ms: number;
}

/**
 * The time one member costs a population per epoch, from the population's measured epochs, the
 * first left out (it sets up the data and compiles the kernels): the slope of the
 * least-squares line of an epoch's time against the members training in it, so that the fixed
 * cost of an epoch, which dropping members does not save, is not counted; where the count
 * never changed, the mean time per member-epoch (fixed cost included, an upper estimate). Null
 * before there is a second epoch, or when the slope is not positive.
 *
 * @example
 * memberEpochCost([{ members: 8, ms: 500 }, { members: 4, ms: 50 }, { members: 2, ms: 30 }]); // 10
 */
export function memberEpochCost(epochs: EpochTiming[]): number | null {
  const timed = epochs.slice(1);
  if (timed.length === 0) return null;
  const meanM = timed.reduce((a, e) => a + e.members, 0) / timed.length;
  const meanMs = timed.reduce((a, e) => a + e.ms, 0) / timed.length;
  const sxx = timed.reduce((a, e) => a + (e.members - meanM) ** 2, 0);
  if (sxx === 0) return meanM > 0 ? meanMs / meanM : null;
  const slope = timed.reduce((a, e) => a + (e.members - meanM) * (e.ms - meanMs), 0) / sxx;
  return slope > 0 ? slope : null;
}

/** What pruning saved a study. */
export interface PruningSavings {
  /** Trials pruned. */
  pruned: number;
  /** Epochs the pruned trials did not train (each trial's epochs after the one it stopped at), where their population's cost is known. */
  memberEpochs: number;
  /** Those member-epochs times the measured cost of one in the population that trained each trial ({@link memberEpochCost}), in ms. */
  ms: number;
}

/**
 * The pruned trials of a study, and the training time they did not take: for each pruned
 * trial, the epochs it did not train times its population's measured time per member-epoch.
 * An estimate built on measured times, not a second run without pruning.
 */
export function pruningSavings(trials: TrialRecord[]): PruningSavings {
  const pruned = trials.filter((t) => t.state === 'pruned');
  let memberEpochs = 0;
  let ms = 0;
  for (const t of pruned) {
    if (t.memberEpochMs === undefined || t.prunedAt === undefined) continue;
    const left = Math.max(0, t.spec.training.epochs - t.prunedAt);
    memberEpochs += left;
    ms += left * t.memberEpochMs;
  }
  return { pruned: pruned.length, memberEpochs, ms };
}
