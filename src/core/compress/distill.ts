/**
 * Knowledge distillation (Hinton, Vinyals & Dean 2015): a small student learns from a trained
 * teacher's softened outputs as well as from the labels.
 */

/** Distillation settings: temperature T (> 0) softens both distributions; α weighs the teacher against the labels. */
export interface DistillOptions {
  temperature: number;
  alpha: number;
}

/** log softmax of one row of logits divided by T, in float64. */
function logSoftmax(logits: Float32Array, row: number, classes: number, temperature: number): Float64Array {
  const out = new Float64Array(classes);
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, logits[row * classes + c] / temperature);
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    out[c] = logits[row * classes + c] / temperature - max;
    sum += Math.exp(out[c]);
  }
  const log = Math.log(sum);
  for (let c = 0; c < classes; c++) out[c] -= log;
  return out;
}

/**
 * The distillation loss: the mean over rows of
 *   α·T²·KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − α)·cross-entropy(student, labels),
 * logits row-major [rows, classes]. The KL term is PyTorch's
 * `kl_div(log_softmax(s/T), softmax(t/T), reduction='batchmean')`; T² keeps its gradients the
 * size of the cross-entropy's as T grows.
 */
export function distillationLoss(student: Float32Array, teacher: Float32Array, labels: Int32Array, classes: number, options: DistillOptions): number {
  const { temperature: t, alpha } = options;
  if (!(t > 0)) throw new RangeError(`The temperature must be above 0 (got ${t}).`);
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`α must be from 0 to 1 (got ${alpha}).`);
  const rows = labels.length;
  if (student.length !== rows * classes || teacher.length !== rows * classes) throw new RangeError('Student, teacher and labels disagree on the number of rows.');
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const s = logSoftmax(student, r, classes, t);
    const p = logSoftmax(teacher, r, classes, t);
    let kl = 0;
    for (let c = 0; c < classes; c++) kl += Math.exp(p[c]) * (p[c] - s[c]);
    const hard = -logSoftmax(student, r, classes, 1)[labels[r]];
    total += alpha * t * t * kl + (1 - alpha) * hard;
  }
  return total / rows;
}
