/** A trial as pruners see it: its intermediate values (to minimize) per step, from step 1. */
export interface PrunerTrial {
  id: number;
  state: string;
  intermediate: (number | undefined)[];
}

/**
 * Decides whether a trial stops early, from its own and the other trials' intermediate values
 * alone, so that a decision is the same after a reload.
 */
export interface Pruner {
  /** Whether trial `id`, which reported `value` at `step` (from 1), should stop. */
  shouldPrune(id: number, step: number, value: number, trials: PrunerTrial[]): boolean;
}
