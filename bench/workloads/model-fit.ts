// The baseline most people would write: a tfjs-layers model trained with model.fit, on the same
// backend, data and network, with the same per-epoch validation our trainer does.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { SplitDataset } from '../../src/core/data';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { seconds } from './timing';
import type { TrainingTime } from './our-training';

/** The tfjs optimizer equivalent to a spec's (the two kinds the benchmark trains with). */
function tfOptimizer(spec: ExperimentSpec): tf.Optimizer {
  const { kind, lr, momentum = 0 } = spec.optimizer;
  if (kind === 'adam') return tf.train.adam(lr);
  if (kind === 'momentum') return tf.train.momentum(lr, momentum);
  throw new Error(`the model.fit baseline has no ${kind} optimizer`);
}

/**
 * One trial with model.fit: builds and compiles the equivalent Sequential model (tanh hidden
 * layers, one sigmoid output, binary cross-entropy), then fits it for the spec's epochs with
 * validation and accuracy every epoch, stopping at the first epoch end after `budget` seconds.
 * Only fitting is timed.
 */
export async function trainWithFit(spec: ExperimentSpec, data: SplitDataset, budget = Infinity): Promise<TrainingTime> {
  const [x, y, xVal, yVal] = [data.train, data.val].flatMap((set) => [tf.tensor2d(set.x, [set.n, 2]), tf.tensor2d(set.y, [set.n, 1])]);
  const model = tfl.sequential();
  spec.model.hidden.forEach((layer, l) =>
    model.add(tfl.layers.dense({ units: layer.units, activation: layer.activation as 'tanh', ...(l === 0 ? { inputShape: [2] } : {}) })),
  );
  model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid' }));
  const optimizer = tfOptimizer(spec);
  model.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  try {
    const fitStart = seconds();
    const history = await model.fit(x, y, {
      batchSize: spec.training.batchSize,
      epochs: spec.training.epochs,
      validationData: [xVal, yVal],
      shuffle: true,
      verbose: 0,
      callbacks: {
        onEpochEnd: async () => {
          if (seconds() - fitStart >= budget) model.stopTraining = true;
        },
      },
    });
    const epochs = history.epoch.length;
    const losses = history.history.loss as number[];
    return {
      epochs,
      steps: epochs * Math.ceil(data.train.n / spec.training.batchSize),
      seconds: seconds() - fitStart,
      finalTrainLoss: [losses[losses.length - 1]],
    };
  } finally {
    // A model does not dispose an optimizer it was given.
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y, xVal, yVal]);
  }
}
