// The exported Python project, run for real: Debian's python3-torch and python3-optuna (which
// .ci/run installs) run the penguins study with SQLite storage and two worker processes at once.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { tableSplit } from '../../src/core/data/table-split';
import { parseCsv } from '../../src/core/data/table/parse';
import { networkIOOf, parameterCount } from '../../src/core/study/objectives';
import type { StudySpec, TrialRecord } from '../../src/core/study/types';
import { paretoTrials } from '../../src/core/study/pareto';
import { importedStudy, objectivesOfStudy, readOptunaStudy } from '../../src/core/export/optuna-import';
import { prepareTable } from '../../src/core/data/table/prepare';
import { applyRecipe } from '../../src/core/data/table/recipe';
import { cellText } from '../../src/core/data/table/rows';
import type { PreprocessSpec } from '../../src/core/data/table/types';
import { pythonProject } from '../../src/core/export/python-project';
import { applyParams, gridPoints, type SearchSpace } from '../../src/core/search';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { runTraining } from '../../src/core/train/run';
import { Trainer } from '../../src/core/train/trainer';
import type { ArchiveFile } from '../../src/core/export/zip';
import { penguinStudy, penguinTable } from '../support/penguin-study';
import { weatherCsv } from '../support/weather-table';

const run = promisify(execFile);
/** Debian's interpreter, where python3-torch and python3-optuna install; `python3` elsewhere. */
const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The files of an exported project written to a fresh folder; the project's own folder. */
function writeProject(files: ArchiveFile[]): string {
  const folder = mkdtempSync(join(tmpdir(), 'tunelab-python-'));
  for (const file of files) {
    const path = join(folder, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  return join(folder, 'project');
}

it('runs the exported penguins study in two processes sharing SQLite, as good as tunelab trains the same configurations', { timeout: 300_000 }, async () => {
  const { table, recipe } = await penguinTable();
  const study = penguinStudy();
  const cwd = writeProject(pythonProject({ experiment: study.base, table, recipe, study }, 'project'));
  const env = { ...process.env, OMP_NUM_THREADS: '1', PYTHONWARNINGS: 'ignore' };
  execFileSync(PYTHON, ['study.py', '--n-trials', '0'], { cwd, env });
  await Promise.all([0, 1].map((worker) => run(PYTHON, ['study.py', '--worker', String(worker), '--n-trials', '2'], { cwd, env })));
  const summary = execFileSync(
    PYTHON,
    ['-c', 'import json, optuna; s = optuna.load_study(study_name="penguins", storage="sqlite:///study.db"); print(json.dumps([[t.state.name, t.value] for t in s.trials]))'],
    { cwd, env, encoding: 'utf8' },
  );
  const trials = JSON.parse(summary.trim().split('\n').at(-1)!) as [string, number | null][];
  expect(trials).toHaveLength(4);
  expect(trials.every(([state]) => state === 'COMPLETE' || state === 'PRUNED')).toBe(true);
  const complete = trials.filter(([state]) => state === 'COMPLETE');
  expect(complete.length).toBeGreaterThanOrEqual(2);
  const pythonBest = Math.max(...complete.map(([, value]) => value!));

  // tunelab's trainer on the same four configurations.
  if (study.base.data.kind !== 'table') throw new Error('unreachable');
  const data = tableSplit(prepareTable(table, study.base.data.preprocess));
  let browserBest = 0;
  for (const params of gridPoints(study.space as SearchSpace, 5)) {
    const outcome = await runTraining(applyParams(study.base, params), { data });
    browserBest = Math.max(browserBest, outcome.history.at(-1)!.valMetric);
  }
  console.log(`penguins study: best validation accuracy ${pythonBest.toFixed(4)} in Python (PyTorch + Optuna), ${browserBest.toFixed(4)} in tunelab`);
  expect(Math.abs(pythonBest - browserBest)).toBeLessThanOrEqual(0.05);
});

it('prepares a date column in Python as tunelab does, and trains the exported weather experiment with balanced class weights', { timeout: 120_000 }, async () => {
  const parsed = await parseCsv(weatherCsv());
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const table = parsed.table;
  const preprocess: PreprocessSpec = { target: 'weather', task: 'multiclass', features: ['date', 'precipitation', 'temp_max', 'wind'], missing: 'median', scaling: 'standardize', split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1 };
  const prepared = prepareTable(table, preprocess);
  const { recipe } = prepared;
  const experiment: ExperimentSpec = {
    ...structuredClone(DEFAULT_EXPERIMENT),
    data: { kind: 'table', dataset: 'weather', name: 'weather', preprocess },
    model: { ...DEFAULT_EXPERIMENT.model, hidden: [{ units: 8, activation: 'relu' }] },
    training: { ...DEFAULT_EXPERIMENT.training, epochs: 5, batchSize: 16, classWeights: { kind: 'balanced' } },
  };
  const cwd = writeProject(pythonProject({ experiment, table, recipe }, 'project'));
  const env = { ...process.env, OMP_NUM_THREADS: '1', PYTHONWARNINGS: 'ignore' };
  const rows = Array.from({ length: table.rows }, (_, r) => Object.fromEntries(table.columns.map((c) => [c.name, cellText(c, r) ?? ''])));
  const typed = [...rows, { date: '2017/06/15 14:30', precipitation: '0', temp_max: '24', wind: '2' }, { date: 'NA', precipitation: '3', temp_max: '', wind: '4' }];
  const script = 'import json, sys\nfrom tunelab_model import load_json, row_inputs\nrecipe = load_json("recipe.json")\nprint(json.dumps([row_inputs(recipe, row) for row in json.load(sys.stdin)]))';
  const python = JSON.parse(execFileSync(PYTHON, ['-c', script], { cwd, env, input: JSON.stringify(typed), encoding: 'utf8' })) as number[][];
  expect(python).toHaveLength(typed.length);
  typed.forEach((row, i) => {
    const app = applyRecipe(recipe, row);
    expect(python[i]).toHaveLength(app.length);
    python[i].forEach((v, k) => expect(Math.abs(Math.fround(v) - app[k])).toBeLessThanOrEqual(1e-6));
  });
  const bad = execFileSync(PYTHON, ['-c', 'from tunelab_model import load_json, row_inputs\ntry:\n    row_inputs(load_json("recipe.json"), {"date": "2015-02-30"})\nexcept ValueError as e:\n    print(e)'], { cwd, env, encoding: 'utf8' });
  expect(bad.trim()).toBe('“date” is a date column, but “2015-02-30” is not a date (write it as 2015-01-31).');
  // The loss's class weights: n / (K · n_c) over the training labels, in Python as in tunelab's trainer.
  const weightScript = 'import json\nfrom tunelab_model import class_weights, load_json, load_parts\nrecipe = load_json("recipe.json")\ny = load_parts(recipe)["train"][1]\nprint(json.dumps(class_weights(load_json("experiment.json"), y, len(recipe["target"]["classes"])).tolist()))';
  const pythonWeights = JSON.parse(execFileSync(PYTHON, ['-c', weightScript], { cwd, env, encoding: 'utf8' })) as number[];
  const trainer = new Trainer([experiment], tableSplit(prepared));
  const appWeights = trainer.classWeights!;
  trainer.dispose();
  expect(appWeights).toHaveLength(4);
  expect(new Set(appWeights.map((w) => w.toFixed(3))).size).toBe(4);
  pythonWeights.forEach((w, k) => expect(w).toBeCloseTo(appWeights[k], 6));
  // Each point's cross-entropy times its class's weight, averaged over the points, as tunelab's loss.
  const lossScript = 'import torch\nfrom tunelab_model import data_loss\nprint(data_loss(torch.tensor([[2.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0]]), torch.tensor([0, 3]), False, torch.tensor([1.0, 2.0, 3.0, 4.0])).item())';
  const crossEntropy = (z: number[], k: number) => Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) - z[k];
  const weightedLoss = (1 * crossEntropy([2, 0, 0, 1], 0) + 4 * crossEntropy([0, 1, 0, 0], 3)) / 2;
  expect(Number(execFileSync(PYTHON, ['-c', lossScript], { cwd, env, encoding: 'utf8' }))).toBeCloseTo(weightedLoss, 5);
  const out = execFileSync(PYTHON, ['tunelab_model.py'], { cwd, env, encoding: 'utf8' }).trim().split('\n');
  expect(out).toHaveLength(6);
  expect(out.at(-1)).toMatch(/^validation metric \d\.\d{4}, validation loss \d+\.\d{4}$/);
});

it('runs an exported study of three objectives with NSGA-II: every trial returns its loss, its PyTorch parameter count as tunelab counts it, and its inference time', { timeout: 300_000 }, async () => {
  const study: StudySpec = {
    ...penguinStudy(),
    space: { 'model.units': { type: 'int', low: 2, high: 16 }, 'optimizer.lr': { type: 'float', low: 1e-3, high: 0.1, log: true } },
    sampler: { kind: 'nsga2', populationSize: 2 },
    pruner: { kind: 'none' },
    objectives: [
      { metric: 'valLoss', direction: 'minimize' },
      { metric: 'paramCount', direction: 'minimize' },
      { metric: 'inferenceTime', direction: 'minimize' },
    ],
    nTrials: 4,
  };
  const { table: studyTable, recipe } = await penguinTable();
  const cwd = writeProject(pythonProject({ experiment: study.base, table: studyTable, recipe, study }, 'project'));
  const env = { ...process.env, OMP_NUM_THREADS: '1', PYTHONWARNINGS: 'ignore' };
  execFileSync(PYTHON, ['study.py', '--n-trials', '4'], { cwd, env });
  const summary = execFileSync(
    PYTHON,
    ['-c', 'import json, optuna; s = optuna.load_study(study_name="penguins", storage="sqlite:///study.db"); print(json.dumps([[t.state.name, t.values, t.params, t.user_attrs] for t in s.trials]))'],
    { cwd, env, encoding: 'utf8' },
  );
  const trials = JSON.parse(summary.trim().split('\n').at(-1)!) as [string, number[], Record<string, number>, Record<string, number>][];
  expect(trials).toHaveLength(4);
  const { table } = await penguinTable();
  if (study.base.data.kind !== 'table') throw new Error('unreachable');
  const data = tableSplit(prepareTable(table, study.base.data.preprocess));
  for (const [state, values, params, attrs] of trials) {
    expect(state).toBe('COMPLETE');
    expect(values).toHaveLength(3);
    const spec = applyParams(study.base, params);
    expect(values[1]).toBe(parameterCount(spec, networkIOOf(spec, data)));
    expect(attrs.modelBytes).toBe(4 * values[1]);
    expect(values[0]).toBe(attrs.valLoss);
    expect(values[0]).toBeGreaterThan(0);
    expect(values[0]).toBeLessThan(1.2);
    expect(values[2]).toBeGreaterThan(0);
    expect(values[2]).toBeLessThan(1);
  }

  // Back to tunelab as the project's README says: its Python written out, then imported with every objective.
  const readme = readFileSync(join(cwd, 'README.md'), 'utf8');
  const back = readme.slice(readme.indexOf('## Back to tunelab')).match(/```python\n([\s\S]*?)```/)![1];
  execFileSync(PYTHON, ['-c', back], { cwd, env });
  const file = readOptunaStudy(readFileSync(join(cwd, 'trials.json'), 'utf8'));
  const objectives = objectivesOfStudy(file);
  expect(objectives).toEqual(study.objectives);
  const imported = importedStudy('back', file.trials, study.base, study.objective, objectives);
  expect(imported.trials.map((t) => t.values)).toEqual(trials.map(([, values]) => values));
  expect(imported.trials.map((t) => t.value)).toEqual(trials.map(([, values]) => values[0]));
  expect(paretoTrials(imported.trials as TrialRecord[], objectives!).length).toBeGreaterThan(0);
});

