// The plain-JavaScript peer of W1, W2 and W5: the batched engine a careful engineer writes by hand
// over typed arrays, in double precision: a tanh (or ReLU) network with one sigmoid output and
// binary cross-entropy on the logit, or K softmax outputs and cross-entropy, a minibatch at a
// time as matrix loops, and SGD with momentum or Adam written out as torch.optim states them.
// For W5 it also fine-tunes a trained network with pruning masks (pruned weights at 0, no
// gradient) and quantization-aware training (each kernel fake-quantized per tensor, asymmetric,
// as torch's MinMax observer; the gradient straight through to the float weights). Per epoch it
// does what tunelab's epoch does: the shuffled batches, a running-mean training loss, one pass
// over the validation set.

import { roundHalfEven } from '../../src/core/compress/quantize';

/** The optimizer of the peer, as torch.optim names its hyperparameters. */
export type PeerOptimizer = { kind: 'momentum'; lr: number; momentum: number } | { kind: 'adam'; lr: number; beta1: number; beta2: number; eps: number };

/** A tiny seeded generator (mulberry32): the peer's own weights and shuffles. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The rows 0, 1, …, n − 1, by a loop: `Int32Array.from` with a callback had taken 6 % of the peer's time in Chromium. */
function identity(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** What else a network may be: its hidden activation, trained weights to start from, masks, fake-quantized kernels. */
export interface PeerOptions {
  activation?: 'tanh' | 'relu';
  /** Starting parameters in tunelab's order (W_0 [in, out], b_0, W_1, b_1, …), instead of Glorot-uniform. */
  start?: Float32Array[];
  /** One mask per kernel (1 keeps, 0 prunes), [in, out] row-major. */
  masks?: Uint8Array[];
  /** Bits of every kernel's fake quantization while training, per tensor and asymmetric; none when absent. */
  bits?: number;
}

/** A network of `widths` (inputs first, one output, or K softmax outputs, last), its optimizer state and its scratch. */
export class BatchedNetwork {
  /** Per layer: weights [in, out] row-major, then the biases [out], in one array; and its gradient and slots alike. */
  private readonly params: Float64Array[];
  /** What the passes compute with: the parameters, or copies with the kernels fake-quantized. */
  private readonly used: Float64Array[];
  private readonly relu: boolean;
  private readonly grads: Float64Array[];
  private readonly first: Float64Array[];
  private readonly second: Float64Array[];
  /** Per layer: its input [B, in] and, for hidden layers, its activation; then dL/dz. */
  private readonly acts: Float64Array[];
  private readonly deltas: Float64Array[];
  private readonly random: () => number;
  private t = 0;

  constructor(
    private readonly widths: number[],
    seed: number,
    private readonly optimizer: PeerOptimizer,
    private readonly batch: number,
    private readonly options: PeerOptions = {},
  ) {
    this.random = mulberry32(seed);
    this.relu = options.activation === 'relu';
    const layers = widths.slice(1).map((out, l) => [widths[l], out]);
    // Glorot-uniform weights, zero biases, as Keras' Dense starts; or the given ones, masked.
    this.params = layers.map(([i, o], l) => {
      const p = new Float64Array((i + 1) * o);
      if (options.start) {
        p.set(options.start[2 * l]);
        p.set(options.start[2 * l + 1], i * o);
      } else {
        const limit = Math.sqrt(6 / (i + o));
        for (let k = 0; k < i * o; k++) p[k] = (2 * this.random() - 1) * limit;
      }
      const mask = options.masks?.[l];
      if (mask) for (let k = 0; k < i * o; k++) if (!mask[k]) p[k] = 0;
      return p;
    });
    this.used = options.bits ? this.params.map((p) => new Float64Array(p.length)) : this.params;
    this.grads = this.params.map((p) => new Float64Array(p.length));
    this.first = this.params.map((p) => new Float64Array(p.length));
    this.second = this.params.map((p) => new Float64Array(p.length));
    this.acts = widths.map((w) => new Float64Array(batch * w));
    this.deltas = widths.slice(1).map((w) => new Float64Array(batch * w));
  }

  /** Each kernel fake-quantized into `used`: levels 0 … 2^bits − 1 over [min, max] widened to include 0, round half to even. */
  private quantizeKernels(): void {
    const bits = this.options.bits;
    if (!bits) return;
    const qmax = 2 ** bits - 1;
    this.params.forEach((p, l) => {
      const n = this.widths[l] * this.widths[l + 1];
      const u = this.used[l];
      let lo = 0, hi = 0;
      for (let k = 0; k < n; k++) {
        lo = Math.min(lo, p[k]);
        hi = Math.max(hi, p[k]);
      }
      const scale = Math.max((hi - lo) / qmax, 2 ** -23);
      const zero = Math.min(qmax, Math.max(0, -roundHalfEven(lo / scale)));
      for (let k = 0; k < n; k++) u[k] = (Math.min(qmax, Math.max(0, roundHalfEven(p[k] / scale) + zero)) - zero) * scale;
      for (let k = n; k < p.length; k++) u[k] = p[k];
    });
  }

  /** The logits of rows `acts[0]` (B of them) into `deltas[last]`, activations kept for the backward pass. */
  private forward(B: number): Float64Array {
    const L = this.params.length;
    for (let l = 0; l < L; l++) {
      const [I, O] = [this.widths[l], this.widths[l + 1]];
      const p = this.used[l], input = this.acts[l];
      const out = l < L - 1 ? this.acts[l + 1] : this.deltas[L - 1];
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < O; j++) out[b * O + j] = p[I * O + j];
        for (let i = 0; i < I; i++) {
          const v = input[b * I + i];
          for (let j = 0; j < O; j++) out[b * O + j] += v * p[i * O + j];
        }
      }
      if (l < L - 1 && this.relu) for (let k = 0; k < B * O; k++) out[k] = Math.max(0, out[k]);
      else if (l < L - 1) for (let k = 0; k < B * O; k++) out[k] = Math.tanh(out[k]);
    }
    return this.deltas[L - 1];
  }

  /**
   * The loss of the B logits rows `z` against their targets (rows `order[from…]` of y: a 0/1
   * label, or a class index for K > 1 outputs), summed; with `grad`, z becomes dL/dz of the
   * batch's mean loss: (σ(z) − t)/B, or (softmax(z) − onehot)/B. With `hits`, counts right answers into hits[0].
   */
  private loss(z: Float64Array, y: Float32Array, order: Int32Array, from: number, B: number, grad: boolean, hits?: number[]): number {
    const K = this.widths[this.widths.length - 1];
    let sum = 0;
    for (let b = 0; b < B; b++) {
      const t = y[order[from + b]];
      if (K === 1) {
        // BCE on the logit: max(z, 0) − z·t + log(1 + e^−|z|).
        const v = z[b];
        sum += Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
        if (hits && (v > 0 ? 1 : 0) === t) hits[0]++;
        if (grad) z[b] = (1 / (1 + Math.exp(-v)) - t) / B;
        continue;
      }
      let max = -Infinity, best = 0;
      for (let k = 0; k < K; k++) if (z[b * K + k] > max) [max, best] = [z[b * K + k], k];
      let total = 0;
      for (let k = 0; k < K; k++) total += Math.exp(z[b * K + k] - max);
      sum += Math.log(total) + max - z[b * K + t];
      if (hits && best === t) hits[0]++;
      if (grad) for (let k = 0; k < K; k++) z[b * K + k] = (Math.exp(z[b * K + k] - max) / total - (k === t ? 1 : 0)) / B;
    }
    return sum;
  }

  /** Copies rows `order[from…from + B)` of x (its inputs) into the input. */
  private load(x: Float32Array, order: Int32Array, from: number, B: number): void {
    const F = this.widths[0];
    for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) this.acts[0][b * F + f] = x[order[from + b] * F + f];
  }

  /** One epoch over x, y (n rows) in a new shuffled order; returns the running-mean training loss. */
  trainEpoch(x: Float32Array, y: Float32Array, n: number): number {
    const order = identity(n);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const L = this.params.length;
    let lossSum = 0;
    for (let from = 0; from < n; from += this.batch) {
      const B = Math.min(this.batch, n - from);
      this.load(x, order, from, B);
      this.quantizeKernels();
      lossSum += this.loss(this.forward(B), y, order, from, B, true);
      for (let l = L - 1; l >= 0; l--) {
        const [I, O] = [this.widths[l], this.widths[l + 1]];
        // The backward pass goes through the weights the forward pass used (straight through the rounding).
        const g = this.grads[l], d = this.deltas[l], input = this.acts[l], p = this.used[l];
        g.fill(0);
        for (let b = 0; b < B; b++) {
          for (let i = 0; i < I; i++) {
            const v = input[b * I + i];
            for (let j = 0; j < O; j++) g[i * O + j] += v * d[b * O + j];
          }
          for (let j = 0; j < O; j++) g[I * O + j] += d[b * O + j];
        }
        if (l === 0) break;
        const below = this.deltas[l - 1];
        for (let b = 0; b < B; b++) {
          for (let i = 0; i < I; i++) {
            let s = 0;
            for (let j = 0; j < O; j++) s += d[b * O + j] * p[i * O + j];
            const a = input[b * I + i];
            below[b * I + i] = this.relu ? (a > 0 ? s : 0) : s * (1 - a * a);
          }
        }
      }
      // Pruned weights get no gradient, so they stay at 0.
      this.options.masks?.forEach((mask, l) => {
        for (let k = 0; k < mask.length; k++) if (!mask[k]) this.grads[l][k] = 0;
      });
      this.update();
    }
    return lossSum / n;
  }

  /** torch.optim's step on every parameter. */
  private update(): void {
    const o = this.optimizer;
    this.t++;
    const c1 = o.kind === 'adam' ? 1 - o.beta1 ** this.t : 1, c2 = o.kind === 'adam' ? 1 - o.beta2 ** this.t : 1;
    this.params.forEach((p, l) => {
      const g = this.grads[l], m = this.first[l], v = this.second[l];
      for (let k = 0; k < p.length; k++) {
        if (o.kind === 'momentum') {
          m[k] = o.momentum * m[k] + g[k];
          p[k] -= o.lr * m[k];
        } else {
          m[k] = o.beta1 * m[k] + (1 - o.beta1) * g[k];
          v[k] = o.beta2 * v[k] + (1 - o.beta2) * g[k] * g[k];
          p[k] -= (o.lr * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + o.eps);
        }
      }
    });
  }

  /** Mean loss over x, y (n rows), a batch at a time: the validation pass. */
  meanLoss(x: Float32Array, y: Float32Array, n: number): number {
    return this.evaluate(x, y, n).loss;
  }

  /** Mean loss and accuracy over x, y (n rows), a batch at a time, with the kernels as they stand (fake-quantized when quantized). */
  evaluate(x: Float32Array, y: Float32Array, n: number): { loss: number; accuracy: number } {
    const order = identity(n);
    const hits = [0];
    let sum = 0;
    this.quantizeKernels();
    for (let from = 0; from < n; from += this.batch) {
      const B = Math.min(this.batch, n - from);
      this.load(x, order, from, B);
      sum += this.loss(this.forward(B), y, order, from, B, false, hits);
    }
    return { loss: sum / n, accuracy: hits[0] / n };
  }
}
