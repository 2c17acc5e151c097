import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Dataset, SplitDataset, TableDataSpec } from '../../src/core/data/types';
import { classificationScores, regressionScores } from '../../src/core/model/evaluation';
import { kerasArtifacts, readKerasArtifacts } from '../../src/core/model/keras';
import { NetworkParams, initialParameters, type NetworkIO } from '../../src/core/model/network';
import { predictTensor, sliceFrame } from '../../src/core/model/predict';
import { createRng } from '../../src/core/random/prng';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { validateExperiment } from '../../src/core/spec/schema';
import { runTraining } from '../../src/core/train/run';
import { Trainer } from '../../src/core/train/trainer';
import { decodeExperiment, encodeExperiment } from '../../src/runtime/url-state';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TABLE: TableDataSpec = {
  kind: 'table',
  dataset: 'builtin:iris',
  name: 'Iris',
  preprocess: {
    target: 'species', task: 'multiclass', features: ['a', 'b', 'c', 'd'], missing: 'mean', scaling: 'standardize',
    split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1,
  },
};

function tableSpec(change: (s: ExperimentSpec) => void = () => {}): ExperimentSpec {
  const s = structuredClone(DEFAULT_EXPERIMENT);
  s.data = structuredClone(TABLE);
  s.model.hidden = [{ units: 8, activation: 'relu' }];
  s.optimizer = { kind: 'adam', lr: 0.03 };
  s.training.batchSize = 16;
  s.training.epochs = 30;
  change(s);
  return s;
}

/** Three Gaussian blobs in 4 dimensions, classes 0, 1, 2, centred 3 apart: separable, not trivially. */
function blobs(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    y[i] = k;
    for (let j = 0; j < 4; j++) x[i * 4 + j] = (j === k ? 3 : 0) + rng.normal();
  }
  return { problem: 'classification', n, x, y, dims: 4, classes: 3 };
}

const split = (): SplitDataset => ({ train: blobs(300, 1), val: blobs(90, 2), test: blobs(90, 3) });

describe('training on a table', () => {
  test('three classes train with softmax to 90% test accuracy, with a confusion matrix of every test row', async () => {
    const before = tf.memory().numTensors;
    const outcome = await runTraining(tableSpec(), { data: split() });
    expect(outcome.status).toBe('complete');
    expect(outcome.weightShapes).toEqual([[4, 8], [8], [8, 3], [3]]);
    const test = outcome.evaluation!.test!;
    expect(test.n).toBe(90);
    expect(test.accuracy).toBeGreaterThan(0.9);
    expect(test.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(90);
    expect(test.confusion!.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([30, 30, 30]);
    expect(outcome.history.at(-1)!.valMetric).toBeGreaterThan(0.9);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a member of a multi-class population ends as it does alone', async () => {
    const specs = [tableSpec((s) => (s.seed = 4)), tableSpec((s) => { s.seed = 5; s.optimizer.lr = 0.01; })];
    const together = new Trainer(specs, split());
    const alone = new Trainer([specs[1]], split());
    for (const t of [together, alone]) {
      for (let e = 0; e < 3; e++) {
        while (!t.atEpochEnd) t.stepBatch();
        await t.endEpoch();
      }
    }
    expect(together.members[1].history.at(-1)!.valLoss).toBeCloseTo(alone.members[0].history.at(-1)!.valLoss, 5);
    together.dispose();
    alone.dispose();
  });

  test('regression errors are reported in the target units', () => {
    expect(regressionScores([1, 2, 3], [1, 2, 4], 10)).toEqual({ r2: 0.5, mae: (1 / 3) * 10 });
  });

  test('precision and recall per class follow their definitions', () => {
    const { accuracy, confusion, perClass } = classificationScores([0, 0, 1, 1, 2], [0, 1, 1, 1, 1], 3);
    expect(accuracy).toBe(0.6);
    expect(confusion).toEqual([[1, 1, 0], [0, 2, 0], [0, 1, 0]]);
    expect(perClass[1]).toEqual({ precision: 0.5, recall: 1 });
    expect(perClass[0]).toEqual({ precision: 1, recall: 0.5 });
    expect(perClass[2].recall).toBe(0);
    expect(perClass[2].precision).toBeNaN();
  });

  test('the slice holds other inputs at their training mean and spans the axes with a margin', () => {
    const data: Dataset = { problem: 'regression', n: 2, dims: 3, classes: 0, x: new Float32Array([0, 10, 1, 2, 20, 3]), y: new Float32Array(2) };
    const frame = sliceFrame(data, [0, 2]);
    expect(frame.x[0]).toBeCloseTo(-0.1);
    expect(frame.x[1]).toBeCloseTo(2.1);
    expect(Array.from(frame.inputs(new Float32Array([5, 7])))).toEqual([5, 15, 7]);
  });
});

describe('Keras export', () => {
  const cases: { name: string; io: NetworkIO; problem: 'classification' | 'regression'; dropout: number }[] = [
    { name: 'two classes', io: { inputs: 3, outputs: 1 }, problem: 'classification', dropout: 0 },
    { name: 'three classes, with dropout', io: { inputs: 4, outputs: 3 }, problem: 'classification', dropout: 0.2 },
    { name: 'regression', io: { inputs: 2, outputs: 1 }, problem: 'regression', dropout: 0 },
  ];
  for (const { name, io, problem, dropout } of cases) {
    test(`tfjs-layers loads the exported model and predicts as tunelab does: ${name}`, async () => {
      const model = { ...DEFAULT_EXPERIMENT.model, hidden: [{ units: 5, activation: 'tanh' as const }, { units: 4, activation: 'elu' as const }], dropout };
      const weights = initialParameters(model, io, 7).map((w) => w.map((v, i) => v + 0.01 * (i % 5)));
      const artifacts = kerasArtifacts(model, io, problem, weights, { note: 'kept' });
      const layers = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
      const x = tf.tensor2d(Array.from({ length: 6 * io.inputs }, (_, i) => Math.sin(i)), [6, io.inputs]);
      const theirs = (layers.predict(x) as tf.Tensor).dataSync();
      const net = new NetworkParams(model, io, [weights]);
      const ours = predictTensor(net, problem, x).dataSync();
      expect(Array.from(theirs).map((v) => Number(v.toFixed(5)))).toEqual(Array.from(ours).map((v) => Number(v.toFixed(5))));

      const back = readKerasArtifacts(artifacts);
      expect(back.hidden).toEqual(model.hidden);
      expect(back.io).toEqual(io);
      expect(back.dropout).toBe(dropout);
      expect(back.weights).toEqual(weights);
      expect(back.metadata).toEqual({ note: 'kept' });
      [x, net, layers].forEach((t) => t.dispose());
    });
  }

  test('a model with another layer type is refused with its name', () => {
    const artifacts = kerasArtifacts(DEFAULT_EXPERIMENT.model, { inputs: 2, outputs: 1 }, 'classification', initialParameters(DEFAULT_EXPERIMENT.model, { inputs: 2, outputs: 1 }, 1));
    const layers = (artifacts.modelTopology.config as { layers: unknown[] }).layers;
    layers.splice(1, 0, { class_name: 'Conv2D', config: { name: 'conv' } });
    expect(() => readKerasArtifacts(artifacts)).toThrow('Only Dense and Dropout layers can be imported (found Conv2D).');
  });

  test('short weights are refused', () => {
    const io = { inputs: 2, outputs: 1 };
    const artifacts = kerasArtifacts(DEFAULT_EXPERIMENT.model, io, 'classification', initialParameters(DEFAULT_EXPERIMENT.model, io, 1));
    expect(() => readKerasArtifacts({ ...artifacts, weightData: artifacts.weightData.slice(0, 20) })).toThrow('The weights file is shorter than its manifest says.');
  });
});

describe('a table experiment as data', () => {
  test('passes the schema, and its link reproduces it', () => {
    const spec = tableSpec();
    expect(validateExperiment(spec).ok).toBe(true);
    const hash = encodeExperiment(spec);
    expect(hash).toMatch(/^table=/);
    expect(decodeExperiment(hash)).toEqual({ spec });
  });

  test('a target among the features is pointed at', () => {
    const spec = tableSpec((s) => ((s.data as TableDataSpec).preprocess.features = ['a', 'species']));
    const result = validateExperiment(spec);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([{ path: 'data.preprocess.features', message: 'The target column cannot also be a feature.' }]);
  });

  test('a link with a broken table falls back to the defaults and says why', () => {
    const { spec, notice } = decodeExperiment(`table=${encodeURIComponent(JSON.stringify({ ...TABLE, dataset: '' }))}&lr=0.1`);
    expect(spec).toEqual(DEFAULT_EXPERIMENT);
    expect(notice).toBe("The link's table could not be used, so the defaults are shown. Dataset id must have 1 to 200 characters (got \"\").");
  });
});
