// The compiled landscape kernels' cases, shared by the cpu (unit) and the webgpu (browser)
// tests: on the cpu, the WebAssembly kernel (double precision) runs as the tensor operations of
// core/optim's Optimizer do; on WebGPU, the WGSL kernel (single precision) runs as that
// WebAssembly kernel does.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { BUILT_IN_SURFACES, resolveSurface, type Surface } from '../../src/core/landscape';
import { descend, type DescentResult } from '../../src/core/landscape/descent';
import { OPTIMIZER_KINDS, type OptimizerSpec } from '../../src/core/optim/types';

/** The engine under test and its reference, each a tf backend and whether the surface runs compiled. */
const ENGINES: Record<'cpu' | 'webgpu', Record<'engine' | 'reference', [backend: string, compiled: boolean]>> = {
  cpu: { engine: ['cpu', true], reference: ['cpu', false] },
  webgpu: { engine: ['webgpu', true], reference: ['cpu', true] },
};

function formula(text: string): Surface {
  const r = resolveSurface(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.surface;
}

async function run(backend: string, compiled: boolean, surface: Surface, optimizer: OptimizerSpec, starts: number[], steps: number, lrs?: number[]) {
  expect(await tf.setBackend(backend)).toBe(true);
  return descend({
    surface: compiled ? surface : { ...surface, ast: undefined },
    optimizer,
    starts: Float64Array.from(starts),
    steps,
    lrs: lrs && Float64Array.from(lrs),
    recordPath: true,
  });
}

/**
 * a equals b to single precision's reach: 2e-3 absolute, or relative beyond 1. One side runs
 * in float32, and 60 steps of a rule amplify its rounding to ~1e-4; a wrong term is 1e-1.
 */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>) {
  expect(a.length).toBe(b.length);
  for (let k = 0; k < a.length; k++) {
    if (!Number.isFinite(b[k])) expect(Number.isFinite(a[k])).toBe(false);
    else expect(Math.abs(a[k] - b[k]), `at ${k}: ${a[k]} against ${b[k]}`).toBeLessThanOrEqual(2e-3 * Math.max(1, Math.abs(b[k])));
  }
}

function expectSameRun(a: DescentResult, b: DescentResult) {
  expectClose(a.path!, b.path!);
  expectClose(a.pathValues!, b.pathValues!);
  expectClose(a.values, b.values);
  expectClose(a.gradientNorms, b.gradientNorms);
  expectClose(a.startGradientNorms, b.startGradientNorms);
}

const SURFACE_BY_KIND: Record<(typeof OPTIMIZER_KINDS)[number], [Surface, OptimizerSpec]> = {
  sgd: [BUILT_IN_SURFACES.himmelblau, { kind: 'sgd', lr: 0.01, weightDecay: 0.01 }],
  momentum: [BUILT_IN_SURFACES['six-hump-camel'], { kind: 'momentum', lr: 0.01, momentum: 0.8 }],
  // Not Rastrigin: a GPU's cos(2πx) at |2πx| ≈ 10 is good to ~1e-3 only, and momentum amplifies it.
  nesterov: [BUILT_IN_SURFACES.bowl, { kind: 'nesterov', lr: 0.05 }],
  adagrad: [BUILT_IN_SURFACES.ackley, { kind: 'adagrad', lr: 0.1 }],
  rmsprop: [BUILT_IN_SURFACES.beale, { kind: 'rmsprop', lr: 0.01, momentum: 0.5, alpha: 0.9 }],
  adam: [BUILT_IN_SURFACES.rosenbrock, { kind: 'adam', lr: 0.05, beta1: 0.8 }],
  adamw: [BUILT_IN_SURFACES['styblinski-tang'], { kind: 'adamw', lr: 0.05 }],
};

/** The cases: every rule on a surface of its own, every function of the formula language, and a sweep into divergence. */
export function describeDescentKernel(backend: keyof typeof ENGINES): void {
  const { engine, reference } = ENGINES[backend];
  describe(`the compiled landscape kernel on ${backend}`, () => {
    test.each(OPTIMIZER_KINDS)('runs %s from several starts as its reference does', async (kind) => {
      const [surface, optimizer] = SURFACE_BY_KIND[kind];
      const starts = [0.3, -0.4, -1.1, 0.9, 1.7, 1.2];
      const a = await run(...engine, surface, optimizer, starts, 60);
      const b = await run(...reference, surface, optimizer, starts, 60);
      expectSameRun(a, b);
    });

    test('computes every function of the formula language and its derivative as its reference does', async () => {
      const surface = formula('log(1 + x^2) + cosh(0.5*y) + sqrt(x^2 + y^2 + 1) + x*y/(2 + sin(x)) + tanh(x - y)^3 + 2^(0.1*x) + abs(y + 5)^1.5 - min(x, 3) + max(y, -4) + exp(-x^2) * cos(y) + sinh(0.1*x) + tan(0.2*y)');
      const optimizer: OptimizerSpec = { kind: 'adam', lr: 0.02 };
      expectSameRun(await run(...engine, surface, optimizer, [1.5, -2, -0.5, 0.7, 0.1, 0.1], 40), await run(...reference, surface, optimizer, [1.5, -2, -0.5, 0.7, 0.1, 0.1], 40));
    });

    test('sweeps learning rates into divergence as its reference does', async () => {
      const surface = BUILT_IN_SURFACES.bowl;
      const lrs = [0.01, 0.05, 0.15, 0.19, 0.21, 0.3];
      const starts = lrs.flatMap(() => [-1.5, 1.5]);
      const a = await run(...engine, surface, { kind: 'sgd', lr: 1 }, starts, 80, lrs);
      const b = await run(...reference, surface, { kind: 'sgd', lr: 1 }, starts, 80, lrs);
      // Above 2/L = 0.2 the runs grow as 1.1^k and beyond (one side may overflow float32): compare the stable four fully.
      expectClose(a.values.slice(0, 4), b.values.slice(0, 4));
      for (let k = 0; k <= 80; k++) expectClose(a.path!.slice(2 * 6 * k, 2 * 6 * k + 8), b.path!.slice(2 * 6 * k, 2 * 6 * k + 8));
      for (const values of [a.values, b.values]) expect(Array.from(values.slice(4)).every((v) => !(Math.abs(v) < 1e3))).toBe(true);
    });
  });
}
