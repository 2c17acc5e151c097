import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, test } from 'vitest';
import { generatedSplit } from '../../src/core/data/split';
import { DEFAULT_DATA, DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { measureCost } from '../../src/core/study/inference-time';
import { isMultiObjective, NATURAL_DIRECTION, needsCost, objectiveValues, parameterCount, studyObjectives, studySearch, validateObjectives } from '../../src/core/study/objectives';
import { hypervolumeHistory, paretoPanels, paretoTrials } from '../../src/core/study/pareto';
import { trialsCsv } from '../../src/core/study/plots';
import type { StudyObjective, StudySpec, TrialRecord } from '../../src/core/study/types';
import { createSampler } from '../../src/core/search';

const accuracyAndSize: StudyObjective[] = [
  { metric: 'valMetric', direction: 'maximize' },
  { metric: 'paramCount', direction: 'minimize' },
];
const single: StudySpec = {
  version: 1,
  name: 'stored before several objectives existed',
  base: DEFAULT_EXPERIMENT,
  space: { 'optimizer.lr': { type: 'float', low: 1e-3, high: 1, log: true }, 'model.units': { type: 'int', low: 2, high: 32, log: true } },
  sampler: { kind: 'random' },
  pruner: { kind: 'none' },
  objective: { metric: 'valLoss', direction: 'minimize' },
  nTrials: 8,
  workers: 1,
  seed: 4,
};
const multi: StudySpec = { ...single, sampler: { kind: 'nsga2', populationSize: 4 }, objective: { metric: 'valMetric', direction: 'maximize' }, objectives: accuracyAndSize };

function trial(number: number, values: number[] | undefined, state: TrialRecord['state'] = 'complete', generation?: number): TrialRecord {
  return { studyId: 's', number, params: { 'optimizer.lr': 0.01 * (number + 1) }, spec: DEFAULT_EXPERIMENT, state, value: values?.[0], values, generation, epochs: [] };
}

describe('objectives of a study', () => {
  test('a study stored with one objective stays a single-objective study', () => {
    expect(studyObjectives(single)).toEqual([single.objective]);
    expect(isMultiObjective(single)).toBe(false);
    expect(isMultiObjective(multi)).toBe(true);
    expect(studyObjectives(multi)).toBe(accuracyAndSize);
  });
  test('two or three distinct objectives, each with a direction, with the message by the field', () => {
    expect(validateObjectives(accuracyAndSize)).toEqual({ ok: true, spec: accuracyAndSize });
    expect(validateObjectives([accuracyAndSize[0]])).toEqual({ ok: false, errors: [{ path: 'objectives', message: 'A study weighs two or three objectives (got 1).' }] });
    expect(validateObjectives([accuracyAndSize[0], accuracyAndSize[0]])).toEqual({ ok: false, errors: [{ path: 'objectives', message: 'Each objective may be chosen once.' }] });
    expect(validateObjectives([accuracyAndSize[0], { metric: 'flops', direction: 'minimize' }])).toEqual({
      ok: false,
      errors: [{ path: 'objectives.1.metric', message: 'An objective is one of valLoss, valMetric, paramCount, modelBytes, inferenceTime (got "flops").' }],
    });
  });
  test('parameter count of the default 2-4-2-1 network: 2·4+4 + 4·2+2 + 2·1+1', () => {
    expect(parameterCount(DEFAULT_EXPERIMENT, { inputs: 2, outputs: 1 })).toBe(25);
  });
  test('a finished trial values every objective; without a validation value or a cost it has none', () => {
    const epoch = { epoch: 2, trainLoss: 0.3, valLoss: 0.35, trainMetric: 0.9, valMetric: 0.875 };
    const member = { status: 'complete' as const, history: [{ ...epoch, epoch: 1, valMetric: 0.5 }, epoch] };
    const cost = { paramCount: 25, modelBytes: 100 };
    expect(objectiveValues([member], accuracyAndSize, cost)).toEqual([0.875, 25]);
    // Size as the bytes of the float32 weights file, beside the validation loss and the parameter count.
    const bytes = [{ metric: 'valLoss', direction: 'minimize' }, { metric: 'paramCount', direction: 'minimize' }, { metric: 'modelBytes', direction: 'minimize' }] as const;
    expect(objectiveValues([member], [...bytes], cost)).toEqual([0.35, 25, 100]);
    expect(needsCost([bytes[0], bytes[2]])).toEqual({ size: true, inferenceTime: false });
    expect(NATURAL_DIRECTION.modelBytes).toBe('minimize');
    expect(objectiveValues([member], accuracyAndSize, undefined)).toBeUndefined();
    expect(objectiveValues([{ status: 'diverged', history: [] }], accuracyAndSize, cost)).toBeUndefined();
  });
});

describe('a study search', () => {
  test('one objective: the sampler of old, told values to minimize', () => {
    const search = studySearch(single, []);
    expect(search.generational).toBe(false);
    expect(search.askBatch(3).map((t) => t.params)).toEqual(createSampler({ kind: 'random' }, single.space as never, 4).askBatch(3));
  });
  test('several objectives: NSGA-II hands out a generation, and resumes from stored trials with their generations', () => {
    const search = studySearch(multi, []);
    const asked = search.askBatch(10);
    expect(asked.map((t) => t.generation)).toEqual([0, 0, 0, 0]);
    const stored = asked.map((t, i) => ({ ...trial(i, [0.5 + i / 10, 20 + i], 'complete', t.generation), params: t.params }));
    stored.forEach((t) => search.tell(t));
    const next = search.askBatch(4);
    expect(next.map((t) => t.generation)).toEqual([1, 1, 1, 1]);
    expect(studySearch(multi, stored).askBatch(4)).toEqual(next);
  });
});

describe('what a trial costs', () => {
  test('parameter count, and inference time as the median pass over the rows, tensors freed', async () => {
    const data = generatedSplit(DEFAULT_DATA);
    // 25 float32 parameters: a weights file of 100 bytes.
    expect(await measureCost(DEFAULT_EXPERIMENT, data, false)).toEqual({ paramCount: 25, modelBytes: 100 });
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    let clock = 0;
    // Passes of 4, 9, 5, 6 and 30 ms (after the warm-up): the median is 6.
    const ticks = [4, 9, 5, 6, 30];
    let pass = 0;
    const now = () => (clock += pass % 2 === 0 ? 0 : ticks[(pass - 1) / 2], pass++, clock);
    const cost = await measureCost(DEFAULT_EXPERIMENT, data, true, { rows: 300, repeats: 5, now });
    expect(cost).toEqual({ paramCount: 25, modelBytes: 100, inferenceTime: 6 / 300 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Pareto plots and exports', () => {
  const trials = [
    trial(0, [0.9, 400], 'complete', 0),
    trial(1, [0.8, 100], 'complete', 0),
    trial(2, [0.7, 300], 'complete', 0),
    trial(3, undefined, 'failed', 0),
    trial(4, [0.95, 1000], 'complete', 1),
    trial(5, [0.85, 90], 'complete', 1),
  ];
  test('the front: trials no other beats in both accuracy and size', () => {
    expect(paretoTrials(trials, accuracyAndSize).map((t) => t.number)).toEqual([0, 4, 5]);
    const [panel] = paretoPanels(trials, accuracyAndSize);
    expect(panel.x).toEqual({ index: 0, label: 'validation accuracy / R²', log: false });
    expect(panel.y.log).toBe(false);
    expect(panel.points.filter((p) => p.front).map((p) => p.number)).toEqual([0, 4, 5]);
    // Sorted by accuracy, each step holding the size until the next point's accuracy.
    expect(panel.line).toEqual([{ x: 0.85, y: 90 }, { x: 0.9, y: 90 }, { x: 0.9, y: 400 }, { x: 0.95, y: 400 }, { x: 0.95, y: 1000 }]);
  });
  test('three objectives give the three pairs', () => {
    const three: StudyObjective[] = [...accuracyAndSize, { metric: 'inferenceTime', direction: 'minimize' }];
    const panels = paretoPanels([trial(0, [0.9, 400, 0.01]), trial(1, [0.8, 100, 0.002])], three);
    expect(panels.map((p) => [p.x.index, p.y.index])).toEqual([[0, 1], [0, 2], [1, 2]]);
  });
  test('hypervolume per generation, scaled to the box from the best values to the reference', () => {
    // Minimized: accuracy −0.95…−0.7 (range 0.25), size 90…1000 (range 910); reference
    // (−0.7 + 0.025, 1000 + 91). Generation 0 (trials 0–2): front (−0.9, 400), (−0.8, 100).
    const { generation, hypervolume, reference } = hypervolumeHistory(trials, accuracyAndSize);
    expect(generation).toEqual([0, 1]);
    expect(reference[0]).toBeCloseTo(0.675, 12);
    expect(reference[1]).toBeCloseTo(1091, 12);
    const sx = (a: number) => (-a + 0.95) / 0.275;
    const sy = (n: number) => (n - 90) / 1001;
    // Trial 2 (0.7, 300) is beaten by trial 1; the staircase sums a strip under each front point.
    const gen0 = (1 - sx(0.9)) * (1 - sy(400)) + (1 - sx(0.8)) * (sy(400) - sy(100));
    expect(hypervolume[0]).toBeCloseTo(gen0, 12);
    // Generation 1 adds (0.95, 1000) and (0.85, 90), which beats trial 1.
    const gen1 = (1 - sx(0.95)) * (1 - sy(1000)) + (1 - sx(0.9)) * (sy(1000) - sy(400)) + (1 - sx(0.85)) * (sy(400) - sy(90));
    expect(hypervolume[1]).toBeCloseTo(gen1, 12);
  });
  test('the CSV export carries the generation and every objective', () => {
    expect(trialsCsv(trials.slice(0, 2), accuracyAndSize)).toBe(
      'number,state,value,generation,valMetric,paramCount,optimizer.lr\n0,complete,0.9,0,0.9,400,0.01\n1,complete,0.8,0,0.8,100,0.02\n',
    );
    const accuracyAndBytes: StudyObjective[] = [accuracyAndSize[0], { metric: 'modelBytes', direction: 'minimize' }];
    const weighed = trials.slice(0, 1).map((t) => ({ ...t, values: [0.9, 1600] }));
    expect(trialsCsv(weighed, accuracyAndBytes)).toBe('number,state,value,generation,valMetric,modelBytes,optimizer.lr\n0,complete,0.9,0,0.9,1600,0.01\n');
  });
});
