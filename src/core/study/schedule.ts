import type { ExperimentSpec } from '../spec/experiment';
import { incompatibility, type MemberState } from '../train/trainer';
import type { EpochMetrics } from '../train/types';
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
  return toMinimize(metrics[objective.metric], objective);
}

/** A value of the objective turned so that smaller is better (negated when the objective maximizes). */
export function toMinimize(value: number, objective: Pick<Objective, 'direction'>): number {
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

/** The mean and the standard deviation (over the values themselves, numpy's and scikit-learn's `scores.std()`) of some numbers. */
export function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) };
}

/**
 * A trial's state and objective over its folds, from its member in each fold: the mean of the
 * folds' values (each as {@link trialResult} takes it) with their standard deviation;
 * diverged when any fold diverged, pruned when it was pruned, failed when a fold has no value.
 * One fold gives trialResult's answer, with no standard deviation.
 */
export function crossValidatedResult(members: MemberState[], objective: Objective): { state: TrialState; value?: number; valueStd?: number } {
  const results = members.map((m) => trialResult(m, objective));
  if (results.length === 1) return results[0];
  for (const state of ['diverged', 'pruned', 'failed'] as const) if (results.some((r) => r.state === state)) return { state };
  const { mean, std } = meanStd(results.map((r) => r.value!));
  return { state: 'complete', value: mean, valueStd: std };
}

/**
 * Each member's metrics of one epoch averaged over the folds that trained it in that epoch
 * (`perFold[fold][member]`, null where a fold's member had stopped), null where none did: the
 * intermediate values pruners judge under cross-validation.
 */
export function meanOverFolds(perFold: (EpochMetrics | null)[][]): (EpochMetrics | null)[] {
  return perFold[0].map((_, p) => {
    const ms = perFold.map((fold) => fold[p]).filter((m): m is EpochMetrics => m !== null);
    if (ms.length === 0) return null;
    const mean = (key: keyof EpochMetrics) => meanStd(ms.map((m) => m[key])).mean;
    return { epoch: ms[0].epoch, trainLoss: mean('trainLoss'), valLoss: mean('valLoss'), trainMetric: mean('trainMetric'), valMetric: mean('valMetric') };
  });
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
      : { params: t.params, value: t.state === 'complete' && t.value !== undefined ? toMinimize(t.value, objective) : null },
  );
}
