// The peer of W6: a loss slice evaluated the way a person would write it in plain JavaScript,
// batched: for each grid point, its weights θ* + a·δ + b·η, then every row through the network
// as matrix products over typed arrays (Float64), tanh hidden layers, softmax cross-entropy.

/** A dense network's layers as [in, out] kernels and biases, flat (parameterShapes order). */
export interface PlainNetwork {
  widths: [number, number][];
}

/** Mean softmax cross-entropy of flat parameters `theta` on rows `x` [n, in] with labels `y`. */
function meanLoss(net: PlainNetwork, theta: Float64Array, x: Float64Array, y: Float32Array, n: number): number {
  let input = x;
  let at = 0;
  net.widths.forEach(([I, O], l) => {
    const out = new Float64Array(n * O);
    const bias = at + I * O;
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < O; j++) out[r * O + j] = theta[bias + j];
      for (let i = 0; i < I; i++) {
        const v = input[r * I + i];
        for (let j = 0; j < O; j++) out[r * O + j] += v * theta[at + i * O + j];
      }
    }
    if (l < net.widths.length - 1) for (let k = 0; k < out.length; k++) out[k] = Math.tanh(out[k]);
    at = bias + O;
    input = out;
  });
  const K = net.widths[net.widths.length - 1][1];
  let total = 0;
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, input[r * K + k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(input[r * K + k] - max);
    total += max + Math.log(sum) - input[r * K + y[r]];
  }
  return total / n;
}

/**
 * The training and validation loss at every point of a res × res grid of [−1, 1]² around
 * `center` along `delta` and `eta`, a varying fastest.
 */
export function plainSlice(
  net: PlainNetwork,
  center: Float32Array, delta: Float32Array, eta: Float32Array, res: number,
  parts: { x: Float32Array; y: Float32Array; n: number }[],
): Float64Array[] {
  const xs = parts.map((p) => Float64Array.from(p.x));
  const out = parts.map(() => new Float64Array(res * res));
  const theta = new Float64Array(center.length);
  for (let row = 0; row < res; row++) {
    for (let col = 0; col < res; col++) {
      const a = -1 + (2 * col) / (res - 1), b = -1 + (2 * row) / (res - 1);
      for (let k = 0; k < theta.length; k++) theta[k] = center[k] + a * delta[k] + b * eta[k];
      parts.forEach((p, q) => (out[q][row * res + col] = meanLoss(net, theta, xs[q], p.y, p.n)));
    }
  }
  return out;
}
