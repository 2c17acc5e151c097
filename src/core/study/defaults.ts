import type { SearchSpace } from '../search';
import type { OptimizerKind } from '../optim/types';
import type { ExperimentSpec } from '../spec/experiment';

/** An experiment in a few words, for choosing what a study starts from: its data, hidden widths and optimizer. */
export function experimentSummary(spec: ExperimentSpec): string {
  const data = spec.data.kind === 'table' ? spec.data.name : spec.data.kind;
  return `${data}, ${spec.model.hidden.map((l) => l.units).join('-') || 'no hidden layer'}, ${spec.optimizer.kind}`;
}

/** Each optimizer's own hyperparameter a new study varies beside the learning rate, with its range. */
const OWN_PARAMETER: Record<OptimizerKind, [string, SearchSpace[string]] | null> = {
  sgd: ['training.batchSize', { type: 'categorical', choices: [8, 16, 32, 64] }],
  momentum: ['optimizer.momentum', { type: 'float', low: 0, high: 0.99 }],
  nesterov: ['optimizer.momentum', { type: 'float', low: 0, high: 0.99 }],
  adagrad: ['optimizer.weightDecay', { type: 'float', low: 1e-6, high: 0.1, log: true }],
  rmsprop: ['optimizer.momentum', { type: 'float', low: 0, high: 0.99 }],
  adam: ['optimizer.beta1', { type: 'float', low: 0.5, high: 0.99 }],
  adamw: ['optimizer.beta1', { type: 'float', low: 0.5, high: 0.99 }],
};

/**
 * The search space a new study over `base` proposes: the learning rate on a log scale, a
 * decade either side of base's (at most 1), and the one hyperparameter that matters most for
 * base's optimizer (β₁ for Adam, momentum for momentum SGD, …), never one it does not have.
 */
export function defaultSpace(base: ExperimentSpec): SearchSpace {
  const decade = Math.log10(base.optimizer.lr);
  // Powers of ten parsed, not computed: 10 ** -4 is 0.00009999999999999999.
  const power = (k: number) => Number(`1e${k}`);
  const space: SearchSpace = {
    'optimizer.lr': { type: 'float', low: power(Math.floor(decade - 1)), high: Math.min(1, power(Math.ceil(decade + 1))), log: true },
  };
  const own = OWN_PARAMETER[base.optimizer.kind];
  if (own) space[own[0]] = structuredClone(own[1]);
  return space;
}

/**
 * A study's name from what it varies, in the labels people read ('Learning rate and β₁'),
 * for as long as the user has not named it.
 */
export function studyName(space: SearchSpace, label: (name: string) => string): string {
  const names = Object.keys(space).map(label);
  if (names.length === 0) return 'Study';
  // 'Batch size' reads 'batch size' inside a sentence; 'L2 rate' and 'β₁' stay as they are.
  const [first, ...rest] = names.map((n, i) => (i > 0 && /^[A-Z][a-z]/.test(n) ? n.charAt(0).toLowerCase() + n.slice(1) : n));
  const sentence = rest.length ? `${[first, ...rest.slice(0, -1)].join(', ')} and ${rest.at(-1)}` : first;
  return sentence;
}
