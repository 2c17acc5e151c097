import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { exportDtypes, masked, pruneMasks, quantizeWeights } from '../../src/core/compress';
import { kerasArtifacts, readKerasArtifacts } from '../../src/core/model/keras';
import { NetworkParams, initialParameters, parameterShapes } from '../../src/core/model/network';
import { predictTensor } from '../../src/core/model/predict';
import type { WeightDtype } from '../../src/core/model/weight-encoding';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const model = { ...DEFAULT_EXPERIMENT.model, hidden: [{ units: 8, activation: 'relu' as const }, { units: 6, activation: 'tanh' as const }] };
const io = { inputs: 4, outputs: 3 };
const shapes = parameterShapes(model, io);
const weights = initialParameters(model, io, 11).map((w, k) => (k % 2 ? w.map((_, i) => 0.1 * Math.sin(i + k)) : w));
const count = weights.reduce((n, w) => n + w.length, 0);
const x = () => tf.tensor2d(Array.from({ length: 10 * io.inputs }, (_, i) => Math.cos(i * 0.7) * 2), [10, io.inputs]);

/** tfjs-layers' predictions of the artifacts, and tunelab's with the given weights. */
async function predictions(artifacts: ReturnType<typeof kerasArtifacts>, ours: Float32Array[]): Promise<[number[], number[]]> {
  const layers = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
  const input = x();
  const theirs = Array.from((layers.predict(input) as tf.Tensor).dataSync());
  const net = new NetworkParams(model, io, [ours]);
  const mine = Array.from(predictTensor(net, 'classification', input).dataSync());
  [input, net, layers].forEach((t) => t.dispose());
  return [theirs, mine];
}

describe('weights in tf.io\'s quantized format', () => {
  const cases: { dtype: WeightDtype; bytes: number }[] = [
    { dtype: 'float32', bytes: 4 }, { dtype: 'float16', bytes: 2 }, { dtype: 'uint16', bytes: 2 }, { dtype: 'uint8', bytes: 1 },
  ];
  for (const { dtype, bytes } of cases) {
    test(`${dtype}: tf.loadLayersModel reads it, and predicts within the quantization error`, async () => {
      const artifacts = kerasArtifacts(model, io, 'classification', weights, undefined, { dtype });
      expect(artifacts.weightData.byteLength).toBe(count * bytes);
      expect(artifacts.weightSpecs.map((s) => s.quantization?.dtype ?? 'float32')).toEqual(shapes.map(() => dtype));
      const back = readKerasArtifacts(artifacts).weights;
      // tunelab reads the weights back exactly as tf.io decodes them.
      const decoded = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs as tf.io.WeightsManifestEntry[]);
      back.forEach((w, k) => expect(Array.from(w)).toEqual(Array.from(decoded[artifacts.weightSpecs[k].name].dataSync())));
      Object.values(decoded).forEach((t) => t.dispose());
      // Each weight within its error: half a level for uint8/uint16, half a float16 ulp.
      back.forEach((w, k) => {
        const scale = artifacts.weightSpecs[k].quantization?.scale;
        w.forEach((v, i) => {
          const bound = scale !== undefined ? scale / 2 + 1e-7 : dtype === 'float16' ? Math.abs(weights[k][i]) * 2 ** -11 + 2 ** -25 : 0;
          expect(Math.abs(v - weights[k][i])).toBeLessThanOrEqual(bound);
        });
      });
      const [theirs, mine] = await predictions(artifacts, back);
      theirs.forEach((v, i) => expect(v).toBeCloseTo(mine[i], 5));
      if (dtype === 'float32') expect(back).toEqual(weights);
    });
  }

  test('a pruned model quantized per tensor at 8 bits exports without further loss, its zeros exact', async () => {
    const masks = pruneMasks(weights, shapes, { method: 'global', amount: 0.8 });
    const quantized = quantizeWeights(masked(weights, masks), shapes, { bits: 8, symmetric: true, perNeuron: false });
    const dtypes = exportDtypes(quantized.known, 'uint8');
    // Kernels on their own 8-bit levels, the biases (float32 in the quantized network) as they are.
    expect(dtypes).toEqual(['uint8', 'float32', 'uint8', 'float32', 'uint8', 'float32']);
    const artifacts = kerasArtifacts(model, io, 'classification', quantized.weights, undefined, { dtype: dtypes, known: quantized.known });
    expect(artifacts.weightData.byteLength).toBe(4 * 8 + 8 * 6 + 6 * 3 + 4 * (8 + 6 + 3));
    const back = readKerasArtifacts(artifacts).weights;
    expect(back).toEqual(quantized.weights);
    back.forEach((w, k) => w.forEach((v, i) => masks[k][i] === 0 && expect(v).toBe(0)));
    const [theirs, mine] = await predictions(artifacts, back);
    theirs.forEach((v, i) => expect(v).toBeCloseTo(mine[i], 5));
  });

  test('a weight in an unknown storage is refused with its name', () => {
    const artifacts = kerasArtifacts(model, io, 'classification', weights, undefined, { dtype: 'uint8' });
    artifacts.weightSpecs[2].quantization = { dtype: 'int4' as 'uint8', scale: 1, min: 0 };
    expect(() => readKerasArtifacts(artifacts)).toThrow('Weight dense_2/kernel is neither float32 nor tf.io-quantized (uint8, uint16, float16); tunelab cannot read it.');
  });
});
