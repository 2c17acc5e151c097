import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { generatedSplit } from '../../src/core/data/split';
import type { DataSpec } from '../../src/core/data/types';
import {
  barrierHeight, filterNormalize, flattenWeights, interpolationPoints, landscapeGradient, landscapeLosses, largestHessianEigenvalue,
  linearSpace, offPlaneFraction, pathPlane, pcaDirections, randomDirection, slicePoints,
} from '../../src/core/landscape/trained';
import { requestProblems } from '../../src/core/landscape/trained-request';
import { networkIO, parameterShapes } from '../../src/core/model/network';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { Trainer } from '../../src/core/train/trainer';
import { trainToEnd } from '../support/train-to-end';
import reference from '../support/trained-landscape-reference.json';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, k) => s + x * b[k], 0);

describe('filterNormalize', () => {
  test('rescales each kernel column to the norm of the weights’ column and zeroes biases', () => {
    // Kernel [2, 2] row-major: weight columns (3, 4) and (1, 0), direction columns (1, 0) and (0, 2).
    const out = filterNormalize([Float32Array.of(1, 0, 0, 2), Float32Array.of(7, 8)], [Float32Array.of(3, 1, 4, 0), Float32Array.of(1, 1)], [[2, 2], [2]]);
    Array.from(out[0]).forEach((v, k) => expect(v).toBeCloseTo([5, 0, 0, 1][k], 6));
    expect(Array.from(out[1])).toEqual([0, 0]);
  });

  test('equals numpy’s filter normalization of the loss-landscape repository', () => {
    const { shapes, weights, direction, normalized } = reference.filterNormalize;
    const out = filterNormalize(direction.map((d) => Float32Array.from(d)), weights.map((w) => Float32Array.from(w)), shapes);
    out.forEach((tensor, k) => tensor.forEach((v, i) => expect(v).toBeCloseTo(normalized[k][i], 5)));
  });
});

describe('pcaDirections', () => {
  test('finds the axes of a hand-made cross of points and their shares of the variance', () => {
    const points = [[2, 0, 0], [-2, 0, 0], [0, 1, 0], [0, -1, 0]].map((p) => Float32Array.from(p));
    const { directions, explained } = pcaDirections(points, new Float32Array(3));
    expect(explained[0]).toBeCloseTo(0.8, 10);
    expect(explained[1]).toBeCloseTo(0.2, 10);
    expect(Math.abs(directions[0][0])).toBeCloseTo(1, 6);
    expect(Math.abs(directions[1][1])).toBeCloseTo(1, 6);
  });

  test.each(reference.pca.map((c, k) => [k, c] as const))('equals sklearn’s PCA, case %i', (_, c) => {
    const { directions, explained } = pcaDirections(c.snapshots.map((s) => Float32Array.from(s)), Float32Array.from(c.final));
    directions.forEach((d, k) => {
      // Sign free: the axis or its opposite.
      expect(Math.abs(dot(d, c.components[k]))).toBeCloseTo(1, 5);
      expect(Math.sqrt(dot(d, d))).toBeCloseTo(1, 5);
    });
    explained.forEach((e, k) => expect(e).toBeCloseTo(c.explained[k], 6));
  });
});

describe('the path and its plane', () => {
  test('a path within the plane has nothing off it; one across it, everything', () => {
    const plane: [Float32Array, Float32Array] = [Float32Array.of(1, 0, 0), Float32Array.of(0, 1, 0)];
    const within = [[0, 0, 0], [1, 2, 0], [3, 1, 0]].map((p) => Float32Array.from(p));
    const across = [[0, 0, 0], [0, 0, 1], [0, 0, 3]].map((p) => Float32Array.from(p));
    expect(offPlaneFraction(within, plane)).toBeCloseTo(0, 10);
    expect(offPlaneFraction(across, plane)).toBe(1);
  });

  test('a straight drift lies on its PCA plane, unlike a random walk of the same length', () => {
    const final = new Float32Array(300);
    const heading = Float32Array.from({ length: 300 }, (_, k) => Math.sin(k));
    const path = linearSpace(1, 0, 41).map((t) => Float32Array.from(heading, (h) => t * h));
    const plane = pathPlane(path, final);
    expect(plane.explained[0]).toBeCloseTo(1, 6);
    expect(plane.offPlane).toBeLessThan(1e-3);
    // A walk of 40 steps in 300 dimensions: each step is mostly across any one plane.
    expect(plane.randomWalkOffPlane).toBeGreaterThan(0.5);
    expect(plane.coordinates[40]).toEqual([0, 0]);
  });

  test('the barrier is the largest rise above the line between the ends', () => {
    expect(barrierHeight([-0.5, 0, 0.5, 1, 1.5], [9, 1, 3, 2, 9])).toEqual({ height: 1.5, alpha: 0.5 });
    expect(barrierHeight([0, 0.5, 1], [2, 1, 2]).height).toBe(0);
  });
});

describe('largestHessianEigenvalue', () => {
  test('of a quadratic bowl is its largest curvature', async () => {
    // A = Q·diag(9, 4, 1)·Qᵀ with Q a rotation about the z axis by 0.6 rad.
    const c = Math.cos(0.6), s = Math.sin(0.6);
    const q = [[c, -s, 0], [s, c, 0], [0, 0, 1]];
    const lambda = [9, 4, 1];
    const a = q.map((_, i) => q.map((_, j) => lambda.reduce((sum, l, k) => sum + q[i][k] * l * q[j][k], 0)));
    const gradient = (points: Float64Array[]) => points.map((p) => Float64Array.from(a, (row) => dot(row, p)));
    const { value } = await largestHessianEigenvalue(gradient, [0.3, -0.2, 0.5], { tolerance: 1e-12, iterations: 500 });
    expect(value).toBeCloseTo(9, 8);
  });
});

const spiral: ExperimentSpec = {
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: { kind: 'spiral', n: 120, noise: 0, trainRatio: 0.5, seed: 2 },
  model: { features: ['x1', 'x2'], hidden: [{ units: 6, activation: 'tanh' }], l1: 0, l2: 0, dropout: 0 },
  optimizer: { kind: 'adam', lr: 0.03 },
  training: { batchSize: 16, epochs: 5, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
};

describe('losses of a trained network', () => {
  test('the interpolation at α = 0 and 1 gives the two runs’ own validation losses exactly', async () => {
    const data = generatedSplit(spiral.data as DataSpec);
    const runs = await Promise.all([1, 2].map((seed) => trainToEnd(new Trainer([{ ...spiral, seed }], data))));
    const [a, b] = runs.map((r) => flattenWeights(r.weights[0]));
    const model = { spec: spiral, io: networkIO(2, 2), data };
    const before = tf.memory().numTensors;
    const alphas = linearSpace(-0.5, 1.5, 9);
    const { val, train } = await landscapeLosses(model, interpolationPoints(a, b, alphas), alphas.length);
    expect(tf.memory().numTensors).toBe(before);
    expect(val[alphas.indexOf(0)]).toBe(runs[0].members[0].history.at(-1)!.valLoss);
    expect(val[alphas.indexOf(1)]).toBe(runs[1].members[0].history.at(-1)!.valLoss);
    expect(train.every(Number.isFinite)).toBe(true);
  });

  test('a linear model with squared loss has an exact quadratic as its slice', async () => {
    const spec: ExperimentSpec = { ...spiral, data: { kind: 'multigauss', n: 80, noise: 5, trainRatio: 0.5, seed: 3 }, model: { ...spiral.model, hidden: [] } };
    const data = generatedSplit(spec.data as DataSpec);
    const io = networkIO(2, 0);
    const shapes = parameterShapes(spec.model, io);
    const center = Float32Array.of(0.4, -0.7, 0.2);
    const delta = Float32Array.of(1.5, 0.5, -0.3), eta = Float32Array.of(-0.2, 0.9, 0.6);
    expect(shapes).toEqual([[2, 1], [1]]);
    const res = 7;
    const { train } = await landscapeLosses({ spec, io, data }, slicePoints(center, delta, eta, res), res * res);
    // L(a, b) = mean over rows of (r₀ + a·u + b·v)², r₀ = x·θ* − y, u = x·δ, v = x·η, in double precision.
    const { x, y, n } = data.train;
    const axis = linearSpace(-1, 1, res);
    const affine = (p: Float32Array, i: number) => x[2 * i] * p[0] + x[2 * i + 1] * p[1] + p[2];
    axis.forEach((b, row) => axis.forEach((a, col) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += (affine(center, i) - y[i] + a * affine(delta, i) + b * affine(eta, i)) ** 2;
      // Float32 parameters and sums: equal to 1e-6 relative.
      expect(Math.abs(train[row * res + col] - sum / n)).toBeLessThanOrEqual(1e-6 * (sum / n));
    }));
  });

  test('seeded random directions are filter-normalized: kernels keep their column norms, biases stay still', () => {
    const weights = [Float32Array.of(3, 1, 4, 0), Float32Array.of(1, 1)];
    const d = randomDirection(weights, [[2, 2], [2]], 5);
    expect(Math.hypot(d[0], d[2])).toBeCloseTo(5, 5);
    expect(Math.hypot(d[1], d[3])).toBeCloseTo(1, 5);
    expect([d[4], d[5]]).toEqual([0, 0]);
    expect(randomDirection(weights, [[2, 2], [2]], 5)).toEqual(d);
  });

  test('the network’s gradient gives a Hessian eigenvalue that central differences of the loss confirm', async () => {
    const data = generatedSplit(spiral.data as DataSpec);
    const run = await trainToEnd(new Trainer([spiral], data));
    const theta = flattenWeights(run.weights[0]);
    const model = { spec: spiral, io: networkIO(2, 2), data };
    const before = tf.memory().numTensors;
    const { value } = await largestHessianEigenvalue(landscapeGradient(model), theta, { tolerance: 1e-6, iterations: 300 });
    expect(tf.memory().numTensors).toBe(before);
    // No direction curves more than the top eigenvector: the loss's second difference along a
    // random direction stays below λ, and along the gradient-of-gradient direction found, meets it.
    const h = 1e-2;
    const v = randomDirection(run.weights[0], parameterShapes(spiral.model, networkIO(2, 2)), 3);
    const unit = v.map((x) => x / Math.sqrt(dot(v, v)));
    const line = [-h, 0, h].map((t) => theta.map((x, k) => x + t * unit[k]));
    const { train } = await landscapeLosses(model, Float32Array.from(line.flatMap((p) => Array.from(p))), 3);
    const curvature = (train[0] - 2 * train[1] + train[2]) / (h * h);
    expect(value).toBeGreaterThan(0);
    expect(curvature).toBeLessThan(value);
  });
});

describe('what the landscape view refuses, and where it says so', () => {
  const shapes = parameterShapes(spiral.model, networkIO(2, 2));
  const weights = shapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)));
  const saved = { spec: spiral, weights, weightShapes: shapes, initialWeights: weights, path: { epochs: [1], weights: [flattenWeights(weights)], stride: 1 } };
  const request = { compareWith: 'initial' as const, directions: 'pca' as const, seed: 1, res: 51 };

  test('a complete run asks for nothing', () => {
    expect(requestProblems(request, saved)).toEqual([]);
  });

  test('a run without weights, an older run without its path, a grid out of range, another network', () => {
    expect(requestProblems(request, { spec: spiral })).toEqual([{ field: 'run', message: expect.stringContaining('no saved weights') }]);
    // A run still training is not called stopped.
    expect(requestProblems(request, { spec: spiral, status: 'running' })).toEqual([
      { field: 'run', message: 'This run is still training: its landscape can be drawn once it ends. Come back to this screen then.' },
    ]);
    const older = { spec: spiral, weights, weightShapes: shapes };
    expect(requestProblems(request, older).map((p) => p.field)).toEqual(['directions', 'compareWith']);
    expect(requestProblems({ ...request, directions: 'random' }, older).map((p) => p.field)).toEqual(['compareWith']);
    expect(requestProblems({ ...request, res: 500 }, saved)).toEqual([{ field: 'res', message: 'The grid has 11 to 101 points a side; 500 is outside.' }]);
    expect(requestProblems({ ...request, res: 10.5 }, saved).map((p) => p.field)).toEqual(['res']);
    const wider = { ...spiral, model: { ...spiral.model, hidden: [{ units: 8, activation: 'tanh' as const }] } };
    const widerShapes = parameterShapes(wider.model, networkIO(2, 2));
    const other = { spec: wider, weightShapes: widerShapes, weights: widerShapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1))) };
    expect(requestProblems({ ...request, compareWith: { runId: 'b' } }, saved, other)).toEqual([
      { field: 'compareWith', message: "That run's network (2-8-1, tanh) differs from this one's (2-6-1, tanh): a line between them means nothing." },
    ]);
    expect(requestProblems({ ...request, compareWith: { runId: 'b' } }, saved, null).map((p) => p.field)).toEqual(['compareWith']);
    expect(requestProblems({ ...request, compareWith: { runId: 'b' } }, saved, { ...saved, spec: { ...spiral, seed: 9 } })).toEqual([]);
  });
});
