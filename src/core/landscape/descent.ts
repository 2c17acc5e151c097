import * as tf from '@tensorflow/tfjs-core';
import '../autodiff';
import { Optimizer, resolveHypers } from '../optim';
import type { OptimizerSpec } from '../optim/types';
import type { FormulaNode } from './formula';
import { compileSurface, type SurfaceCode } from './surface-code';
import type { Domain, Surface } from './surfaces';
import { CompiledRun } from './wasm-descent';
import { WebGPURun } from './webgpu-descent';

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
  starts: Float64Array;
  steps: number;
  /** One learning rate per start, replacing `optimizer.lr` (an lr sweep). */
  lrs?: Float64Array;
  /** Keep every point visited (trajectories), not only the last. */
  recordPath?: boolean;
  control?: RunControl;
}

/**
 * Where the starts ended, read back once at the end: in double precision where the surface
 * was compiled and run on the cpu, else the device's float32 values.
 */
export interface DescentResult {
  /** Final points, interleaved like the starts. */
  points: Float64Array;
  /** f at each final point. */
  values: Float64Array;
  /** ‖∇f‖ at each final point. */
  gradientNorms: Float64Array;
  /** ‖∇f‖ at each start: the scale against which a final gradient counts as small. */
  startGradientNorms: Float64Array;
  /** With `recordPath`: step-major points, (steps + 1) × starts × 2, the starts first. */
  path?: Float64Array;
  /** With `recordPath`: f at each point of `path`, (steps + 1) × starts. */
  pathValues?: Float64Array;
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
  return farOutside(x, domain.x) || farOutside(y, domain.y);
}

function farOutside(t: number, [low, high]: [number, number]): boolean {
  return t < low - DIVERGENCE_WIDTHS * (high - low) || t > high + DIVERGENCE_WIDTHS * (high - low);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Compiled surfaces by formula tree: a surface is compiled once however often it runs. */
const compiled = new WeakMap<FormulaNode, SurfaceCode>();

/** The compiled code of a formula tree; see {@link compileSurface}. */
export function surfaceCode(ast: FormulaNode): SurfaceCode {
  let code = compiled.get(ast);
  if (!code) compiled.set(ast, (code = compileSurface(ast)));
  return code;
}

/** Longest the compiled path computes without letting the worker read its messages (a cancel). */
const YIELD_AFTER_MS = 30;

/**
 * Runs `steps` optimizer steps from every start. A surface with a formula tree runs compiled:
 * f, its exact gradient and the optimizer's compiled rule, on WebGPU as one WGSL kernel (see
 * `webgpu-descent`), elsewhere as WebAssembly in double precision (see `wasm-descent`). A
 * surface given only as a tensor function runs as tensor operations.
 */
export async function descend(request: DescentRequest): Promise<DescentResult> {
  const { surface, steps, starts, lrs } = request;
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`steps must be a whole number ≥ 0, got ${steps}`);
  const n = starts.length / 2;
  if (!Number.isInteger(n) || n === 0) throw new RangeError('starts must hold at least one (x, y) pair');
  if (lrs && lrs.length !== n) throw new RangeError(`expected ${n} learning rates, got ${lrs.length}`);
  if (!surface.ast) return descendWithTensors(request);
  const spec = { ...request, surface: surfaceCode(surface.ast), recordPath: request.recordPath ?? false };
  return descendCompiled(tf.getBackend() === 'webgpu' ? new WebGPURun(spec) : new CompiledRun(spec), request);
}

/** A compiled batch of starts on one engine: advanced chunk by chunk, read once. */
interface Run {
  readonly stepsDone: number;
  advance(count: number): void;
  finish(): DescentResult | Promise<DescentResult>;
  dispose?(): void;
}

async function descendCompiled(run: Run, { steps, control }: DescentRequest): Promise<DescentResult> {
  try {
    let yielded = performance.now();
    while (run.stepsDone < steps) {
      // Chunks only where someone follows the run: progress and cancel come between them.
      run.advance(control ? STEPS_PER_CHUNK : steps);
      if (run.stepsDone < steps && control) {
        control.signal?.throwIfAborted();
        control.onProgress?.(run.stepsDone);
        if (performance.now() - yielded > YIELD_AFTER_MS) {
          await yieldToEventLoop();
          yielded = performance.now();
        }
      }
    }
    const result = await run.finish();
    // A device's queued chunks cannot be stopped: a cancel during the read still rejects.
    control?.signal?.throwIfAborted();
    control?.onProgress?.(steps);
    return result;
  } finally {
    run.dispose?.();
  }
}

/**
 * Runs `steps` optimizer steps from every start at once: the starts are one Variable [N, 2],
 * the gradient of Σ f(points) gives each row its own gradient, and one {@link Optimizer}
 * keeps a state per row (a per-start lr is a tensor [N, 1] that broadcasts). Nothing is read
 * from the device until the end; every tensor is freed, also on abort or error.
 */
async function descendWithTensors(request: DescentRequest): Promise<DescentResult> {
  const { surface, optimizer: spec, starts, steps, lrs, recordPath = false, control } = request;
  const n = starts.length / 2;
  const initial = tf.tensor2d(Float32Array.from(starts), [n, 2]);
  const points = tf.variable(initial);
  initial.dispose();
  const lrTensor = lrs ? tf.tensor2d(Float32Array.from(lrs), [n, 1]) : null;
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

    const column = (c: number) => Float64Array.from({ length: n }, (_, i) => table[5 * i + c]);
    return {
      points: Float64Array.from({ length: 2 * n }, (_, k) => table[5 * (k >> 1) + (k & 1)]),
      values: column(2),
      gradientNorms: column(3),
      startGradientNorms: column(4),
      ...(recordPath ? { path: Float64Array.from(path), pathValues: Float64Array.from(pathValues) } : {}),
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
