import { describe, expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { validateExperiment } from '../../src/core/spec/schema';

/** The default experiment with one change, typed loosely so a test can put wrong values in. */
function variant(change: (s: any) => void): unknown {
  const s = structuredClone(DEFAULT_EXPERIMENT);
  change(s);
  return s;
}

function errorsOf(input: unknown) {
  const result = validateExperiment(input);
  if (result.ok) throw new Error('expected the spec to be refused');
  return result.errors;
}

describe('validateExperiment', () => {
  test('accepts the default experiment and gives it back unchanged', () => {
    const result = validateExperiment(DEFAULT_EXPERIMENT);
    expect(result).toEqual({ ok: true, spec: DEFAULT_EXPERIMENT });
  });

  test('the default is the TensorFlow-Playground-like setup', () => {
    expect(DEFAULT_EXPERIMENT.data).toEqual({ kind: 'circle', n: 500, noise: 0, trainRatio: 0.5, seed: 1 });
    expect(DEFAULT_EXPERIMENT.model.hidden).toEqual([{ units: 4, activation: 'tanh' }, { units: 2, activation: 'tanh' }]);
    expect(DEFAULT_EXPERIMENT.optimizer).toEqual({ kind: 'adam', lr: 0.03 });
    expect(DEFAULT_EXPERIMENT.training).toEqual({ batchSize: 10, epochs: 200, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } });
  });

  test('a negative learning rate is refused at optimizer.lr, with the allowed range in words', () => {
    expect(errorsOf(variant((s) => (s.optimizer.lr = -0.1)))).toEqual([
      { path: 'optimizer.lr', message: 'Learning rate must be greater than 0 and at most 10 (got -0.1).' },
    ]);
  });

  test('a layer of 0 units is refused at model.hidden.0.units', () => {
    expect(errorsOf(variant((s) => (s.model.hidden[0].units = 0)))).toEqual([
      { path: 'model.hidden.0.units', message: 'Units of a hidden layer must be a whole number from 1 to 64 (got 0).' },
    ]);
  });

  test('a batch larger than the training set is refused at training.batchSize, naming the set size', () => {
    expect(errorsOf(variant((s) => (s.training.batchSize = 251)))).toEqual([
      { path: 'training.batchSize', message: 'Batch size must be at most the training-set size, 250 points (got 251).' },
    ]);
    expect(validateExperiment(variant((s) => (s.training.batchSize = 250))).ok).toBe(true);
    const small = errorsOf(variant((s) => Object.assign(s.data, { n: 15, trainRatio: 0.3 })));
    expect(small).toEqual([{ path: 'training.batchSize', message: 'Batch size must be at most the training-set size, 5 points (got 10).' }]);
  });

  test('an unknown activation is refused at model.hidden.N.activation, listing the allowed ones', () => {
    expect(errorsOf(variant((s) => (s.model.hidden[1].activation = 'swish')))).toEqual([
      { path: 'model.hidden.1.activation', message: 'Activation must be one of relu, tanh, sigmoid, linear, elu, gelu (got "swish").' },
    ]);
  });

  test('NaN and Infinity are refused', () => {
    expect(errorsOf(variant((s) => (s.data.noise = NaN)))).toEqual([
      { path: 'data.noise', message: 'Noise (%) must be between 0 and 50 (got NaN).' },
    ]);
    expect(errorsOf(variant((s) => (s.optimizer.eps = Infinity)))).toEqual([
      { path: 'optimizer.eps', message: 'Epsilon must be greater than 0 (got Infinity).' },
    ]);
  });

  test('a number given as text is refused, quoting it', () => {
    expect(errorsOf(variant((s) => (s.data.n = '500')))).toEqual([
      { path: 'data.n', message: 'Number of points must be a whole number from 10 to 2000 (got "500").' },
    ]);
  });

  test.each<[string, string, (s: any) => void]>([
    ['non-integer epochs', 'training.epochs', (s) => (s.training.epochs = 2.5)],
    ['0 epochs', 'training.epochs', (s) => (s.training.epochs = 0)],
    ['10001 epochs', 'training.epochs', (s) => (s.training.epochs = 10001)],
    ['9 points', 'data.n', (s) => (s.data.n = 9)],
    ['2001 points', 'data.n', (s) => (s.data.n = 2001)],
    ['noise 51', 'data.noise', (s) => (s.data.noise = 51)],
    ['train ratio 0.95', 'data.trainRatio', (s) => (s.data.trainRatio = 0.95)],
    ['an unknown dataset', 'data.kind', (s) => (s.data.kind = 'swirl')],
    ['a data seed of 2^32', 'data.seed', (s) => (s.data.seed = 2 ** 32)],
    ['a negative seed', 'seed', (s) => (s.seed = -1)],
    ['a fractional seed', 'seed', (s) => (s.seed = 1.5)],
    ['no features', 'model.features', (s) => (s.model.features = [])],
    ['a repeated feature', 'model.features', (s) => (s.model.features = ['x1', 'x1'])],
    ['an unknown feature', 'model.features.1', (s) => (s.model.features = ['x1', 'cosx1'])],
    ['9 hidden layers', 'model.hidden', (s) => (s.model.hidden = Array(9).fill({ units: 2, activation: 'relu' }))],
    ['65 units', 'model.hidden.1.units', (s) => (s.model.hidden[1].units = 65)],
    ['a negative L1 rate', 'model.l1', (s) => (s.model.l1 = -1)],
    ['an L2 rate of 11', 'model.l2', (s) => (s.model.l2 = 11)],
    ['dropout 0.95', 'model.dropout', (s) => (s.model.dropout = 0.95)],
    ['an unknown optimizer', 'optimizer.kind', (s) => (s.optimizer.kind = 'lbfgs')],
    ['learning rate 0', 'optimizer.lr', (s) => (s.optimizer.lr = 0)],
    ['learning rate 11', 'optimizer.lr', (s) => (s.optimizer.lr = 11)],
    ['momentum 1', 'optimizer.momentum', (s) => (s.optimizer.momentum = 1)],
    ['alpha 0', 'optimizer.alpha', (s) => (s.optimizer.alpha = 0)],
    ['alpha 1', 'optimizer.alpha', (s) => (s.optimizer.alpha = 1)],
    ['beta1 1', 'optimizer.beta1', (s) => (s.optimizer.beta1 = 1)],
    ['a negative beta2', 'optimizer.beta2', (s) => (s.optimizer.beta2 = -0.1)],
    ['eps 0', 'optimizer.eps', (s) => (s.optimizer.eps = 0)],
    ['a negative weight decay', 'optimizer.weightDecay', (s) => (s.optimizer.weightDecay = -0.01)],
    ['batch size 0', 'training.batchSize', (s) => (s.training.batchSize = 0)],
    ['a negative clip norm', 'training.clipNorm', (s) => (s.training.clipNorm = -1)],
    ['patience 1.5', 'training.patience', (s) => (s.training.patience = 1.5)],
    ['a step schedule every 0 epochs', 'training.schedule.every', (s) => (s.training.schedule = { kind: 'step', every: 0, gamma: 0.5 })],
    ['a step gamma of 0', 'training.schedule.gamma', (s) => (s.training.schedule = { kind: 'step', every: 10, gamma: 0 })],
    ['a cosine minFactor of 1', 'training.schedule.minFactor', (s) => (s.training.schedule = { kind: 'cosine', minFactor: 1 })],
    ['an unknown schedule', 'training.schedule.kind', (s) => (s.training.schedule = { kind: 'cyclic' })],
    ['version 2', 'version', (s) => (s.version = 2)],
  ])('%s is refused at %s', (_, path, change) => {
    const errors = errorsOf(variant(change));
    expect(errors.map((e) => e.path)).toEqual([path]);
    expect(errors[0].message).toMatch(/^[A-Z].*\.$/);
  });

  test('the edges of each range are accepted', () => {
    const edges = variant((s) => {
      Object.assign(s.data, { n: 2000, noise: 50, trainRatio: 0.9, seed: 2 ** 32 - 1 });
      s.model = { features: ['sinx2'], hidden: [], l1: 10, l2: 0, dropout: 0.9 };
      s.optimizer = { kind: 'rmsprop', lr: 10, momentum: 0, alpha: 0.99, beta1: 0, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
      s.training = { batchSize: 1800, epochs: 10000, clipNorm: 0, patience: 0, schedule: { kind: 'step', every: 1, gamma: 1 } };
      s.seed = 0;
    });
    expect(validateExperiment(edges)).toEqual({ ok: true, spec: edges });
    const cosine = variant((s) => (s.training.schedule = { kind: 'cosine', minFactor: 0 }));
    expect(validateExperiment(cosine).ok).toBe(true);
  });

  test('unknown fields are refused, naming them; missing ones too', () => {
    expect(errorsOf(variant((s) => (s.optimizer.learningRate = 0.1)))).toEqual([
      { path: 'optimizer.learningRate', message: 'The optimizer has an unknown setting "learningRate".' },
    ]);
    expect(errorsOf(variant((s) => delete s.training.epochs))).toEqual([
      { path: 'training.epochs', message: 'Training is missing its "epochs" setting.' },
    ]);
  });

  test('one error per field, for every bad field at once', () => {
    const errors = errorsOf(variant((s) => {
      s.optimizer.lr = -1;
      s.model.hidden[0].units = 0;
      s.training.batchSize = 1000;
    }));
    expect(errors.map((e) => e.path).sort()).toEqual(['model.hidden.0.units', 'optimizer.lr', 'training.batchSize']);
  });

  test('anything but an object is refused at the root', () => {
    for (const input of [null, 42, 'spec', undefined]) {
      expect(errorsOf(input)).toEqual([{ path: '', message: expect.stringMatching(/^The experiment must be an object/) }]);
    }
  });

  test('the spec it gives back is a copy, not the input', () => {
    const input = structuredClone(DEFAULT_EXPERIMENT) as ExperimentSpec;
    const result = validateExperiment(input);
    if (!result.ok) throw new Error('refused');
    result.spec.model.hidden[0].units = 9;
    expect(input.model.hidden[0].units).toBe(4);
  });
});
