import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './types';

const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * Each activation as a tfjs function. GELU is the tanh form, as torch's
 * `gelu(approximate='tanh')`: erf has no kernel on every backend, and the two differ by
 * less than 1e-3.
 */
export const ACTIVATION_FNS: Record<Activation, (x: tf.Tensor) => tf.Tensor> = {
  relu: (x) => tf.relu(x),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  linear: (x) => x,
  elu: (x) => tf.elu(x),
  gelu: (x) =>
    tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(GELU_C, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))))))),
};
