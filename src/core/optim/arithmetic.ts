import * as tf from '@tensorflow/tfjs-core';

/**
 * The operations an update rule is written in. One rule, written once over this interface,
 * runs on tensors (the Optimizer, through tfjs) and, compiled once by `compileRule`, in the
 * fused training steps on the cpu and in WebGPU shaders: what the lab shows is what training
 * does, on every path.
 */
export interface Arithmetic<T> {
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  sqrt(a: T): T;
  square(a: T): T;
}

/** {@link Arithmetic} on tfjs tensors, element-wise with broadcasting. */
export const TENSOR_ARITHMETIC: Arithmetic<tf.Tensor> = {
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  sqrt: (a) => tf.sqrt(a),
  square: (a) => tf.square(a),
};

