import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../random/prng';
import { ACTIVATION_FNS } from './activations';
import type { ModelSpec } from './types';

/**
 * The widths at a network's two ends, which follow from the data: the number of input
 * features, and one output (a logit or a value) or one logit per class for more than two.
 */
export interface NetworkIO {
  inputs: number;
  outputs: number;
}

/** The inputs and outputs of a network for a dataset: `dims` features, one logit per class beyond two. */
export function networkIO(inputs: number, classes: number): NetworkIO {
  return { inputs, outputs: classes > 2 ? classes : 1 };
}

/**
 * The shapes of a network's parameters, in the order W0, b0, W1, b1, …, W_out, b_out, for one
 * model: W_l is [in, out] and b_l is [out].
 */
export function parameterShapes(spec: ModelSpec, io: NetworkIO): number[][] {
  const widths = [io.inputs, ...spec.hidden.map((l) => l.units), io.outputs];
  const shapes: number[][] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    shapes.push([widths[l], widths[l + 1]], [widths[l + 1]]);
  }
  return shapes;
}

/**
 * Initial parameters of one model from a seed, in {@link parameterShapes} order: weights drawn
 * Glorot-uniform, U(−√(6/(in+out)), √(6/(in+out))) as Keras' default, biases zero. Drawn in
 * JavaScript from the project PRNG, so every backend starts from the same numbers.
 */
export function initialParameters(spec: ModelSpec, io: NetworkIO, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return parameterShapes(spec, io).map((shape) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (shape.length === 2) {
      const limit = Math.sqrt(6 / (shape[0] + shape[1]));
      for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-limit, limit);
    }
    return values;
  });
}

/**
 * A population of P networks of one architecture, held as batched variables: W_l of shape
 * [P, in, out] and b_l of shape [P, 1, out]. A single model is a population of one; the same
 * few batched operations then train P models at the cost of one.
 */
export class NetworkParams {
  /** Variables in W0, b0, W1, b1, … order. */
  readonly variables: tf.Variable[];

  /**
   * @param spec the architecture shared by all members
   * @param io the widths of its inputs and outputs
   * @param members each member's parameters in {@link parameterShapes} order
   */
  constructor(
    readonly spec: ModelSpec,
    readonly io: NetworkIO,
    members: Float32Array[][],
  ) {
    const P = members.length;
    this.variables = parameterShapes(spec, io).map((shape, k) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(P * size);
      members.forEach((m, p) => data.set(m[k], p * size));
      const batched = shape.length === 2 ? [P, shape[0], shape[1]] : [P, 1, shape[0]];
      return tf.tidy(() => tf.variable(tf.tensor(data, batched), true));
    });
  }

  /** Number of members. */
  get size(): number {
    return this.variables[0].shape[0];
  }

  /** Weight matrices only (the tensors regularization applies to). */
  get weights(): tf.Variable[] {
    return this.variables.filter((_, k) => k % 2 === 0);
  }

  /**
   * Logits of every member for inputs `x`: [B, F] shared by all members, or [P, B, F].
   * Returns [P, B] for one output, [P, B, K] for K classes. `dropout` is the keep mask per hidden layer ([P, B, units], already
   * scaled by 1/(1−rate)), or undefined outside training.
   */
  forward(x: tf.Tensor, dropout?: tf.Tensor[]): tf.Tensor {
    const P = this.size;
    let h = x.rank === 2 ? tf.tile(tf.expandDims(x, 0), [P, 1, 1]) : x;
    const layers = this.spec.hidden.length;
    for (let l = 0; l <= layers; l++) {
      const z = tf.add(tf.matMul(h, this.variables[2 * l]), this.variables[2 * l + 1]);
      if (l === layers) {
        h = z;
        break;
      }
      h = ACTIVATION_FNS[this.spec.hidden[l].activation](z);
      if (dropout) h = tf.mul(h, dropout[l]);
    }
    return this.io.outputs === 1 ? tf.squeeze(h, [2]) : h;
  }

  /** Every member's parameters read back, [member][tensor] in {@link parameterShapes} order. */
  async read(): Promise<Float32Array[][]> {
    const P = this.size;
    const flat = await Promise.all(this.variables.map((v) => v.data() as Promise<Float32Array>));
    return Array.from({ length: P }, (_, p) =>
      flat.map((data) => {
        const size = data.length / P;
        return data.slice(p * size, (p + 1) * size);
      }),
    );
  }

  /** Overwrites the variables with another set of the same shapes (restoring best weights). */
  assign(values: tf.Tensor[]): void {
    this.variables.forEach((v, k) => v.assign(values[k]));
  }

  /** Frees the variables. */
  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }
}
