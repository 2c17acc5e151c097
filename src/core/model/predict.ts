import * as tf from '@tensorflow/tfjs-core';
import { featurize } from '../data/features';
import type { ProblemType } from '../data/types';
import type { NetworkParams } from './network';

/**
 * Member p's predictions on a gridSize × gridSize grid over the square domain, row 0 at the
 * top (highest x2), columns from the lowest x1: the class-1 probability for classification,
 * the value for regression. What the decision-boundary picture draws.
 */
export async function decisionGrid(
  net: NetworkParams,
  problem: ProblemType,
  domain: [number, number],
  gridSize: number,
  p = 0,
): Promise<Float32Array> {
  const out = decisionGridTensor(net, problem, domain, gridSize, p);
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
  [lo, hi]: [number, number],
  gridSize: number,
  p = 0,
): tf.Tensor1D {
  const points = new Float32Array(gridSize * gridSize * 2);
  for (let r = 0; r < gridSize; r++) {
    for (let c = 0; c < gridSize; c++) {
      const i = 2 * (r * gridSize + c);
      points[i] = lo + ((hi - lo) * (c + 0.5)) / gridSize;
      points[i + 1] = hi - ((hi - lo) * (r + 0.5)) / gridSize;
    }
  }
  const features = net.spec.features;
  return tf.tidy(() => {
    const x = tf.tensor2d(featurize(points, features), [gridSize * gridSize, features.length]);
    const logits = tf.reshape(tf.slice(net.forward(x), [p, 0], [1, -1]), [-1]);
    return (problem === 'classification' ? tf.sigmoid(logits) : logits) as tf.Tensor1D;
  });
}
