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
 * Regularization penalty of each member, [P]: l1·Σ|w| + l2·Σw² over the weight matrices
 * (biases are not penalised), as Keras' L1L2 regularizer. The rates are numbers shared by
 * all members or tensors of shape [P].
 */
export function penalty(weights: tf.Tensor[], l1: number | tf.Tensor, l2: number | tf.Tensor): tf.Tensor {
  const terms = weights.map((w) =>
    tf.add(tf.mul(l1, tf.sum(tf.abs(w), [1, 2])), tf.mul(l2, tf.sum(tf.square(w), [1, 2]))),
  );
  return tf.addN(terms);
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
