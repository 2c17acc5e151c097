import type { ExperimentSpec } from '../spec/experiment';
import { incompatibility, type MemberState } from '../train/trainer';
import type { Objective, TrialRecord, TrialState } from './types';

/**
 * Trials cut into groups that can train as one population (same data, architecture, optimizer
 * kind, batch and epochs), in their order, each of at most `maxSize`. Returns indices into
 * `specs`.
 */
export function groupCompatible(specs: ExperimentSpec[], maxSize: number): number[][] {
  const groups: number[][] = [];
  specs.forEach((spec, i) => {
    const home = groups.find((g) => g.length < maxSize && incompatibility(specs[g[0]], spec) === null);
    if (home) home.push(i);
    else groups.push([i]);
  });
  return groups;
}

/** The objective's value in one epoch, as the samplers want it: to be minimized. */
export function minimizedValue(metrics: { valLoss: number; valMetric: number }, objective: Objective): number {
  const value = metrics[objective.metric];
  return objective.direction === 'minimize' ? value : -value;
}

/**
 * A finished member's trial state and objective (in the objective's own direction): the last
 * epoch's value, or the best epoch's when early stopping restored it; none for diverged or
 * pruned trials, which samplers learn from as failures.
 */
export function trialResult(member: MemberState, objective: Objective): { state: TrialState; value?: number } {
  const state: TrialState = member.status === 'training' ? 'failed' : member.status === 'early-stopped' ? 'complete' : member.status;
  if (state !== 'complete') return { state };
  const epoch = member.bestEpoch ? member.history[member.bestEpoch - 1] : member.history.at(-1);
  return epoch ? { state, value: epoch[objective.metric] } : { state: 'failed' };
}

/**
 * Every trial as the samplers resume from it, in trial order: finished ones with their value to
 * minimize (null for failed and pruned), waiting and running ones marked pending, so that a
 * resumed sampler neither forgets them nor suggests them again.
 */
export function samplerHistory(
  trials: TrialRecord[],
  objective: Objective,
): { params: Record<string, string | number | boolean>; value: number | null; pending?: boolean }[] {
  return trials.map((t) =>
    t.state === 'waiting' || t.state === 'running'
      ? { params: t.params, value: null, pending: true }
      : { params: t.params, value: t.state === 'complete' && t.value !== undefined ? (objective.direction === 'minimize' ? t.value : -t.value) : null },
  );
}
