import { describe, expect, test } from 'vitest';
import type { StoredDataset } from '../../src/core/data/table/types';
import { DEFAULT_LAB } from '../../src/core/landscape/lab-spec';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import type { StudyRecord, TrialRecord } from '../../src/core/study/types';
import { datasetsUsedBy, describeMerge, newLesson, packText, planMerge, readPack, PACK_FORMAT, type ClassPack } from '../../src/runtime/class-pack';
import type { LessonRecord, RunRecord } from '../../src/runtime/store';
import { PENGUINS } from '../support/penguins-table';

/** An experiment on an imported table of the library. */
const onTable = (dataset: string) => ({ ...DEFAULT_EXPERIMENT, data: { ...PENGUINS, dataset } }) as ExperimentSpec;

const run = (id: string, spec: ExperimentSpec = DEFAULT_EXPERIMENT): RunRecord => ({
  id, name: `run ${id}`, createdAt: 10, updatedAt: 20, spec, backend: { requested: 'auto', name: 'webgpu', adapter: 'SwiftShader' }, status: 'complete',
  epochs: [{ epoch: 1, trainLoss: 0.5, valLoss: NaN, trainMetric: 0.75, valMetric: 0.5 }],
  weights: [new Float32Array([0.25, -1.5]), new Float32Array([3])], weightShapes: [[2, 1], [1]],
  initialWeights: [new Float32Array([0.125, 0.5]), new Float32Array([0])],
});

const study: StudyRecord = {
  id: 's1', createdAt: 30, status: 'complete',
  spec: {
    version: 1, name: 'Learning rate', base: onTable('d2'), space: { 'optimizer.lr': { type: 'float', low: 1e-3, high: 1, log: true } },
    sampler: { kind: 'tpe' }, pruner: { kind: 'median' }, objective: { metric: 'valLoss', direction: 'minimize' }, nTrials: 2, workers: 1, seed: 1,
  },
};
const trials: TrialRecord[] = [0, 1].map((number) => ({
  studyId: 's1', number, params: { 'optimizer.lr': 0.01 * (number + 1) }, spec: onTable('d2'), state: 'complete', value: 0.25 + number,
  epochs: [{ epoch: 1, trainLoss: 0.3, valLoss: 0.4, trainMetric: 0.9, valMetric: 0.8 }],
}));

const dataset = (id: string): StoredDataset => ({
  id, name: `plants ${id}`, source: 'file', createdAt: 40, bytes: 64,
  table: {
    rows: 3,
    columns: [
      { name: 'leaf', kind: 'number', values: new Float64Array([1.5, NaN, 1e-300]) },
      { name: 'species', kind: 'text', codes: new Int32Array([0, 1, -1]), levels: ['oak', 'ash'] },
    ],
  },
  profiles: [
    { name: 'leaf', detected: 'numeric', type: 'numeric', missing: 1, distinct: 2, histogram: { lo: 0, hi: 1.5, counts: [1, 1] } },
    { name: 'species', detected: 'categorical', type: 'categorical', missing: 1, distinct: 2, top: [{ value: 'oak', count: 1 }, { value: 'ash', count: 1 }] },
  ],
});

const lesson: LessonRecord = { id: 'l1', title: 'Momentum on Himmelblau', text: 'Watch the red path overshoot.', createdAt: 50, setup: { ...DEFAULT_LAB } };

const pack: ClassPack = {
  format: PACK_FORMAT, version: 1, createdAt: 60,
  runs: [run('r1'), run('r2', onTable('d1'))], studies: [{ study, trials }], datasets: [dataset('d1'), dataset('d2')], lessons: [lesson],
};

describe('reading a class pack file', () => {
  test('a pack reads back exactly as written: weights, NaN, tiny numbers, codes and all', () => {
    const read = readPack(packText(pack));
    expect(read).toEqual({ ok: true, pack });
    if (!read.ok) return;
    expect(read.pack.runs[0].weights![0]).toBeInstanceOf(Float32Array);
    expect(read.pack.datasets[0].table.columns[0]).toEqual({ name: 'leaf', kind: 'number', values: new Float64Array([1.5, NaN, 1e-300]) });
    expect(read.pack.datasets[0].table.columns[1]).toEqual({ name: 'species', kind: 'text', codes: new Int32Array([0, 1, -1]), levels: ['oak', 'ash'] });
  });

  test('an older pack without lessons reads, with none', () => {
    const { lessons: _lessons, ...older } = JSON.parse(packText(pack));
    const read = readPack(JSON.stringify(older));
    expect(read.ok && read.pack.lessons).toEqual([]);
  });

  const refused = (change: (p: Record<string, unknown>) => unknown) => {
    const p = JSON.parse(packText(pack));
    const text = change(p);
    return readPack(typeof text === 'string' ? text : JSON.stringify(p));
  };

  test.each([
    ['not JSON', () => 'species,leaf\noak,1', 'This file is not a tunelab class pack: it is not readable JSON.'],
    ['another JSON file', () => '{"modelTopology": {}}', 'This file is not a tunelab class pack.'],
    ['a pack of a newer version', (p: Record<string, unknown>) => void (p.version = 2), 'This class pack was made by a newer version of tunelab (pack version 2): reload tunelab to update it, then import the pack again.'],
    ['runs that are not a list', (p: Record<string, unknown>) => void (p.runs = 'r1'), 'This class pack is damaged: its list of contents cannot be read.'],
    ['a run whose weights do not fit their shapes', (p: Record<string, unknown>) => void ((p.runs as RunRecord[])[1].weightShapes = [[3, 1], [1]]), 'This class pack cannot be imported: Run “run r2” is damaged or was written by another program. Nothing was changed.'],
    ['a run in it twice', (p: Record<string, unknown>) => void (p.runs as unknown[]).push((p.runs as unknown[])[0]), 'This class pack cannot be imported: Run “run r1” is in it twice. Nothing was changed.'],
    ['a trial of another study', (p: Record<string, unknown>) => void ((p.studies as { trials: TrialRecord[] }[])[0].trials[1].studyId = 's9'), 'This class pack cannot be imported: A trial of study “Learning rate” is damaged. Nothing was changed.'],
    ['a dataset whose codes point past its levels', (p: Record<string, unknown>) => {
      const d = pack.datasets[0];
      const bad = { ...d, table: { ...d.table, columns: [d.table.columns[0], { name: 'species', kind: 'text', codes: new Int32Array([0, 2, -1]), levels: ['oak', 'ash'] }] } };
      return packText({ ...pack, datasets: [bad as StoredDataset] });
    }, 'This class pack cannot be imported: Dataset “plants d1” is damaged or was written by another program. Nothing was changed.'],
    ['a dataset with a column shorter than the table', (p: Record<string, unknown>) => {
      const d = pack.datasets[1];
      return packText({ ...pack, datasets: [{ ...d, table: { ...d.table, rows: 4 } }] });
    }, 'This class pack cannot be imported: Dataset “plants d2” is damaged or was written by another program. Nothing was changed.'],
    ['a lesson whose surface formula does not parse', (p: Record<string, unknown>) => void ((p.lessons as LessonRecord[])[0].setup.surface = 'x^2 + foo(y)'), 'This class pack cannot be imported: Lesson “Momentum on Himmelblau” is damaged or was written by another program. Nothing was changed.'],
    ['typed bytes that are not base64', () => packText(pack).replace(/"base64":"[^"]*"/, '"base64":"***"'), 'This file is not a tunelab class pack: it is not readable JSON.'],
  ])('%s is refused with a sentence that names the problem', (_what, change, message) => {
    expect(refused(change)).toEqual({ ok: false, message });
  });
});

describe('merging a pack into what is kept', () => {
  const kept = { runs: new Set(['r1']), studies: new Set<string>(), datasets: new Set(['d1', 'd9']), lessons: new Set<string>() };

  test('what is here already is left alone and counted; the rest is added, a study with its trials', () => {
    const plan = planMerge(pack, kept);
    expect(plan.add.runs.map((r) => r.id)).toEqual(['r2']);
    expect(plan.add.studies).toEqual([{ study, trials }]);
    expect(plan.add.datasets.map((d) => d.id)).toEqual(['d2']);
    expect(plan.add.lessons).toEqual([lesson]);
    expect(plan.added).toEqual({ runs: 1, studies: 1, datasets: 1, lessons: 1 });
    expect(plan.already).toEqual({ runs: 1, studies: 0, datasets: 1, lessons: 0 });
    expect(describeMerge(plan)).toBe('1 run added, 1 already here; 1 study added; 1 dataset added, 1 already here; 1 lesson added.');
  });

  test('imported a second time, everything is already here and nothing is added', () => {
    const all = { runs: new Set(['r1', 'r2']), studies: new Set(['s1']), datasets: new Set(['d1', 'd2']), lessons: new Set(['l1']) };
    const plan = planMerge(pack, all);
    expect(plan.added).toEqual({ runs: 0, studies: 0, datasets: 0, lessons: 0 });
    expect(describeMerge(plan)).toBe('2 runs already here; 1 study already here; 2 datasets already here; 1 lesson already here.');
  });

  test('the message counts as the issue words it, and an empty pack says so', () => {
    const none = { runs: 0, studies: 0, datasets: 0, lessons: 0 };
    expect(describeMerge({ added: { ...none, runs: 3 }, already: { ...none, runs: 2 } })).toBe('3 runs added, 2 already here.');
    expect(describeMerge({ added: { ...none, studies: 2, lessons: 3 }, already: none })).toBe('2 studies added; 3 lessons added.');
    expect(describeMerge({ added: none, already: none })).toBe('The pack is empty: nothing to import.');
  });
});

test('a pack carries the imported datasets its runs and studies train on, not the built-in ones, each once', () => {
  const runs = [run('a', onTable('d1')), run('b'), run('c', onTable('d1')), run('d', onTable('builtin:penguins'))];
  expect(datasetsUsedBy(runs, [{ study, trials: [...trials, { ...trials[0], number: 2, spec: onTable('d3') }] }])).toEqual(['d1', 'd2', 'd3']);
  expect(datasetsUsedBy([run('b')], [])).toEqual([]);
});

test('a lesson of the lab\'s setup needs a title; its words have a limit; what is saved passes the pack\'s check', () => {
  expect(newLesson('  ', 'x', DEFAULT_LAB)).toEqual({ ok: false, field: 'title', message: 'A lesson needs a title.' });
  expect(newLesson('t'.repeat(121), '', DEFAULT_LAB)).toEqual({ ok: false, field: 'title', message: 'A title has at most 120 characters.' });
  expect(newLesson('Saddle', 'w'.repeat(4001), DEFAULT_LAB)).toEqual({ ok: false, field: 'text', message: 'The text has at most 4000 characters.' });
  const made = newLesson(' Momentum ', ' Watch red. ', DEFAULT_LAB, 7);
  expect(made.ok && { ...made.lesson, id: 'x' }).toEqual({ id: 'x', title: 'Momentum', text: 'Watch red.', createdAt: 7, setup: DEFAULT_LAB });
  const read = made.ok && readPack(packText({ ...pack, lessons: [made.lesson] }));
  expect(read && read.ok && read.pack.lessons).toEqual(made.ok && [made.lesson]);
});
