import type { Pruner } from './pruner';

/** Options of successive halving, as Optuna's SuccessiveHalvingPruner. */
export interface AshaOptions {
  /** Steps before the first rung. */
  minResource?: number;
  /** η: one trial in η goes on at each rung. */
  reductionFactor?: number;
}

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020), as Optuna's SuccessiveHalvingPruner:
 * rungs at steps r·η^k; a trial reaching a rung goes on only if its value there is among the
 * best 1/η of all values recorded at that rung so far (the best one when fewer than η are).
 */
export function ashaPruner({ minResource = 1, reductionFactor = 3 }: AshaOptions = {}): Pruner {
  const isRung = (step: number) => {
    for (let r = minResource; r <= step; r *= reductionFactor) if (r === step) return true;
    return false;
  };
  return {
    shouldPrune(id, step, value, trials) {
      if (!Number.isFinite(value)) return true;
      if (!isRung(step)) return false;
      const competing = trials
        .filter((t) => t.id !== id)
        .map((t) => t.intermediate[step - 1])
        .filter((v): v is number => v !== undefined && Number.isFinite(v));
      competing.push(value);
      competing.sort((a, b) => a - b);
      const promotable = Math.max(0, Math.floor(competing.length / reductionFactor) - 1);
      return value > competing[promotable];
    },
  };
}
