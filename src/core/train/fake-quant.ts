/**
 * Quantization-aware training with batched tensor operations: the kernels of a population
 * fake-quantized, and hidden activations fake-quantized on a MinMax observer's range, as the
 * fused step computes them (see FakeQuantSettings). tf.round rounds halves to even, as torch.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ACTIVATION_BITS, type FakeQuantSettings } from '../compress/model';
import { levelRange } from '../compress/quantize';

/** float32's epsilon, the smallest scale torch's observers keep. */
const EPSILON = 2 ** -23;

/**
 * Values fake-quantized on per-member (or per-channel) ranges: `low` and `high` broadcast
 * against `values` and are widened to include 0; scale and zero point as observerParams.
 */
function fakeQuantize(values: tf.Tensor, low: tf.Tensor, high: tf.Tensor, bits: number, symmetric: boolean): tf.Tensor {
  const [qmin, qmax] = levelRange(bits, symmetric);
  const lo = tf.minimum(low, 0);
  const hi = tf.maximum(high, 0);
  const scale = symmetric
    ? tf.maximum(tf.div(tf.maximum(tf.neg(lo), hi), (qmax - qmin) / 2), EPSILON)
    : tf.maximum(tf.div(tf.sub(hi, lo), qmax - qmin), EPSILON);
  const zero = symmetric ? tf.zerosLike(scale) : tf.clipByValue(tf.sub(qmin, tf.round(tf.div(lo, scale))), qmin, qmax);
  const level = tf.clipByValue(tf.add(tf.round(tf.mul(values, tf.div(1, scale))), zero), qmin, qmax);
  return tf.mul(tf.sub(level, zero), scale);
}

/**
 * A population's layers [P, in + 1, out] with every kernel fake-quantized per member, per
 * tensor or per neuron (column), the bias rows as they are.
 */
export function fakeQuantizedLayers(layers: tf.Tensor[], widths: [number, number][], settings: FakeQuantSettings): tf.Tensor[] {
  return layers.map((v, l) => {
    const [inputs, outputs] = widths[l];
    const kernel = tf.slice(v, [0, 0, 0], [-1, inputs, outputs]);
    const axes = settings.perNeuron ? [1] : [1, 2];
    const quantized = fakeQuantize(kernel, tf.min(kernel, axes, true), tf.max(kernel, axes, true), settings.bits, settings.symmetric);
    return tf.concat([quantized, tf.slice(v, [0, inputs, 0], [-1, 1, outputs])], 1);
  });
}

/**
 * Hidden activations [P, B, units] fake-quantized on each member's observed range, after
 * widening it by this batch: returns the values and the new range, [P, 2] of min and max.
 */
export function fakeQuantizedActivations(a: tf.Tensor, observed: tf.Tensor): { values: tf.Tensor; observed: tf.Tensor } {
  const P = a.shape[0];
  const low = tf.minimum(tf.slice(observed, [0, 0], [P, 1]), tf.min(tf.reshape(a, [P, -1]), 1, true));
  const high = tf.maximum(tf.slice(observed, [0, 1], [P, 1]), tf.max(tf.reshape(a, [P, -1]), 1, true));
  const values = fakeQuantize(a, tf.reshape(low, [P, 1, 1]), tf.reshape(high, [P, 1, 1]), ACTIVATION_BITS, false);
  return { values, observed: tf.concat([low, high], 1) };
}
