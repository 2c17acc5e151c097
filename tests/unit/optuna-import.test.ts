import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importedStudy, readOptunaTrials, spaceOfTrials } from '../../src/core/export';
import { penguinExperiment } from '../support/penguin-study';

/** A finished Optuna study's trials_dataframe(), written by tests/support/optuna-trials.py with Debian's optuna. */
const csv = readFileSync(new URL('../support/optuna-trials.csv', import.meta.url), 'utf8');
const json = readFileSync(new URL('../support/optuna-trials.json', import.meta.url), 'utf8');

describe("reading a finished Optuna study's trials", () => {
  it('reads the CSV: states, values, parameters (absent where a condition did not hold)', () => {
    const trials = readOptunaTrials(csv);
    expect(trials).toHaveLength(12);
    expect(trials[0]).toMatchObject({
      number: 0, state: 'complete', value: 0.2148093290766795,
      params: { 'model.units': 9, 'optimizer.kind': 'momentum', 'optimizer.lr': 0.007459577266393828, 'optimizer.momentum': 0.9375440076303507 },
    });
    expect(trials[1].params).toEqual({ 'model.units': 2, 'optimizer.kind': 'sgd', 'optimizer.lr': 0.004185319668991121 });
    expect(trials[0].finishedAt! - trials[0].startedAt!).toBe(9);
    const lines = csv.trim().split('\n').slice(1);
    expect(trials.map((t) => t.state)).toEqual(lines.map((l) => (l.endsWith('PRUNED') ? 'pruned' : 'complete')));
  });

  it('reads the JSON records alike', () => {
    const fromJson = readOptunaTrials(json);
    const fromCsv = readOptunaTrials(csv);
    expect(fromJson.map((t) => [t.number, t.state, t.params['optimizer.kind'], t.params['model.units']])).toEqual(
      fromCsv.map((t) => [t.number, t.state, t.params['optimizer.kind'], t.params['model.units']]),
    );
    fromJson.forEach((t, i) => expect(Math.abs((t.value ?? 0) - (fromCsv[i].value ?? 0))).toBeLessThan(1e-9));
  });

  it('infers the space and makes a study whose trials apply their parameters to the experiment', () => {
    const trials = readOptunaTrials(csv);
    const space = spaceOfTrials(trials);
    expect(space['optimizer.kind']).toEqual({ type: 'categorical', choices: ['momentum', 'sgd'] });
    expect(space['model.units'].type).toBe('int');
    const { spec, trials: records } = importedStudy('penguins', trials, penguinExperiment(), { metric: 'valLoss', direction: 'minimize' });
    expect(spec.nTrials).toBe(12);
    expect(records[1].spec.optimizer).toEqual({ kind: 'sgd', lr: 0.004185319668991121 });
    expect(records[0].spec.model.hidden.map((l) => l.units)).toEqual([9]);
  });

  it('says what a file lacks', () => {
    expect(() => readOptunaTrials('a,b\n1,2\n')).toThrow('The file has no “number” column: export the study with study.trials_dataframe().');
    expect(() => readOptunaTrials('number,state,value\n0,COMPLETE,1\n')).toThrow('no params_ columns');
    expect(() => readOptunaTrials('number,state,params_x\n0,DONE,1\n')).toThrow('Trial 1 has the unknown state “DONE”.');
    expect(() => readOptunaTrials('{"trials": 3}')).toThrow('The JSON holds no list of trials.');
  });
});
