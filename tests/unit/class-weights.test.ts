import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { generatedSplit } from '../../src/core/data/split';
import type { DataSpec } from '../../src/core/data/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { validateExperiment } from '../../src/core/spec/schema';
import { balancedClassWeights, classWeightsProblem, parseClassWeights, resolveClassWeights } from '../../src/core/train/class-weights';
import { runTraining } from '../../src/core/train/run';
import { Trainer } from '../../src/core/train/trainer';
import type { ClassWeightsSpec } from '../../src/core/train/types';
import { decodeExperiment, encodeExperiment } from '../../src/runtime/url-state';
import reference from '../support/class-weights-reference.json';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The default experiment (the circle, two classes) with class weights. */
const weighed = (classWeights: unknown, over: Partial<ExperimentSpec['training']> = {}) =>
  ({ ...DEFAULT_EXPERIMENT, training: { ...DEFAULT_EXPERIMENT.training, ...over, classWeights } }) as ExperimentSpec;

async function trainedWeights(trainer: Trainer): Promise<number[]> {
  while (!trainer.done) {
    trainer.stepBatch();
    if (trainer.atEpochEnd) await trainer.endEpoch();
  }
  const weights = await trainer.weights();
  trainer.dispose();
  return weights.flatMap((w) => Array.from(w));
}

describe('class weights', () => {
  test("balanced weights are scikit-learn's compute_class_weight('balanced')", () => {
    expect(reference).toHaveLength(4);
    for (const c of reference) {
      const weights = balancedClassWeights(c.labels, c.classes);
      expect(weights).toHaveLength(c.weights.length);
      weights.forEach((w, k) => expect(w).toBeCloseTo(c.weights[k], 12));
    }
    // A class absent from the training labels weighs 1 (scikit-learn refuses such a set).
    expect(balancedClassWeights([0, 0, 2, 2], 3)).toEqual([4 / 6, 1, 4 / 6]);
  });

  test('are part of the experiment spec, and bad ones are said at their field', () => {
    expect(validateExperiment(weighed({ kind: 'balanced' })).ok).toBe(true);
    expect(validateExperiment(weighed({ kind: 'typed', weights: [1, 2.5] })).ok).toBe(true);
    const errors = (classWeights: unknown, spec = weighed(classWeights)) => {
      const result = validateExperiment(spec);
      return result.ok ? [] : result.errors;
    };
    expect(errors({ kind: 'typed', weights: [1, -2] })).toEqual([
      { path: 'training.classWeights.weights', message: 'Class weights must be greater than 0 and at most 1000, one per class (got 1, -2).' },
    ]);
    expect(errors({ kind: 'typed', weights: parseClassWeights('1, two') })).toEqual([
      { path: 'training.classWeights.weights', message: 'Class weights must be greater than 0 and at most 1000, one per class (got 1, NaN).' },
    ]);
    // The circle has two classes; a regression set has none.
    expect(errors({ kind: 'typed', weights: [1, 2, 3] })).toEqual([{ path: 'training.classWeights', message: 'Type one weight per class: 2 weights for 2 classes (got 3).' }]);
    const plane = { ...weighed({ kind: 'balanced' }), data: { ...DEFAULT_EXPERIMENT.data, kind: 'plane' } } as ExperimentSpec;
    expect(errors(undefined, plane)).toEqual([{ path: 'training.classWeights', message: 'Class weights need a classification: this experiment predicts a value.' }]);
    expect(errors({ kind: 'heavy' })[0].message).toBe('Class weights must be balanced or typed (got "heavy").');
    // A table of several classes is checked once its classes are known.
    const typed: ClassWeightsSpec = { kind: 'typed', weights: [1, 2] };
    expect(classWeightsProblem(typed, { problem: 'classification', classes: 4 })).toEqual({ path: 'training.classWeights', message: 'Type one weight per class: 4 weights for 4 classes (got 2).' });
    expect(classWeightsProblem(typed, { problem: 'classification', classes: 2 })).toBeNull();
    expect(() => resolveClassWeights(typed, { problem: 'classification', classes: 4, y: [0, 1, 2, 3] })).toThrow('Type one weight per class: 4 weights for 4 classes (got 2).');
    expect(resolveClassWeights(undefined, { problem: 'classification', classes: 2, y: [0, 1] })).toBeNull();
  });

  test('travel in the link', () => {
    for (const classWeights of [{ kind: 'balanced' }, { kind: 'typed', weights: [1, 4.5] }]) {
      const spec = weighed(classWeights);
      const hash = encodeExperiment(spec);
      expect(hash).toContain(`classWeights=${classWeights.kind === 'balanced' ? 'balanced' : '1,4.5'}`);
      expect(decodeExperiment(hash)).toEqual({ spec });
    }
    const bad = decodeExperiment(`${encodeExperiment(DEFAULT_EXPERIMENT)}&classWeights=1,0`);
    expect(bad.spec).toEqual(DEFAULT_EXPERIMENT);
    expect(bad.notice).toContain('classWeights: Class weights must be greater than 0');
  });

  test("weigh any run's loss as the spec says, and the run records the weights", async () => {
    const spec = weighed({ kind: 'typed', weights: [1, 3] }, { epochs: 3 });
    const data = generatedSplit(DEFAULT_EXPERIMENT.data as DataSpec);
    const fromSpec = new Trainer([spec], data);
    expect(fromSpec.classWeights).toEqual([1, 3]);
    const given = new Trainer([DEFAULT_EXPERIMENT].map((s) => ({ ...s, training: { ...s.training, epochs: 3 } })), data, { classWeights: [1, 3] });
    const plain = new Trainer([{ ...DEFAULT_EXPERIMENT, training: { ...DEFAULT_EXPERIMENT.training, epochs: 3 } }], data);
    const [a, b, c] = [await trainedWeights(fromSpec), await trainedWeights(given), await trainedWeights(plain)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);

    const balanced = weighed({ kind: 'balanced' }, { epochs: 1 });
    const outcome = await runTraining(balanced);
    expect(outcome.classWeights).toEqual(balancedClassWeights(generatedSplit(DEFAULT_EXPERIMENT.data as DataSpec).train.y, 2));
    expect((await runTraining({ ...DEFAULT_EXPERIMENT, training: { ...DEFAULT_EXPERIMENT.training, epochs: 1 } })).classWeights).toBeUndefined();
    // Members of one population share their class weights.
    expect(() => new Trainer([spec, DEFAULT_EXPERIMENT], data)).toThrow('Members of a population must share their');
  });
});
