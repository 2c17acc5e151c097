import { describe, expect, it } from 'vitest';
import { loadBuiltin } from '../../src/core/data/table/builtins';
import { prepareTable } from '../../src/core/data/table/prepare';
import { defaultPreprocess } from '../../src/core/data/table/task';
import { predictorNetwork, predictRow } from '../../src/core/export';
import { checkColumns, datasetDrift, monitorBaseline, monitorRows, shiftRows, simulateShift, textRow } from '../../src/core/monitor';
import { initialParameters, networkIO } from '../../src/core/model/network';
import type { ModelSpec } from '../../src/core/model/types';

const MODEL: ModelSpec = { features: ['x1'], hidden: [{ units: 8, activation: 'relu' }], l1: 0, l2: 0, dropout: 0 };

async function penguinBaseline() {
  const dataset = (await loadBuiltin('builtin:penguins'))!;
  const { recipe } = prepareTable(dataset.table, defaultPreprocess(dataset));
  const network = predictorNetwork(MODEL, initialParameters(MODEL, networkIO(recipe.inputs.length, 3), 3));
  return { dataset, baseline: monitorBaseline(dataset.table, recipe, network) };
}

describe('the monitoring report on new rows', () => {
  it('names missing, extra and mistyped columns, and refuses to report on rows that do not fit', async () => {
    const { baseline } = await penguinBaseline();
    const header = ['Island', 'Bill length (mm)', 'Bill depth (mm)', 'Flipper length (mm)', 'Sex', 'Colour'];
    const rows = [{ Island: 'Dream', 'Bill length (mm)': 'long', 'Bill depth (mm)': '18', 'Flipper length (mm)': '190', Sex: 'MALE', Colour: 'black' }];
    expect(checkColumns(baseline.recipe, header, rows).map((p) => [p.kind, p.column])).toEqual([
      ['type', 'Bill length (mm)'],
      ['missing', 'Body mass (g)'],
      ['extra', 'Colour'],
    ]);
    expect(checkColumns(baseline.recipe, header, rows)[0].message).toBe('“Bill length (mm)” is numeric in the model, but 1 of the new rows hold text there (“long”).');
    const outcome = monitorRows(baseline, header, rows);
    expect('problems' in outcome && outcome.problems.length).toBe(3);
  });

  it('scores the test part exactly as the model predicts it, and finds no drift in it', async () => {
    const { dataset, baseline } = await penguinBaseline();
    const header = dataset.table.columns.map((c) => c.name);
    const outcome = monitorRows(baseline, header, baseline.test);
    if (!('report' in outcome)) throw new Error('expected a report');
    const { report } = outcome;
    const right = baseline.test.filter((r) => {
      const p = predictRow(baseline.network, baseline.recipe, r);
      return 'label' in p && p.label === r.Species;
    }).length;
    expect(report.score).toEqual({ kind: 'accuracy', value: right / baseline.test.length, rows: baseline.test.length });
    expect(report.prediction.drift?.score).toBe(1);
    expect(report.drift.features.map((f) => f.test)).toEqual(expect.arrayContaining(['ks', 'chi-square', 'z']));
    expect(report.drift.datasetDrifted).toBe(false);
    expect(report.histograms['Island'].labels).toEqual(['Biscoe', 'Dream', 'Torgersen']);
  });

  it('moves drift scores and the real score with a simulated shift', async () => {
    const { baseline } = await penguinBaseline();
    const none = simulateShift(baseline, { column: 'Flipper length (mm)', shift: 0, scale: 1, mix: 0 });
    const far = simulateShift(baseline, { column: 'Flipper length (mm)', shift: 2, scale: 1, mix: 0 });
    const flipper = (r: typeof none) => r.drift.features.find((f) => f.name === 'Flipper length (mm)')!;
    expect(flipper(none).drifted).toBe(false);
    expect(flipper(far).drifted).toBe(true);
    expect(flipper(far).psi).toBeGreaterThan(1);
    expect(far.score?.kind).toBe('accuracy');
    const mixed = shiftRows(baseline, { column: 'Island', shift: 0, scale: 1, mix: 0.5, level: 'Torgersen' });
    const moved = mixed.filter((r, i) => r.Island !== baseline.test[i].Island).length;
    expect(mixed.filter((r) => r.Island === 'Torgersen').length).toBeGreaterThanOrEqual(Math.floor(baseline.test.length / 2));
    expect(moved).toBeGreaterThan(0);
  });

  it('finds the newer cars drifted from the older ones', async () => {
    const cars = (await loadBuiltin('builtin:cars'))!;
    const rows = Array.from({ length: cars.table.rows }, (_, r) => r);
    const yearOf = (r: number) => Number(textRow(cars.table, r).Year.slice(0, 4));
    const older = rows.filter((r) => yearOf(r) < 1976);
    const newer = rows.filter((r) => yearOf(r) >= 1976);
    const samples = cars.table.columns
      .filter((c) => c.name !== 'Name' && c.name !== 'Year')
      .map((c) =>
        c.kind === 'number'
          ? { name: c.name, kind: 'numeric' as const, reference: older.map((r) => c.values[r]), current: newer.map((r) => c.values[r]) }
          : { name: c.name, kind: 'categorical' as const, reference: older.map((r) => textRow(cars.table, r)[c.name] || undefined), current: newer.map((r) => textRow(cars.table, r)[c.name] || undefined) },
      );
    const report = datasetDrift(samples);
    const mpg = report.features.find((f) => f.name === 'Miles_per_Gallon')!;
    expect(mpg.test).toBe('ks');
    expect(mpg.drifted).toBe(true);
    expect(report.datasetDrifted).toBe(true);
  });
});
