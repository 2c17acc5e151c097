import type { FeatureId } from '../model/types';

/** Computes one input feature from a point. */
type FeatureFn = (x1: number, x2: number) => number;

const FEATURE_FNS: Record<FeatureId, FeatureFn> = {
  x1: (x1) => x1,
  x2: (_, x2) => x2,
  x1sq: (x1) => x1 * x1,
  x2sq: (_, x2) => x2 * x2,
  x1x2: (x1, x2) => x1 * x2,
  sinx1: (x1) => Math.sin(x1),
  sinx2: (_, x2) => Math.sin(x2),
};

/** How each feature is shown on the network's input nodes. */
export const FEATURE_LABELS: Record<FeatureId, string> = {
  x1: 'x₁',
  x2: 'x₂',
  x1sq: 'x₁²',
  x2sq: 'x₂²',
  x1x2: 'x₁x₂',
  sinx1: 'sin(x₁)',
  sinx2: 'sin(x₂)',
};

/**
 * The network's inputs for points `x` (row-major [n, 2]): row-major [n, features.length], one
 * column per feature in the order given.
 *
 * @example
 * featurize(new Float32Array([1, 2]), ['x1sq', 'x1x2']); // Float32Array [1, 2]
 */
export function featurize(x: Float32Array, features: FeatureId[]): Float32Array {
  const n = x.length / 2;
  const fns = features.map((f) => FEATURE_FNS[f]);
  const out = new Float32Array(n * fns.length);
  for (let i = 0; i < n; i++) {
    const x1 = x[2 * i];
    const x2 = x[2 * i + 1];
    fns.forEach((fn, j) => (out[i * fns.length + j] = fn(x1, x2)));
  }
  return out;
}
