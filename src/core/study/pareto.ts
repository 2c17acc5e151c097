import { hypervolume, minimizedPoint, paretoFront } from '../search/multi';
import { DEFAULT_POPULATION_SIZE } from '../search/samplers/multi-objective';
import { OBJECTIVE_LABELS } from './objectives';
import type { StudyObjective, TrialRecord } from './types';

/** A trial that finished with every objective's value. */
export type ScoredTrial = TrialRecord & { values: number[] };

/** Completed trials with a value for every objective, in trial order. */
export function scoredTrials(trials: TrialRecord[], objectives: StudyObjective[]): ScoredTrial[] {
  return trials.filter((t): t is ScoredTrial => t.state === 'complete' && t.values?.length === objectives.length && t.values.every(Number.isFinite));
}

/** The trial numbers on the Pareto front: no other completed trial is as good in every objective and better in one. */
export function paretoTrials(trials: TrialRecord[], objectives: StudyObjective[]): ScoredTrial[] {
  const scored = scoredTrials(trials, objectives);
  const directions = objectives.map((o) => o.direction);
  return paretoFront(scored.map((t) => minimizedPoint(t.values, directions))).map((i) => scored[i]);
}

/** One panel of the Pareto plot: objective `x` against objective `y`. */
export interface ParetoPanel {
  x: { index: number; label: string; log: boolean };
  y: { index: number; label: string; log: boolean };
  /** Every scored trial: its number, its two values, and whether it is on the study's Pareto front (over all objectives). */
  points: { number: number; x: number; y: number; front: boolean }[];
  /**
   * The front of this pair drawn as a staircase, sorted by x: the points no other point beats
   * in both, joined by steps that hold the earlier point's y until the next point's x.
   */
  line: { x: number; y: number }[];
}

/** Whether an axis suits a log scale: every value positive and spanning two decades or more (parameter counts). */
function logAxis(values: number[]): boolean {
  return values.length > 1 && values.every((v) => v > 0) && Math.max(...values) / Math.min(...values) >= 100;
}

/**
 * What the Pareto plot draws: for two objectives one panel, for three the three pairs; each
 * with every completed trial, the study's Pareto-optimal trials marked, and the front of that
 * pair as a staircase.
 */
export function paretoPanels(trials: TrialRecord[], objectives: StudyObjective[]): ParetoPanel[] {
  const scored = scoredTrials(trials, objectives);
  const directions = objectives.map((o) => o.direction);
  const onFront = new Set(paretoFront(scored.map((t) => minimizedPoint(t.values, directions))));
  const pairs = objectives.length === 2 ? [[0, 1]] : [[0, 1], [0, 2], [1, 2]];
  const axis = (index: number) => ({ index, label: OBJECTIVE_LABELS[objectives[index].metric], log: logAxis(scored.map((t) => t.values[index])) });
  return pairs.map(([i, j]) => {
    const projected = scored.map((t) => minimizedPoint([t.values[i], t.values[j]], [directions[i], directions[j]]));
    const front = paretoFront(projected)
      .map((k) => ({ x: scored[k].values[i], y: scored[k].values[j] }))
      .sort((a, b) => a.x - b.x || a.y - b.y);
    const line = front.flatMap((p, k) => (k === 0 ? [p] : [{ x: p.x, y: front[k - 1].y }, p]));
    return {
      x: axis(i),
      y: axis(j),
      points: scored.map((t, k) => ({ number: t.number, x: t.values[i], y: t.values[j], front: onFront.has(k) })),
      line,
    };
  });
}

/** A trial's generation: the sampler's, or its place in blocks of the default population for trials without one. */
export function generationOf(trial: TrialRecord): number {
  return trial.generation ?? Math.floor(trial.number / DEFAULT_POPULATION_SIZE);
}

/**
 * The hypervolume of the front found by the end of each generation, so a study shows whether
 * its search still improves. Objectives are first turned to minimization and scaled so the
 * study's best value of each (over all its completed trials) is 0 and its reference is 1; the
 * reference point is each objective's worst value plus a tenth of its range (1 where all
 * values are equal), so every completed trial counts, and the figure is the share of the unit
 * box the front dominates: between 0 and 1, comparable across the study's generations, not
 * across studies. `reference` is that point in the objectives' own units and directions.
 */
export function hypervolumeHistory(trials: TrialRecord[], objectives: StudyObjective[]): { generation: number[]; hypervolume: number[]; reference: number[] } {
  const scored = scoredTrials(trials, objectives);
  if (scored.length === 0) return { generation: [], hypervolume: [], reference: [] };
  const directions = objectives.map((o) => o.direction);
  const points = scored.map((t) => minimizedPoint(t.values, directions));
  const best = objectives.map((_, m) => Math.min(...points.map((p) => p[m])));
  const worst = objectives.map((_, m) => Math.max(...points.map((p) => p[m])));
  const reference = worst.map((w, m) => (w > best[m] ? w + (w - best[m]) / 10 : w + 1));
  const scaled = points.map((p) => p.map((v, m) => (v - best[m]) / (reference[m] - best[m])));
  const generations = [...new Set(scored.map(generationOf))].sort((a, b) => a - b);
  return {
    generation: generations,
    hypervolume: generations.map((g) => hypervolume(scaled.filter((_, k) => generationOf(scored[k]) <= g), objectives.map(() => 1))),
    reference: minimizedPoint(reference, directions),
  };
}

