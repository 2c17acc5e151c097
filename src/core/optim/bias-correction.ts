import * as tf from '@tensorflow/tfjs-core';
import type { Hyper } from './types';

/** Adam's bias correction 1 − β^t for one β, advanced once per step. */
export interface BiasCorrection {
  /** 1 − β^t for step t (from 1); called once per step, inside the step's tf.tidy. */
  advance(t: number): tf.Tensor;
  /** Frees the running value of a tensor β; a second call does nothing. */
  dispose(): void;
  /** The running value of a tensor β, null for a number β. */
  readonly running: tf.Variable | null;
  /** Takes `from`'s running value at `rows` of its first axis (a population kept those members). */
  adoptRows(from: BiasCorrection, rows: tf.Tensor1D): void;
}

/**
 * 1 − β^t for a number β in double precision; for a tensor β the running value
 * c_t = (1 − β) + β·c_{t−1} (c_0 = 0), which equals 1 − β^t and, unlike 1 − pow(β, t) in
 * float32, never subtracts two nearly equal numbers: with β = 0.9999, 1 − pow(β, 2) keeps
 * three digits, the recursion keeps all seven. `oneMinusBeta` is the caller's 1 − β.
 */
export function biasCorrection(beta: Hyper, oneMinusBeta: tf.Tensor): BiasCorrection {
  if (typeof beta === 'number') return { advance: (t) => tf.scalar(1 - beta ** t), dispose: () => {}, running: null, adoptRows: () => {} };
  const running = tf.tidy(() => tf.variable(tf.zerosLike(beta), false));
  return {
    running,
    adoptRows(from, rows) {
      tf.tidy(() => running.assign(tf.gather(from.running!, rows)));
    },
    advance() {
      running.assign(tf.add(oneMinusBeta, tf.mul(beta, running)));
      return running;
    },
    dispose() {
      if (!running.isDisposed) running.dispose();
    },
  };
}
