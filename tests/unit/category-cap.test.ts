import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../src/core/data/table/parse';
import { prepareTable } from '../../src/core/data/table/prepare';
import { applyRecipe } from '../../src/core/data/table/recipe';
import { MAX_CATEGORY_INPUTS, type PreprocessSpec } from '../../src/core/data/table/types';
import { pythonProject, rowInputs } from '../../src/core/export';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';

const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/**
 * 226 rows with an identifier-like `code`: 49 codes four times each (c00…c48), then 30 codes
 * seen once (r00…r29), so the 49 frequent ones are exactly those that keep an input.
 */
function codesCsv(): string {
  const lines = ['x,code,label'];
  for (let k = 0; k < 49; k++) for (let j = 0; j < 4; j++) lines.push(`${k + j / 10},c${String(k).padStart(2, '0')},${(k + j) % 2 ? 'yes' : 'no'}`);
  for (let k = 0; k < 30; k++) lines.push(`${k / 3},r${String(k).padStart(2, '0')},${k % 2 ? 'yes' : 'no'}`);
  return lines.join('\n');
}

const spec: PreprocessSpec = {
  target: 'label', task: 'binary', features: ['x', 'code'], missing: 'most-frequent', scaling: 'standardize',
  split: { train: 1, val: 0, test: 0 }, seed: 1,
};

async function prepared() {
  const outcome = await parseCsv(codesCsv());
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return { table: outcome.table, ...prepareTable(outcome.table, spec) };
}

describe('a categorical column of more levels than inputs allow', () => {
  test('keeps its 49 most frequent levels and one "other" input for the 30 rare ones', async () => {
    const { recipe, train } = await prepared();
    expect(MAX_CATEGORY_INPUTS).toBe(50);
    const code = recipe.columns[1];
    expect(code.kind === 'categorical' && code.other).toBe(true);
    expect(code.kind === 'categorical' && code.levels).toEqual(Array.from({ length: 49 }, (_, k) => `c${String(k).padStart(2, '0')}`));
    expect(recipe.inputs).toHaveLength(1 + 50);
    expect(recipe.inputs.at(-1)).toBe('code=(other)');
    // Every rare row turns the other input on, and only it among the code's inputs.
    const width = recipe.inputs.length;
    const rows = Array.from({ length: train.n }, (_, i) => train.x.slice(i * width, (i + 1) * width));
    const others = rows.filter((row) => row[width - 1] === 1);
    expect(others).toHaveLength(30);
    others.forEach((row) => expect(row.slice(1, width - 1).every((v) => v === 0)).toBe(true));
    rows.forEach((row) => expect(row.slice(1).reduce((a, b) => a + b, 0)).toBe(1));
  });

  test('the recipe applies the bucket to typed rows in the app, the exported predictor and the Python project alike', async () => {
    const { table, recipe } = await prepared();
    const typed = [
      { x: '3', code: 'c07' },
      { x: '1.5', code: 'r12' },
      // A code training never saw goes to the bucket too, as in training any code not kept does.
      { x: '2', code: 'z99' },
      // Empty: the most frequent code (c00, the first of the ties).
      { x: '', code: '' },
    ];
    const app = typed.map((row) => Array.from(applyRecipe(recipe, row)));
    const position = (row: number[]) => row.slice(1).indexOf(1);
    expect(app.map(position)).toEqual([7, 49, 49, 0]);
    expect(typed.map((row) => Array.from(rowInputs(recipe, row)))).toEqual(app);

    const experiment: ExperimentSpec = { ...structuredClone(DEFAULT_EXPERIMENT), data: { kind: 'table', dataset: 'codes', name: 'codes', preprocess: spec } };
    const dir = mkdtempSync(join(tmpdir(), 'category-cap-'));
    for (const file of pythonProject({ experiment, table, recipe }, 'codes')) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.content);
    }
    const script = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(join(dir, 'codes'))})`,
      'from tunelab_model import load_json, row_inputs',
      'recipe = load_json("recipe.json")',
      'print(json.dumps([row_inputs(recipe, row) for row in json.load(sys.stdin)]))',
    ].join('\n');
    const python = JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(typed), env: { ...process.env, OMP_NUM_THREADS: '1' } }).toString()) as number[][];
    python.forEach((row, i) => row.forEach((v, k) => expect(Math.fround(v)).toBe(app[i][k])));
  });
});
