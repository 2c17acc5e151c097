import { describe, expect, test } from 'vitest';
import { applyParams, createPruner, createSampler, gridPoints, gridSize, type SearchSpace } from '../../src/core/search';
import type { PrunerTrial } from '../../src/core/search/pruners/pruner';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';

const space: SearchSpace = {
  'optimizer.lr': { type: 'float', low: 1e-4, high: 1, log: true },
  'optimizer.kind': { type: 'categorical', choices: ['sgd', 'momentum', 'adam'] },
  'optimizer.momentum': { type: 'float', low: 0, high: 0.9, step: 0.3, condition: { param: 'optimizer.kind', in: ['momentum'] } },
  'model.units': { type: 'int', low: 2, high: 32, log: true },
};

describe('search spaces', () => {
  test('grid covers every combination exactly once, conditional parameters only under their condition', () => {
    const points = gridPoints(space, 3);
    // lr 3 × units 3 × (sgd 1 + momentum 4 + adam 1) = 54
    expect(points).toHaveLength(54);
    expect(gridSize(space, 3)).toBe(54);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(54);
    points.forEach((p) => expect('optimizer.momentum' in p).toBe(p['optimizer.kind'] === 'momentum'));
    expect([...new Set(points.map((p) => p['optimizer.lr']))]).toEqual([1e-4, expect.closeTo(0.01, 12), 1]);
    expect([...new Set(points.map((p) => p['optimizer.momentum']).filter((v) => v !== undefined))]).toEqual([0, 0.3, 0.6, 0.9]);
  });

  test('the grid sampler hands out each point once, shuffled by seed, and resumes past its history', () => {
    const a = createSampler({ kind: 'grid', resolution: 3 }, space, 7);
    const all = a.askBatch(100);
    expect(all).toHaveLength(54);
    expect(a.ask()).toBeNull();
    expect(createSampler({ kind: 'grid', resolution: 3 }, space, 8).askBatch(54)).not.toEqual(all);
    const resumed = createSampler({ kind: 'grid', resolution: 3 }, space, 7, all.slice(0, 10).map((params) => ({ params, value: 1 })));
    expect(resumed.askBatch(100)).toEqual(all.slice(10));
  });

  test('random search respects bounds, steps, integers, log scale and conditions, and replays from its seed', () => {
    const sampler = createSampler({ kind: 'random' }, space, 3);
    const draws = sampler.askBatch(2000);
    for (const p of draws) {
      expect(p['optimizer.lr']).toBeGreaterThanOrEqual(1e-4);
      expect(p['optimizer.lr']).toBeLessThanOrEqual(1);
      expect(Number.isInteger(p['model.units'])).toBe(true);
      expect('optimizer.momentum' in p).toBe(p['optimizer.kind'] === 'momentum');
      if ('optimizer.momentum' in p) expect([0, 0.3, 0.6, 0.9]).toContain(p['optimizer.momentum']);
    }
    // Log-uniform: about half the draws below 1e-2, the geometric middle of [1e-4, 1].
    const below = draws.filter((p) => (p['optimizer.lr'] as number) < 1e-2).length / draws.length;
    expect(below).toBeGreaterThan(0.45);
    expect(below).toBeLessThan(0.55);
    const again = createSampler({ kind: 'random' }, space, 3);
    expect(again.askBatch(5)).toEqual(draws.slice(0, 5));
    const resumed = createSampler({ kind: 'random' }, space, 3, JSON.parse(JSON.stringify(draws.slice(0, 5).map((params) => ({ params, value: null })))));
    expect(resumed.ask()).toEqual(draws[5]);
  });

  test('parameters map onto an experiment', () => {
    const spec = applyParams(DEFAULT_EXPERIMENT, { 'optimizer.kind': 'momentum', 'optimizer.momentum': 0.6, 'optimizer.lr': 0.1, 'model.layers': 3, 'model.units': 8, 'model.activation': 'relu', 'training.batchSize': 16, seed: 9 });
    expect(spec.optimizer).toEqual({ kind: 'momentum', lr: 0.1, momentum: 0.6 });
    expect(spec.model.hidden).toEqual([{ units: 8, activation: 'relu' }, { units: 8, activation: 'relu' }, { units: 8, activation: 'relu' }]);
    expect(spec.training.batchSize).toBe(16);
    expect(spec.seed).toBe(9);
    expect(DEFAULT_EXPERIMENT.optimizer.kind).toBe('adam');
  });
});

describe('pruners', () => {
  const complete = (id: number, values: number[]): PrunerTrial => ({ id, state: 'complete', intermediate: values });

  test('median: prunes a trial whose best value so far is above the median of completed trials at that step', () => {
    const pruner = createPruner({ kind: 'median', startupTrials: 3 });
    const done = [complete(0, [1.0, 0.8]), complete(1, [0.9, 0.6]), complete(2, [0.7, 0.5])];
    // Step 2: the median of 0.8, 0.6, 0.5 is 0.6.
    const running = (values: number[]): PrunerTrial => ({ id: 9, state: 'running', intermediate: values });
    expect(pruner.shouldPrune(9, 2, 0.65, [...done, running([0.9, 0.65])])).toBe(true);
    expect(pruner.shouldPrune(9, 2, 0.6, [...done, running([0.9, 0.6])])).toBe(false);
    // Its best so far counts: 0.55 at step 1 keeps it.
    expect(pruner.shouldPrune(9, 2, 0.7, [...done, running([0.55, 0.7])])).toBe(false);
    // Too few completed trials: nothing is pruned.
    expect(pruner.shouldPrune(9, 2, 5, [...done.slice(0, 2), running([5, 5])])).toBe(false);
  });

  test('successive halving: at a rung only the best third goes on', () => {
    const pruner = createPruner({ kind: 'asha', minResource: 1, reductionFactor: 3 });
    const others = [complete(0, [0.2]), complete(1, [0.4]), complete(2, [0.6]), complete(3, [0.8]), complete(4, [1.0])];
    // Six values at rung 1 (step 1): the best 6/3 = 2 go on: 0.2 and the next.
    expect(pruner.shouldPrune(9, 1, 0.3, others)).toBe(false);
    expect(pruner.shouldPrune(9, 1, 0.5, others)).toBe(true);
    // Step 2 is no rung (rungs at 1, 3, 9 …): never pruned there.
    expect(pruner.shouldPrune(9, 2, 99, others)).toBe(false);
    // With fewer than η values at a rung, only the best goes on.
    expect(pruner.shouldPrune(9, 3, 0.5, [complete(0, [0, 0, 0.4])])).toBe(true);
    expect(pruner.shouldPrune(9, 3, 0.3, [complete(0, [0, 0, 0.4])])).toBe(false);
  });
});
