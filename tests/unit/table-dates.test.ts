import { describe, expect, test } from 'vitest';
import { dateFeatures, dayNumber, isoDate, parseDate, weekday } from '../../src/core/data/table/dates';
import { retypeColumn } from '../../src/core/data/table/dataset';
import { parseCsv } from '../../src/core/data/table/parse';
import { prepareTable } from '../../src/core/data/table/prepare';
import { applyRecipe, rawInput } from '../../src/core/data/table/recipe';
import { checkRecipe } from '../../src/core/data/table/recipe-check';
import { cellText } from '../../src/core/data/table/rows';
import { defaultPreprocess } from '../../src/core/data/table/task';
import type { PreprocessSpec, StoredDataset, Table } from '../../src/core/data/table/types';
import { cellDate, rowInputs } from '../../src/core/export/predictor.js';
import { predictorNetwork } from '../../src/core/export';
import { initialParameters, networkIO } from '../../src/core/model/network';
import { checkColumns, monitorRows } from '../../src/core/monitor/report';
import { joinTable, splitTable } from '../../src/runtime/store/table-parts';
import { weatherCsv } from '../support/weather-table';

async function datasetOf(text: string): Promise<StoredDataset> {
  const outcome = await parseCsv(text);
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return { id: 't', name: 't', source: 'file', createdAt: 0, bytes: text.length, table: outcome.table, profiles: outcome.profiles };
}

const textRows = (table: Table) => Array.from({ length: table.rows }, (_, r) => Object.fromEntries(table.columns.map((c) => [c.name, cellText(c, r) ?? ''])));

describe('dates as features', () => {
  test('reads the year-first forms, with or without a time, and nothing the calendar lacks', () => {
    for (const cell of ['2015-01-01', '2015/01/01', '2015-01-01T12:00', '2015-01-01 23:59:59.5', '2015-01-01T00:00Z', '2015-1-1']) {
      expect(parseDate(cell)).toEqual({ year: 2015, month: 1, day: 1 });
      expect(cellDate(cell)).toEqual({ year: 2015, month: 1, day: 1 });
    }
    for (const cell of ['2015-02-29', '2015-13-01', '2015-01-32', '01/02/2015', '2015-01/01', '20150101', '0999-01-01', 'soon']) {
      expect(parseDate(cell)).toBeNull();
      expect(cellDate(cell)).toBeNull();
    }
    expect(parseDate('2016-02-29')).toEqual({ year: 2016, month: 2, day: 29 });
  });

  test('gives the year, the month and the weekday of hand-checked days', () => {
    // 2015-01-01 was a Thursday (weekday 3, Monday 0); 2016-07-04 a Monday; 2000-02-29 a Tuesday.
    expect(weekday({ year: 2015, month: 1, day: 1 })).toBe(3);
    expect(weekday({ year: 2016, month: 7, day: 4 })).toBe(0);
    expect(weekday({ year: 2000, month: 2, day: 29 })).toBe(1);
    const close = (got: number[], want: number[]) => got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
    close(dateFeatures({ year: 2015, month: 1, day: 1 }, 2015, 1), [0, 0, 1, 0.4338837391175582, -0.9009688679024191]);
    close(dateFeatures({ year: 2016, month: 7, day: 4 }, 2015, 2), [0.5, 0, -1, 0, 1]);
    close(dateFeatures({ year: 2000, month: 2, day: 29 }, 2010, 5), [-2, 0.5, Math.sqrt(3) / 2, 0.7818314824680298, 0.6234898018587336]);
    expect(dayNumber({ year: 1970, month: 1, day: 2 })).toBe(1);
    expect(isoDate(dayNumber({ year: 2015, month: 12, day: 31 }))).toBe('2015-12-31');
  });

  test('detects a date column on import, with its first and last date', async () => {
    const dataset = await datasetOf(weatherCsv());
    const profile = dataset.profiles.find((p) => p.name === 'date')!;
    expect(profile.detected).toBe('date');
    expect(profile.dates).toEqual({ first: '2015-01-01', last: '2016-12-26' });
    expect(dataset.table.columns[0]).toMatchObject({ kind: 'text', date: true });
    expect(defaultPreprocess(dataset).features).toEqual(['date', 'precipitation', 'temp_max', 'wind']);
  });

  test('prepares a date column as a standardized year and month and weekday circles, which the recipe applies to typed rows', async () => {
    const dataset = await datasetOf('day,x,y\n2015-01-01,1,a\n2016-07-04,2,b\n,3,a\n2015/01/01T08:30,4,b\n');
    const spec: PreprocessSpec = { target: 'y', task: 'binary', features: ['day', 'x'], missing: 'median', scaling: 'standardize', split: { train: 1, val: 0, test: 0 }, seed: 1 };
    const prepared = prepareTable(dataset.table, spec);
    // Days 16436, 16986, 16436: median 16436 (2015-01-01) fills the empty cell; years 2015, 2016, 2015, 2015.
    const std = Math.sqrt(3 / 16);
    expect(prepared.recipe.columns[0]).toEqual({ name: 'day', kind: 'date', fill: '2015-01-01', shift: 2015.25, scale: std });
    expect(prepared.recipe.inputs).toEqual(['day:year', 'day:month sin', 'day:month cos', 'day:weekday sin', 'day:weekday cos', 'x']);
    expect(checkRecipe(prepared.recipe)).toBeNull();
    const rows = textRows(dataset.table);
    const width = prepared.recipe.inputs.length;
    const xs = Array.from({ length: prepared.train.n }, (_, i) => Array.from(prepared.train.x.slice(i * width, (i + 1) * width)));
    const typed = rows.map((row) => Array.from(applyRecipe(prepared.recipe, row)));
    expect(xs.map((x) => JSON.stringify(x)).sort()).toEqual(typed.map((x) => JSON.stringify(x)).sort());
    const thursday = Array.from(applyRecipe(prepared.recipe, { day: '2015-01-01', x: '1' })).slice(0, 5);
    [-0.25 / std, 0, 1, 0.4338837391175582, -0.9009688679024191].forEach((v, i) => expect(thursday[i]).toBeCloseTo(v, 6));
    expect(Array.from(applyRecipe(prepared.recipe, { day: '', x: '1' }))).toEqual(Array.from(applyRecipe(prepared.recipe, { day: '2015-01-01', x: '1' })));
    expect(rawInput(prepared.recipe, 0)(applyRecipe(prepared.recipe, { day: '2016-03-01', x: '1' })[0])).toBeCloseTo(2016, 4);
    expect(() => applyRecipe(prepared.recipe, { day: '2015-02-30', x: '1' })).toThrow('“day” is a date column, but “2015-02-30” is not a date (write it as 2015-01-31).');
    // The exported predictor's engine gives the very same inputs.
    for (const row of [...rows, { day: '2016-02-29T23:00', x: '' }]) expect(Array.from(rowInputs(prepared.recipe, row))).toEqual(Array.from(applyRecipe(prepared.recipe, row)));
  });

  test('a column typed as dates counts what is not a date as empty, and typed back loses its dates', async () => {
    const dataset = await datasetOf('when,x,y\n2015-01-01,1,a\nlater,2,b\n2015-03-01,3,a\n2015-03-01,4,b\n');
    expect(dataset.profiles[0].detected).toBe('categorical');
    const { dataset: dated, note } = retypeColumn(dataset, 'when', 'date');
    expect(note).toBe('1 value of “when” that is not a date (“later”) now count as empty.');
    expect(dated.table.columns[0]).toMatchObject({ kind: 'text', date: true, codes: Int32Array.from([0, -1, 2, 2]) });
    expect(dated.profiles[0]).toMatchObject({ type: 'date', missing: 1, dates: { first: '2015-01-01', last: '2015-03-01' } });
    const back = retypeColumn(dated, 'when', 'categorical').dataset.table.columns[0];
    expect('date' in back).toBe(false);
    // Stored in parts and read back, the column is still one of dates.
    const { head, parts } = splitTable(dated.table);
    expect(joinTable(head, parts).columns[0]).toEqual(dated.table.columns[0]);
  });

  test('refuses a recipe whose date fill is not a date', async () => {
    const dataset = await datasetOf(weatherCsv(40));
    const { recipe } = prepareTable(dataset.table, { ...defaultPreprocess(dataset), split: { train: 0.8, val: 0.2, test: 0 } });
    expect(checkRecipe(recipe)).toBeNull();
    const broken = { ...recipe, columns: recipe.columns.map((c) => (c.kind === 'date' ? { ...c, fill: '2015-02-30' } : c)) };
    expect(checkRecipe(broken)).toBe('columns.0.fill: a fill that is not a date');
  });

  test('monitoring reads a date column as a decimal year, and names new rows whose dates do not read', async () => {
    const dataset = await datasetOf(weatherCsv());
    const { recipe } = prepareTable(dataset.table, { ...defaultPreprocess(dataset), split: { train: 1, val: 0, test: 0 } });
    const rows = textRows(dataset.table);
    const header = dataset.table.columns.map((c) => c.name);
    expect(checkColumns(recipe, header, [{ ...rows[0], date: 'tomorrow' }])).toEqual([
      { column: 'date', kind: 'type', message: '“date” is a date column in the model, but 1 of the new rows hold other text there (“tomorrow”).' },
    ]);
    const model = { features: ['x1' as const], hidden: [{ units: 4, activation: 'relu' as const }], l1: 0, l2: 0, dropout: 0 };
    const network = predictorNetwork(model, initialParameters(model, networkIO(recipe.inputs.length, 4), 1));
    const baseline = { recipe, network, reference: rows.slice(0, 73), test: rows.slice(73) };
    const outcome = monitorRows(baseline, header, rows.slice(73));
    if (!('report' in outcome)) throw new Error('a report was expected');
    // The second year against the first: every date drifts, by Kolmogorov–Smirnov on the decimal year.
    const date = outcome.report.drift.features.find((f) => f.name === 'date')!;
    expect(date).toMatchObject({ test: 'ks', drifted: true });
    expect(date.statistic).toBe(1);
    expect(outcome.report.histograms.date.edges![0]).toBeCloseTo(1970 + 16436 / 365.2425, 6);
  });
});
