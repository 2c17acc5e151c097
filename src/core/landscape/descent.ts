import * as tf from '@tensorflow/tfjs-core';
import '../autodiff';
import { Optimizer, resolveHypers } from '../optim';
import type { OptimizerSpec } from '../optim/types';
import type { Domain, Surface } from './surfaces';

/** Lets a caller (a worker) follow a long run and stop it. */
export interface RunControl {
  /** Called with the number of steps done so far, every {@link STEPS_PER_CHUNK} steps. */
  onProgress?: (stepsDone: number) => void;
  /** When aborted, the run stops at the next chunk boundary, frees its tensors and rejects. */
  signal?: AbortSignal;
}

/**
 * Steps taken between two looks at the run (progress, abort, stacking the recorded path):
 * often enough to stay responsive, rarely enough not to cost dispatches.
 */
export const STEPS_PER_CHUNK = 50;

/** A start counts as diverged beyond this many domain widths outside the domain. */
export const DIVERGENCE_WIDTHS = 10;

/** What {@link descend} runs: many starts on one surface, one optimizer state per start. */
export interface DescentRequest {
  surface: Surface;
  optimizer: OptimizerSpec;
  /** Start points, interleaved x0, y0, x1, y1, … */
  starts: Float32Array;
  steps: number;
  /** One learning rate per start, replacing `optimizer.lr` (an lr sweep). */
  lrs?: Float32Array;
  /** Keep every point visited (trajectories), not only the last. */
  recordPath?: boolean;
  control?: RunControl;
}

/** Where the starts ended, read back from the device once at the end. */
export interface DescentResult {
  /** Final points, interleaved like the starts. */
  points: Float32Array;
  /** f at each final point. */
  values: Float32Array;
  /** ‖∇f‖ at each final point. */
  gradientNorms: Float32Array;
  /** ‖∇f‖ at each start: the scale against which a final gradient counts as small. */
  startGradientNorms: Float32Array;
  /** With `recordPath`: step-major points, (steps + 1) × starts × 2, the starts first. */
  path?: Float32Array;
  /** With `recordPath`: f at each point of `path`, (steps + 1) × starts. */
  pathValues?: Float32Array;
}

/** f at each row of points [N, 2], as [N]. */
export function valuesAt(surface: Surface, points: tf.Tensor): tf.Tensor {
  const n = points.shape[0];
  const x = tf.slice(points, [0, 0], [n, 1]);
  const y = tf.slice(points, [0, 1], [n, 1]);
  return tf.reshape(surface.fn(x, y), [n]);
}

/** Whether a final point has left the plane of interest: not finite, or far outside the domain. */
export function hasDiverged(x: number, y: number, value: number, domain: Domain): boolean {
  if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(value)) return true;
  const outside = (t: number, [low, high]: [number, number]) =>
    t < low - DIVERGENCE_WIDTHS * (high - low) || t > high + DIVERGENCE_WIDTHS * (high - low);
  return outside(x, domain.x) || outside(y, domain.y);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs `steps` optimizer steps from every start at once: the starts are one Variable [N, 2],
 * the gradient of Σ f(points) gives each row its own gradient, and one {@link Optimizer}
 * keeps a state per row (a per-start lr is a tensor [N, 1] that broadcasts). Nothing is read
 * from the device until the end; every tensor is freed, also on abort or error.
 */
export async function descend(request: DescentRequest): Promise<DescentResult> {
  const { surface, optimizer: spec, starts, steps, lrs, recordPath = false, control } = request;
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`steps must be a whole number ≥ 0, got ${steps}`);
  const n = starts.length / 2;
  if (!Number.isInteger(n) || n === 0) throw new RangeError('starts must hold at least one (x, y) pair');
  if (lrs && lrs.length !== n) throw new RangeError(`expected ${n} learning rates, got ${lrs.length}`);

  const initial = tf.tensor2d(starts, [n, 2]);
  const points = tf.variable(initial);
  initial.dispose();
  const lrTensor = lrs ? tf.tensor2d(lrs, [n, 1]) : null;
  const optimizer = lrTensor
    ? new Optimizer(spec.kind, { ...resolveHypers(spec), lr: lrTensor })
    : Optimizer.fromSpec(spec);
  const gradient = tf.grad((p: tf.Tensor) => tf.sum(valuesAt(surface, p)));
  const gradientNorms = (g: tf.Tensor) => tf.reshape(tf.norm(g, 'euclidean', 1), [n, 1]);
  let startNorms: tf.Tensor | null = null;
  const chunks: tf.Tensor[] = [];
  let pending: tf.Tensor[] = [];
  const readable: tf.Tensor[] = [];
  const stackPending = () => {
    if (pending.length === 0) return;
    chunks.push(tf.stack(pending));
    pending.forEach((t) => t.dispose());
    pending = [];
  };
  try {
    for (let step = 0; step < steps; step++) {
      if (recordPath) pending.push(points.clone());
      const grad = tf.tidy(() => gradient(points));
      if (step === 0) startNorms = tf.tidy(() => gradientNorms(grad));
      optimizer.step([points], [grad]);
      grad.dispose();
      if ((step + 1) % STEPS_PER_CHUNK === 0 && step + 1 < steps) {
        stackPending();
        if (control) {
          control.signal?.throwIfAborted();
          control.onProgress?.(step + 1);
          await yieldToEventLoop();
        }
      }
    }
    if (recordPath) pending.push(points.clone());
    stackPending();

    const summary = tf.tidy(() => {
      const norms = gradientNorms(gradient(points));
      return tf.concat([points, tf.reshape(valuesAt(surface, points), [n, 1]), norms, startNorms ?? norms], 1);
    });
    readable.push(summary);
    if (recordPath) {
      readable.push(
        ...tf.tidy(() => {
          const path = tf.reshape(tf.concat(chunks, 0), [(steps + 1) * n, 2]);
          return [path, valuesAt(surface, path)];
        }),
      );
    }
    const [table, path, pathValues] = (await Promise.all(readable.map((t) => t.data()))) as Float32Array[];
    control?.onProgress?.(steps);

    const column = (c: number) => Float32Array.from({ length: n }, (_, i) => table[5 * i + c]);
    return {
      points: Float32Array.from({ length: 2 * n }, (_, k) => table[5 * (k >> 1) + (k & 1)]),
      values: column(2),
      gradientNorms: column(3),
      startGradientNorms: column(4),
      ...(recordPath ? { path, pathValues } : {}),
    };
  } finally {
    startNorms?.dispose();
    pending.forEach((t) => t.dispose());
    chunks.forEach((t) => t.dispose());
    readable.forEach((t) => t.dispose());
    optimizer.dispose();
    lrTensor?.dispose();
    points.dispose();
  }
}
