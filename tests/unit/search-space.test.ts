import { describe, expect, test } from 'vitest';
import { applyParams, gridPoints, gridSize, validateSpace, type SearchSpace } from '../../src/core/search';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';

const space: SearchSpace = {
  'optimizer.kind': { type: 'categorical', choices: ['sgd', 'momentum', 'nesterov', 'rmsprop'] },
  'optimizer.momentum': { type: 'float', low: 0, high: 0.9, step: 0.3, condition: { param: 'optimizer.kind', in: ['momentum', 'nesterov', 'rmsprop'] } },
  'optimizer.lr': { type: 'float', low: 1e-3, high: 1, log: true },
  'model.layers': { type: 'int', low: 0, high: 2 },
  'model.units': { type: 'int', low: 2, high: 32, log: true, condition: { param: 'model.layers', in: [1, 2] } },
  'model.activation': { type: 'categorical', choices: ['relu', 'tanh'], condition: { param: 'model.units', in: [32] } },
};

describe('grid', () => {
  test('covers every combination exactly once, conditional parameters only under their condition', () => {
    const points = gridPoints(space, 4);
    // kind: sgd 1 + 3 kinds × 4 momenta = 13; lr: 4; layers 0 → 1, layers 1 or 2 → units 4 values,
    // of which 32 doubles by activation: 1 + 2 × (3 + 2) = 11. 13 × 4 × 11 = 572.
    expect(points).toHaveLength(572);
    expect(new Set(points.map((p) => JSON.stringify(Object.entries(p).sort()))).size).toBe(572);
    expect(gridSize(space, 4)).toBe(572);
    for (const p of points) {
      expect('optimizer.momentum' in p).toBe(p['optimizer.kind'] !== 'sgd');
      expect('model.units' in p).toBe(p['model.layers'] !== 0);
      expect('model.activation' in p).toBe(p['model.units'] === 32);
    }
    expect([...new Set(points.map((p) => p['optimizer.lr']))]).toEqual([1e-3, expect.closeTo(0.01, 12), expect.closeTo(0.1, 12), 1]);
    expect([...new Set(points.map((p) => p['model.units']).filter((u) => u !== undefined))]).toEqual([2, 5, 13, 32]);
    expect([...new Set(points.map((p) => p['optimizer.momentum']).filter((u) => u !== undefined))]).toEqual([0, 0.3, 0.6, 0.9]);
  });

  test('counts a space too large to list, without listing it', () => {
    const wide: SearchSpace = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`p${i}`, { type: 'float', low: 0, high: 1 }]));
    expect(gridSize(wide, 10)).toBe(1e12);
    expect(gridSize({}, 5)).toBe(1);
  });
});

describe('validateSpace', () => {
  test('accepts a valid space as it is', () => {
    expect(validateSpace(JSON.parse(JSON.stringify(space)))).toEqual({ ok: true, spec: space });
  });

  test('names the field of each problem', () => {
    const result = validateSpace({
      'optimizer.lr': { type: 'float', low: 0, high: 1, log: true },
      'training.batchSize': { type: 'int', low: 8, high: 4.5 },
      'model.units': { type: 'int', low: 2, high: 32, step: 40 },
      'optimizer.kind': { type: 'categorical', choices: ['sgd', 'sgd'] },
      'optimizer.momentum': { type: 'float', low: 0, high: 1, condition: { param: 'optimizer.kindd', in: ['momentum'] } },
      'model.dropout': { type: 'float', low: 0, high: 0.5, colour: 'red' },
      seed: { type: 'integer', low: 0, high: 9 },
      'model.l2': { type: 'float', low: '0', high: 1 },
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'optimizer.kind.choices', message: 'Each choice may be listed only once.' },
        { path: 'model.dropout.colour', message: 'A float parameter has an unknown setting "colour".' },
        { path: 'seed.type', message: 'Type must be one of float, int, categorical (got "integer").' },
        { path: 'model.l2.low', message: 'Low must be a number (got "0").' },
      ],
    });
    const ranges = validateSpace({
      'optimizer.lr': { type: 'float', low: 0, high: 1, log: true },
      'training.batchSize': { type: 'int', low: 8, high: 4.5 },
      'model.units': { type: 'int', low: 2, high: 32, step: 40 },
      'optimizer.momentum': { type: 'float', low: 0, high: 1, condition: { param: 'optimizer.kindd', in: ['momentum'] } },
      'optimizer.kind': { type: 'categorical', choices: ['sgd', 'adam'] },
      'optimizer.beta1': { type: 'float', low: 0.5, high: 0.99, condition: { param: 'optimizer.kind', in: ['adam', 'nadam'] } },
    });
    expect(ranges).toEqual({
      ok: false,
      errors: [
        { path: 'optimizer.lr.low', message: 'Low must be greater than 0 on a log scale (got 0).' },
        { path: 'training.batchSize.high', message: 'High of an integer range must be a whole number (got 4.5).' },
        { path: 'model.units.step', message: 'Step must be at most high − low, 30 (got 40).' },
        { path: 'optimizer.momentum.condition.param', message: 'The condition of optimizer.momentum looks at "optimizer.kindd", which is not in the search space.' },
        { path: 'optimizer.beta1.condition.in', message: 'optimizer.kind never takes "nadam".' },
      ],
    });
  });

  test('refuses conditions that go round in a circle, and a space that is not an object', () => {
    const circle = validateSpace({
      a: { type: 'categorical', choices: [1, 2], condition: { param: 'b', in: [1] } },
      b: { type: 'categorical', choices: [1, 2], condition: { param: 'a', in: [1] } },
    });
    expect(circle.ok).toBe(false);
    if (!circle.ok) expect(circle.errors.map((e) => e.message)).toEqual(['The conditions of a go round in a circle through a.', 'The conditions of b go round in a circle through b.']);
    expect(validateSpace([1, 2])).toEqual({ ok: false, errors: [{ path: '', message: 'The search space must be an object of parameters (got a list).' }] });
  });
});

describe('applyParams', () => {
  test('maps plain paths and the special names onto a copy of the experiment', () => {
    const spec = applyParams(DEFAULT_EXPERIMENT, {
      'model.units': 8,
      'model.activation': 'relu',
      'model.layers': 3,
      'optimizer.momentum': 0.6,
      'optimizer.kind': 'nesterov',
      'optimizer.lr': 0.1,
      'model.features': 'x1+x2+x1x2',
      'training.batchSize': 16,
      'model.dropout': 0.2,
      seed: 9,
    });
    expect(spec.optimizer).toEqual({ kind: 'nesterov', lr: 0.1, momentum: 0.6 });
    expect(spec.model.hidden).toEqual([
      { units: 8, activation: 'relu' },
      { units: 8, activation: 'relu' },
      { units: 8, activation: 'relu' },
    ]);
    expect(spec.model.features).toEqual(['x1', 'x2', 'x1x2']);
    expect(spec.model.dropout).toBe(0.2);
    expect(spec.training.batchSize).toBe(16);
    expect(spec.seed).toBe(9);
    // The base is untouched.
    expect(DEFAULT_EXPERIMENT.optimizer).toEqual({ kind: 'adam', lr: 0.03 });
    expect(DEFAULT_EXPERIMENT.model.hidden).toHaveLength(2);
  });

  test('fewer layers keep the first ones; the kind alone keeps the learning rate', () => {
    const spec = applyParams(DEFAULT_EXPERIMENT, { 'model.layers': 1, 'optimizer.kind': 'sgd' });
    expect(spec.model.hidden).toEqual([{ units: 4, activation: 'tanh' }]);
    expect(spec.optimizer).toEqual({ kind: 'sgd', lr: 0.03 });
    expect(applyParams(DEFAULT_EXPERIMENT, { 'model.layers': 0 }).model.hidden).toEqual([]);
  });
});
