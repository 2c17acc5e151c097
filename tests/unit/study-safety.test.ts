import { describe, expect, test } from 'vitest';
import { neutralizeCell, quoteCell } from '../../src/core/data/table/cells';
import { applyParams, validateSpace } from '../../src/core/search';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { trialsCsv } from '../../src/core/study/plots';
import { GRID_CAP, studyReadiness } from '../../src/core/study/readiness';
import type { StudyRecord, StudySpec, TrialRecord } from '../../src/core/study/types';
import { isStudyRecord, isTrialRecord } from '../../src/runtime/store/study-check';

describe('parameter paths through the prototype', () => {
  test.each(['__proto__.x', 'constructor.prototype.polluted', 'optimizer.__proto__', 'prototype'])('%s is refused by the space schema, by its field', (name) => {
    const result = validateSpace(JSON.parse(`{"${name}": {"type": "float", "low": 0, "high": 1}}`));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      { path: name, message: `A parameter's name may not pass through __proto__, constructor, prototype (got "${name}").` },
    ]);
  });

  test('applyParams refuses them before touching anything', () => {
    const params = JSON.parse('{"__proto__.polluted": 1, "optimizer.lr": 0.5}');
    expect(() => applyParams(DEFAULT_EXPERIMENT, params)).toThrow('A parameter\'s name may not pass through __proto__, constructor, prototype (got "__proto__.polluted").');
    expect(() => applyParams(DEFAULT_EXPERIMENT, { 'constructor.prototype.x': 1 })).toThrow(/constructor\.prototype\.x/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(applyParams(DEFAULT_EXPERIMENT, { 'optimizer.lr': 0.5 }).optimizer.lr).toBe(0.5);
  });
});

describe('CSV cells a spreadsheet would run', () => {
  test('text beginning with =, +, -, @, a tab or a carriage return gets a single quote before it', () => {
    expect(['=1+2', '+SUM(A1)', '-cmd', '@x', '\tx', '=HYPERLINK("http://x")'].map(neutralizeCell)).toEqual([
      "'=1+2", "'+SUM(A1)", "'-cmd", "'@x", "'\tx", '\'=HYPERLINK("http://x")',
    ]);
    expect(quoteCell('=HYPERLINK("a,b")')).toBe('"\'=HYPERLINK(""a,b"")"');
  });

  test('numbers and ordinary text are kept as they are', () => {
    expect(['-1.5', '+3', '-2e-3', 'tanh', '0.001', 'a=b', ''].map(neutralizeCell)).toEqual(['-1.5', '+3', '-2e-3', 'tanh', '0.001', 'a=b', '']);
  });

  test('the trials export neutralizes parameter values and names', () => {
    const trial: TrialRecord = { studyId: 's', number: 0, params: { '=name': '@SUM(1)', 'optimizer.lr': -0.5 }, spec: DEFAULT_EXPERIMENT, state: 'complete', value: 0.25, epochs: [] };
    expect(trialsCsv([trial])).toBe("number,state,value,'=name,optimizer.lr\n0,complete,0.25,'@SUM(1),-0.5\n");
  });
});

describe('study readiness', () => {
  const base = { sampler: { kind: 'grid' as const } };
  test('a step of −1 is a message on its field and blocks Run', () => {
    const ready = studyReadiness({ ...base, space: { 'optimizer.lr': { type: 'float', low: 0, high: 1, step: -1 } } });
    expect(ready).toEqual({
      errors: [{ path: 'optimizer.lr.step', message: 'Step must be greater than 0 (got -1).' }],
      combinations: null,
      blocker: 'The search space has 1 problem; see the marked field.',
    });
  });

  test('a step of 1e-6 on [0, 1] counts 1,000,001 points: over the cap for grid search only', () => {
    const space = { 'model.dropout': { type: 'float', low: 0, high: 1, step: 1e-6 } };
    expect(studyReadiness({ ...base, space })).toEqual({
      errors: [],
      combinations: 1_000_001,
      blocker: 'Grid search would run 1,000,001 combinations, over the limit of 100,000: vary fewer parameters, use coarser steps, or search at random or with TPE.',
    });
    expect(studyReadiness({ sampler: { kind: 'random' }, space }).blocker).toBeNull();
  });

  test('pruner options: each out-of-range one is a message on its field and blocks Run; the defaults pass', () => {
    const space = { 'optimizer.lr': { type: 'float', low: 0.001, high: 1, log: true } };
    const epochs = (n: number) => ({ ...DEFAULT_EXPERIMENT, training: { ...DEFAULT_EXPERIMENT.training, epochs: n } });
    const ready = (pruner: StudySpec['pruner'], n = 10) => studyReadiness({ sampler: { kind: 'random' }, space, pruner, base: epochs(n) });
    for (const kind of ['none', 'median', 'asha', 'hyperband'] as const) expect(ready({ kind })).toEqual({ errors: [], combinations: 5, blocker: null });
    expect(ready({ kind: 'asha', minResource: 10, reductionFactor: 2 }).blocker).toBeNull();
    expect(ready({ kind: 'asha', minResource: 'auto' }).blocker).toBeNull();
    expect(ready({ kind: 'asha', minResource: 11, reductionFactor: 1 })).toEqual({
      errors: [
        { path: 'pruner.minResource', message: 'The minimum resource is the epochs before the first rung: a whole number from 1 to the 10 epochs a trial trains (got 11).' },
        { path: 'pruner.reductionFactor', message: 'η keeps one trial in η at each rung: a whole number of at least 2 (got 1).' },
      ],
      combinations: 5,
      blocker: "The pruner's settings have 2 problems; see the marked fields.",
    });
    expect(ready({ kind: 'hyperband', minResource: 0 }).errors.map((e) => e.path)).toEqual(['pruner.minResource']);
    expect(ready({ kind: 'hyperband', reductionFactor: 2.5 }).blocker).toBe("The pruner's settings have a problem; see the marked field.");
    expect(ready({ kind: 'median', warmupSteps: 4 }, 5).blocker).toBeNull();
    expect(ready({ kind: 'median', warmupSteps: 5, startupTrials: -1 }, 5).errors).toEqual([
      { path: 'pruner.warmupSteps', message: 'Warm-up epochs are never pruned: a whole number from 0 to 4, below the 5 epochs a trial trains (got 5).' },
      { path: 'pruner.startupTrials', message: 'Pruning starts once this many trials have reached an epoch: a whole number from 0 (got -1).' },
    ]);
    // A space's problem is told first; the pruner's wait their turn on their own fields.
    const both = studyReadiness({ sampler: { kind: 'random' }, space: { 'optimizer.lr': { type: 'float', low: 1, high: 0 } }, pruner: { kind: 'median', warmupSteps: 99 }, base: epochs(10) });
    expect(both.blocker).toMatch(/^The search space has 1 problem/);
    expect(both.errors.map((e) => e.path)).toContain('pruner.warmupSteps');
  });

  test('seven continuous ranges: 5⁷ = 78,125 points runs; an eighth goes over the cap', () => {
    const ranges = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { type: 'float', low: 0, high: 1 }]));
    expect(studyReadiness({ ...base, space: ranges(7) })).toEqual({ errors: [], combinations: 78_125, blocker: null });
    expect(studyReadiness({ ...base, space: ranges(8) }).combinations).toBe(390_625);
    expect(studyReadiness({ ...base, space: ranges(8) }).blocker).toMatch(/^Grid search would run 390,625 combinations/);
    expect(GRID_CAP).toBe(100_000);
  });
});

describe('study records read back from IndexedDB', () => {
  const spec: StudySpec = {
    version: 1,
    name: 'Learning rate',
    base: DEFAULT_EXPERIMENT,
    space: { 'optimizer.lr': { type: 'float', low: 1e-3, high: 1, log: true } },
    sampler: { kind: 'tpe' },
    pruner: { kind: 'median' },
    objective: { metric: 'valLoss', direction: 'minimize' },
    nTrials: 24,
    workers: 2,
    seed: 1,
  };
  const study: StudyRecord = { id: 's1', createdAt: 1, spec, status: 'paused' };
  const trial: TrialRecord = { studyId: 's1', number: 3, params: { 'optimizer.lr': 0.01 }, spec: DEFAULT_EXPERIMENT, state: 'complete', value: 0.25, epochs: [{ epoch: 1, trainLoss: 0.3, valLoss: NaN, trainMetric: 0.9, valMetric: 0.8 }] };

  test('a study and a trial as written pass, settings added later included', () => {
    expect(isStudyRecord(structuredClone(study))).toBe(true);
    expect(isStudyRecord({ ...study, spec: { ...spec, sampler: { kind: 'grid', resolution: 4 }, folds: 3 } })).toBe(true);
    expect(isTrialRecord(structuredClone(trial))).toBe(true);
  });

  test('studies of several objectives and pruned trials pass, as the runner writes them', () => {
    const objectives = [{ metric: 'valMetric', direction: 'maximize' }, { metric: 'paramCount', direction: 'minimize' }];
    expect(isStudyRecord({ ...study, spec: { ...spec, sampler: { kind: 'nsga2', populationSize: 6 }, pruner: { kind: 'none' }, objectives } })).toBe(true);
    expect(isStudyRecord({ ...study, spec: { ...spec, pruner: { kind: 'hyperband' } } })).toBe(true);
    expect(isTrialRecord({ ...trial, values: [0.9, 29], generation: 1 })).toBe(true);
    expect(isTrialRecord({ ...trial, state: 'pruned', prunedAt: 2, memberEpochMs: 29.1 })).toBe(true);
    expect(isStudyRecord({ ...study, spec: { ...spec, sampler: { kind: 'nsga2' }, objectives: [objectives[0]] } })).toBe(false);
    expect(isTrialRecord({ ...trial, values: ['0.9'] })).toBe(false);
  });

  test.each([
    ['a space through __proto__', { ...study, spec: { ...spec, space: JSON.parse('{"__proto__.x": {"type": "float", "low": 0, "high": 1}}') } }],
    ['a step of −1', { ...study, spec: { ...spec, space: { 'optimizer.lr': { type: 'float', low: 0, high: 1, step: -1 } } } }],
    ['an unknown sampler', { ...study, spec: { ...spec, sampler: { kind: 'annealing' } } }],
    ['an experiment that does not validate', { ...study, spec: { ...spec, base: { ...DEFAULT_EXPERIMENT, optimizer: { kind: 'adam', lr: -1 } } } }],
    ['no trial count', { ...study, spec: { ...spec, nTrials: undefined } }],
    ['an unknown status', { ...study, status: 'exploded' }],
  ])('a study with %s fails', (_, record) => {
    expect(isStudyRecord(record)).toBe(false);
  });

  test.each([
    ['a parameter that is an object', { ...trial, params: { 'optimizer.lr': { toString: 1 } } }],
    ['an unknown state', { ...trial, state: 'lost' }],
    ['a negative number', { ...trial, number: -1 }],
    ['an epoch without its loss', { ...trial, epochs: [{ epoch: 1 }] }],
  ])('a trial with %s fails', (_, record) => {
    expect(isTrialRecord(record)).toBe(false);
  });
});
