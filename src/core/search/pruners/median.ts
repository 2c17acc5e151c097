import type { Pruner } from './pruner';

/** Options of the median pruner, as Optuna's MedianPruner. */
export interface MedianOptions {
  /** Completed trials needed before any pruning. */
  startupTrials?: number;
  /** Steps of a trial before it may be pruned. */
  warmupSteps?: number;
}

/**
 * Optuna's MedianPruner: stop a trial when its best intermediate value so far is worse than the
 * median of the completed trials' values at the same step.
 */
export function medianPruner({ startupTrials = 5, warmupSteps = 0 }: MedianOptions = {}): Pruner {
  return {
    shouldPrune(id, step, value, trials) {
      if (step <= warmupSteps || !Number.isFinite(value)) return !Number.isFinite(value) && step > warmupSteps;
      const others = trials
        .filter((t) => t.id !== id && t.state === 'complete')
        .map((t) => t.intermediate[step - 1])
        .filter((v): v is number => v !== undefined && Number.isFinite(v))
        .sort((a, b) => a - b);
      if (others.length < startupTrials) return false;
      const own = trials.find((t) => t.id === id)?.intermediate.slice(0, step).filter((v): v is number => v !== undefined) ?? [];
      const best = Math.min(value, ...own);
      const mid = others.length >> 1;
      const median = others.length % 2 ? others[mid] : (others[mid - 1] + others[mid]) / 2;
      return best > median;
    },
  };
}
