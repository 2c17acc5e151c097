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
import { networkIOOf, parameterCount } from '../../src/core/study/objectives';
import type { StudySpec, TrialRecord } from '../../src/core/study/types';
import { paretoTrials } from '../../src/core/study/pareto';
import { importedStudy, objectivesOfStudy, readOptunaStudy } from '../../src/core/export/optuna-import';
import { prepareTable } from '../../src/core/data/table/prepare';
import { pythonProject } from '../../src/core/export/python-project';
import { applyParams, gridPoints, type SearchSpace } from '../../src/core/search';
import { runTraining } from '../../src/core/train/run';
import { penguinStudy, penguinTable } from '../support/penguin-study';

const run = promisify(execFile);
/** Debian's interpreter, where python3-torch and python3-optuna install; `python3` elsewhere. */
const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Writes the Python project of a penguins study into a fresh folder and returns the project's folder. */
async function writeProject(study: StudySpec): Promise<string> {
  const { table, recipe } = await penguinTable();
  const folder = mkdtempSync(join(tmpdir(), 'tunelab-python-'));
  for (const file of pythonProject({ experiment: study.base, table, recipe, study }, 'project')) {
    const path = join(folder, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  return join(folder, 'project');
}

const env = { ...process.env, OMP_NUM_THREADS: '1', PYTHONWARNINGS: 'ignore' };

it('runs the exported penguins study in two processes sharing SQLite, as good as tunelab trains the same configurations', { timeout: 300_000 }, async () => {
  const { table } = await penguinTable();
  const study = penguinStudy();
  const cwd = await writeProject(study);
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
  const cwd = await writeProject(study);
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

