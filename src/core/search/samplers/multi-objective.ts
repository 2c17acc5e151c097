import type { Params, SearchSpace } from '../space';
import { drawParams } from './random';
import { trialRng } from './sampler';

/**
 * The interface of samplers for several objectives (Optuna's samplers told a list of values):
 * trials are asked a generation at a time, so that one generation trains as one population.
 */
export interface MultiObjectiveSampler {
  /**
   * Up to n trials of the generation now open, each with its generation (from 0). Fewer, even
   * none, while that generation's asked trials are still training: its successor is bred from
   * their results.
   */
  askBatch(n: number): AskedTrial[];
  /** How a trial asked before did: its objective values, each to minimize, or null when it failed or was pruned. */
  tell(params: Params, values: readonly number[] | null): void;
}

/** A trial handed out by a {@link MultiObjectiveSampler}. */
export interface AskedTrial {
  params: Params;
  generation: number;
}

/**
 * One trial a multi-objective sampler resumes from, in ask order: its generation, and its
 * values to minimize (null for failed or pruned), or `pending` while it has not finished.
 */
export interface MultiObjectiveObservation {
  params: Params;
  values: readonly number[] | null;
  pending?: boolean;
  generation?: number;
}

/** Trials per generation when a sampler is not told: Optuna's NSGAIISampler default. */
export const DEFAULT_POPULATION_SIZE = 50;

/**
 * Random search for several objectives, for comparison with NSGA-II: the trials random search
 * draws for one objective (the same parameters for the same seed), counted in generations of
 * `populationSize` so that both show hypervolume per generation alike.
 */
export function randomMultiObjectiveSampler(space: SearchSpace, seed: number, populationSize = DEFAULT_POPULATION_SIZE, history: MultiObjectiveObservation[] = []): MultiObjectiveSampler {
  let k = history.length;
  return {
    askBatch: (n) =>
      Array.from({ length: n }, () => {
        const generation = Math.floor(k / populationSize);
        return { params: drawParams(space, trialRng(seed, k++)), generation };
      }),
    tell: () => {},
  };
}
