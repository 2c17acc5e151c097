import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importedStudy, objectivesOfStudy, readOptunaStudy, readOptunaTrials, spaceOfTrials } from '../../src/core/export';
import { paretoTrials } from '../../src/core/study/pareto';
import type { TrialRecord } from '../../src/core/study/types';
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

/** A study of two objectives as the exported study.py leaves it, written by trials_dataframe().to_csv(): values_* and the measures as user_attrs_*. */
const twoObjectives = readFileSync(new URL('../support/optuna-pareto-trials.csv', import.meta.url), 'utf8');

/** A study of three objectives as a JSON object: its directions beside trials_dataframe().to_json(orient="records")'s trials, values rounded to 10 digits as pandas writes them. */
const threeObjectives = JSON.stringify({
  directions: ['MAXIMIZE', 'MINIMIZE', 'MINIMIZE'],
  trials: [
    { number: 0, values_0: 0.8148148148, values_1: 188, values_2: 0.0041, 'params_model.units': 4, user_attrs_valMetric: 0.81481481481481, user_attrs_valLoss: 0.52, user_attrs_modelBytes: 188, user_attrs_paramCount: 47, user_attrs_inferenceTime: 0.0041, state: 'COMPLETE' },
    { number: 1, values_0: 0.9, values_1: 556, values_2: 0.0063, 'params_model.units': 12, user_attrs_valMetric: 0.9, user_attrs_valLoss: 0.31, user_attrs_modelBytes: 556, user_attrs_paramCount: 139, user_attrs_inferenceTime: 0.0063, state: 'COMPLETE' },
    { number: 2, values_0: 0.88, values_1: 740, values_2: 0.0061, 'params_model.units': 16, user_attrs_valMetric: 0.88, user_attrs_valLoss: 0.35, user_attrs_modelBytes: 740, user_attrs_paramCount: 185, user_attrs_inferenceTime: 0.0061, state: 'COMPLETE' },
  ],
});

describe('reading an Optuna study of several objectives', () => {
  it('maps a two-objective CSV onto validation loss and inference time by the measures study.py records, and its front is what dominates', () => {
    const file = readOptunaStudy(twoObjectives);
    expect(file.trials[1]).toMatchObject({ values: [0.31, 0.0063], generation: 0, attrs: { paramCount: 139, modelBytes: 556 } });
    expect(file.trials[3].values).toBeUndefined();
    const objectives = objectivesOfStudy(file);
    expect(objectives).toEqual([{ metric: 'valLoss', direction: 'minimize' }, { metric: 'inferenceTime', direction: 'minimize' }]);
    const { spec, trials } = importedStudy('pareto', file.trials, penguinExperiment(), { metric: 'valMetric', direction: 'maximize' }, objectives);
    expect(spec.objectives).toEqual(objectives);
    expect(spec.objective).toEqual({ metric: 'valLoss', direction: 'minimize' });
    expect(trials.map((t) => [t.value, t.values, t.generation])).toEqual([[0.52, [0.52, 0.0041], 0], [0.31, [0.31, 0.0063], 0], [0.35, [0.35, 0.009], 1], [undefined, undefined, 1]]);
    // Trial 2 is worse than trial 1 in both objectives; 0 and 1 trade loss for time.
    expect(paretoTrials(trials as TrialRecord[], objectives!).map((t) => t.number)).toEqual([0, 1]);
  });

  it('maps a three-objective JSON in its own directions, allowing for the digits pandas drops', () => {
    const file = readOptunaStudy(threeObjectives);
    const objectives = objectivesOfStudy(file);
    expect(objectives).toEqual([
      { metric: 'valMetric', direction: 'maximize' },
      { metric: 'modelBytes', direction: 'minimize' },
      { metric: 'inferenceTime', direction: 'minimize' },
    ]);
    const { trials } = importedStudy('pareto', file.trials, penguinExperiment(), { metric: 'valLoss', direction: 'minimize' }, objectives);
    expect(trials.map((t) => t.value)).toEqual([0.8148148148, 0.9, 0.88]);
    expect(paretoTrials(trials as TrialRecord[], objectives!).map((t) => t.number)).toEqual([0, 1, 2]);
  });

  it('takes the objectives a file names, and reads a single-objective study as before', () => {
    const named = twoObjectives.replace('values_0,values_1', 'values_valMetric,values_paramCount');
    expect(objectivesOfStudy(readOptunaStudy(named))).toEqual([{ metric: 'valMetric', direction: 'maximize' }, { metric: 'paramCount', direction: 'minimize' }]);
    expect(objectivesOfStudy(readOptunaStudy(csv))).toBeUndefined();
  });

  it('says which objective cannot be mapped, and why a file of several is refused', () => {
    const bare = twoObjectives.replace(/,user_attrs_inferenceTime/, ',user_attrs_latency');
    expect(() => objectivesOfStudy(readOptunaStudy(bare))).toThrow(
      "Objective 2 of the study is none of tunelab's (valLoss, valMetric, paramCount, modelBytes, inferenceTime): import a study exported from tunelab, whose trials carry these as user_attrs, or name the objectives in the JSON's “objectives”.",
    );
    const unknown = JSON.stringify({ objectives: ['valLoss', 'flops'], trials: [{ number: 0, values: [1, 2], params_x: 1, state: 'COMPLETE' }] });
    expect(() => objectivesOfStudy(readOptunaStudy(unknown))).toThrow("Objective 2 of the study is “flops”, which is none of tunelab's");
    const twice = JSON.stringify({ objectives: ['valLoss', 'valLoss'], trials: [{ number: 0, values: [1, 1], params_x: 1, state: 'COMPLETE' }] });
    expect(() => objectivesOfStudy(readOptunaStudy(twice))).toThrow("The study's objectives cannot be read as tunelab's: Each objective may be chosen once.");
    const four = JSON.stringify({ trials: [{ number: 0, values: [1, 2, 3, 4], params_x: 1, state: 'COMPLETE' }] });
    expect(() => objectivesOfStudy(readOptunaStudy(four))).toThrow('The study weighs 4 objectives; tunelab weighs two or three.');
    const mismatched = JSON.stringify({ directions: ['minimize', 'minimize', 'maximize'], trials: [{ number: 0, values: [1, 2], params_x: 1, state: 'COMPLETE' }] });
    expect(() => objectivesOfStudy(readOptunaStudy(mismatched))).toThrow('The study has 3 directions but its trials 2 values each.');
    expect(() => readOptunaStudy(JSON.stringify({ directions: ['up'], trials: [] }))).toThrow('The study’s “directions” are not a list of minimize and maximize (got ["up"]).'.replace('’', "'"));
  });
});
