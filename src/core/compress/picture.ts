/**
 * The decision picture before and after optimization: both networks' outputs over the same
 * plane, and the held-out points whose predicted class changed, which the screen marks.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ProblemType, SplitDataset } from '../data/types';
import { NetworkParams, networkIO } from '../model/network';
import { decisionGridTensor, generatedFrame, predictTensor, sliceFrame } from '../model/predict';
import type { ExperimentSpec } from '../spec/experiment';
import { inputsOf } from '../train/trainer';

/** Two decision pictures of one plane and the held-out points drawn on them. */
export interface DecisionComparison {
  problem: ProblemType;
  /** Classes of a classification (2 for binary), 0 for regression. */
  classes: number;
  gridSize: number;
  /** The plane's ranges on the horizontal and vertical axes, and the inputs they show. */
  frame: { x: [number, number]; y: [number, number] };
  axes: [number, number];
  /** Each network's grid, as decisionGrid computes it. */
  before: Float32Array;
  after: Float32Array;
  /** The held-out rows (the test part, else validation) as drawn: raw inputs, targets, inputs per row. */
  points: { x: Float32Array; y: Float32Array; dims: number };
  /** Indices into `points` whose predicted class differs after (none for regression). */
  changed: number[];
}

/**
 * The two inputs a table's picture slices through: the first two that take more than two values
 * on the training rows (a one-hot input only takes 0 and 1, which leaves every point in a
 * corner), else the first two.
 */
export function pictureAxes(x: Float32Array, dims: number): [number, number] {
  const spread = Array.from({ length: dims }, (_, j) => {
    const seen = new Set<number>();
    for (let i = j; i < x.length && seen.size < 3; i += dims) seen.add(x[i]);
    return seen.size > 2;
  });
  const chosen = spread.flatMap((wide, j) => (wide ? [j] : []));
  const [a, b] = chosen.length >= 2 ? chosen : [0, 1];
  return [a, Math.min(b, dims - 1)];
}

/** Each row's predicted class from what predictTensor returns: the larger probability's class. */
function classesOf(out: tf.Tensor): tf.Tensor {
  return out.rank === 2 ? tf.argMax(out, 1) : tf.greaterEqual(out, 0.5);
}

/**
 * The decision pictures of `before` and `after` (parameterShapes order) over a generated set's
 * square or a slice through two of a table's inputs (pictureAxes), and the held-out points whose
 * predicted class changed. Both networks go through the device as one population of two.
 */
export async function decisionComparison(spec: ExperimentSpec, data: SplitDataset, before: Float32Array[], after: Float32Array[], gridSize = 48): Promise<DecisionComparison> {
  const part = data.test ?? data.val;
  const inputs = spec.data.kind === 'table' ? data.train.dims : spec.model.features.length;
  const axes = pictureAxes(data.train.x, data.train.dims);
  const frame = data.train.domain ? generatedFrame(data.train.domain, spec.model.features) : sliceFrame(data.train, axes);
  const problem = data.train.problem;
  const net = new NetworkParams(spec.model, networkIO(inputs, data.train.classes), [before, after]);
  try {
    const outputs = tf.tidy(() => {
      const x = tf.tensor2d(inputsOf(part, spec), [part.n, inputs]);
      const moved = problem === 'classification' ? tf.notEqual(classesOf(predictTensor(net, problem, x, 0)), classesOf(predictTensor(net, problem, x, 1))) : tf.zeros([part.n]);
      return [decisionGridTensor(net, problem, frame, gridSize, 0), decisionGridTensor(net, problem, frame, gridSize, 1), tf.cast(moved, 'float32')];
    });
    const [gridBefore, gridAfter, moved] = (await Promise.all(outputs.map((t) => t.data()))) as Float32Array[];
    tf.dispose(outputs);
    const changed = Array.from(moved.keys()).filter((i) => moved[i] === 1);
    return { problem, classes: data.train.classes, gridSize, frame: { x: frame.x, y: frame.y }, axes, before: gridBefore, after: gridAfter, points: { x: part.x, y: part.y, dims: part.dims }, changed };
  } finally {
    net.dispose();
  }
}
