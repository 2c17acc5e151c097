import { ownReports, PRUNER_DEFAULTS, type Pruner } from './pruner';

/** Options of the median pruner, as Optuna's MedianPruner. */
export interface MedianOptions {
  /** Completed trials needed before any pruning (Optuna's n_startup_trials, 5). */
  startupTrials?: number;
  /** Steps of a trial that are never pruned (Optuna's n_warmup_steps, 0). */
  warmupSteps?: number;
  /** Steps between pruning checks after the warm-up (Optuna's interval_steps, 1). */
  intervalSteps?: number;
  /** Completed trials with a value at the step needed to judge it (Optuna's n_min_trials, 1). */
  minTrials?: number;
}

/** The median of numbers, NaN ignored (numpy's nanpercentile at 50); NaN when none is left. */
function nanMedian(values: number[]): number {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/**
 * Optuna's MedianPruner (its PercentilePruner at 50), for minimized values: once
 * `startupTrials` trials have completed, and past `warmupSteps`, at the first report of every
 * `intervalSteps` interval, stop a trial whose best value so far is worse than the median of
 * the completed trials' values at the same step. A trial whose values are all NaN is stopped;
 * a step no completed trial reached stops nothing.
 *
 * Steps count from 1 here where Optuna's count from 0: Optuna's step s is step s + 1 here.
 */
export function medianPruner({ startupTrials = PRUNER_DEFAULTS.median.startupTrials, warmupSteps = PRUNER_DEFAULTS.median.warmupSteps, intervalSteps = 1, minTrials = 1 }: MedianOptions = {}): Pruner {
  return {
    shouldPrune(id, step, value, trials) {
      const completed = trials.filter((t) => t.state === 'complete' && t.id !== id);
      if (completed.length === 0 || completed.length < startupTrials || step <= warmupSteps) return false;
      const { steps, values } = ownReports(id, step, value, trials);
      // Optuna's _is_first_in_interval_step, in steps from 1.
      const intervalStart = Math.floor((step - 1 - warmupSteps) / intervalSteps) * intervalSteps + warmupSteps + 1;
      const previous = steps.length > 1 ? steps.at(-2)! : 0;
      if (previous >= intervalStart) return false;
      const finite = values.filter((v) => !Number.isNaN(v));
      if (finite.length === 0) return true;
      const best = Math.min(...finite);
      const atStep = completed.map((t) => t.intermediate[step - 1]).filter((v): v is number => v !== undefined);
      if (atStep.length < minTrials) return false;
      const median = nanMedian(atStep);
      return !Number.isNaN(median) && best > median;
    },
  };
}
