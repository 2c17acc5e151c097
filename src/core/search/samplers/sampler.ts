import type { Params } from '../space';

/** The interface every search strategy shares (as Optuna's BaseSampler): ask for parameters, tell how they did. */
export interface Sampler {
  /** The next trial's parameters, or null when the strategy has nothing left (a finished grid). */
  ask(): Params | null;
  /** Up to n trials at once, for parallel workers; fewer when the strategy runs out. */
  askBatch(n: number): Params[];
  /** The objective (to minimize) of a trial, or null when it failed or was pruned. */
  tell(params: Params, value: number | null): void;
}

/** One finished trial, as samplers resume from. */
export interface Observation {
  params: Params;
  value: number | null;
}
