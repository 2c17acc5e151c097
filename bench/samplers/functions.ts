import type { Params, SearchSpace } from '../../src/core/search';
import { lookup, type ObjectiveTable } from './lookup';
import penguinsTable from './tables/penguins.json';
import spiralTable from './tables/spiral.json';

/**
 * A problem of the sampler suite: its search space, its objective (to minimize) and the
 * objective's known minimum. With `noise`, every trial observes the value plus a normal draw
 * of that standard deviation (see {@link noiseOf}); regret is then taken on the noise-free
 * value of the trial that looked best.
 */
export interface TestFunction {
  name: string;
  space: SearchSpace;
  minimum: number;
  evaluate(params: Params): number;
  noise?: number;
}

/** A parameter value as a number. */
const num = (p: Params, name: string) => p[name] as number;

/** Branin-Hoo on x1 ∈ [−5, 10], x2 ∈ [0, 15]: three global minima of 0.397887. */
export const branin: TestFunction = {
  name: 'Branin',
  space: { x1: { type: 'float', low: -5, high: 10 }, x2: { type: 'float', low: 0, high: 15 } },
  minimum: 0.397887,
  evaluate(p) {
    const x1 = num(p, 'x1');
    const x2 = num(p, 'x2');
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((x) => x * 1e-4));

/** Hartmann 6-D on [0, 1]^6: one global minimum of −3.32237. */
export const hartmann6: TestFunction = {
  name: 'Hartmann6',
  space: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i}`, { type: 'float', low: 0, high: 1 }])),
  minimum: -3.32237,
  evaluate(p) {
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H_A[i][j] * (num(p, `x${j}`) - H_P[i][j]) ** 2;
      sum += H_ALPHA[i] * Math.exp(-inner);
    }
    return -sum;
  },
};

/** Hartmann6 observed with normal noise of standard deviation 0.2 (a tenth of its range near the optimum). */
export const hartmann6Noisy: TestFunction = { ...hartmann6, name: 'Hartmann6 noisy', noise: 0.2 };

const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop'];
/** Per optimizer: the loss it adds at best, and log10 of its best learning rate. */
const OPTIMIZER_BASE = [0.12, 0.06, 0, 0.03];
const OPTIMIZER_LOG_LR = [-0.5, -1.5, -3, -2.5];

/**
 * The shape of a real study: an optimizer among four whose best learning rate differs per
 * choice, a log learning rate, a log integer width and a dropout whose best value grows with
 * the width. Minimum 0 at adam, lr 1e-3, width 128, dropout 0.2.
 */
export const mixed: TestFunction = {
  name: 'Mixed',
  space: {
    optimizer: { type: 'categorical', choices: OPTIMIZERS },
    lr: { type: 'float', low: 1e-5, high: 1, log: true },
    width: { type: 'int', low: 8, high: 512, log: true },
    dropout: { type: 'float', low: 0, high: 0.5 },
  },
  minimum: 0,
  evaluate(p) {
    const o = OPTIMIZERS.indexOf(p.optimizer as string);
    const w = Math.log2(num(p, 'width'));
    return OPTIMIZER_BASE[o] + 0.08 * (Math.log10(num(p, 'lr')) - OPTIMIZER_LOG_LR[o]) ** 2 + 0.01 * (w - 7) ** 2 + 0.5 * (num(p, 'dropout') - 0.05 * (w - 3)) ** 2;
  },
};

/** Mixed observed with normal noise of standard deviation 0.03 (half the gap between the two best optimizers). */
export const mixedNoisy: TestFunction = { ...mixed, name: 'Mixed noisy', noise: 0.03 };

const ACTIVATIONS = ['tanh', 'relu', 'gelu'];

/**
 * Eight parameters of a real study, two of them categorical: Mixed's four, plus an activation
 * whose best depth differs per choice, the depth, an L2 weight (log) and a batch size (log
 * integer) that moves the best learning rate up by 0.3 decades per doubling. Minimum 0 at adam,
 * gelu, depth 4, batch 64, lr 1e-3, width 128, dropout 0.2, l2 1e-4.
 */
export const mixedLarge: TestFunction = {
  name: 'Mixed 8-D',
  space: {
    ...mixed.space,
    activation: { type: 'categorical', choices: ACTIVATIONS },
    depth: { type: 'int', low: 1, high: 6 },
    l2: { type: 'float', low: 1e-6, high: 0.1, log: true },
    batch: { type: 'int', low: 8, high: 512, log: true },
  },
  minimum: 0,
  evaluate(p) {
    const o = OPTIMIZERS.indexOf(p.optimizer as string);
    const w = Math.log2(num(p, 'width'));
    const b = Math.log2(num(p, 'batch'));
    const d = num(p, 'depth');
    const act = [0.04 + 0.02 * (d - 2) ** 2, 0.005 + 0.01 * (d - 3) ** 2, 0.01 * (d - 4) ** 2][ACTIVATIONS.indexOf(p.activation as string)];
    const bestLogLr = OPTIMIZER_LOG_LR[o] + 0.3 * (b - 6);
    return (
      OPTIMIZER_BASE[o] + act + 0.08 * (Math.log10(num(p, 'lr')) - bestLogLr) ** 2 + 0.005 * (b - 6) ** 2 +
      0.01 * (w - 7) ** 2 + 0.5 * (num(p, 'dropout') - 0.05 * (w - 3)) ** 2 + 0.01 * (Math.log10(num(p, 'l2')) + 4) ** 2
    );
  },
};

/**
 * Parameters that exist under one choice only: momentum under the momentum optimizer (the best
 * learning rate falls as it rises), beta1 under adam, warmup epochs under the cosine schedule.
 * Minimum 0 at adam, lr 1e-3, beta1 0.85, cosine with 5 warmup epochs.
 */
export const conditional: TestFunction = {
  name: 'Conditional',
  space: {
    optimizer: { type: 'categorical', choices: ['sgd', 'momentum', 'adam'] },
    lr: { type: 'float', low: 1e-5, high: 1, log: true },
    momentum: { type: 'float', low: 0, high: 0.99, condition: { param: 'optimizer', in: ['momentum'] } },
    beta1: { type: 'float', low: 0.5, high: 0.99, condition: { param: 'optimizer', in: ['adam'] } },
    schedule: { type: 'categorical', choices: ['constant', 'cosine'] },
    warmup: { type: 'int', low: 0, high: 20, condition: { param: 'schedule', in: ['cosine'] } },
  },
  minimum: 0,
  evaluate(p) {
    const lr = Math.log10(num(p, 'lr'));
    let value: number;
    if (p.optimizer === 'sgd') value = 0.1 + 0.08 * (lr + 1) ** 2;
    else if (p.optimizer === 'momentum') {
      const m = num(p, 'momentum');
      value = 0.02 + 0.08 * (lr + 1 + 2 * m) ** 2 + 0.3 * (m - 0.9) ** 2;
    } else value = 0.08 * (lr + 3) ** 2 + 0.5 * (num(p, 'beta1') - 0.85) ** 2;
    return value + (p.schedule === 'constant' ? 0.03 : 0.001 * (num(p, 'warmup') - 5) ** 2);
  },
};

/**
 * Six integers (two log-scaled, one stepped) and one float: layers, width, batch, epochs (step
 * 10), kernel size (odd), heads and a dropout, with layers and width coupled. Minimum 0 at
 * layers 3, width 96, batch 48, epochs 80, kernel 5, heads 6, dropout 0.1.
 */
export const integerHeavy: TestFunction = {
  name: 'Integer',
  space: {
    layers: { type: 'int', low: 1, high: 8 },
    width: { type: 'int', low: 4, high: 1024, log: true },
    batch: { type: 'int', low: 8, high: 1024, log: true },
    epochs: { type: 'int', low: 10, high: 200, step: 10 },
    kernel: { type: 'int', low: 1, high: 9, step: 2 },
    heads: { type: 'int', low: 1, high: 16 },
    dropout: { type: 'float', low: 0, high: 0.5 },
  },
  minimum: 0,
  evaluate(p) {
    const layers = num(p, 'layers') - 3;
    const width = Math.log2(num(p, 'width') / 96);
    return (
      0.02 * layers ** 2 + 0.02 * width ** 2 + 0.02 * Math.abs(layers * width) + 0.01 * Math.log2(num(p, 'batch') / 48) ** 2 +
      0.02 * ((num(p, 'epochs') - 80) / 40) ** 2 + 0.005 * (num(p, 'kernel') - 5) ** 2 + 0.002 * (num(p, 'heads') - 6) ** 2 +
      0.5 * (num(p, 'dropout') - 0.1) ** 2
    );
  },
};

/** A tabulated real objective as a problem: the table's axes as the space, its smallest value as the minimum. */
function tabulated(name: string, table: ObjectiveTable): TestFunction {
  return {
    name,
    space: Object.fromEntries(table.axes.map((a) => [a.name, { type: 'float', low: a.values[0], high: a.values.at(-1)!, log: a.log }])),
    minimum: Math.min(...table.values),
    evaluate: (p) => lookup(table, p as Record<string, number>),
  };
}

/** The validation loss of a spiral study (learning rate, momentum, dropout), see tabulate.ts. */
export const spiral = tabulated('Spiral study', spiralTable as ObjectiveTable);

/** The validation loss of a penguins study (learning rate, L2, dropout), see tabulate.ts. */
export const penguins = tabulated('Penguins study', penguinsTable as ObjectiveTable);

/** Every problem of the suite, in the order of its table. */
export const SUITE: TestFunction[] = [branin, hartmann6, mixed, mixedLarge, conditional, integerHeavy, mixedNoisy, hartmann6Noisy, spiral, penguins];

/** lowbias32 (C. Wellons' integer hash): 32 well-mixed bits of a 32-bit integer. */
function hash32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * The standard normal draw that noise trial `trial` (from 0) of run `seed` adds, by Box-Muller
 * from two hashed uniforms: a function of (seed, trial) alone, so that every sampler and the
 * Python reference see the same noise sequence.
 */
export function noiseOf(seed: number, trial: number): number {
  const u = (j: number) => (hash32((seed * 1000003 + trial * 2 + j) >>> 0) + 0.5) / 2 ** 32;
  return Math.sqrt(-2 * Math.log(u(0))) * Math.cos(2 * Math.PI * u(1));
}
