/** Precision and recall of one class: of the points predicted as it, the share that are; of the points that are, the share found. */
export interface ClassScore {
  precision: number;
  recall: number;
}

/** How well a trained model does on one part of the data (validation or test). */
export interface Evaluation {
  /** Points evaluated. */
  n: number;
  /** The training loss on these points (without regularization). */
  loss: number;
  /** Classification: share of points whose predicted class is their class. */
  accuracy?: number;
  /** Classification: counts, row = true class, column = predicted class. */
  confusion?: number[][];
  /** Classification: per class, in class order. NaN where a class was never predicted (precision) or is absent (recall). */
  perClass?: ClassScore[];
  /** Regression: 1 − Σ(ŷ − y)² / Σ(y − ȳ)². */
  r2?: number;
  /** Regression: mean |ŷ − y| in the target's own units. */
  mae?: number;
}

/**
 * Accuracy, confusion matrix and per-class precision and recall from true and predicted class
 * indices, as scikit-learn's confusion_matrix and precision_recall_fscore_support.
 *
 * @example
 * classificationScores([0, 1, 1], [0, 1, 0], 2);
 * // { accuracy: 2/3, confusion: [[1, 0], [1, 1]], perClass: [{ precision: 0.5, recall: 1 }, { precision: 1, recall: 0.5 }] }
 */
export function classificationScores(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): Required<Pick<Evaluation, 'accuracy' | 'confusion' | 'perClass'>> {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    confusion[truth[i]][predicted[i]]++;
    if (truth[i] === predicted[i]) correct++;
  }
  const perClass = confusion.map((row, k) => {
    const predictedAsK = confusion.reduce((sum, r) => sum + r[k], 0);
    const actuallyK = row.reduce((sum, c) => sum + c, 0);
    return { precision: row[k] / predictedAsK, recall: row[k] / actuallyK };
  });
  return { accuracy: correct / Math.max(truth.length, 1), confusion, perClass };
}

/**
 * R² and mean absolute error from targets and predictions. `scale` converts the model's
 * units back to the target's (a standardized target's standard deviation); R² does not
 * depend on it.
 */
export function regressionScores(truth: ArrayLike<number>, predicted: ArrayLike<number>, scale = 1): Required<Pick<Evaluation, 'r2' | 'mae'>> {
  const n = truth.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i] / n;
  let residual = 0, total = 0, absolute = 0;
  for (let i = 0; i < n; i++) {
    residual += (predicted[i] - truth[i]) ** 2;
    total += (truth[i] - mean) ** 2;
    absolute += Math.abs(predicted[i] - truth[i]);
  }
  return { r2: 1 - residual / Math.max(total, 1e-12), mae: (absolute / Math.max(n, 1)) * scale };
}
