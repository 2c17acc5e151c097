import type { ExperimentSpec } from '../spec/experiment';
import type { WeightPath } from '../train/weight-path';
import type { RunStatus } from '../train/types';

/** The slice grid's side: 51 by default, as the loss-landscape repository's plots; at least 11, at most 101. */
export const SLICE_GRID = { min: 11, max: 101, initial: 51 } as const;

/** What the landscape of a saved run reads from it: a subset of the saved run record. */
export interface SavedNetwork {
  spec: ExperimentSpec;
  /** How its run stands: one still training or paused has no final weights yet. */
  status?: RunStatus;
  weights?: Float32Array[];
  weightShapes?: number[][];
  initialWeights?: Float32Array[];
  path?: WeightPath;
}

/** What the landscape view draws for a run. */
export interface TrainedLandscapeRequest {
  /** The 1-D line's other end: the run's initial weights, or another run's minimum. */
  compareWith: 'initial' | { runId: string };
  /** The 2-D slice's directions: two seeded filter-normalized random ones, or the path's two principal axes. */
  directions: 'random' | 'pca';
  seed: number;
  /** The slice grid's side. */
  res: number;
}

/** A problem with a request, and the control it came from. */
export interface RequestProblem {
  field: 'run' | 'compareWith' | 'directions' | 'res';
  message: string;
}

/** A network's layer widths as a student reads them: 2-8-8-1. */
export function describeWidths(shapes: number[][]): string {
  const kernels = shapes.filter((s) => s.length === 2);
  return [kernels[0]?.[0], ...kernels.map((s) => s[1])].join('-');
}

/**
 * Why the landscape of `run` cannot be drawn as `request` asks, one problem per control, or an
 * empty list: a run without saved weights, a run saved before initial weights and snapshots
 * were kept, a grid size out of range, another run whose network differs.
 */
export function requestProblems(request: TrainedLandscapeRequest, run: SavedNetwork, other?: SavedNetwork | null): RequestProblem[] {
  const problems: RequestProblem[] = [];
  if (!run.weights || !run.weightShapes) {
    const live = run.status === 'running' || run.status === 'paused';
    problems.push({
      field: 'run',
      message: live
        ? `This run is still ${run.status === 'running' ? 'training' : 'paused'}: its landscape can be drawn once it ends. Come back to this screen then.`
        : 'This run has no saved weights (it was stopped, interrupted or diverged before its end): train it again to see its landscape.',
    });
    return problems;
  }
  const { res } = request;
  if (!Number.isInteger(res) || res < SLICE_GRID.min || res > SLICE_GRID.max) {
    problems.push({ field: 'res', message: `The grid has ${SLICE_GRID.min} to ${SLICE_GRID.max} points a side; ${res} is outside.` });
  }
  if (request.directions === 'pca' && !run.path?.weights.length) {
    problems.push({ field: 'directions', message: 'This run was saved without its weights after each epoch, which PCA directions need: choose random directions, or train it again.' });
  }
  if (request.compareWith === 'initial') {
    if (!run.initialWeights) problems.push({ field: 'compareWith', message: 'This run was saved without its initial weights: compare it with another run, or train it again.' });
  } else if (!other) {
    problems.push({ field: 'compareWith', message: 'The run to compare with is not saved in this browser any more.' });
  } else if (!other.weights || !other.weightShapes) {
    problems.push({ field: 'compareWith', message: 'The run to compare with has no saved weights.' });
  } else if (JSON.stringify(other.weightShapes) !== JSON.stringify(run.weightShapes) || JSON.stringify(other.spec.model.features) !== JSON.stringify(run.spec.model.features)
    || JSON.stringify(other.spec.model.hidden) !== JSON.stringify(run.spec.model.hidden)) {
    problems.push({
      field: 'compareWith',
      message: `That run's network (${describeWidths(other.weightShapes)}, ${other.spec.model.hidden.map((l) => l.activation).join(', ') || 'linear'}) differs from this one's (${describeWidths(run.weightShapes)}, ${run.spec.model.hidden.map((l) => l.activation).join(', ') || 'linear'}): a line between them means nothing.`,
    });
  } else if (JSON.stringify(other.spec.data) !== JSON.stringify(run.spec.data)) {
    problems.push({ field: 'compareWith', message: 'That run trained on other data: the two minima are minima of different losses.' });
  }
  return problems;
}
