import { ownReports, PRUNER_DEFAULTS, type Pruner, type PrunerTrial } from './pruner';

/** Options of successive halving, as Optuna's SuccessiveHalvingPruner. */
export interface AshaOptions {
  /**
   * Steps before the first rung (Optuna's min_resource). Default 1 rather than Optuna's
   * 'auto', which prunes nothing until a trial completes, while tunelab trains trials in
   * parallel populations; 'auto' is max(1, ⌊last step of the longest completed trial / 100⌋).
   */
  minResource?: number | 'auto';
  /** η: one trial in η goes on at each rung (Optuna's reduction_factor, 4). */
  reductionFactor?: number;
  /** s: rungs start at minResource·η^s (Optuna's min_early_stopping_rate, 0). */
  minEarlyStoppingRate?: number;
  /** A trial is stopped at a rung where at most this many values compete (Optuna's bootstrap_count, 0). */
  bootstrapCount?: number;
}

/** The value a trial took into a rung: its first reported value at or after the rung's step. */
function rungValue(trial: PrunerTrial, rungStep: number): number | undefined {
  for (let s = rungStep; s <= trial.intermediate.length; s++) if (trial.intermediate[s - 1] !== undefined) return trial.intermediate[s - 1];
  return undefined;
}

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020), as Optuna's SuccessiveHalvingPruner,
 * for minimized values: rung k sits at step r·η^(s+k). When a trial's report is its first at
 * or past a rung, the trial goes on only if its value is among the best ⌊n/η⌋ (at least the
 * best one) of the n values taken into that rung so far, its own included; a NaN there stops
 * it. A report that passes several rungs at once is judged at each in turn.
 *
 * Optuna keeps each trial's rung values as they happen; here they are read from the
 * intermediate values (the first at or past each rung's step), the same numbers, so the
 * decision survives a reload.
 */
export function ashaPruner({ minResource = PRUNER_DEFAULTS.asha.minResource, reductionFactor = PRUNER_DEFAULTS.asha.reductionFactor, minEarlyStoppingRate = 0, bootstrapCount = 0 }: AshaOptions = {}): Pruner {
  if (!(reductionFactor >= 2)) throw new Error(`Successive halving needs a reduction factor of at least 2 (got ${reductionFactor}).`);
  if (minResource !== 'auto' && !(minResource >= 1)) throw new Error(`Successive halving needs a minimum resource of at least 1 step (got ${minResource}).`);
  return {
    shouldPrune(id, step, value, trials) {
      let resource = minResource;
      if (resource === 'auto') {
        const lasts = trials.filter((t) => t.state === 'complete').map((t) => t.intermediate.length);
        if (lasts.length === 0) return false;
        resource = Math.max(1, Math.floor(Math.max(...lasts) / 100));
      }
      const { steps } = ownReports(id, step, value, trials);
      const previous = steps.length > 1 ? steps.at(-2)! : 0;
      const others = trials.filter((t) => t.id !== id);
      for (let k = 0; ; k++) {
        const rungStep = resource * reductionFactor ** (minEarlyStoppingRate + k);
        if (rungStep > step) return false;
        if (rungStep <= previous) continue;
        if (Number.isNaN(value)) return true;
        const competing = others.map((t) => rungValue(t, rungStep)).filter((v): v is number => v !== undefined && !Number.isNaN(v));
        competing.push(value);
        if (competing.length <= bootstrapCount) return true;
        competing.sort((a, b) => a - b);
        const promotable = Math.max(0, Math.floor(competing.length / reductionFactor) - 1);
        if (value > competing[promotable]) return true;
      }
    },
  };
}
