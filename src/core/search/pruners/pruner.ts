/** A trial as pruners see it: its intermediate values (to minimize by default) per step, from step 1. */
export interface PrunerTrial {
  id: number;
  /** 'complete' for a finished trial; anything else ('running', 'pruned', …) counts as unfinished. */
  state: string;
  /** The value reported at step s is at index s − 1; undefined where none was reported. */
  intermediate: (number | undefined)[];
}

/**
 * Decides whether a trial stops early, from its own and the other trials' intermediate values
 * alone, so that a decision is the same after a reload.
 */
export interface Pruner {
  /**
   * Whether trial `id`, which reported `value` at `step` (from 1), should stop. `trials` may
   * include that trial itself, with or without this step's value; a trial missing from it is
   * taken to have reported every step before this one.
   */
  shouldPrune(id: number, step: number, value: number, trials: PrunerTrial[]): boolean;
}

/**
 * The options a study's form edits, with Optuna's defaults (except successive halving's minimum
 * resource: 1, not 'auto'; see AshaOptions). The pruners default to these.
 */
export const PRUNER_DEFAULTS = {
  median: { startupTrials: 5, warmupSteps: 0 },
  asha: { minResource: 1, reductionFactor: 4 },
  hyperband: { minResource: 1, reductionFactor: 3 },
} as const;

/** Whether a study minimizes or maximizes the values its pruner sees. */
export type Direction = 'minimize' | 'maximize';

/** The steps (from 1) at which trial `id` reported, this one included, with their values. */
export function ownReports(id: number, step: number, value: number, trials: PrunerTrial[]): { steps: number[]; values: number[] } {
  const own = trials.find((t) => t.id === id);
  const steps: number[] = [];
  const values: number[] = [];
  for (let s = 1; s < step; s++) {
    const v = own ? own.intermediate[s - 1] : NaN;
    if (own && v === undefined) continue;
    steps.push(s);
    // A trial not passed in reported every step; its values are unknown and count for nothing.
    values.push(v ?? NaN);
  }
  steps.push(step);
  values.push(value);
  return { steps, values };
}

/** A pruner for maximized values, from one written for minimized values: every value negated. */
export function maximizing(pruner: Pruner): Pruner {
  const negate = (v: number | undefined) => (v === undefined ? undefined : -v);
  return {
    shouldPrune: (id, step, value, trials) =>
      pruner.shouldPrune(id, step, -value, trials.map((t) => ({ ...t, intermediate: t.intermediate.map(negate) }))),
  };
}
