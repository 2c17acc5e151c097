/**
 * Data augmentation on feature rows (row-major [rows, features]): Gaussian jitter, mixup and
 * SMOTE. Each is a pure function that draws from the seeded {@link Rng}.
 */
import type { Rng } from '../random/prng';

/** Rows with independent Gaussian noise N(0, std²) added to every feature. */
export function gaussianJitter(x: Float32Array, std: number, rng: Rng): Float32Array {
  if (!(std >= 0)) throw new RangeError(`The noise's standard deviation must be 0 or more (got ${std}).`);
  return x.map((v) => v + rng.normal(0, std));
}

/**
 * A Gamma(shape, 1) deviate (Marsaglia & Tsang 2000; shape < 1 through Gamma(shape + 1)·U^(1/shape)).
 */
function gamma(shape: number, rng: Rng): number {
  if (shape < 1) return gamma(shape + 1, rng) * rng.next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = rng.next();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A Beta(α, α) deviate, the mixing weight of mixup. */
export function betaSample(alpha: number, rng: Rng): number {
  const a = gamma(alpha, rng);
  const b = gamma(alpha, rng);
  return a / (a + b);
}

/** Mixed rows and their soft targets. */
export interface Mixed {
  x: Float32Array;
  /** Row-major [rows, targets]: one-hot labels (or regression targets) mixed with the same λ. */
  y: Float32Array;
  /** λ of each mixed row. */
  lambda: Float32Array;
}

/**
 * mixup (Zhang et al. 2018): each row is mixed with a random partner, x̃ = λ·x_i + (1 − λ)·x_j
 * and ỹ = λ·y_i + (1 − λ)·y_j with λ ~ Beta(α, α), so the network sees the straight lines
 * between examples. `y` is row-major [rows, targets] (one-hot for classes).
 */
export function mixup(x: Float32Array, y: Float32Array, rows: number, alpha: number, rng: Rng): Mixed {
  if (!(alpha > 0)) throw new RangeError(`mixup's α must be above 0 (got ${alpha}).`);
  const features = x.length / rows;
  const targets = y.length / rows;
  const out: Mixed = { x: new Float32Array(x.length), y: new Float32Array(y.length), lambda: new Float32Array(rows) };
  for (let r = 0; r < rows; r++) {
    const partner = rng.int(rows);
    const l = betaSample(alpha, rng);
    out.lambda[r] = l;
    for (let f = 0; f < features; f++) out.x[r * features + f] = l * x[r * features + f] + (1 - l) * x[partner * features + f];
    for (let t = 0; t < targets; t++) out.y[r * targets + t] = l * y[r * targets + t] + (1 - l) * y[partner * targets + t];
  }
  return out;
}

/**
 * The k nearest neighbours (Euclidean) of each row among the same rows, itself excluded, nearest
 * first; equal distances keep the lower index first. One array of k indices per row.
 */
export function smoteNeighbours(x: Float32Array, rows: number, k: number): Int32Array[] {
  const features = x.length / rows;
  return Array.from({ length: rows }, (_, i) => {
    const distance = new Float64Array(rows);
    for (let j = 0; j < rows; j++) {
      let d = 0;
      for (let f = 0; f < features; f++) d += (x[i * features + f] - x[j * features + f]) ** 2;
      distance[j] = d;
    }
    const others = Array.from({ length: rows }, (_, j) => j).filter((j) => j !== i);
    others.sort((a, b) => distance[a] - distance[b] || a - b);
    return Int32Array.from(others.slice(0, Math.min(k, rows - 1)));
  });
}

/**
 * SMOTE (Chawla et al. 2002): `count` new rows of a minority class, each on the segment between
 * a random row of that class and one of its k nearest neighbours in the class (k = 5 as the
 * paper), at a uniform random point. `x` holds only the minority rows.
 */
export function smote(x: Float32Array, rows: number, count: number, rng: Rng, k = 5): Float32Array {
  if (rows < 2) throw new RangeError('SMOTE needs at least two rows of the class.');
  const features = x.length / rows;
  const neighbours = smoteNeighbours(x, rows, k);
  const out = new Float32Array(count * features);
  for (let n = 0; n < count; n++) {
    const i = rng.int(rows);
    const j = neighbours[i][rng.int(neighbours[i].length)];
    const gap = rng.next();
    for (let f = 0; f < features; f++) out[n * features + f] = x[i * features + f] + gap * (x[j * features + f] - x[i * features + f]);
  }
  return out;
}
