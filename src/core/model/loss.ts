import * as tf from '@tensorflow/tfjs-core';
import type { ProblemType } from '../data/types';

/** True for logits [P, B, K] of more than two classes, whose targets are one-hot [B, K] or [P, B, K]. */
const isMulticlass = (logits: tf.Tensor) => logits.rank === 3;

/**
 * Mean loss of each member, [P], from logits [P, B] and targets [B] (or [P, B]).
 * Two classes: binary cross-entropy on the sigmoid of the logit, computed from the logit
 * as max(z, 0) − z·y + log(1 + e^−|z|), which never takes the log of 0.
 * K classes (logits [P, B, K], one-hot targets): categorical cross-entropy of the softmax,
 * logΣ_k e^{z_k} − Σ_k y_k z_k, as Keras' categorical_crossentropy(from_logits=True).
 * Regression: mean squared error (z − y)².
 */
export function dataLoss(problem: ProblemType, logits: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (isMulticlass(logits)) {
    return tf.mean(tf.sub(tf.logSumExp(logits, 2), tf.sum(tf.mul(logits, y), 2)), 1);
  }
  if (problem === 'classification') {
    const perPoint = tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, y)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    );
    return tf.mean(perPoint, 1);
  }
  return tf.mean(tf.square(tf.sub(logits, y)), 1);
}

/**
 * The quality measure of each member, [P]: accuracy (share of points whose logit has the
 * sign of their class, or whose largest logit is their class) for classification,
 * R² = 1 − Σ(z − y)² / Σ(y − ȳ)² for regression.
 */
export function qualityMetric(problem: ProblemType, logits: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (isMulticlass(logits)) {
    return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 2), tf.argMax(y, -1)), 'float32'), 1);
  }
  if (problem === 'classification') {
    const predicted = tf.cast(tf.greater(logits, 0), 'float32');
    return tf.mean(tf.cast(tf.equal(predicted, y), 'float32'), 1);
  }
  const residual = tf.sum(tf.square(tf.sub(logits, y)), 1);
  const total = tf.sum(tf.square(tf.sub(y, tf.mean(y))));
  return tf.sub(1, tf.div(residual, tf.maximum(total, 1e-12)));
}

/**
 * How a training step reads targets: two classes as u = 1 − 2y (+1 for class 0, −1 for class
 * 1, so that u·z is the logit of the other class), K classes one-hot, regression values as
 * they are.
 */
export type LossKind = 'binary' | 'multiclass' | 'regression';

/** The loss kind of a problem whose network has `outputs` logits. */
export function lossKind(problem: ProblemType, outputs: number): LossKind {
  return outputs > 1 ? 'multiclass' : problem === 'classification' ? 'binary' : 'regression';
}

/** Targets `y` (class indices or values) encoded as {@link pointLosses} reads them: 1 value a point, K for K classes. */
export function encodeTargets(kind: LossKind, y: ArrayLike<number>, classes: number): Float32Array {
  if (kind === 'regression') return Float32Array.from(y);
  if (kind === 'binary') return Float32Array.from(y, (c) => 1 - 2 * c);
  const out = new Float32Array(y.length * classes);
  for (let i = 0; i < y.length; i++) out[i * classes + y[i]] = 1;
  return out;
}

/**
 * Each point's loss ℓ_i [P, B], whether it is predicted right [P, B] (classification only),
 * and with `gradScale` s the gradient s·∂ℓ_i/∂z_i with respect to the logits, all from logits
 * [P, B] (or [P, B, K]) and targets t encoded by {@link encodeTargets} ([P, B, …], or [B, …]
 * shared by all members). The losses are those of {@link dataLoss}, written so that the
 * gradient needs no autodiff: with q = u·z, binary cross-entropy is softplus(q), the point is
 * right when q < 0, and the gradient σ(z) − y = u·σ(q); softmax cross-entropy
 * logΣe^z − Σ t·z has gradient softmax(z) − t; squared error r² with r = z − t has gradient 2r.
 */
export function pointLosses(
  kind: LossKind,
  logits: tf.Tensor,
  t: tf.Tensor,
  gradScale?: tf.Tensor,
): { loss: tf.Tensor; correct?: tf.Tensor; grad?: tf.Tensor } {
  if (kind === 'binary') {
    const q = tf.mul(logits, t);
    const grad = gradScale && tf.mul(tf.mul(t, tf.sigmoid(q)), gradScale);
    return { loss: tf.softplus(q), correct: tf.cast(tf.less(q, 0), 'float32'), grad };
  }
  if (kind === 'multiclass') {
    const lse = tf.logSumExp(logits, 2);
    const loss = tf.sub(lse, tf.sum(tf.mul(logits, t), 2));
    const correct = tf.cast(tf.equal(tf.argMax(logits, 2), tf.argMax(t, -1)), 'float32');
    const grad = gradScale && tf.mul(tf.sub(tf.exp(tf.sub(logits, tf.expandDims(lse, 2))), t), gradScale);
    return { loss, correct, grad };
  }
  const r = tf.sub(logits, t);
  return { loss: tf.square(r), grad: gradScale && tf.mul(tf.add(r, r), gradScale) };
}

/**
 * {@link pointLosses} of knowledge distillation (Hinton et al. 2015) from logits [P, B, K] and
 * target rows t [P, B, 2K] = [p_T, y], the teacher's softmax at T then the one-hot label:
 * ℓ = α·T²·Σ p log(p / softmax(z/T)) + (1 − α)·(logΣe^z − Σ y·z), of gradient
 * α·T·(softmax(z/T) − p) + (1 − α)·(softmax(z) − y).
 */
export function distillPointLosses(
  logits: tf.Tensor,
  t: tf.Tensor,
  temperature: number,
  alpha: number,
  gradScale: tf.Tensor,
): { loss: tf.Tensor; correct: tf.Tensor; grad: tf.Tensor } {
  const K = logits.shape[2]!;
  const p = tf.slice(t, [0, 0, 0], [-1, -1, K]);
  const y = tf.slice(t, [0, 0, K], [-1, -1, K]);
  const soft = tf.logSoftmax(tf.div(logits, temperature));
  const plogp = tf.where(tf.greater(p, 0), tf.mul(p, tf.log(tf.maximum(p, 1e-30))), tf.zerosLike(p));
  const kl = tf.sum(tf.sub(plogp, tf.mul(p, soft)), 2);
  const lse = tf.logSumExp(logits, 2);
  const ce = tf.sub(lse, tf.sum(tf.mul(logits, y), 2));
  const loss = tf.add(tf.mul(alpha * temperature * temperature, kl), tf.mul(1 - alpha, ce));
  const correct = tf.cast(tf.equal(tf.argMax(logits, 2), tf.argMax(y, -1)), 'float32');
  const grad = tf.mul(
    tf.add(tf.mul(alpha * temperature, tf.sub(tf.exp(soft), p)), tf.mul(1 - alpha, tf.sub(tf.exp(tf.sub(logits, tf.expandDims(lse, 2))), y))),
    gradScale,
  );
  return { loss, correct, grad };
}
