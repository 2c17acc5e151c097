import { describe, expect, test } from 'vitest';
import { validateSpace } from '../../src/core/search';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { defaultSpace, experimentSummary, studyName } from '../../src/core/study/defaults';
import { paramLabel, SPACE_ROWS } from '../../src/ui/study/space-rows';

const label = (name: string) => SPACE_ROWS.find((r) => r.name === name)?.label ?? name;
const withOptimizer = (kind: ExperimentSpec['optimizer']['kind'], lr: number): ExperimentSpec => ({ ...DEFAULT_EXPERIMENT, optimizer: { kind, lr } });

describe('the space a new study proposes fits its experiment', () => {
  test('Adam varies the learning rate and β₁, not momentum', () => {
    const space = defaultSpace(withOptimizer('adam', 0.003));
    expect(space).toEqual({
      'optimizer.lr': { type: 'float', low: 1e-4, high: 0.1, log: true },
      'optimizer.beta1': { type: 'float', low: 0.5, high: 0.99 },
    });
    expect(studyName(space, label)).toBe('Learning rate and β₁');
  });

  test('momentum SGD varies momentum; plain SGD the batch size; the learning rate never past 1', () => {
    expect(Object.keys(defaultSpace(withOptimizer('momentum', 0.1)))).toEqual(['optimizer.lr', 'optimizer.momentum']);
    expect(defaultSpace(withOptimizer('momentum', 0.1))['optimizer.lr']).toEqual({ type: 'float', low: 0.01, high: 1, log: true });
    const sgd = defaultSpace(withOptimizer('sgd', 0.5));
    expect(sgd['optimizer.lr']).toEqual({ type: 'float', low: 0.01, high: 1, log: true });
    expect(studyName(sgd, label)).toBe('Learning rate and batch size');
  });

  test.each(['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw'] as const)('%s: a valid space of rows the editor offers', (kind) => {
    const space = defaultSpace(withOptimizer(kind, 0.01));
    expect(validateSpace(space).ok).toBe(true);
    for (const name of Object.keys(space)) expect(SPACE_ROWS.map((r) => r.name)).toContain(name);
  });

  test('names list every parameter varied', () => {
    expect(studyName({}, label)).toBe('Study');
    expect(studyName({ 'optimizer.lr': { type: 'float', low: 0.1, high: 1 }, 'model.l2': { type: 'float', low: 0.1, high: 1 }, 'model.dropout': { type: 'float', low: 0, high: 0.5 } }, label)).toBe('Learning rate, L2 rate and dropout');
  });

  test('an experiment in a few words', () => {
    expect(experimentSummary({ ...DEFAULT_EXPERIMENT, model: { ...DEFAULT_EXPERIMENT.model, hidden: [{ units: 8, activation: 'relu' }, { units: 4, activation: 'relu' }] }, optimizer: { kind: 'adam', lr: 0.01 } })).toBe(
      `${DEFAULT_EXPERIMENT.data.kind === 'table' ? DEFAULT_EXPERIMENT.data.name : DEFAULT_EXPERIMENT.data.kind}, 8-4, adam`,
    );
  });
});

describe('parameter names on the study screens', () => {
  test('the editor\'s label, a size study\'s own, or the path of a parameter tunelab does not know', () => {
    expect(paramLabel('optimizer.lr')).toBe('Learning rate');
    expect(paramLabel('optimizer.beta1')).toBe('β₁');
    expect(paramLabel('compress.sparsity')).toBe('Sparsity');
    expect(paramLabel('params.n_layers')).toBe('params.n_layers');
  });
});
