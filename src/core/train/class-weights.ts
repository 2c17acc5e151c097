/**
 * Class weights in the training loss of a classification: each point's loss (and gradient)
 * times its class's weight, as Keras' class_weight, so that a rare class weighs as much as its
 * weight says rather than as its share of the rows. Validation stays unweighted.
 */
import type { FieldError } from '../spec/schema';
import type { ClassWeightsSpec } from './types';

/**
 * scikit-learn's compute_class_weight('balanced'): n / (K · n_c) for each class c of the labels,
 * so that every class weighs the same in the loss; a class absent from the labels gets 1.
 *
 * @example
 * balancedClassWeights([0, 0, 0, 1], 2); // [4 / 6, 4 / 2]
 */
export function balancedClassWeights(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts.map((c) => (c === 0 ? 1 : labels.length / (classes * c)));
}

/** The training part a run's class weights are worked out on: its problem, class count and labels. */
export interface WeighedPart {
  problem: 'classification' | 'regression';
  /** Classes of a classification (2 for a binary one, which may say 0 or 2). */
  classes: number;
  y: ArrayLike<number>;
}

/** Classes a classification has: a binary one counts two whatever its data says. */
const classCount = (part: Pick<WeighedPart, 'classes'>) => Math.max(2, part.classes);

/**
 * Why class weights do not fit the data (a regression, or as many typed weights as there are
 * not classes), said at the field they come from; null when they fit or there are none.
 */
export function classWeightsProblem(spec: ClassWeightsSpec | undefined, part: Pick<WeighedPart, 'problem' | 'classes'>): FieldError | null {
  if (!spec) return null;
  if (part.problem !== 'classification') return { path: 'training.classWeights', message: 'Class weights need a classification: this experiment predicts a value.' };
  const classes = classCount(part);
  if (spec.kind === 'typed' && spec.weights.length !== classes) {
    return { path: 'training.classWeights', message: `Type one weight per class: ${classes} weights for ${classes} classes (got ${spec.weights.length}).` };
  }
  return null;
}

/**
 * The weights a run's loss gives each class, in class order: balanced ones from the training
 * labels, the typed ones, or null for none. Weights that do not fit the data are an Error
 * whose message is for the user (see {@link classWeightsProblem}).
 */
export function resolveClassWeights(spec: ClassWeightsSpec | undefined, train: WeighedPart): number[] | null {
  const problem = classWeightsProblem(spec, train);
  if (problem) throw new Error(problem.message);
  if (!spec) return null;
  return spec.kind === 'balanced' ? balancedClassWeights(train.y, classCount(train)) : [...spec.weights];
}

/**
 * Typed weights as a form has them, "1, 2.5, 1": the numbers in order; NaN where a piece is
 * not a number, for the schema to refuse at the field.
 */
export function parseClassWeights(text: string): number[] {
  return text.split(',').map((piece) => (piece.trim() === '' ? NaN : Number(piece.trim())));
}
