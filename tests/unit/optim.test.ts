import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../src/core/autodiff';
import { beforeAll, describe, expect, test } from 'vitest';
import { Optimizer, clipByGlobalNorm, lrFactor, resolveHypers, type OptimizerSpec } from '../../src/core/optim';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs `steps` updates of `spec` on f(x) = Σ c_i·x_i²/2·2 (gradient c_i·x_i) from all-ones, returning x after each step. */
function descend(spec: OptimizerSpec, curvatures: number[], steps: number, lrFactorValue = 1): number[][] {
  const x = tf.tidy(() => tf.variable(tf.ones([curvatures.length])));
  const c = tf.tensor1d(curvatures);
  const opt = Optimizer.fromSpec(spec);
  const path: number[][] = [];
  for (let k = 0; k < steps; k++) {
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(0.5, tf.mul(c, tf.square(x)))) as tf.Scalar, [x]);
    opt.step([x], [grads[x.name]], lrFactorValue);
    tf.dispose([value, grads[x.name]]);
    path.push(Array.from(x.dataSync()));
  }
  opt.dispose();
  tf.dispose([x, c]);
  return path;
}

function expectClose(actual: number[][], expected: number[][], rel = 1e-6) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, k) => row.forEach((v, i) => expect(Math.abs(v - expected[k][i])).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected[k][i])))));
}

// f(x) = x² (curvature 2, gradient 2x) from x0 = 1. Expected values computed by hand from
// torch.optim's equations (see the doc comments in src/core/optim/rules).
describe('first steps on f(x) = x²', () => {
  const cases: [OptimizerSpec, number[]][] = [
    // x ← x − 0.1·2x = 0.8x
    [{ kind: 'sgd', lr: 0.1 }, [0.8, 0.64, 0.512]],
    // b1 = 2 → 0.8; g = 1.6, b2 = 0.9·2 + 1.6 = 3.4 → 0.46; g = 0.92, b3 = 3.06 + 0.92 = 3.98 → 0.062
    [{ kind: 'momentum', lr: 0.1 }, [0.8, 0.46, 0.062]],
    // b1 = 2, step g + μb = 3.8 → 0.62; g = 1.24, b2 = 3.04, step 1.24 + 2.736 = 3.976 → 0.2224; …
    [{ kind: 'nesterov', lr: 0.1 }, [0.62, 0.2224, -0.108352]],
    // s = 4 → 1 − 0.1·2/2 = 0.9; g = 1.8, s = 7.24 → 0.9 − 0.18/√7.24 = 0.8331035268; …
    [{ kind: 'adagrad', lr: 0.1 }, [0.9, 0.8331035268, 0.7804561814]],
    // v = 0.01·4 = 0.04 → 1 − 0.01·2/0.2 = 0.9; g = 1.8, v = 0.0396 + 0.0324 = 0.072 → 0.832917968; …
    [{ kind: 'rmsprop', lr: 0.01 }, [0.900000005, 0.832917968, 0.7799822732]],
    // m̂ = g, v̂ = g² on step 1 → step lr; then 0.8004122287, 0.7015862729
    [{ kind: 'adam', lr: 0.1 }, [0.9000000005, 0.8004122287, 0.7015862729]],
    // θ ← θ(1 − 0.1·0.01) first, then Adam: 0.999 − 0.1 = 0.899; …
    [{ kind: 'adamw', lr: 0.1 }, [0.8990000005, 0.7985190272, 0.6989111832]],
  ];
  test.each(cases)('%o', (spec, expected) => {
    expectClose(descend(spec, [2], 3), expected.map((v) => [v]));
  });
});

// f(x, y) = x² + 10y² (curvatures 2 and 20) from (1, 1).
describe('first steps on f(x, y) = x² + 10y²', () => {
  const cases: [OptimizerSpec, number[][]][] = [
    // x ← x − 0.01·2x, y ← y − 0.01·20y
    [{ kind: 'sgd', lr: 0.01 }, [[0.98, 0.8], [0.9604, 0.64]]],
    [{ kind: 'momentum', lr: 0.01 }, [[0.98, 0.8], [0.9424, 0.46]]],
    [{ kind: 'nesterov', lr: 0.01 }, [[0.962, 0.62], [0.909244, 0.2224]]],
    [{ kind: 'adagrad', lr: 0.1 }, [[0.9, 0.9], [0.8331035268, 0.8331035268]]],
    [{ kind: 'rmsprop', lr: 0.01 }, [[0.900000005, 0.9000000005], [0.832917968, 0.8329179614]]],
    [{ kind: 'adam', lr: 0.1 }, [[0.9000000005, 0.9000000001], [0.8004122287, 0.8004122278]]],
    [{ kind: 'adamw', lr: 0.1 }, [[0.8990000005, 0.899], [0.7985190272, 0.7985190263]]],
  ];
  test.each(cases)('%o', (spec, expected) => {
    expectClose(descend(spec, [2, 20], 2), expected);
  });
});

describe('the optimizer', () => {
  test("Adam's first step has size lr in every coordinate, whatever the gradient's scale", () => {
    // m̂/√v̂ = g/|g| on the first step, less ε's share ε/|g| (≤ 2e-8 for these gradients)
    const [step] = descend({ kind: 'adam', lr: 0.5 }, [0.5, 3, 4000], 1);
    step.forEach((v) => expect(Math.abs(1 - v - 0.5) / 0.5).toBeLessThan(1e-6));
  });

  test('weight decay: an L2 term in the gradient for sgd and adam, decoupled for adamw', () => {
    // sgd, λ = 0.5: g = 2x + 0.5x = 2.5x → x·(1 − 0.25): 0.75, 0.5625
    expectClose(descend({ kind: 'sgd', lr: 0.1, weightDecay: 0.5 }, [2], 2), [[0.75], [0.5625]]);
    // adam's first step stays lr whatever the gradient: 0.9, then 0.8004122285
    expectClose(descend({ kind: 'adam', lr: 0.1, weightDecay: 0.5 }, [2], 2), [[0.9000000004], [0.8004122285]]);
    // adamw: θ(1 − 0.05) = 0.95, then − 0.1 → 0.85; then 0.7082484434
    expectClose(descend({ kind: 'adamw', lr: 0.1, weightDecay: 0.5 }, [2], 2), [[0.8500000005], [0.7082484434]]);
  });

  test('lrFactor scales the step', () => {
    expectClose(descend({ kind: 'sgd', lr: 0.1 }, [2], 1, 0.5), [[0.9]]);
  });

  test('torch defaults fill what a spec omits', () => {
    expect(resolveHypers({ kind: 'rmsprop', lr: 0.01 })).toMatchObject({ alpha: 0.99, eps: 1e-8, momentum: 0 });
    expect(resolveHypers({ kind: 'adagrad', lr: 0.01 })).toMatchObject({ eps: 1e-10 });
    expect(resolveHypers({ kind: 'adam', lr: 0.01 })).toMatchObject({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
    expect(resolveHypers({ kind: 'adamw', lr: 0.01 })).toMatchObject({ weightDecay: 0.01 });
    expect(resolveHypers({ kind: 'momentum', lr: 0.01 })).toMatchObject({ momentum: 0.9 });
  });

  test.each(['adam', 'momentum', 'rmsprop'] as const)('%s with a tensor of learning rates equals separate runs', (kind) => {
    const lrs = [0.1, 0.2, 0.3];
    const x = tf.tidy(() => tf.variable(tf.ones([3, 1])));
    const lr = tf.tensor2d(lrs, [3, 1]);
    const opt = new Optimizer(kind, { lr });
    for (let k = 0; k < 4; k++) {
      const { grads, value } = tf.variableGrads(() => tf.sum(tf.square(x)) as tf.Scalar, [x]);
      opt.step([x], [grads[x.name]]);
      tf.dispose([value, grads[x.name]]);
    }
    const together = Array.from(x.dataSync());
    opt.dispose();
    tf.dispose([x, lr]);
    lrs.forEach((value, i) => {
      const alone = descend({ kind, lr: value }, [2], 4).at(-1)![0];
      expect(together[i]).toBeCloseTo(alone, 6);
    });
  });

  test('leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    for (const kind of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw'] as const) {
      descend({ kind, lr: 0.01 }, [1, 2], 5);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('schedules', () => {
  test('constant, step and cosine factors', () => {
    expect(lrFactor({ kind: 'constant' }, 7, 10)).toBe(1);
    expect([0, 9, 10, 25].map((e) => lrFactor({ kind: 'step', every: 10, gamma: 0.5 }, e, 100))).toEqual([1, 1, 0.5, 0.25]);
    expect(lrFactor({ kind: 'cosine', minFactor: 0 }, 0, 10)).toBeCloseTo(1, 12);
    expect(lrFactor({ kind: 'cosine', minFactor: 0 }, 5, 10)).toBeCloseTo(0.5, 12);
    expect(lrFactor({ kind: 'cosine', minFactor: 0.1 }, 10, 10)).toBeCloseTo(0.1, 12);
  });
});

describe('gradient clipping', () => {
  test('scales the global norm down to the bound, and leaves small gradients alone', () => {
    const a = tf.tensor1d([3]);
    const b = tf.tensor1d([4]);
    const [ca, cb] = clipByGlobalNorm([a, b], 1);
    expect(ca.dataSync()[0]).toBeCloseTo(0.6, 5);
    expect(cb.dataSync()[0]).toBeCloseTo(0.8, 5);
    const [sa] = clipByGlobalNorm([a, b], 10);
    expect(sa.dataSync()[0]).toBeCloseTo(3, 5);
    tf.dispose([a, b, ca, cb, sa]);
  });

  test('per member: each member of a population by its own norm', () => {
    // member 0: (3, 4) norm 5 → clipped to norm 1; member 1: (0.3, 0.4) norm 0.5 → unchanged
    const w = tf.tensor3d([3, 0.3], [2, 1, 1]);
    const b = tf.tensor3d([4, 0.4], [2, 1, 1]);
    const [cw, cb] = clipByGlobalNorm([w, b], 1, true);
    expect(Array.from(cw.dataSync())).toEqual([expect.closeTo(0.6, 5), expect.closeTo(0.3, 5)]);
    expect(Array.from(cb.dataSync())).toEqual([expect.closeTo(0.8, 5), expect.closeTo(0.4, 5)]);
    tf.dispose([w, b, cw, cb]);
  });
});
