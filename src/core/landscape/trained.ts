import * as tf from '@tensorflow/tfjs-core';
import type { SplitDataset } from '../data/types';
import { encodeTargets, lossKind, pointLosses } from '../model/loss';
import { NetworkParams, parameterShapes, type NetworkIO } from '../model/network';
import { compileRule } from '../optim/compiled-rule';
import { createRng } from '../random/prng';
import type { ExperimentSpec } from '../spec/experiment';
import { MAX_STATE_BYTES, fusedEvaluate, fusedWidth } from '../train/fused/fused-step';
import { fusedPlan, type FusedPlan } from '../train/fused/plan';
import { inputsOf, withOnes } from '../train/trainer';
import { flattenWeights } from '../train/weight-path';

export { flattenWeights };

/**
 * A trained network's own loss landscape (Goodfellow et al. 2015; Li et al. 2018 and their
 * loss-landscape repository; Antognini & Sohl-Dickstein 2018): the loss along the line between
 * two parameter vectors, on a plane through the minimum spanned by filter-normalized random or
 * PCA directions, the training path drawn on that plane and how much of it lies off it, and the
 * sharpness of the minimum. Parameter vectors are flat: the tensors of parameterShapes order
 * (kernel [in, out] row-major, bias [out], …) one after another.
 */

/** The Euclidean norm of a vector (Math.hypot's spread would overflow the stack for large networks). */
function euclidean(x: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < x.length; k++) sum += x[k] * x[k];
  return Math.sqrt(sum);
}

/** A flat parameter vector cut back into tensors of `shapes`. */
export function unflattenWeights(flat: Float32Array, shapes: number[][]): Float32Array[] {
  let at = 0;
  return shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return flat.slice(at, (at += size));
  });
}

/**
 * The loss-landscape repository's filter normalization with its `--xignore biasbn` default:
 * every column of a kernel's direction (one neuron's incoming weights) is rescaled to the norm
 * of the same column of the weights, × ‖w_col‖ / (‖d_col‖ + 1e-10); biases become zero.
 * Tensors in Keras order: kernels [in, out], biases [out].
 */
export function filterNormalize(direction: Float32Array[], weights: Float32Array[], shapes: number[][]): Float32Array[] {
  return shapes.map((shape, k) => {
    const out = new Float32Array(direction[k].length);
    if (shape.length !== 2) return out;
    const [rows, columns] = shape;
    const d = direction[k], w = weights[k];
    for (let j = 0; j < columns; j++) {
      let dd = 0, ww = 0;
      for (let i = 0; i < rows; i++) {
        dd += d[i * columns + j] ** 2;
        ww += w[i * columns + j] ** 2;
      }
      const scale = Math.sqrt(ww) / (Math.sqrt(dd) + 1e-10);
      for (let i = 0; i < rows; i++) out[i * columns + j] = d[i * columns + j] * scale;
    }
    return out;
  });
}

/** A direction of standard normal entries drawn from `seed`, filter-normalized to `weights`, flat. */
export function randomDirection(weights: Float32Array[], shapes: number[][], seed: number): Float32Array {
  const rng = createRng(seed);
  const raw = weights.map((w) => Float32Array.from(w, () => rng.normal()));
  return flattenWeights(filterNormalize(raw, weights, shapes));
}

/**
 * Eigenvalues and eigenvectors of a symmetric n × n matrix (row-major, overwritten) by cyclic
 * Jacobi rotations in double precision: values descending, vectors as the rows of the result.
 */
function symmetricEigen(a: Float64Array, n: number): { values: number[]; vectors: Float64Array[] } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, total = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) (i === j ? (total += a[i * n + j] ** 2) : (off += a[i * n + j] ** 2));
    if (off <= 1e-30 * (total + off) || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  return {
    values: order.map((i) => a[i * n + i]),
    vectors: order.map((i) => Float64Array.from({ length: n }, (_, k) => v[k * n + i])),
  };
}

/**
 * PCA of the rows (snapshot − final), centred as sklearn's `PCA` centres them: the first two
 * unit principal axes (sign free) and their explained-variance ratios, as the loss-landscape
 * repository's trajectory plots use. Solved through the smaller of the rows' Gram matrix and
 * the covariance, in double precision.
 */
export function pcaDirections(snapshots: Float32Array[], final: Float32Array): { directions: [Float32Array, Float32Array]; explained: [number, number] } {
  const n = snapshots.length, d = final.length;
  const rows = snapshots.map((s) => Float64Array.from(s, (x, k) => x - final[k]));
  const mean = new Float64Array(d);
  for (const r of rows) for (let k = 0; k < d; k++) mean[k] += r[k] / n;
  for (const r of rows) for (let k = 0; k < d; k++) r[k] -= mean[k];
  const byRows = n <= d;
  const m = byRows ? n : d;
  const gram = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let sum = 0;
      if (byRows) for (let k = 0; k < d; k++) sum += rows[i][k] * rows[j][k];
      else for (const r of rows) sum += r[i] * r[j];
      gram[i * m + j] = gram[j * m + i] = sum;
    }
  }
  let trace = 0;
  for (let i = 0; i < m; i++) trace += gram[i * m + i];
  const { values, vectors } = symmetricEigen(gram, m);
  const axis = (c: 0 | 1): Float32Array => {
    if (!byRows) return Float32Array.from(vectors[c] ?? new Float64Array(d));
    // A right singular vector from a left one: v = Xᵀu / ‖Xᵀu‖.
    const out = new Float64Array(d);
    rows.forEach((r, i) => {
      const u = vectors[c]?.[i] ?? 0;
      for (let k = 0; k < d; k++) out[k] += u * r[k];
    });
    const norm = euclidean(out) || 1;
    return Float32Array.from(out, (x) => x / norm);
  };
  const ratio = (c: number) => (trace > 0 ? Math.max(values[c] ?? 0, 0) / trace : 0);
  return { directions: [axis(0), axis(1)], explained: [ratio(0), ratio(1)] };
}

/** `count` evenly spaced values from `from` to `to` inclusive: the α of a 1-D plot, a slice's axis. */
export function linearSpace(from: number, to: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => (count === 1 ? from : from + ((to - from) * k) / (count - 1)));
}

/** The parameter vectors θ(α) = (1 − α)θ₀ + αθ₁ for each α, one after another (α = 0 and 1 give θ₀ and θ₁ exactly). */
export function interpolationPoints(from: Float32Array, to: Float32Array, alphas: number[]): Float32Array {
  const n = from.length;
  const out = new Float32Array(alphas.length * n);
  alphas.forEach((alpha, p) => {
    for (let k = 0; k < n; k++) out[p * n + k] = (1 - alpha) * from[k] + alpha * to[k];
  });
  return out;
}

/**
 * The parameter vectors θ* + a·δ + b·η of a res × res grid of [−extent, extent]², one after
 * another, a varying fastest and rows from the lowest b (the layout of the lab's surface grids).
 */
export function slicePoints(center: Float32Array, delta: Float32Array, eta: Float32Array, res: number, extent = 1): Float32Array {
  const n = center.length;
  const axis = linearSpace(-extent, extent, res);
  const out = new Float32Array(res * res * n);
  for (let row = 0; row < res; row++) {
    for (let col = 0; col < res; col++) {
      const at = (row * res + col) * n, a = axis[col], b = axis[row];
      for (let k = 0; k < n; k++) out[at + k] = center[k] + a * delta[k] + b * eta[k];
    }
  }
  return out;
}

/**
 * The barrier between the two ends of a 1-D interpolation: the largest excess of the loss over
 * the straight line between the ends' losses, max over α ∈ [0, 1] of L(α) − ((1 − α)L(0) + αL(1)),
 * and the α where it is. 0 when the loss never rises above that line.
 */
export function barrierHeight(alphas: number[], losses: ArrayLike<number>): { height: number; alpha: number } {
  const at = (target: number) => losses[alphas.findIndex((a) => Math.abs(a - target) < 1e-9)];
  const start = at(0), end = at(1);
  let best = { height: 0, alpha: 0 };
  alphas.forEach((alpha, k) => {
    if (alpha < 0 || alpha > 1) return;
    const excess = losses[k] - ((1 - alpha) * start + alpha * end);
    if (excess > best.height) best = { height: excess, alpha };
  });
  return best;
}

/** Each point's coordinates on the plane through `origin` spanned by two orthonormal directions. */
export function projectPath(points: Float32Array[], origin: Float32Array, directions: [Float32Array, Float32Array]): [number, number][] {
  return points.map((p) => directions.map((d) => {
    let dot = 0;
    for (let k = 0; k < p.length; k++) dot += (p[k] - origin[k]) * d[k];
    return dot;
  }) as [number, number]);
}

/**
 * How much of a path's length lies off the plane of two orthonormal directions: 1 − (length of
 * the path drawn on the plane) / (its length). 0 for a path within the plane; near 1 for one
 * whose steps are mostly across it.
 */
export function offPlaneFraction(points: Float32Array[], directions: [Float32Array, Float32Array]): number {
  const flat = projectPath(points, points[0], directions);
  let length = 0, drawn = 0;
  for (let s = 1; s < points.length; s++) {
    let squares = 0;
    for (let k = 0; k < points[s].length; k++) squares += (points[s][k] - points[s - 1][k]) ** 2;
    length += Math.sqrt(squares);
    drawn += Math.hypot(flat[s][0] - flat[s - 1][0], flat[s][1] - flat[s - 1][1]);
  }
  return length > 0 ? Math.max(0, 1 - drawn / length) : 0;
}

/** A Gaussian random walk of `steps` steps in `dimension` dimensions from the origin, its total length `length`, seeded. */
export function randomWalk(steps: number, dimension: number, length: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  const moves = Array.from({ length: steps }, () => Float64Array.from({ length: dimension }, () => rng.normal()));
  const total = moves.reduce((sum, m) => sum + euclidean(m), 0) || 1;
  const position = new Float64Array(dimension);
  const points = [new Float32Array(dimension)];
  for (const m of moves) {
    for (let k = 0; k < dimension; k++) position[k] += (m[k] * length) / total;
    points.push(Float32Array.from(position));
  }
  return points;
}

/** The training path on its PCA plane, and the same figure of a random walk of the same steps and length. */
export interface PathPlane {
  directions: [Float32Array, Float32Array];
  explained: [number, number];
  /** Each snapshot's coordinates on the plane through the final weights. */
  coordinates: [number, number][];
  /** {@link offPlaneFraction} of the path, and of a random walk of as many steps, as long, in as many dimensions. */
  offPlane: number;
  randomWalkOffPlane: number;
}

/** The path of `snapshots` (initial weights first, final last) on the PCA plane through `final`. */
export function pathPlane(snapshots: Float32Array[], final: Float32Array, seed = 1): PathPlane {
  const { directions, explained } = pcaDirections(snapshots, final);
  let length = 0;
  for (let s = 1; s < snapshots.length; s++) length += euclidean(snapshots[s].map((x, k) => x - snapshots[s - 1][k]));
  const walk = randomWalk(snapshots.length - 1, final.length, length, seed);
  const walkPlane = pcaDirections(walk, walk[walk.length - 1]).directions;
  return {
    directions,
    explained,
    coordinates: projectPath(snapshots, final, directions),
    offPlane: offPlaneFraction(snapshots, directions),
    randomWalkOffPlane: offPlaneFraction(walk, walkPlane),
  };
}

/** Gradients of a loss at several points at once (two at a time by power iteration: θ ± εv). */
export type BatchGradient = (points: Float64Array[]) => Promise<Float64Array[]> | Float64Array[];

/**
 * The largest-magnitude eigenvalue of the Hessian at θ (at a minimum, the sharpness), by power
 * iteration on Hessian-vector products taken as central differences of gradients,
 * Hv ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε, from a seeded random unit v. Stops when λ changes by
 * less than `tolerance` relative, or after `iterations`.
 */
export async function largestHessianEigenvalue(
  gradient: BatchGradient,
  theta: ArrayLike<number>,
  options: { iterations?: number; tolerance?: number; epsilon?: number; seed?: number } = {},
): Promise<{ value: number; iterations: number }> {
  const { iterations = 100, tolerance = 1e-4, seed = 1 } = options;
  const n = theta.length;
  const rng = createRng(seed);
  const norm = (x: Float64Array) => euclidean(x) || 1;
  let v = Float64Array.from({ length: n }, () => rng.normal());
  const first = norm(v);
  v = v.map((x) => x / first);
  const epsilon = options.epsilon ?? 1e-3 * Math.max(1, euclidean(theta));
  let value = NaN;
  for (let k = 1; k <= iterations; k++) {
    const plus = Float64Array.from(v, (x, i) => theta[i] + epsilon * x);
    const minus = Float64Array.from(v, (x, i) => theta[i] - epsilon * x);
    const [gPlus, gMinus] = await gradient([plus, minus]);
    const hv = Float64Array.from(gPlus, (g, i) => (g - gMinus[i]) / (2 * epsilon));
    const next = hv.reduce((sum, x, i) => sum + x * v[i], 0);
    const size = norm(hv);
    const settled = Math.abs(next - value) <= tolerance * Math.abs(next);
    value = next;
    v = hv.map((x) => x / size);
    if (settled) return { value, iterations: k };
  }
  return { value, iterations };
}

/** What a trained network's losses are evaluated on: its experiment, widths and data. */
export interface LandscapeModel {
  spec: ExperimentSpec;
  io: NetworkIO;
  data: SplitDataset;
}

/** A part's network inputs with a column of ones and its encoded targets, as tensors of the fused evaluation. */
function evaluationSet(model: LandscapeModel, part: 'train' | 'val', kind: ReturnType<typeof lossKind>) {
  const data = model.data[part];
  return {
    x: tf.tensor1d(withOnes(inputsOf(data, model.spec), data.n, model.io.inputs)),
    t: tf.tensor1d(encodeTargets(kind, data.y, model.io.outputs)),
    n: data.n,
  };
}

/**
 * The mean training and validation loss of `count` parameter vectors (`points`, one after
 * another) through the fused evaluation kernel: every vector a member of one population, its
 * forward pass over every row in one kernel (in chunks only where a state would pass WebGPU's
 * storage limit). The losses are the trainer's own: a run's final weights give its last
 * validation loss exactly. Backends without the fused kernels evaluate on the cpu backend.
 */
export async function landscapeLosses(model: LandscapeModel, points: Float32Array, count: number): Promise<{ train: Float64Array; val: Float64Array }> {
  const shapes = parameterShapes(model.spec.model, model.io);
  const params = shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
  const kind = lossKind(model.data.train.problem, model.io.outputs);
  const base = (members: number): FusedPlan => fusedPlan({
    members, widths: shapes.filter((s) => s.length === 2).map(([i, o]) => [i, o]), activations: model.spec.model.hidden.map((l) => l.activation),
    kind, batch: 1, rule: compileRule('sgd', { usesWeightDecay: false, usesMomentum: false }), dropout: false, penalties: false, pruning: false, clipNorm: 0, quantization: null, distill: null, classWeights: null,
  });
  const backend = tf.getBackend();
  const onFused = fusedWidth(base(1), backend) !== null;
  const previous = onFused ? null : backend;
  if (previous) await tf.setBackend('cpu');
  try {
    const width = fusedWidth(base(1), tf.getBackend())!;
    const chunk = Math.max(1, Math.floor(MAX_STATE_BYTES / (width * 4)));
    const sets = (['train', 'val'] as const).map((part) => evaluationSet(model, part, kind));
    const out = { train: new Float64Array(count), val: new Float64Array(count) };
    for (let start = 0; start < count; start += chunk) {
      const members = Math.min(chunk, count - start);
      const plan = base(members);
      const values = new Float32Array(members * width);
      for (let p = 0; p < members; p++) values.set(points.subarray((start + p) * params, (start + p + 1) * params), p * width);
      const state = tf.tensor2d(values, [members, width]);
      const sums = sets.map((set) => fusedEvaluate(plan, width, state, set.x, set.t, set.n));
      const read = await Promise.all(sums.map((s) => s.data()));
      tf.dispose([state, ...sums]);
      for (let p = 0; p < members; p++) {
        out.train[start + p] = read[0][p * 4 + 2] / sets[0].n;
        out.val[start + p] = read[1][p * 4 + 2] / sets[1].n;
      }
    }
    sets.forEach((s) => tf.dispose([s.x, s.t]));
    return out;
  } finally {
    if (previous) await tf.setBackend(previous);
  }
}

/**
 * The gradient of the mean training loss (no L1/L2, no dropout) at several parameter vectors,
 * all of them members of one batched forward and backward pass: what power iteration asks for.
 */
export function landscapeGradient(model: LandscapeModel): BatchGradient {
  const { spec, io, data } = model;
  const shapes = parameterShapes(spec.model, io);
  const kind = lossKind(data.train.problem, io.outputs);
  const x = withOnes(inputsOf(data.train, spec), data.train.n, io.inputs);
  const t = encodeTargets(kind, data.train.y, io.outputs);
  return async (points) => {
    const net = new NetworkParams(spec.model, io, points.map((p) => unflattenWeights(Float32Array.from(p), shapes)));
    const packed = tf.tidy(() => {
      const tape = { inputs: [], z: [], a: [], weights: [] };
      const logits = net.forwardAugmented(tf.tensor3d(x, [1, data.train.n, io.inputs + 1]), undefined, tape);
      const targets = kind === 'multiclass' ? tf.tensor2d(t, [data.train.n, io.outputs]) : tf.tensor1d(t);
      const { grad } = pointLosses(kind, logits, targets, tf.scalar(1 / data.train.n));
      return tf.concat(net.backward(tape, grad!).map((g) => tf.reshape(g, [points.length, -1])), 1);
    });
    const flat = (await packed.data()) as Float32Array;
    packed.dispose();
    net.dispose();
    const n = flat.length / points.length;
    return points.map((_, p) => Float64Array.from(flat.subarray(p * n, (p + 1) * n)));
  };
}

/** The losses along θ(α) from one network to another, with the barrier between them read off. */
export interface Interpolation {
  alphas: number[];
  train: Float64Array;
  val: Float64Array;
  /** {@link barrierHeight} of the training and of the validation loss. */
  barrier: { train: { height: number; alpha: number }; val: { height: number; alpha: number } };
}

/** The α of the 1-D plot: 401 points of [−0.5, 1.5], 0 and 1 among them exactly. */
export const INTERPOLATION_ALPHAS = linearSpace(-0.5, 1.5, 401).map((a) => Math.round(a * 1000) / 1000);

/** Training and validation loss along θ(α) = (1 − α)θ₀ + αθ₁ for each of `alphas`, in one population. */
export async function interpolationCurve(model: LandscapeModel, from: Float32Array, to: Float32Array, alphas = INTERPOLATION_ALPHAS): Promise<Interpolation> {
  const { train, val } = await landscapeLosses(model, interpolationPoints(from, to, alphas), alphas.length);
  return { alphas, train, val, barrier: { train: barrierHeight(alphas, train), val: barrierHeight(alphas, val) } };
}

/** Training and validation loss of a res × res slice (see {@link slicePoints}), in one population. */
export async function lossSlice(model: LandscapeModel, center: Float32Array, directions: [Float32Array, Float32Array], res: number): Promise<{ train: Float32Array; val: Float32Array }> {
  const { train, val } = await landscapeLosses(model, slicePoints(center, directions[0], directions[1], res), res * res);
  return { train: Float32Array.from(train), val: Float32Array.from(val) };
}

/**
 * The PCA plane of a path scaled so that the path fits the slice's [−1, 1]² with a margin:
 * each direction is the unit principal axis times `scale`, and the path's coordinates are in
 * those units.
 */
export function pathSlicePlane(plane: PathPlane): { directions: [Float32Array, Float32Array]; scale: number; coordinates: [number, number][] } {
  const reach = Math.max(...plane.coordinates.flat().map(Math.abs), 1e-6);
  const scale = reach * 1.15;
  return {
    directions: plane.directions.map((d) => d.map((x) => x * scale)) as [Float32Array, Float32Array],
    scale,
    coordinates: plane.coordinates.map(([a, b]) => [a / scale, b / scale]),
  };
}
