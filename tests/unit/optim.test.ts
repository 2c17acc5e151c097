import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../src/core/autodiff';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  OPTIMIZER_DEFAULTS,
  OPTIMIZER_KINDS,
  Optimizer,
  resolveHypers,
  type OptimizerKind,
  type OptimizerSpec,
} from '../../src/core/optim';

// Every expected value below follows from torch.optim's equations (written in the doc comment
// of each rule in src/core/optim/rules/), worked out in double precision in the comments; the
// same numbers came out of torch 1.13's own optimizers (float64) once, by hand, to 1e-16.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Runs `steps` updates of `opt` on f(x) = Σ c_i·x_i²/2 (gradient c_i·x_i) from x = 1 in every
 * coordinate, returning x after each step; disposes everything it made.
 */
function descendWith(opt: Optimizer, curvatures: number[], steps: number, lrFactor = 1): number[][] {
  const x = tf.variable(tf.ones([curvatures.length]));
  const c = tf.tensor1d(curvatures);
  const path: number[][] = [];
  for (let k = 0; k < steps; k++) {
    const grad = tf.mul(c, x);
    opt.step([x], [grad], lrFactor);
    grad.dispose();
    path.push(Array.from(x.dataSync()));
  }
  opt.dispose();
  tf.dispose([x, c]);
  return path;
}

/** {@link descendWith} for a spec. */
function descend(spec: OptimizerSpec, curvatures: number[], steps: number, lrFactor = 1): number[][] {
  return descendWith(Optimizer.fromSpec(spec), curvatures, steps, lrFactor);
}

/**
 * Element-wise agreement to 1e-6 of the starting scale (every run starts at 1): a float32
 * operation on values near 1 rounds by up to 6e-8, and a difference such as 0.46 − 0.398 keeps
 * that absolute error while its result shrinks.
 */
function expectClose(actual: number[][], expected: number[][], tolerance = 1e-6) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, k) => {
    expect(row.length).toBe(expected[k].length);
    row.forEach((v, i) => {
      if (Math.abs(v - expected[k][i]) > tolerance * Math.max(1, Math.abs(expected[k][i]))) {
        expect.fail(`step ${k + 1}, coordinate ${i}: got ${v}, expected ${expected[k][i]}`);
      }
    });
  });
}

// f(x) = x² (gradient 2x) from x = 1.
describe('the first three steps on f(x) = x² from x = 1', () => {
  const cases: [OptimizerSpec, number[]][] = [
    // x ← x − 0.1·2x = 0.8x: 0.8, 0.64, 0.512
    [{ kind: 'sgd', lr: 0.1 }, [0.8, 0.64, 0.512]],
    // μ = 0.9.  t1: g = 2, b = 2, x = 1 − 0.2 = 0.8
    //           t2: g = 1.6, b = 0.9·2 + 1.6 = 3.4, x = 0.8 − 0.34 = 0.46
    //           t3: g = 0.92, b = 0.9·3.4 + 0.92 = 3.98, x = 0.46 − 0.398 = 0.062
    [{ kind: 'momentum', lr: 0.1 }, [0.8, 0.46, 0.062]],
    // μ = 0.9.  t1: g = 2, b = 2, g + μb = 3.8, x = 1 − 0.38 = 0.62
    //           t2: g = 1.24, b = 1.8 + 1.24 = 3.04, g + μb = 1.24 + 2.736 = 3.976, x = 0.2224
    //           t3: g = 0.4448, b = 2.736 + 0.4448 = 3.1808, g + μb = 3.30752, x = −0.108352
    [{ kind: 'nesterov', lr: 0.1 }, [0.62, 0.2224, -0.108352]],
    // ε = 1e-10.  t1: g = 2, s = 4, x = 1 − 0.1·2/2 = 0.9
    //             t2: g = 1.8, s = 7.24, √s = 2.690724809, x = 0.9 − 0.18/2.690724809 = 0.8331035268
    //             t3: g = 1.666207054, s = 10.01624595, √s = 3.164845327, x = 0.8331035268 − 0.0526473455
    [{ kind: 'adagrad', lr: 0.1 }, [0.9, 0.8331035268, 0.7804561814]],
    // α = 0.99, ε = 1e-8.  t1: g = 2, v = 0.01·4 = 0.04, x = 1 − 0.01·2/(0.2 + 1e-8) = 0.900000005
    //   t2: g = 1.80000001, v = 0.0396 + 0.0324 = 0.072, √v = 0.268328158, x = 0.900000005 − 0.067082037
    //   t3: g = 1.665835936, v = 0.07128 + 0.027750094 = 0.099030094, √v = 0.314690473, step 0.052935695
    [{ kind: 'rmsprop', lr: 0.01 }, [0.900000005, 0.832917968, 0.7799822732]],
    // β1 = 0.9, β2 = 0.999, ε = 1e-8.
    //   t1: g = 2, m = 0.2, v = 0.004, m̂ = 0.2/0.1 = 2, v̂ = 0.004/0.001 = 4, x = 1 − 0.1·2/(2 + 1e-8) = 0.9000000005
    //   t2: g = 1.8, m = 0.18 + 0.18 = 0.36, v = 0.003996 + 0.00324 = 0.007236,
    //       m̂ = 0.36/0.19 = 1.894736843, v̂ = 0.007236/0.001999 = 3.619809907, √v̂ = 1.902579803,
    //       x = 0.9000000005 − 0.1·0.9958777181 = 0.8004122287
    //   t3: g = 1.600824457, m = 0.484082446, v = 0.009791403, m̂ = 0.484082446/0.271 = 1.786282088,
    //       v̂ = 0.009791403/0.002997001 = 3.26706696, √v̂ = 1.807502963, x = 0.8004122287 − 0.0988259557
    [{ kind: 'adam', lr: 0.1 }, [0.9000000005, 0.8004122287, 0.7015862729]],
    // λ = 0.01 decoupled: x ← x − 0.1·0.01·x first, then Adam with g = 2x (before the decay).
    //   t1: x = 0.999, Adam's first step is lr: 0.999 − 0.0999999995 = 0.8990000005
    //   t2: g = 1.798, x = 0.8990000005·0.999 = 0.8981010005; m = 0.18 + 0.1798 = 0.3598,
    //       v = 0.003996 + 0.001·3.232804 = 0.007228804, m̂ = 1.893684211, √v̂ = 1.901633536,
    //       x = 0.8981010005 − 0.0995819733 = 0.7985190272
    //   t3: g = 1.597038054, x·0.999 = 0.7977205082, step 0.098809325, x = 0.6989111832
    [{ kind: 'adamw', lr: 0.1 }, [0.8990000005, 0.7985190272, 0.6989111832]],
  ];
  test.each(cases)('%o', (spec, expected) => {
    expectClose(descend(spec, [2], 3), expected.map((v) => [v]));
  });
});

// f(x, y) = x² + 10y² (gradient (2x, 20y)) from (1, 1): the coordinates see different
// curvatures, which the adaptive rules even out and the others do not.
describe('the first two steps on f(x, y) = x² + 10y² from (1, 1)', () => {
  const cases: [OptimizerSpec, number[][]][] = [
    // x ← x − 0.01·2x = 0.98x; y ← y − 0.01·20y = 0.8y
    [{ kind: 'sgd', lr: 0.01 }, [[0.98, 0.8], [0.9604, 0.64]]],
    // x: b = 2 → 0.98; g = 1.96, b = 1.8 + 1.96 = 3.76 → 0.98 − 0.0376 = 0.9424
    // y: b = 20 → 0.8; g = 16, b = 18 + 16 = 34 → 0.8 − 0.34 = 0.46
    [{ kind: 'momentum', lr: 0.01 }, [[0.98, 0.8], [0.9424, 0.46]]],
    // x: g + μb = 3.8 → 0.962; g = 1.924, b = 1.8 + 1.924 = 3.724, g + μb = 5.2756 → 0.909244
    // y: g + μb = 38 → 0.62; g = 12.4, b = 18 + 12.4 = 30.4, g + μb = 39.76 → 0.2224
    [{ kind: 'nesterov', lr: 0.01 }, [[0.962, 0.62], [0.909244, 0.2224]]],
    // g/√s = ±1 on the first step whatever the curvature: both 0.9; then each coordinate's
    // g₂/√(g₁² + g₂²) = 0.9c/(c·√1.81) = 0.668964732: 0.9 − 0.0668964732 = 0.8331035268
    [{ kind: 'adagrad', lr: 0.1 }, [[0.9, 0.9], [0.8331035268, 0.8331035268]]],
    // also scale-free up to ε: x as in f = x² above, y: 0.9000000005, then 0.8329179614
    [{ kind: 'rmsprop', lr: 0.01 }, [[0.900000005, 0.9000000005], [0.832917968, 0.8329179614]]],
    // Adam is scale-free too: both coordinates follow the f = x² path up to ε's share
    [{ kind: 'adam', lr: 0.1 }, [[0.9000000005, 0.90000000005], [0.8004122287, 0.8004122278]]],
    [{ kind: 'adamw', lr: 0.1 }, [[0.8990000005, 0.89900000005], [0.7985190272, 0.7985190263]]],
  ];
  test.each(cases)('%o', (spec, expected) => {
    expectClose(descend(spec, [2, 20], 2), expected);
  });
});

describe('update rules', () => {
  test("Adam's first step has size lr in every coordinate, whatever the gradient's scale", () => {
    // m̂/(√v̂ + ε) = g/(|g| + ε) on the first step: gradients 0.5, 3 and 4000 all move by 0.5
    const [step] = descend({ kind: 'adam', lr: 0.5 }, [0.5, 3, 4000], 1);
    step.forEach((v) => expect(Math.abs(1 - v - 0.5) / 0.5).toBeLessThan(1e-6));
  });

  test('RMSProp honours momentum as torch does: b ← μb + g/(√v + ε), θ ← θ − lr·b', () => {
    // t1: g = 2, v = 0.04, b = 2/0.2 = 10, x = 1 − 0.01·10 = 0.9
    // t2: g = 1.8, v = 0.0396 + 0.0324 = 0.072, b = 9 + 1.8/0.268328158 = 15.708203,
    //     x = 0.9 − 0.15708203 = 0.74291797
    // t3: g = 1.48583594, v = 0.07128 + 0.02207708 = 0.09335708, √v = 0.30554391,
    //     b = 14.1373829 + 4.8629209 = 19.0003038, x = 0.74291797 − 0.19000304 = 0.55291493
    expectClose(descend({ kind: 'rmsprop', lr: 0.01, momentum: 0.9 }, [2], 3), [[0.900000005], [0.7429179725], [0.5529149342]]);
  });

  test('weight decay: an L2 term in the gradient for sgd, momentum and adam, decoupled for adamw', () => {
    // sgd, λ = 0.5: g = 2x + 0.5x = 2.5x, x ← x − 0.25x: 0.75, 0.5625
    expectClose(descend({ kind: 'sgd', lr: 0.1, weightDecay: 0.5 }, [2], 2), [[0.75], [0.5625]]);
    // momentum: g = 2.5, b = 2.5 → 0.75; g = 1.875, b = 2.25 + 1.875 = 4.125 → 0.75 − 0.4125 = 0.3375
    expectClose(descend({ kind: 'momentum', lr: 0.1, weightDecay: 0.5 }, [2], 2), [[0.75], [0.3375]]);
    // adam: the L2 term goes through the moments, so the first step is still lr: 0.9; then
    // g = 2.25, m = 0.45, v = 0.0113062500045, m̂ = 2.368421053, √v̂ = 2.378224754 → 0.8004122285
    expectClose(descend({ kind: 'adam', lr: 0.1, weightDecay: 0.5 }, [2], 2), [[0.9000000004], [0.8004122285]]);
    // adamw: x(1 − 0.1·0.5) = 0.95 and then Adam's step lr: 0.85; then g = 1.7, x·0.95 = 0.8075,
    // m = 0.35, v = 0.006886, m̂ = 1.842105264, √v̂ = 1.855996326, step 0.0992515571 → 0.7082484434
    expectClose(descend({ kind: 'adamw', lr: 0.1, weightDecay: 0.5 }, [2], 2), [[0.8500000005], [0.7082484434]]);
  });
});

describe('the Optimizer', () => {
  test('lrFactor scales the learning rate: half the factor, half the step', () => {
    // sgd: 1 − 0.5·0.1·2 = 0.9, where factor 1 gives 0.8
    expectClose(descend({ kind: 'sgd', lr: 0.1 }, [2], 1, 0.5), [[0.9]]);
    // Adam's first step is lr·factor = 0.05
    expectClose(descend({ kind: 'adam', lr: 0.1 }, [2], 1, 0.5), [[0.95000000025]]);
    // and lr 0.1 with factor 0.5 is lr 0.05 in every later step too
    expectClose(descend({ kind: 'adam', lr: 0.1 }, [2], 3, 0.5), descend({ kind: 'adam', lr: 0.05 }, [2], 3));
  });

  test('counts its steps in t', () => {
    const opt = Optimizer.fromSpec({ kind: 'adam', lr: 0.1 });
    expect(opt.t).toBe(0);
    expect(opt.kind).toBe('adam');
    descendWith(opt, [2], 3);
    expect(opt.t).toBe(3);
  });

  test('keeps one state per parameter, index-matched', () => {
    // x and y as two parameters take the same path as the vector (x, y) in f = x² + 10y² above
    const x = tf.variable(tf.ones([1]));
    const y = tf.variable(tf.ones([1]));
    const opt = Optimizer.fromSpec({ kind: 'momentum', lr: 0.01 });
    const path: number[][] = [];
    for (let k = 0; k < 2; k++) {
      const gx = tf.mul(2, x);
      const gy = tf.mul(20, y);
      opt.step([x, y], [gx, gy]);
      tf.dispose([gx, gy]);
      path.push([x.dataSync()[0], y.dataSync()[0]]);
    }
    expectClose(path, [[0.98, 0.8], [0.9424, 0.46]]);
    opt.dispose();
    tf.dispose([x, y]);
  });

  test('two optimizers may step the same parameter, each with its own state', () => {
    const x = tf.variable(tf.ones([1]));
    const a = Optimizer.fromSpec({ kind: 'momentum', lr: 0.1 });
    const b = Optimizer.fromSpec({ kind: 'momentum', lr: 0.1 });
    const stepWith = (opt: Optimizer) => {
      const g = tf.mul(2, x);
      opt.step([x], [g]);
      g.dispose();
      return x.dataSync()[0];
    };
    // a: g = 2, b_a = 2 → 0.8; b: g = 1.6, b_b = 1.6 → 0.64; a: g = 1.28, b_a = 1.8 + 1.28 → 0.332
    expectClose([[stepWith(a)], [stepWith(b)], [stepWith(a)]], [[0.8], [0.64], [0.332]]);
    a.dispose();
    b.dispose();
    x.dispose();
  });

  test('a gradient list that does not match the parameters is an error', () => {
    const x = tf.variable(tf.ones([1]));
    const opt = Optimizer.fromSpec({ kind: 'sgd', lr: 0.1 });
    expect(() => opt.step([x], [])).toThrow('one gradient per parameter');
    opt.dispose();
    x.dispose();
  });

  test('torch defaults fill omitted and undefined hyperparameters', () => {
    expect(OPTIMIZER_DEFAULTS.momentum.momentum).toBe(0.9);
    expect(OPTIMIZER_DEFAULTS.nesterov.momentum).toBe(0.9);
    expect(OPTIMIZER_DEFAULTS.sgd.momentum).toBe(0);
    expect(OPTIMIZER_DEFAULTS.rmsprop).toMatchObject({ alpha: 0.99, eps: 1e-8, momentum: 0 });
    expect(OPTIMIZER_DEFAULTS.adagrad.eps).toBe(1e-10);
    expect(OPTIMIZER_DEFAULTS.adam).toMatchObject({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
    expect(OPTIMIZER_DEFAULTS.adamw).toMatchObject({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
    for (const kind of OPTIMIZER_KINDS) if (kind !== 'adamw') expect(OPTIMIZER_DEFAULTS[kind].weightDecay).toBe(0);

    expect(resolveHypers({ kind: 'adamw', lr: 0.003 })).toEqual({
      lr: 0.003, momentum: 0, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01,
    });
    expect(resolveHypers({ kind: 'momentum', lr: 0.1, momentum: 0.5, weightDecay: undefined })).toMatchObject({
      momentum: 0.5, weightDecay: 0,
    });
    // an explicit undefined in the constructor takes the default μ = 0.9 too: 0.8, then 0.46
    expectClose(descendWith(new Optimizer('momentum', { lr: 0.1, momentum: undefined }), [2], 2), [[0.8], [0.46]]);
  });
});

describe('hyperparameters as tensors: many models in one step', () => {
  /** x ← 1 in P rows [P, 1] stepped 4 times on Σ x² by `opt`; the rows after the last step. */
  function population(opt: Optimizer, rows: number): number[] {
    const x = tf.variable(tf.ones([rows, 1]));
    for (let k = 0; k < 4; k++) {
      const g = tf.mul(2, x);
      opt.step([x], [g]);
      g.dispose();
    }
    const out = Array.from(x.dataSync());
    opt.dispose();
    x.dispose();
    return out;
  }

  test.each(OPTIMIZER_KINDS)('%s: lr [3, 1] = (0.1, 0.2, 0.3) equals three separate runs', (kind: OptimizerKind) => {
    const lrs = [0.1, 0.2, 0.3];
    const lr = tf.tensor2d(lrs, [3, 1]);
    const together = population(new Optimizer(kind, { lr }), 3);
    lr.dispose();
    const alone = lrs.map((value) => descend({ kind, lr: value }, [2], 4)[3][0]);
    expectClose([together], [alone]);
  });

  test('adam: tensor betas and their bias corrections 1 − β^t equal separate runs', () => {
    const beta1s = [0.5, 0.9, 0.95];
    const beta2s = [0.9, 0.999, 0.9999];
    const [beta1, beta2] = [tf.tensor2d(beta1s, [3, 1]), tf.tensor2d(beta2s, [3, 1])];
    const together = population(new Optimizer('adam', { lr: 0.1, beta1, beta2 }), 3);
    tf.dispose([beta1, beta2]);
    const alone = beta1s.map((b1, i) => descend({ kind: 'adam', lr: 0.1, beta1: b1, beta2: beta2s[i] }, [2], 4)[3][0]);
    expectClose([together], [alone]);
  });

  test('lr [P, 1, 1] broadcasts against weights [P, in, out]', () => {
    // momentum, gradient 2w from w = 1. Member 0, lr 0.1: 0.8, then b = 1.8 + 1.6 → 0.46.
    // Member 1, lr 0.05: 0.9, then g = 1.8, b = 1.8 + 1.8 = 3.6 → 0.9 − 0.18 = 0.72.
    const w = tf.variable(tf.ones([2, 2, 3]));
    const lr = tf.tensor3d([0.1, 0.05], [2, 1, 1]);
    const opt = new Optimizer('momentum', { lr });
    for (let k = 0; k < 2; k++) {
      const g = tf.mul(2, w);
      opt.step([w], [g]);
      g.dispose();
    }
    const values = Array.from(w.dataSync());
    expectClose([values], [[...Array(6).fill(0.46), ...Array(6).fill(0.72)]]);
    opt.dispose();
    tf.dispose([w, lr]);
  });

  test('lr [N, 1] broadcasts against points [N, 2], as the landscape lab uses it', () => {
    // sgd on f = x² + 10y² from (1, 1): (1 − 2lr, 1 − 20lr) for lr 0.01, 0.02, 0.05
    const points = tf.variable(tf.ones([3, 2]));
    const lr = tf.tensor2d([0.01, 0.02, 0.05], [3, 1]);
    const opt = new Optimizer('sgd', { lr });
    const g = tf.mul(tf.tensor1d([2, 20]), points);
    opt.step([points], [g]);
    expectClose([Array.from(points.dataSync())], [[0.98, 0.8, 0.96, 0.6, 0.9, 0]]);
    opt.dispose();
    tf.dispose([points, lr, g]);
  });

  test('an lr variable the caller assigns between steps takes effect at the next step', () => {
    // sgd from 1: lr 0.1 → 0.8; lr set to 0 (a frozen member) → stays 0.8
    const x = tf.variable(tf.ones([1]));
    const lr = tf.variable(tf.scalar(0.1));
    const opt = new Optimizer('sgd', { lr });
    const stepOnce = () => {
      const g = tf.mul(2, x);
      opt.step([x], [g]);
      g.dispose();
      return x.dataSync()[0];
    };
    const first = stepOnce();
    lr.assign(tf.scalar(0));
    expectClose([[first], [stepOnce()]], [[0.8], [0.8]]);
    opt.dispose();
    tf.dispose([x, lr]);
  });
});

describe('memory', () => {
  test.each(OPTIMIZER_KINDS)('%s: creating, stepping 5 times and disposing leaves the tensor count as it was', (kind) => {
    // The caller's own tensors (parameters, gradients, a tensor lr) exist before and after.
    const params = [tf.variable(tf.ones([2, 3])), tf.variable(tf.ones([3]))];
    const grads = [tf.fill([2, 3], 0.5), tf.fill([3], -0.25)];
    const lr = tf.tensor2d([0.1, 0.2], [2, 1]);
    const before = tf.memory().numTensors;
    const scalarOpt = new Optimizer(kind, { lr: 0.1, weightDecay: 0.01, momentum: 0.5 });
    const tensorOpt = new Optimizer(kind, { lr, weightDecay: 0.01 });
    for (let k = 0; k < 5; k++) {
      scalarOpt.step(params, grads, k === 0 ? 1 : 0.5);
      tensorOpt.step(params.slice(0, 1), grads.slice(0, 1), 0.9);
    }
    scalarOpt.dispose();
    tensorOpt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect([...grads, lr].some((t) => t.isDisposed)).toBe(false);
    tf.dispose([...params, ...grads, lr]);
  });
});
