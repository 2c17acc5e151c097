import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../random/prng';
import { ACTIVATION_FNS } from './activations';
import type { Activation, ModelSpec } from './types';

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

/** A saved network's input and output widths, read off its shapes: the first weight matrix and the last bias. */
export function ioOfShapes(shapes: number[][]): NetworkIO {
  return { inputs: shapes[0][0], outputs: shapes[shapes.length - 1][0] };
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

const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * dL/dz of each activation from dL/dh, given its output a = f(z) and its input z: what the
 * backward pass multiplies by, written out so that a training step needs no autodiff tape.
 */
const ACTIVATION_GRADS: Record<Activation, (dh: tf.Tensor, a: tf.Tensor, z: tf.Tensor, one: tf.Scalar) => tf.Tensor> = {
  relu: (dh, a) => tf.mul(dh, tf.step(a)),
  tanh: (dh, a, _z, one) => tf.mul(dh, tf.sub(one, tf.square(a))),
  sigmoid: (dh, a, _z, one) => tf.mul(dh, tf.mul(a, tf.sub(one, a))),
  linear: (dh) => dh,
  // f' = 1 for z > 0, e^z = a + 1 otherwise.
  elu: (dh, a) => tf.mul(dh, tf.add(tf.minimum(a, 0), 1)),
  // f = ½z(1 + t), t = tanh(c(z + 0.044715z³)); f' = ½(1 + t) + ½z(1 − t²)·c(1 + 3·0.044715z²).
  gelu: (dh, _a, z) => {
    const t = tf.tanh(tf.mul(GELU_C, tf.add(z, tf.mul(0.044715, tf.pow(z, 3)))));
    const inner = tf.mul(GELU_C, tf.add(1, tf.mul(3 * 0.044715, tf.square(z))));
    return tf.mul(dh, tf.add(tf.mul(0.5, tf.add(1, t)), tf.mul(tf.mul(0.5, z), tf.mul(tf.sub(1, tf.square(t)), inner))));
  },
};

/** tfjs-backend-webgpu's flag that forces one matMul program; -1 lets it choose. */
const MATMUL_PROGRAM_FLAG = 'WEBGPU_MATMUL_PROGRAM_TYPE';
/** tfjs-backend-webgpu's MatMulProgramType values: its small-output and its tiled matMul programs. */
const MATMUL_SMALL_OUTPUT = 2;
const MATMUL_PACKED = 3;

/**
 * tf.matMul, with two choices of our own on WebGPU where tfjs' heuristic picks a program that
 * is slow on SwiftShader: a product with at most 8 output rows (the first layer's gradient
 * [P, 3, 16]) runs the small-output program (5.4 ms against 14–16 ms at P = 64, 0.25 against
 * 6.5 ms at P = 1), and any other product of at most 128 outputs, for which tfjs picks a
 * one-workgroup-per-output reduction (2.4–6.5 ms), runs the tiled program (0.3–0.5 ms). An
 * outer product (inner dimension 1) on a GPU is a broadcast multiply, ~10× cheaper there.
 */
function matMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor3D {
  const backend = tf.getBackend();
  if (backend === 'cpu') return tf.matMul(a, b, transposeA, transposeB) as tf.Tensor3D;
  const inner = transposeA ? a.shape[a.rank - 2] : a.shape[a.rank - 1];
  if (inner === 1) {
    const column = transposeA ? tf.reshape(a, [a.shape[0], -1, 1]) : a;
    const row = transposeB ? tf.reshape(b, [b.shape[0], 1, -1]) : b;
    return tf.mul(column, row) as tf.Tensor3D;
  }
  const rows = transposeA ? a.shape[a.rank - 1] : a.shape[a.rank - 2];
  const columns = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1];
  const env = tf.env();
  const program = rows <= 8 ? MATMUL_SMALL_OUTPUT : Math.max(a.shape[0], b.shape[0]) * rows * columns <= 128 ? MATMUL_PACKED : -1;
  if (backend !== 'webgpu' || program === -1 || env.getNumber(MATMUL_PROGRAM_FLAG) !== -1) {
    return tf.matMul(a, b, transposeA, transposeB) as tf.Tensor3D;
  }
  env.set(MATMUL_PROGRAM_FLAG, program);
  try {
    return tf.matMul(a, b, transposeA, transposeB) as tf.Tensor3D;
  } finally {
    env.set(MATMUL_PROGRAM_FLAG, -1);
  }
}

/** What a training forward pass keeps for its backward pass. */
export interface ForwardTape {
  /** Each layer's input with a column of ones appended, [P, B, in + 1]. */
  inputs: tf.Tensor3D[];
  /** Each hidden layer's pre-activation z and activation a (before dropout), [P, B, units]. */
  z: tf.Tensor3D[];
  a: tf.Tensor3D[];
  /** The dropout keep masks, if any. */
  dropout?: tf.Tensor[];
  /** Layer l + 1's W without its bias row, [P, in, out], where the forward pass sliced it. */
  weights: tf.Tensor[];
  /**
   * Quantization-aware training's fake quantizer of hidden layer l's activations, if any: the
   * next layer computes with what it returns, the backward pass goes straight through it.
   */
  quantize?: (a: tf.Tensor3D, l: number) => tf.Tensor3D;
}

/**
 * A population of P networks of one architecture, held as one batched variable per layer:
 * layer l is [P, in + 1, out], its weight matrix W_l with the bias b_l as the last row, so
 * that z = [h, 1]·[W; b] is one batched matMul (on a GPU, h·W + b: see forwardAugmented) and
 * the gradient of W and b together is one more, [h, 1]ᵀ·dz, the column of ones giving Σ dz
 * for the bias. Each member's values are laid out as W_l row-major then b_l:
 * {@link parameterShapes} order. A single model is a population of one; the same few batched
 * operations train P models at the cost of one. Training calls forwardAugmented with a tape
 * and then backward: the backward pass is written out, not taped by autodiff.
 */
export class NetworkParams {
  /** One variable per layer, [P, in + 1, out], bias last. */
  readonly variables: tf.Variable[];
  /** Each layer's [in, out]. */
  readonly widths: [number, number][];
  /** [in, in + 1] selections of W from [W; b] (cpu only, where strided slices are slow), made on first use. */
  private readonly selections: (tf.Tensor | null)[];
  /** Columns of ones [P, B, 1] by batch size, and the scalar 1, made on first use. */
  private readonly ones = new Map<string, tf.Tensor>();
  private scalarOne: tf.Scalar | null = null;

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
    const shapes = parameterShapes(spec, io);
    this.widths = shapes.filter((s) => s.length === 2).map(([i, o]) => [i, o]);
    this.selections = this.widths.map(() => null);
    this.variables = this.widths.map(([inputs, outputs], l) => {
      const size = (inputs + 1) * outputs;
      const data = new Float32Array(P * size);
      members.forEach((m, p) => {
        data.set(m[2 * l], p * size);
        data.set(m[2 * l + 1], p * size + inputs * outputs);
      });
      return tf.tidy(() => tf.variable(tf.tensor3d(data, [P, inputs + 1, outputs]), true));
    });
  }

  /** Number of members. */
  get size(): number {
    return this.variables[0].shape[0];
  }

  /** A column of ones [lead…, 1] to append to inputs of shape [lead…, width]; kept until dispose. */
  onesFor(shape: number[]): tf.Tensor {
    const lead = shape.slice(0, -1);
    const key = lead.join(',');
    let ones = this.ones.get(key);
    if (!ones) this.ones.set(key, (ones = tf.keep(tf.ones([...lead, 1]))));
    return ones;
  }

  /** The scalar 1, kept (a number would be a new tensor, on a GPU an upload, at every use). */
  private one(): tf.Scalar {
    return (this.scalarOne ??= tf.keep(tf.scalar(1)));
  }

  /** `x` with a column of ones appended along its last axis. */
  augment(x: tf.Tensor): tf.Tensor {
    return tf.concat([x, this.onesFor(x.shape)], x.rank - 1);
  }

  /**
   * Logits of every member for inputs `x`: [B, F] shared by all members, or [P, B, F].
   * Returns [P, B] for one output, [P, B, K] for K classes. `dropout` is the keep mask per
   * hidden layer ([P, B, units], already scaled by 1/(1−rate)), or undefined outside training.
   */
  forward(x: tf.Tensor, dropout?: tf.Tensor[]): tf.Tensor {
    const xAug = this.augment(x);
    return this.forwardAugmented(xAug.rank === 2 ? tf.expandDims(xAug, 0) : xAug, dropout);
  }

  /**
   * {@link forward} for inputs that already end in a column of ones, [1 or P, B, F + 1] (a
   * leading 1 broadcasts against the members). With `tape`, keeps what {@link backward} needs.
   * `layers` replaces the variables (see {@link finiteLayers}).
   */
  forwardAugmented(xAug: tf.Tensor, dropout?: tf.Tensor[], tape?: ForwardTape, layers: tf.Tensor[] = this.variables): tf.Tensor {
    const hidden = this.spec.hidden.length;
    const unfold = tf.getBackend() !== 'cpu';
    let z = matMul(xAug, layers[0]) as tf.Tensor3D;
    tape?.inputs.push(xAug as tf.Tensor3D);
    for (let l = 0; l < hidden; l++) {
      const a = ACTIVATION_FNS[this.spec.hidden[l].activation](z) as tf.Tensor3D;
      tape?.z.push(z);
      tape?.a.push(a);
      const shown = tape?.quantize ? tape.quantize(a, l) : a;
      const h = dropout ? tf.mul(shown, dropout[l]) : shown;
      const next = layers[l + 1];
      if (unfold) {
        // On a GPU: h·W + b, W and b sliced from [W; b]. A matMul over in + 1 = 17 rows ran
        // 4–7× slower than over 16 on SwiftShader's WebGPU (tiles of 16), and 64 members
        // stepped ~25% faster this way. On the cpu backend the broadcasting add of b and the
        // strided slices are the slow part, so there [h, 1]·[W; b] is one matMul.
        const [inputs, outputs] = this.widths[l + 1];
        const w = tf.slice(next, [0, 0, 0], [-1, inputs, outputs]);
        tape?.weights.push(w);
        if (tape) tape.inputs.push(this.augment(h) as tf.Tensor3D);
        z = tf.add(matMul(h, w), tf.slice(next, [0, inputs, 0], [-1, 1, outputs])) as tf.Tensor3D;
      } else {
        const hAug = this.augment(h) as tf.Tensor3D;
        tape?.inputs.push(hAug);
        // Layers other than the variables (fake-quantized ones) serve the backward pass too.
        if (tape && layers !== this.variables) tape.weights.push(tf.slice(next, [0, 0, 0], [-1, ...this.widths[l + 1]]));
        z = matMul(hAug, next) as tf.Tensor3D;
      }
    }
    return this.io.outputs === 1 ? tf.squeeze(z, [2]) : z;
  }

  /**
   * The gradient of the loss with respect to every layer's [W; b], index-matched with
   * {@link variables}, from the tape of a training forward pass and dL/dlogits ([P, B] or
   * [P, B, K]): for each layer dW_b = [h, 1]ᵀ·dz, and dh = dz·Wᵀ on the way down.
   */
  backward(tape: ForwardTape, dLogits: tf.Tensor): tf.Tensor[] {
    const grads: tf.Tensor[] = [];
    let dz = (dLogits.rank === 2 ? tf.expandDims(dLogits, 2) : dLogits) as tf.Tensor3D;
    for (let l = this.spec.hidden.length; l >= 0; l--) {
      grads[l] = matMul(tape.inputs[l], dz, true, false);
      if (l === 0) break;
      let dh: tf.Tensor = matMul(dz, tape.weights[l - 1] ?? this.weightsOnly(l), false, true);
      if (tape.dropout) dh = tf.mul(dh, tape.dropout[l - 1]);
      dz = ACTIVATION_GRADS[this.spec.hidden[l - 1].activation](dh, tape.a[l - 1], tape.z[l - 1], this.one()) as tf.Tensor3D;
    }
    return grads;
  }

  /**
   * Layer l's W without its bias row, [P, in, out]. A slice everywhere but on the cpu backend
   * with several members, where a strided slice costs ~0.5 µs an element and a batched
   * matMul with a constant [I | 0] selection is an order of magnitude cheaper.
   */
  private weightsOnly(l: number): tf.Tensor {
    const v = this.variables[l];
    const [inputs, outputs] = this.widths[l];
    if (this.size === 1 || tf.getBackend() !== 'cpu') return tf.slice(v, [0, 0, 0], [-1, inputs, outputs]);
    let select = this.selections[l];
    if (!select) {
      const eye = new Float32Array(inputs * (inputs + 1));
      for (let i = 0; i < inputs; i++) eye[i * (inputs + 1) + i] = 1;
      this.selections[l] = select = tf.keep(tf.tensor3d(eye, [1, inputs, inputs + 1]));
    }
    return matMul(select, v);
  }

  /**
   * The layers with every member whose parameters overflowed set to zero, and [P] of 1 for
   * the members whose parameters are all finite, 0 for the others. On WebGPU a batched matMul
   * lets one member's infinities reach the other members' outputs (tfjs-backend-webgpu 4.22,
   * SwiftShader; cpu and webgl keep them apart), so a population is evaluated on these.
   */
  finiteLayers(): { layers: tf.Tensor[]; finite: tf.Tensor } {
    const P = this.size;
    const flags = this.variables.map((v) => tf.min(tf.reshape(tf.cast(tf.isFinite(v), 'float32'), [P, -1]), 1));
    const finite = flags.length === 1 ? flags[0] : tf.min(tf.stack(flags), 0);
    const keep = tf.cast(tf.reshape(finite, [P, 1, 1]), 'bool');
    const layers = this.variables.map((v) => tf.where(tf.logicalAnd(tf.broadcastTo(keep, v.shape), tf.isFinite(v)), v, tf.zerosLike(v)));
    return { layers, finite };
  }

  /** Every member's parameters read back, [member][tensor] in {@link parameterShapes} order. */
  async read(): Promise<Float32Array[][]> {
    const P = this.size;
    const flat = await Promise.all(this.variables.map((v) => v.data() as Promise<Float32Array>));
    return Array.from({ length: P }, (_, p) => splitLayers(this.widths, flat.map((data) => data.subarray((p * data.length) / P, ((p + 1) * data.length) / P))));
  }

  /**
   * Keeps members `rows` (indices along the first axis, in this order) and frees the others:
   * a population that dropped members goes on with smaller tensors, so its steps cost less.
   */
  keepRows(rows: number[]): void {
    const index = tf.tensor1d(rows, 'int32');
    const kept = this.variables.map((v) => tf.tidy(() => tf.variable(tf.gather(v, index), true)));
    index.dispose();
    this.variables.forEach((v) => v.dispose());
    this.variables.splice(0, kept.length, ...kept);
    // Columns of ones are kept by shape, which has the old member count.
    this.ones.forEach((t) => t.dispose());
    this.ones.clear();
  }

  /** Overwrites the variables with another set of the same shapes (restoring best weights). */
  assign(values: tf.Tensor[]): void {
    this.variables.forEach((v, k) => v.assign(values[k]));
  }

  /** Frees the variables and the constants made for them. */
  dispose(): void {
    this.variables.forEach((v) => v.dispose());
    this.selections.forEach((s) => s?.dispose());
    this.ones.forEach((t) => t.dispose());
    this.ones.clear();
    this.scalarOne?.dispose();
    this.scalarOne = null;
  }
}

/**
 * One member's layers ([W; b] flat, one array per layer) as separate copies in
 * {@link parameterShapes} order: W_0, b_0, W_1, b_1, ….
 */
export function splitLayers(widths: [number, number][], layers: Float32Array[]): Float32Array[] {
  return layers.flatMap((values, l) => {
    const [inputs, outputs] = widths[l];
    return [values.slice(0, inputs * outputs), values.slice(inputs * outputs, (inputs + 1) * outputs)];
  });
}
