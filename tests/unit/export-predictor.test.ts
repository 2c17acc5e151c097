import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltin } from '../../src/core/data/table/builtins';
import { parseCsv } from '../../src/core/data/table/parse';
import { applyRecipe } from '../../src/core/data/table/recipe';
import { prepareTable } from '../../src/core/data/table/prepare';
import { cellText } from '../../src/core/data/table/rows';
import { defaultPreprocess } from '../../src/core/data/table/task';
import { crc32, networkOutputs, predictCsv, predictorFolder, predictorNetwork, predictRow, readCsv, rowInputs, zipFiles } from '../../src/core/export';
import { NetworkParams, initialParameters, networkIO, parameterShapes } from '../../src/core/model/network';
import { predictTensor } from '../../src/core/model/predict';
import type { ModelSpec } from '../../src/core/model/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { weatherCsv } from '../support/weather-table';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const MODEL: ModelSpec = { features: ['x1'], hidden: [{ units: 6, activation: 'gelu' }, { units: 5, activation: 'elu' }], l1: 0, l2: 0, dropout: 0 };

async function penguins() {
  const dataset = (await loadBuiltin('builtin:penguins'))!;
  const spec = defaultPreprocess(dataset);
  const prepared = prepareTable(dataset.table, spec);
  const io = networkIO(prepared.recipe.inputs.length, 3);
  const weights = initialParameters(MODEL, io, 7);
  const rows = Array.from({ length: dataset.table.rows }, (_, r) =>
    Object.fromEntries(dataset.table.columns.map((c) => [c.name, cellText(c, r) ?? ''])),
  );
  return { dataset, prepared, io, weights, rows };
}

describe('the exported predictor', () => {
  it('predicts every penguin as the app does', async () => {
    const { prepared, io, weights } = await penguins();
    const net = new NetworkParams(MODEL, io, [weights]);
    const x = prepared.test.x;
    const expected = tf.tidy(() => predictTensor(net, 'classification', tf.tensor2d(x, [prepared.test.n, io.inputs])).arraySync()) as number[][];
    net.dispose();
    const network = predictorNetwork(MODEL, weights);
    const width = io.inputs;
    for (let i = 0; i < prepared.test.n; i++) {
      // The same inputs through the predictor's own forward pass.
      const z = networkOutputs(network, x.slice(i * width, (i + 1) * width));
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      const p = e.map((v) => v / e.reduce((a, b) => a + b, 0));
      p.forEach((v, k) => expect(Math.abs(v - expected[i][k])).toBeLessThan(1e-5));
    }
  });

  it('reads rows as text through the recipe, and adds a prediction column to a CSV', async () => {
    const { prepared, weights, rows } = await penguins();
    const network = predictorNetwork(MODEL, weights);
    const first = predictRow(network, prepared.recipe, rows[0]);
    expect('label' in first && prepared.recipe.target.kind === 'classes' && prepared.recipe.target.classes.includes(first.label)).toBe(true);
    const csv = 'Island;Bill length (mm);Species\nDream;"39,1";Adelie\nBiscoe;;Gentoo\n';
    const out = readCsv(predictCsv(network, prepared.recipe, csv));
    expect(out.header).toEqual(['Island', 'Bill length (mm)', 'Species', 'prediction', 'p(Adelie)', 'p(Chinstrap)', 'p(Gentoo)']);
    expect(out.rows).toHaveLength(2);
    const again = predictRow(network, prepared.recipe, { Island: 'Dream', 'Bill length (mm)': '39.1' });
    expect(out.rows[0].slice(3)).toEqual(['label' in again ? again.label : '', ...('label' in again ? again.probabilities.map(String) : [])]);
    expect(() => predictCsv(network, prepared.recipe, 'Bill length (mm)\nlong\n')).toThrow('Row 2: “Bill length (mm)” is a numeric column, but “long” is not a number.');
  });

  it('is a folder of page, engine, model and recipe, zipped', async () => {
    const { prepared, io, weights } = await penguins();
    const spec = { ...structuredClone(DEFAULT_EXPERIMENT), model: MODEL };
    const files = predictorFolder({ spec, weights, weightShapes: parameterShapes(MODEL, io), recipe: prepared.recipe }, 'penguins-predictor');
    expect(files.map((f) => f.path)).toEqual(
      ['index.html', 'page.js', 'predictor.js', 'model.js', 'model.json', 'model.weights.bin', 'recipe.json', 'README.txt'].map((n) => `penguins-predictor/${n}`),
    );
    const engine = files.find((f) => f.path.endsWith('predictor.js'))!.content as string;
    expect(engine).not.toMatch(/^export /m);
    expect(engine).toContain('function predictCsv(');
    const modelJson = JSON.parse(files.find((f) => f.path.endsWith('model.json'))!.content as string);
    expect(modelJson.weightsManifest[0].paths).toEqual(['model.weights.bin']);
    expect((files.find((f) => f.path.endsWith('.bin'))!.content as Uint8Array).length).toBe(weights.reduce((n, w) => n + w.length * 4, 0));
    const zip = zipFiles(files);
    expect(new DataView(zip.buffer).getUint32(0, true)).toBe(0x04034b50);
    expect(new DataView(zip.buffer).getUint16(zip.length - 22 + 10, true)).toBe(files.length);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('reads a date column as the app does, and predicts every day of the weather table as the app does', async () => {
    const parsed = await parseCsv(weatherCsv());
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const table = parsed.table;
    const prepared = prepareTable(table, { target: 'weather', task: 'multiclass', features: ['date', 'precipitation', 'temp_max', 'wind'], missing: 'mean', scaling: 'standardize', split: { train: 1, val: 0, test: 0 }, seed: 1 });
    expect(prepared.recipe.inputs).toHaveLength(8);
    const classes = prepared.recipe.target.kind === 'classes' ? prepared.recipe.target.classes : [];
    const io = networkIO(8, classes.length);
    const weights = initialParameters(MODEL, io, 3);
    const rows = Array.from({ length: table.rows }, (_, r) => Object.fromEntries(table.columns.map((c) => [c.name, cellText(c, r) ?? ''])));
    const typed = [...rows, { date: '2017-06-15T14:30', precipitation: '0', temp_max: '24', wind: '2' }, { date: '', precipitation: '3', temp_max: '', wind: '4' }];
    const x = new Float32Array(typed.flatMap((row) => Array.from(applyRecipe(prepared.recipe, row))));
    const net = new NetworkParams(MODEL, io, [weights]);
    const expected = tf.tidy(() => predictTensor(net, 'classification', tf.tensor2d(x, [typed.length, 8])).arraySync()) as number[][];
    net.dispose();
    const network = predictorNetwork(MODEL, weights);
    typed.forEach((row, i) => {
      expect(Array.from(rowInputs(prepared.recipe, row))).toEqual(Array.from(x.slice(i * 8, (i + 1) * 8)));
      const p = predictRow(network, prepared.recipe, row);
      if (!('probabilities' in p)) throw new Error('a class was expected');
      p.probabilities.forEach((v, k) => expect(Math.abs(v - expected[i][k])).toBeLessThan(1e-5));
      expect(p.label).toBe(classes[expected[i].indexOf(Math.max(...expected[i]))]);
    });
    expect(() => predictCsv(network, prepared.recipe, 'date,precipitation\n2015-01-01,1\n2015-31-01,2\n')).toThrow('Row 3: “date” is a date column, but “2015-31-01” is not a date (write it as 2015-01-31).');
  });
});
