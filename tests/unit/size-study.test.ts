import { describe, expect, test } from 'vitest';
import { compressedBytes, denseReference, keptBytes, keptPerLayer, sizeAccuracyStudy, sizePoints } from '../../src/core/compress';
import { applyParams, createMultiObjectiveSampler, validateSpace } from '../../src/core/search';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { validateExperiment } from '../../src/core/spec/schema';
import { studySearch } from '../../src/core/study/objectives';
import { studyReadiness } from '../../src/core/study/readiness';
import type { TrialRecord } from '../../src/core/study/types';
import { isStudyRecord } from '../../src/runtime/store/study-check';

const run = { id: 'run-7', spec: { ...structuredClone(DEFAULT_EXPERIMENT), model: { ...DEFAULT_EXPERIMENT.model, hidden: [{ units: 16, activation: 'relu' as const }, { units: 8, activation: 'relu' as const }] } } };
const settings = { sparsities: [0, 0.5, 0.9], bits: [8, 4], distilled: true, epochs: 5, distill: { widthFactor: 0.5, temperature: 2, alpha: 0.7, epochs: 15 } };

describe('a size-against-accuracy study as data', () => {
  const study = sizeAccuracyStudy(run, settings);

  test('a grid over sparsity × bits × distilled, accuracy up and packed bytes down, every network kept, the run named by its id', () => {
    expect(study.space).toEqual({
      'compress.sparsity': { type: 'categorical', choices: [0, 0.5, 0.9] },
      'compress.bits': { type: 'categorical', choices: [8, 4] },
      'compress.distilled': { type: 'categorical', choices: [false, true] },
    });
    expect(validateSpace(study.space).ok).toBe(true);
    expect([study.sampler, study.pruner, study.objectives, study.nTrials, study.keep, study.folds, study.workers]).toEqual([
      { kind: 'grid' }, { kind: 'none' }, [{ metric: 'valMetric', direction: 'maximize' }, { metric: 'modelBytes', direction: 'minimize' }], 12, 12, 1, 1,
    ]);
    expect(study.base.training).toMatchObject({ epochs: 5, patience: 0 });
    expect(study.base.compress).toEqual({ run: 'run-7', sparsity: 0, bits: 8, distilled: false, distill: settings.distill });
    expect(studyReadiness(study)).toEqual({ errors: [], combinations: 12, blocker: null });
    // Stored and read back like any study.
    expect(isStudyRecord({ id: 's', createdAt: 1, spec: study, status: 'running' })).toBe(true);
    expect(isStudyRecord({ id: 's', createdAt: 1, spec: { ...study, keep: 0 }, status: 'running' })).toBe(false);
    expect(sizeAccuracyStudy(run, { ...settings, distilled: false }).space['compress.distilled']).toBeUndefined();
  });

  test('compression parameters are checked with the experiment, a message at their field', () => {
    expect(validateExperiment(study.base)).toEqual({ ok: true, spec: study.base });
    const bad = { ...study.base, compress: { ...study.base.compress!, bits: 1, sparsity: 1 } };
    expect(validateExperiment(bad)).toEqual({ ok: false, errors: [
      { path: 'compress.sparsity', message: 'Sparsity must be at least 0 and less than 1 (got 1).' },
      { path: 'compress.bits', message: 'Bits must be a whole number from 2 to 16 (got 1).' },
    ] });
    expect(validateExperiment({ ...study.base, compress: { ...study.base.compress!, teacher: 'x' } })).toEqual({ ok: false, errors: [{ path: 'compress.teacher', message: 'The compression has an unknown setting "teacher".' }] });
  });

  test('a trial sets its sparsity and bits by path; a student is narrowed to the distillation width', () => {
    const plain = applyParams(study.base, { 'compress.sparsity': 0.9, 'compress.bits': 4, 'compress.distilled': false });
    expect(plain.compress).toMatchObject({ sparsity: 0.9, bits: 4, distilled: false });
    expect(plain.model.hidden.map((l) => l.units)).toEqual([16, 8]);
    const student = applyParams(study.base, { 'compress.sparsity': 0.5, 'compress.bits': 8, 'compress.distilled': true });
    expect(student.compress).toMatchObject({ sparsity: 0.5, bits: 8, distilled: true });
    expect(student.model.hidden).toEqual([{ units: 8, activation: 'relu' }, { units: 4, activation: 'relu' }]);
    expect(study.base.model.hidden.map((l) => l.units)).toEqual([16, 8]);
    expect(validateExperiment(student).ok).toBe(true);
    expect(() => applyParams(DEFAULT_EXPERIMENT, { 'compress.distilled': true })).toThrow('compress.distilled varies only in a study that compresses a saved run.');
  });

  test('grid search of several objectives hands out every point once, as one generation, and resumes past those asked', () => {
    const sampler = createMultiObjectiveSampler({ kind: 'grid' }, study.space as never, 1);
    const asked = sampler.askBatch(20);
    expect(asked).toHaveLength(12);
    expect(new Set(asked.map((a) => JSON.stringify(a.params))).size).toBe(12);
    expect(asked.every((a) => a.generation === 0)).toBe(true);
    expect(sampler.askBatch(1)).toEqual([]);
    const resumed = createMultiObjectiveSampler({ kind: 'grid' }, study.space as never, 1, asked.slice(0, 5).map((a) => ({ params: a.params, values: [0, 1] })));
    expect(resumed.askBatch(20).map((a) => a.params)).toEqual(asked.slice(5).map((a) => a.params));
    // The study runner takes a short answer as the grid's end, not as a generation training.
    expect(studySearch(study, []).generational).toBe(false);
  });
});

describe('what a compressed network weighs', () => {
  // 4 inputs, 3 hidden, 2 outputs.
  const shapes = [[4, 3], [3], [3, 2], [2]];

  test('packed bytes from the counts kept: kept kernel weights at their bits, a mask bit per weight, a scale and zero point per tensor, float32 biases', () => {
    expect(keptPerLayer(shapes, 0.5)).toEqual([6, 3, 3, 2]);
    // Kernel 1: 6 × 4 + 12 = 36 bits → 5 bytes, + 5; biases 12; kernel 2: 3 × 4 + 6 = 18 bits → 3 bytes, + 5; biases 8.
    expect(compressedBytes({ sparsity: 0.5, bits: 4 }, shapes)).toBe(10 + 12 + 8 + 8);
    // Nothing pruned: no mask; 8 bits.
    expect(compressedBytes({ sparsity: 0, bits: 8 }, shapes)).toBe(12 + 5 + 12 + 6 + 5 + 8);
    expect(keptBytes(shapes, null, null)).toBe(4 * (12 + 3 + 6 + 2));
  });

  test('the chart\'s points are the completed trials with their values, the front of higher accuracy and fewer bytes marked; the dense model its reference', () => {
    const trial = (number: number, sparsity: number, bits: number, values: number[] | undefined, state: TrialRecord['state'] = 'complete'): TrialRecord => ({
      studyId: 's', number, params: {}, state, values, epochs: [],
      spec: { ...DEFAULT_EXPERIMENT, compress: { run: 'r', sparsity, bits, distilled: false, distill: settings.distill } },
    });
    const { points, front } = sizePoints([trial(0, 0, 8, [0.96, 300]), trial(1, 0.9, 2, [0.7, 80]), trial(2, 0.5, 8, [0.95, 320]), trial(3, 0.5, 4, undefined, 'failed')]);
    expect(points).toEqual([
      { trial: 0, sparsity: 0, bits: 8, distilled: false, score: 0.96, bytes: 300 },
      { trial: 1, sparsity: 0.9, bits: 2, distilled: false, score: 0.7, bytes: 80 },
      { trial: 2, sparsity: 0.5, bits: 8, distilled: false, score: 0.95, bytes: 320 },
    ]);
    expect(front).toEqual([0, 1]);
    const weights = [new Float32Array(12), new Float32Array(3)];
    const epochs = [{ epoch: 1, trainLoss: 1, valLoss: 1, trainMetric: 0.5, valMetric: 0.8 }];
    expect(denseReference({ weights, epochs })).toEqual({ score: 0.8, bytes: 60 });
    expect(denseReference({ weights, epochs, evaluation: { val: { n: 10, loss: 0.2, accuracy: 0.9 } } })).toEqual({ score: 0.9, bytes: 60 });
  });
});
