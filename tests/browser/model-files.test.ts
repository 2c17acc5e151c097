import { expect, test } from 'vitest';
import { kerasArtifacts } from '../../src/core/model/keras';
import { initialParameters } from '../../src/core/model/network';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { readModelFiles } from '../../src/runtime/model-files';

const spec: ExperimentSpec = { ...structuredClone(DEFAULT_EXPERIMENT), model: { ...DEFAULT_EXPERIMENT.model, hidden: [{ units: 4, activation: 'tanh' }] } };

/** model.json and its weights file as tf.io writes them, for a network of `outputs` outputs; `edit` changes the weights first. */
function modelFiles(outputs: number, edit: (weights: Float32Array[]) => void = () => {}, dropout = 0): File[] {
  const model = { ...spec.model, dropout };
  const io = { inputs: spec.model.features.length, outputs };
  const weights = initialParameters(model, io, 3);
  edit(weights);
  const artifacts = kerasArtifacts(model, io, 'classification', weights, { tunelab: { spec } });
  const json = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: ['./model.weights.bin'], weights: artifacts.weightSpecs }],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };
  return [new File([JSON.stringify(json)], 'model.json'), new File([artifacts.weightData], 'model.weights.bin')];
}

test('model files whose parts agree are read; a dropout of 5, 7 outputs for two classes or NaN weights are refused before anything is saved', async () => {
  const good = await readModelFiles(modelFiles(1), DEFAULT_EXPERIMENT);
  expect(good.weightShapes).toEqual([[2, 4], [4], [4, 1], [1]]);
  await expect(readModelFiles(modelFiles(7), DEFAULT_EXPERIMENT)).rejects.toThrow('The model has 7 outputs, but a two-class task takes 1.');
  await expect(readModelFiles(modelFiles(1, (w) => (w[0][1] = NaN)), DEFAULT_EXPERIMENT)).rejects.toThrow(
    "The model's weights hold values that are not numbers (NaN or infinite).",
  );
  await expect(readModelFiles(modelFiles(1, () => {}, 5), DEFAULT_EXPERIMENT)).rejects.toThrow(/^The model's experiment is not one tunelab can run: Dropout/);
});
