import { describe, expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { bestTrial, intermediateCurves, learningRateCurve, optimizationHistory, parameterAxes, parameterImportance, trialsCsv } from '../../src/core/study/plots';
import { groupCompatible, samplerHistory, trialResult } from '../../src/core/study/schedule';
import type { Objective, TrialRecord } from '../../src/core/study/types';

const minimize: Objective = { metric: 'valLoss', direction: 'minimize' };
const epoch = (valLoss: number) => ({ epoch: 1, trainLoss: valLoss, valLoss, trainMetric: 0, valMetric: 1 - valLoss });

function trial(number: number, value: number | undefined, params: Record<string, string | number | boolean>, state: TrialRecord['state'] = 'complete'): TrialRecord {
  const lr = typeof params['optimizer.lr'] === 'number' ? (params['optimizer.lr'] as number) : 0.01;
  return { studyId: 's', number, params, spec: { ...DEFAULT_EXPERIMENT, optimizer: { kind: 'adam', lr } }, state, value, epochs: value === undefined ? [epoch(0.9)] : [epoch(0.8), epoch(value)] };
}

const trials = [
  trial(0, 0.5, { 'optimizer.lr': 0.001, 'model.activation': 'tanh' }),
  trial(1, 0.3, { 'optimizer.lr': 0.1, 'model.activation': 'relu' }),
  trial(2, undefined, { 'optimizer.lr': 1, 'model.activation': 'relu' }, 'pruned'),
  trial(3, 0.4, { 'optimizer.lr': 0.01, 'model.activation': 'tanh' }),
  trial(4, 0.2, { 'optimizer.lr': 0.03, 'model.activation': 'relu' }),
];

describe('study plots', () => {
  test('history keeps the best value so far; the best trial is found', () => {
    expect(optimizationHistory(trials, minimize)).toEqual({ number: [0, 1, 3, 4], value: [0.5, 0.3, 0.4, 0.2], best: [0.5, 0.3, 0.3, 0.2] });
    expect(bestTrial(trials, minimize)!.number).toBe(4);
    expect(bestTrial(trials, { metric: 'valLoss', direction: 'maximize' })!.number).toBe(0);
  });
  test('axes: numeric with log when wide, categorical as indices', () => {
    const [activation, lr] = parameterAxes(trials);
    expect(activation).toEqual({ name: 'model.activation', values: [1, 0, 1, 0], categories: ['relu', 'tanh'], log: false });
    expect(lr).toMatchObject({ name: 'optimizer.lr', values: [0.001, 0.1, 0.01, 0.03], log: true });
  });
  test('a yes/no choice is a category labelled with the space\'s choices, not a number axis from 0 to 1', () => {
    const distilled = [true, false, true].map((d, i) => trial(i, 0.5, { 'compress.distilled': d }));
    expect(parameterAxes(distilled, undefined, () => [false, true])).toEqual([{ name: 'compress.distilled', values: [1, 0, 1], categories: ['false', 'true'], log: false }]);
  });
  test('importance sums to one; a parameter that splits the values explains them', () => {
    const imp = parameterImportance(trials);
    expect(imp.reduce((a, b) => a + b.importance, 0)).toBeCloseTo(1, 10);
    expect(imp.map((i) => i.name)).toContain('model.activation');
  });
  test('learning rate curve, intermediate curves with the pruned greyed, and CSV', () => {
    expect(learningRateCurve(trials)).toEqual({ lr: [0.001, 0.01, 0.03, 0.1], value: [0.5, 0.4, 0.2, 0.3] });
    expect(intermediateCurves(trials, minimize)[2]).toEqual({ number: 2, values: [0.9], pruned: true });
    expect(trialsCsv(trials.slice(0, 1))).toBe('number,state,value,model.activation,optimizer.lr\n0,complete,0.5,tanh,0.001\n');
    // Cross-validated trials add the standard deviation over their folds.
    expect(trialsCsv([{ ...trials[0], valueStd: 0.05 }, trials[2]])).toBe(
      'number,state,value,value_std,model.activation,optimizer.lr\n0,complete,0.5,0.05,tanh,0.001\n2,pruned,,,relu,1\n',
    );
  });
});

describe('study scheduling', () => {
  test('groups only what can train as one population, up to a size', () => {
    const a = DEFAULT_EXPERIMENT;
    const b = { ...a, optimizer: { kind: 'adam' as const, lr: 0.1 } };
    const c = { ...a, model: { ...a.model, hidden: [] } };
    expect(groupCompatible([a, c, b, a, b], 2)).toEqual([[0, 2], [1], [3, 4]]);
  });
  test('a finished member becomes a trial result; failures tell the sampler null', () => {
    expect(trialResult({ status: 'complete', history: [epoch(0.5), epoch(0.4)] }, minimize)).toEqual({ state: 'complete', value: 0.4 });
    expect(trialResult({ status: 'early-stopped', bestEpoch: 1, history: [epoch(0.3), epoch(0.4)] }, minimize)).toEqual({ state: 'complete', value: 0.3 });
    expect(trialResult({ status: 'diverged', divergedAt: 2, history: [] }, minimize)).toEqual({ state: 'diverged' });
    expect(samplerHistory(trials, { metric: 'valMetric', direction: 'maximize' }).map((h) => h.value)).toEqual([-0.5, -0.3, null, -0.4, -0.2]);
  });
});
