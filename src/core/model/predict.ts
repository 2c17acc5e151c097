import * as tf from '@tensorflow/tfjs-core';
import { featurize } from '../data/features';
import type { Dataset, ProblemType } from '../data/types';
import type { FeatureId } from './types';
import type { NetworkParams } from './network';

/**
 * The plane a decision picture shows and how its points become network inputs: for a
 * generated set the square its points live in, with the chosen features computed from
 * (x1, x2); for a table a 2D slice through input space.
 */
export interface PictureFrame {
  x: [number, number];
  y: [number, number];
  /** Network inputs, row-major [n, inputs], for points (x, y interleaved). */
  inputs(points: Float32Array): Float32Array;
}

/** The frame of a generated set: its square domain, and the features computed from each point. */
export function generatedFrame([lo, hi]: [number, number], features: FeatureId[]): PictureFrame {
  return { x: [lo, hi], y: [lo, hi], inputs: (points) => featurize(points, features) };
}

/**
 * A 2D slice through a table's input space: inputs `axes[0]` and `axes[1]` vary over the
 * range the training part covers, every other input is held at its training mean (for
 * one-hot inputs, the share of each level), so the picture shows what the network does
 * around a typical row.
 */
export function sliceFrame(train: Dataset, axes: [number, number]): PictureFrame {
  const { dims, n, x } = train;
  const mean = new Float64Array(dims);
  const lo = new Array<number>(dims).fill(Infinity);
  const hi = new Array<number>(dims).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dims; j++) {
      const v = x[i * dims + j];
      mean[j] += v / n;
      lo[j] = Math.min(lo[j], v);
      hi[j] = Math.max(hi[j], v);
    }
  }
  const range = (j: number): [number, number] => {
    const pad = Math.max((hi[j] - lo[j]) * 0.05, 1e-3);
    return Number.isFinite(lo[j]) ? [lo[j] - pad, hi[j] + pad] : [-1, 1];
  };
  return {
    x: range(axes[0]),
    y: range(axes[1]),
    inputs(points) {
      const count = points.length / 2;
      const out = new Float32Array(count * dims);
      for (let i = 0; i < count; i++) {
        out.set(mean, i * dims);
        out[i * dims + axes[0]] = points[2 * i];
        out[i * dims + axes[1]] = points[2 * i + 1];
      }
      return out;
    },
  };
}

/**
 * A multi-class picture cell: the predicted class plus its probability, as k + p with p
 * capped below 1, so one number per cell carries both (k = floor(v), p = v − k).
 */
export function classCell(value: number): { label: number; probability: number } {
  const label = Math.floor(value);
  return { label, probability: value - label };
}

/**
 * Member p's predictions on a gridSize × gridSize grid over the frame, row 0 at the top
 * (highest y), columns from the lowest x: the class-1 probability for two classes, the
 * predicted class and its probability (see {@link classCell}) for more, the value for
 * regression. What the decision-boundary picture draws.
 */
export async function decisionGrid(
  net: NetworkParams,
  problem: ProblemType,
  frame: PictureFrame,
  gridSize: number,
  p = 0,
): Promise<Float32Array> {
  const out = decisionGridTensor(net, problem, frame, gridSize, p);
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

/** {@link decisionGrid} as a tensor [gridSize²] on the device, for callers that batch their reads; the caller disposes it. */
export function decisionGridTensor(
  net: NetworkParams,
  problem: ProblemType,
  frame: PictureFrame,
  gridSize: number,
  p = 0,
): tf.Tensor1D {
  const points = new Float32Array(gridSize * gridSize * 2);
  const [x0, x1] = frame.x;
  const [y0, y1] = frame.y;
  for (let r = 0; r < gridSize; r++) {
    for (let c = 0; c < gridSize; c++) {
      const i = 2 * (r * gridSize + c);
      points[i] = x0 + ((x1 - x0) * (c + 0.5)) / gridSize;
      points[i + 1] = y1 - ((y1 - y0) * (r + 0.5)) / gridSize;
    }
  }
  const cells = gridSize * gridSize;
  return tf.tidy(() => {
    const x = tf.tensor2d(frame.inputs(points), [cells, net.io.inputs]);
    if (net.io.outputs > 1) return classPicture(logitsOf(net, x, p) as tf.Tensor2D);
    return predictTensor(net, problem, x, p) as tf.Tensor1D;
  });
}

/**
 * The decision picture's value of each row of class logits [n, K]: the most likely class plus
 * its softmax probability, capped at 0.999 (argMax + max of the softmax), computed in K
 * elementwise passes over the rows rather than as reductions along them. On a software WebGPU
 * adapter (SwiftShader) a reduction over thousands of rows of five is thousands of workgroups
 * with barriers, ~0.35 s a picture, which made a table's training wait on its progress pictures.
 */
export function classPicture(logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const columns = tf.unstack(logits, 1);
    let best = columns[0];
    let index = tf.zerosLike(best);
    // Strictly greater: the first of equal logits wins, as argMax decides.
    for (let k = 1; k < columns.length; k++) {
      const better = tf.cast(tf.greater(columns[k], best), 'float32');
      index = tf.add(index, tf.mul(better, tf.sub(tf.scalar(k), index)));
      best = tf.maximum(best, columns[k]);
    }
    // The largest probability of a softmax is 1 / Σₖ exp(zₖ − max z).
    const sum = columns.reduce((total, z) => tf.add(total, tf.exp(tf.sub(z, best))), tf.zerosLike(best));
    return tf.add(index, tf.minimum(tf.reciprocal(sum), 0.999)) as tf.Tensor1D;
  });
}

/** Member p's logits for inputs `x` [n, inputs]: [n] for one output, [n, K] for K classes. */
function logitsOf(net: NetworkParams, x: tf.Tensor2D, p: number): tf.Tensor {
  return tf.tidy(() => tf.squeeze(tf.slice(net.forward(x), [p], [1]), [0]));
}

/**
 * What member p says of inputs `x` [n, inputs]: the class-1 probability [n] for two classes,
 * the class probabilities [n, K] (softmax) for more, the value [n] for regression.
 */
export function predictTensor(net: NetworkParams, problem: ProblemType, x: tf.Tensor2D, p = 0): tf.Tensor {
  return tf.tidy(() => {
    const logits = logitsOf(net, x, p);
    if (net.io.outputs > 1) return tf.softmax(logits);
    return problem === 'classification' ? tf.sigmoid(logits) : logits;
  });
}
