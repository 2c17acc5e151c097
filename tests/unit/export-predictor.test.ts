import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltin } from '../../src/core/data/table/builtins';
import { prepareTable } from '../../src/core/data/table/prepare';
import { cellText } from '../../src/core/data/table/rows';
import { defaultPreprocess } from '../../src/core/data/table/task';
import { crc32, networkOutputs, predictCsv, predictorFolder, predictorNetwork, predictRow, readCsv, zipFiles } from '../../src/core/export';
import { NetworkParams, initialParameters, networkIO, parameterShapes } from '../../src/core/model/network';
import { predictTensor } from '../../src/core/model/predict';
import type { ModelSpec } from '../../src/core/model/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';

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
});
