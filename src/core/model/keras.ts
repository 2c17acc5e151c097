import type { ProblemType } from '../data/types';
import { parameterShapes, type NetworkIO } from './network';
import { ACTIVATIONS, type Activation, type LayerSpec, type ModelSpec } from './types';
import { BYTES_PER_VALUE, decodeWeight, encodeWeight, type KnownLevels, type WeightDtype, type WeightQuantization } from './weight-encoding';

/** One weight in a tf.io weights manifest: its name, shape and type, and how it is stored when smaller than float32. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: WeightQuantization;
}

/** How the weight file stores the numbers: one dtype for all or one per weight, and per weight the levels it is already quantized to, if any. */
export interface WeightFileOptions {
  dtype: WeightDtype | WeightDtype[];
  known?: (KnownLevels | undefined)[];
}

/**
 * A trained network as tf.io's ModelArtifacts: a Keras Sequential topology of Dense (and
 * Dropout) layers, the weights' manifest and their bytes. `tf.io.browserDownloads` writes it
 * as model.json plus model.weights.bin, which `tf.loadLayersModel` and
 * `tensorflowjs_converter --input_format tfjs_layers_model` read.
 */
export interface KerasArtifacts {
  modelTopology: Record<string, unknown>;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
  userDefinedMetadata?: Record<string, unknown>;
}

/** A network read back from Keras artifacts: what tunelab needs to predict with it. */
export interface ImportedNetwork {
  hidden: LayerSpec[];
  dropout: number;
  io: NetworkIO;
  /** The output layer's activation: sigmoid (two classes), softmax (more) or linear (regression). */
  output: 'sigmoid' | 'softmax' | 'linear';
  /** Parameters in parameterShapes order. */
  weights: Float32Array[];
  metadata?: Record<string, unknown>;
}

/**
 * Keras' names of our activations. GELU: tunelab computes the tanh form, Keras' `gelu` the
 * exact one; they differ by less than 1e-3.
 */
const KERAS_ACTIVATION: Record<Activation, string> = { relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', linear: 'linear', elu: 'elu', gelu: 'gelu' };
const FROM_KERAS: Record<string, Activation> = { ...Object.fromEntries(ACTIVATIONS.map((a) => [a, a])), gelu_new: 'gelu' };

const layerName = (k: number) => `dense_${k + 1}`;

function dense(k: number, units: number, activation: string, inputs?: number) {
  return {
    class_name: 'Dense',
    config: {
      name: layerName(k),
      trainable: true,
      dtype: 'float32',
      ...(inputs === undefined ? {} : { batch_input_shape: [null, inputs] }),
      units,
      activation,
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
  };
}

/**
 * A trained network as Keras-compatible tf.io artifacts: one Dense layer per hidden layer
 * (with a Dropout layer after each when the model trains with dropout) and an output layer
 * with sigmoid, softmax or linear activation as the problem asks.
 *
 * @example
 * const artifacts = kerasArtifacts(spec.model, { inputs: 2, outputs: 1 }, 'classification', weights);
 * await tf.io.browserDownloads('tunelab-model').save(artifacts); // model.json + model.weights.bin
 */
export function kerasArtifacts(
  model: ModelSpec,
  io: NetworkIO,
  problem: ProblemType,
  weights: Float32Array[],
  metadata?: Record<string, unknown>,
  file: WeightFileOptions = { dtype: 'float32' },
): KerasArtifacts {
  const shapes = parameterShapes(model, io);
  if (weights.length !== shapes.length) throw new Error('The weights do not match the network');
  const output = io.outputs > 1 ? 'softmax' : problem === 'classification' ? 'sigmoid' : 'linear';
  const layers: unknown[] = [];
  model.hidden.forEach((layer, k) => {
    layers.push(dense(k, layer.units, KERAS_ACTIVATION[layer.activation], k === 0 ? io.inputs : undefined));
    if (model.dropout > 0) layers.push({ class_name: 'Dropout', config: { name: `dropout_${k + 1}`, trainable: true, dtype: 'float32', rate: model.dropout } });
  });
  const last = model.hidden.length;
  layers.push(dense(last, io.outputs, output, last === 0 ? io.inputs : undefined));
  const encoded = weights.map((w, k) => encodeWeight(w, Array.isArray(file.dtype) ? file.dtype[k] : file.dtype, file.known?.[k]));
  const weightSpecs: WeightSpec[] = shapes.map((shape, k) => ({
    name: `${layerName(Math.floor(k / 2))}/${k % 2 === 0 ? 'kernel' : 'bias'}`,
    shape,
    dtype: 'float32' as const,
    ...(encoded[k].quantization ? { quantization: encoded[k].quantization } : {}),
  }));
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'tunelab', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: 'tunelab',
    convertedBy: null,
    weightSpecs,
    weightData: concat(encoded.map((e) => e.bytes)),
    userDefinedMetadata: metadata,
  };
}

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Reads a Keras Sequential model of Dense (and Dropout) layers from tf.io artifacts, such as
 * {@link kerasArtifacts} writes or `tf.io.browserFiles` loads. Throws an Error that says what
 * is not supported (another layer type, a missing weight, float16 weights, …).
 */
export function readKerasArtifacts(artifacts: { modelTopology?: unknown; weightSpecs?: unknown; weightData?: unknown; userDefinedMetadata?: unknown }): ImportedNetwork {
  const topology = artifacts.modelTopology;
  const root = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
  if (!isObject(root) || root.class_name !== 'Sequential' || !isObject(root.config)) {
    throw new Error('Only a Keras Sequential model can be imported (model.json has no Sequential topology).');
  }
  const rawLayers = Array.isArray(root.config.layers) ? root.config.layers : Array.isArray(root.config) ? root.config : null;
  if (!rawLayers) throw new Error('The model.json lists no layers.');
  const denses: { units: number; activation: string; name: string }[] = [];
  let dropout = 0;
  let inputs: number | undefined;
  for (const layer of rawLayers) {
    if (!isObject(layer) || !isObject(layer.config)) throw new Error('A layer of model.json is not an object.');
    const c = layer.config;
    if (layer.class_name === 'Dropout') {
      dropout = typeof c.rate === 'number' ? c.rate : 0;
      continue;
    }
    if (layer.class_name === 'InputLayer') {
      const shape = c.batch_input_shape ?? c.batch_shape;
      if (Array.isArray(shape) && typeof shape[1] === 'number') inputs = shape[1];
      continue;
    }
    if (layer.class_name !== 'Dense') throw new Error(`Only Dense and Dropout layers can be imported (found ${String(layer.class_name).slice(0, 40)}).`);
    if (inputs === undefined && Array.isArray(c.batch_input_shape) && typeof c.batch_input_shape[1] === 'number') inputs = c.batch_input_shape[1];
    if (typeof c.units !== 'number' || typeof c.name !== 'string') throw new Error('A Dense layer has no units or name.');
    if (c.use_bias === false) throw new Error(`Layer ${c.name.slice(0, 40)} has no bias; tunelab's layers always have one.`);
    denses.push({ units: c.units, activation: typeof c.activation === 'string' ? c.activation : 'linear', name: c.name });
  }
  if (denses.length === 0) throw new Error('The model has no Dense layer.');
  if (inputs === undefined) throw new Error('The model does not say how many inputs it takes (no batch_input_shape).');
  const outputLayer = denses[denses.length - 1];
  if (!['sigmoid', 'softmax', 'linear'].includes(outputLayer.activation)) {
    throw new Error(`The output layer's activation must be sigmoid, softmax or linear (found ${outputLayer.activation.slice(0, 40)}).`);
  }
  const hidden = denses.slice(0, -1).map((d) => {
    const activation = FROM_KERAS[d.activation];
    if (!activation) throw new Error(`Activation ${d.activation.slice(0, 40)} of layer ${d.name.slice(0, 40)} is not one tunelab has.`);
    if (d.units < 1 || d.units > 64) throw new Error(`Layer ${d.name.slice(0, 40)} has ${d.units} units; tunelab's layers have 1 to 64.`);
    return { units: d.units, activation };
  });
  if (hidden.length > 8) throw new Error(`The model has ${hidden.length} hidden layers; tunelab's networks have at most 8.`);
  const io = { inputs, outputs: outputLayer.units };
  const weights = readWeights(artifacts.weightSpecs, artifacts.weightData, denses.map((d) => d.name), parameterShapes({ features: [], hidden, l1: 0, l2: 0, dropout }, io));
  return {
    hidden,
    dropout,
    io,
    output: outputLayer.activation as ImportedNetwork['output'],
    weights,
    metadata: isObject(artifacts.userDefinedMetadata) ? artifacts.userDefinedMetadata : undefined,
  };
}

/** Each Dense layer's kernel and bias from the weights' bytes, checked against the shapes the topology implies. */
function readWeights(specs: unknown, data: unknown, layers: string[], shapes: number[][]): Float32Array[] {
  if (!Array.isArray(specs)) throw new Error('model.json has no weights manifest.');
  const buffer = Array.isArray(data) ? concat(data as ArrayBuffer[]) : data;
  if (!(buffer instanceof ArrayBuffer)) throw new Error('The weights file is missing.');
  const found = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of specs) {
    if (!isObject(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape)) throw new Error('The weights manifest has an entry without a name or shape.');
    const quantization = readQuantization(spec, spec.name);
    const size = (spec.shape as number[]).reduce((a, b) => a * b, 1);
    const bytes = size * BYTES_PER_VALUE[quantization?.dtype ?? 'float32'];
    if (offset + bytes > buffer.byteLength) throw new Error('The weights file is shorter than its manifest says.');
    found.set(spec.name, decodeWeight(buffer.slice(offset, offset + bytes), size, quantization));
    offset += bytes;
  }
  return shapes.map((shape, k) => {
    const part = k % 2 === 0 ? 'kernel' : 'bias';
    const name = [...found.keys()].find((n) => n === `${layers[k >> 1]}/${part}` || n.endsWith(`/${layers[k >> 1]}/${part}`));
    const values = name === undefined ? undefined : found.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (!values) throw new Error(`The weights have no ${layers[k >> 1]}/${part}.`);
    if (values.length !== size) throw new Error(`${layers[k >> 1]}/${part} has ${values.length} numbers where the layers need ${size}.`);
    return values;
  });
}

/** A manifest entry's storage: float32 plain or tf.io-quantized (uint8, uint16 with scale and min, float16). */
function readQuantization(spec: Json, name: string): WeightQuantization | undefined {
  const q = spec.quantization;
  const plain = `Weight ${name.slice(0, 60)} is neither float32 nor tf.io-quantized (uint8, uint16, float16); tunelab cannot read it.`;
  if (spec.dtype !== 'float32') throw new Error(plain);
  if (q === undefined) return undefined;
  if (!isObject(q)) throw new Error(plain);
  if (q.dtype === 'float16') return { dtype: 'float16' };
  if ((q.dtype === 'uint8' || q.dtype === 'uint16') && typeof q.scale === 'number' && typeof q.min === 'number') return { dtype: q.dtype, scale: q.scale, min: q.min };
  throw new Error(plain);
}

function concat(parts: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out.buffer;
}
