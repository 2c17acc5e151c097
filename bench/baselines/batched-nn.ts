// W1's and W2's second plain-JavaScript peer: the batched engine a careful engineer writes by hand
// over typed arrays, in double precision: a tanh network with one sigmoid output, binary
// cross-entropy on the logit, a minibatch at a time as matrix loops, and SGD with momentum or
// Adam written out as torch.optim states them. Per epoch it does what tunelab's epoch does: the
// shuffled batches, a running-mean training loss, one pass over the validation set.

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

/** A network of `widths` (inputs first, one output last), its optimizer state and its scratch. */
export class BatchedNetwork {
  /** Per layer: weights [in, out] row-major, then the biases [out], in one array; and its gradient and slots alike. */
  private readonly params: Float64Array[];
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
  ) {
    this.random = mulberry32(seed);
    const layers = widths.slice(1).map((out, l) => [widths[l], out]);
    // Glorot-uniform weights, zero biases, as Keras' Dense starts.
    this.params = layers.map(([i, o]) => {
      const p = new Float64Array((i + 1) * o);
      const limit = Math.sqrt(6 / (i + o));
      for (let k = 0; k < i * o; k++) p[k] = (2 * this.random() - 1) * limit;
      return p;
    });
    this.grads = this.params.map((p) => new Float64Array(p.length));
    this.first = this.params.map((p) => new Float64Array(p.length));
    this.second = this.params.map((p) => new Float64Array(p.length));
    this.acts = widths.map((w) => new Float64Array(batch * w));
    this.deltas = widths.slice(1).map((w) => new Float64Array(batch * w));
  }

  /** The logits of rows `acts[0]` (B of them) into `deltas[last]`, activations kept for the backward pass. */
  private forward(B: number): Float64Array {
    const L = this.params.length;
    for (let l = 0; l < L; l++) {
      const [I, O] = [this.widths[l], this.widths[l + 1]];
      const p = this.params[l], input = this.acts[l];
      const out = l < L - 1 ? this.acts[l + 1] : this.deltas[L - 1];
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < O; j++) out[b * O + j] = p[I * O + j];
        for (let i = 0; i < I; i++) {
          const v = input[b * I + i];
          for (let j = 0; j < O; j++) out[b * O + j] += v * p[i * O + j];
        }
      }
      if (l < L - 1) for (let k = 0; k < B * O; k++) out[k] = Math.tanh(out[k]);
    }
    return this.deltas[L - 1];
  }

  /** Copies rows `order[from…from + B)` of x (2 features) into the input. */
  private load(x: Float32Array, order: Int32Array, from: number, B: number): void {
    const F = this.widths[0];
    for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) this.acts[0][b * F + f] = x[order[from + b] * F + f];
  }

  /** One epoch over x, y (n rows) in a new shuffled order; returns the running-mean training loss. */
  trainEpoch(x: Float32Array, y: Float32Array, n: number): number {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const L = this.params.length;
    let lossSum = 0;
    for (let from = 0; from < n; from += this.batch) {
      const B = Math.min(this.batch, n - from);
      this.load(x, order, from, B);
      const z = this.forward(B);
      // BCE on the logit: max(z, 0) − z·t + log(1 + e^−|z|); dL/dz = (σ(z) − t)/B.
      for (let b = 0; b < B; b++) {
        const t = y[order[from + b]], v = z[b];
        lossSum += Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
        z[b] = (1 / (1 + Math.exp(-v)) - t) / B;
      }
      for (let l = L - 1; l >= 0; l--) {
        const [I, O] = [this.widths[l], this.widths[l + 1]];
        const g = this.grads[l], d = this.deltas[l], input = this.acts[l], p = this.params[l];
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
            below[b * I + i] = s * (1 - a * a);
          }
        }
      }
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
    const order = Int32Array.from({ length: n }, (_, i) => i);
    let sum = 0;
    for (let from = 0; from < n; from += this.batch) {
      const B = Math.min(this.batch, n - from);
      this.load(x, order, from, B);
      const z = this.forward(B);
      for (let b = 0; b < B; b++) sum += Math.max(z[b], 0) - z[b] * y[from + b] + Math.log1p(Math.exp(-Math.abs(z[b])));
    }
    return sum / n;
  }
}
