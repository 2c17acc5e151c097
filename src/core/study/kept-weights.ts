import { crowdingDistance, minimizedPoint, nonDominatedSort } from '../search/multi';
import { isMultiObjective, studyObjectives } from './objectives';
import { toMinimize } from './schedule';
import type { StudySpec, TrialRecord } from './types';

/**
 * How many trained networks a study keeps, and in how many bytes of float32 weights at most:
 * the best five open trained in the training screen; the bound keeps a study of wide networks
 * from filling the browser's storage (one network over it is not kept at all).
 */
export const KEEP_WEIGHTS = { count: 5, bytes: 4 * 2 ** 20 } as const;

/** Bytes of a network's float32 weights as tf.io saves them (4 per parameter). */
export function weightBytes(weights: readonly Float32Array[]): number {
  return weights.reduce((n, w) => n + w.byteLength, 0);
}

/** A trial whose trained network is kept, or may be: its number and the bytes of its weights. */
export interface KeptCandidate {
  number: number;
  bytes: number;
}

/**
 * Which trained networks a study keeps among `candidates` (those it keeps now and those just
 * trained): the best trials first (one objective: by its value; several: NSGA-II's order, by
 * Pareto front and then crowding distance, so the front's ends and spread come first; ties by
 * trial number), at most `bounds.count` of them in at most `bounds.bytes`. A network that does
 * not fit the bytes left is passed over for the next. Returns trial numbers, best first.
 */
export function trialsToKeep(spec: StudySpec, trials: readonly TrialRecord[], candidates: readonly KeptCandidate[], bounds: { count: number; bytes: number } = KEEP_WEIGHTS): number[] {
  const byNumber = new Map(trials.map((t) => [t.number, t]));
  const scored = candidates.flatMap((c) => {
    const point = keepingPoint(spec, byNumber.get(c.number));
    return point ? [{ ...c, point }] : [];
  });
  const order: number[] = [];
  for (const front of nonDominatedSort(scored.map((s) => s.point))) {
    const distance = crowdingDistance(scored.map((s) => s.point), front);
    order.push(...front.map((i, k) => ({ i, d: distance[k] })).sort((a, b) => b.d - a.d || scored[a.i].number - scored[b.i].number).map((o) => o.i));
  }
  const kept: number[] = [];
  let bytes = 0;
  for (const i of order) {
    if (kept.length >= bounds.count) break;
    if (bytes + scored[i].bytes > bounds.bytes) continue;
    kept.push(scored[i].number);
    bytes += scored[i].bytes;
  }
  return kept;
}

/** A completed trial's objectives to minimize, or undefined when it has none to be ranked by. */
function keepingPoint(spec: StudySpec, trial: TrialRecord | undefined): number[] | undefined {
  if (!trial || trial.state !== 'complete') return undefined;
  if (isMultiObjective(spec)) return trial.values && minimizedPoint(trial.values, studyObjectives(spec).map((o) => o.direction));
  return trial.value === undefined ? undefined : [toMinimize(trial.value, spec.objective)];
}
