import { optimizationHistory } from './plots';
import type { Objective, TrialRecord, TrialState } from './types';

/** Every state a trial can be in, in the order the filter lists them. */
export const TRIAL_STATES: readonly TrialState[] = ['complete', 'pruned', 'failed', 'diverged', 'running', 'waiting'];

/** The trials whose state is among `shown`: what every plot of a study draws once filtered. */
export function trialsInStates(trials: TrialRecord[], shown: ReadonlySet<TrialState>): TrialRecord[] {
  return trials.filter((t) => shown.has(t.state));
}

/**
 * The best value so far after each trial number 0…length−1 (NaN until the first completed
 * trial), so that studies of different lengths overlay on one axis of trial numbers.
 */
export function bestSoFar(trials: TrialRecord[], objective: Objective, length: number): number[] {
  const history = optimizationHistory(trials, objective);
  const out = new Array<number>(length).fill(NaN);
  let k = -1;
  for (let n = 0; n < length; n++) {
    while (k + 1 < history.number.length && history.number[k + 1] <= n) k++;
    if (k >= 0) out[n] = history.best[k];
  }
  return out;
}

/** One study's line in a comparison of optimization histories. */
export interface ComparedHistory {
  label: string;
  best: number[];
}

/**
 * The optimization histories (best so far by trial number) of several studies on one shared
 * axis of trial numbers, 0 to the longest study's last trial.
 */
export function compareHistories(studies: { label: string; trials: TrialRecord[]; objective: Objective }[]): { number: number[]; lines: ComparedHistory[] } {
  const length = Math.max(0, ...studies.flatMap((s) => s.trials.map((t) => t.number + 1)));
  return {
    number: Array.from({ length }, (_, n) => n),
    lines: studies.map((s) => ({ label: s.label, best: bestSoFar(s.trials, s.objective, length) })),
  };
}
