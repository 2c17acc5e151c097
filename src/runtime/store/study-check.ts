import * as v from 'valibot';
import { MULTI_OBJECTIVE_SAMPLER_KINDS, SAMPLER_KINDS, validateSpace } from '../../core/search';
import { validateObjectives } from '../../core/study/objectives';
import { validateExperiment } from '../../core/spec/schema';
import { FOLD_RANGE, type StudyRecord, type TrialRecord, type TrialState, type TrialWeights } from '../../core/study/types';
import { schemaProblem } from './damaged';
import { anyNumber, count, epochSchema, evaluationSchema, weightsFitShapes } from './run-check';

/** Every TrialState; a Record so that a state added to the type must be added here too. */
const TRIAL_STATES: Record<TrialState, true> = { waiting: true, running: true, complete: true, pruned: true, failed: true, diverged: true };
const STUDY_STATUSES: Record<StudyRecord['status'], true> = { running: true, paused: true, complete: true, cancelled: true };

const positive = v.pipe(v.number(), v.integer(), v.minValue(1));

// Objects, not strict objects: settings added later (a sampler's options, more objectives) pass,
// while what the screens and the runner read must be there and of its type.
const studySpecSchema = v.object({
  version: v.literal(1),
  name: v.string(),
  base: v.custom((spec) => validateExperiment(spec).ok),
  space: v.custom((space) => validateSpace(space).ok),
  sampler: v.object({ kind: v.picklist([...new Set([...SAMPLER_KINDS, ...MULTI_OBJECTIVE_SAMPLER_KINDS])]) }),
  pruner: v.object({ kind: v.string() }),
  objective: v.object({ metric: v.picklist(['valLoss', 'valMetric']), direction: v.picklist(['minimize', 'maximize']) }),
  nTrials: positive,
  workers: positive,
  seed: v.pipe(v.number(), v.finite()),
  folds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(FOLD_RANGE.min), v.maxValue(FOLD_RANGE.max))),
  objectives: v.optional(v.custom((objectives) => validateObjectives(objectives).ok)),
  keep: v.optional(positive),
});

const studyRecordSchema = v.object({
  id: v.string(),
  createdAt: v.number(),
  spec: studySpecSchema,
  status: v.picklist(Object.keys(STUDY_STATUSES) as StudyRecord['status'][]),
});

const trialRecordSchema = v.object({
  studyId: v.string(),
  number: count,
  params: v.custom((params) => params !== null && typeof params === 'object' && !Array.isArray(params) && Object.values(params).every((x) => ['string', 'number', 'boolean'].includes(typeof x))),
  spec: v.custom((spec) => validateExperiment(spec).ok),
  state: v.picklist(Object.keys(TRIAL_STATES) as TrialState[]),
  value: v.optional(anyNumber),
  values: v.optional(v.array(anyNumber)),
  generation: v.optional(count),
  valueStd: v.optional(anyNumber),
  prunedAt: v.optional(count),
  memberEpochMs: v.optional(anyNumber),
  epochs: v.array(epochSchema),
  message: v.optional(v.string()),
  startedAt: v.optional(v.number()),
  finishedAt: v.optional(v.number()),
});

/**
 * Whether a study read back from IndexedDB has the shape the study screen and the runner rely
 * on: its experiment and search space pass their own checks. A record written by a broken or
 * future version, or edited by hand, fails here instead of in a plot or a worker.
 */
export function isStudyRecord(value: unknown): value is StudyRecord {
  return v.is(studyRecordSchema, value);
}

/** Whether a trial read back from IndexedDB has the shape the plots and the samplers rely on. */
export function isTrialRecord(value: unknown): value is TrialRecord {
  return v.is(trialRecordSchema, value);
}

const trialWeightsSchema = v.pipe(
  v.object({
    studyId: v.string(),
    number: count,
    weights: v.array(v.instance(Float32Array)),
    shapes: v.array(v.array(count)),
    evaluation: evaluationSchema,
    folds: v.pipe(v.number(), v.integer(), v.minValue(FOLD_RANGE.min), v.maxValue(FOLD_RANGE.max)),
  }),
  v.check((r) => r.weights.length > 0 && weightsFitShapes({ weights: r.weights, weightShapes: r.shapes })),
);

/** Whether a kept network read back from IndexedDB has weights that fit its shapes, so that it opens and exports. */
export function isTrialWeights(value: unknown): value is TrialWeights {
  return v.is(trialWeightsSchema, value);
}

/** Why a stored study fails {@link isStudyRecord}, in a few words for the list of damaged records; undefined when it passes. */
export function studyRecordProblem(value: unknown): string | undefined {
  return schemaProblem(studyRecordSchema, value, 'study');
}

/** Why a stored trial fails {@link isTrialRecord}, in a few words for the list of damaged records; undefined when it passes. */
export function trialRecordProblem(value: unknown): string | undefined {
  return schemaProblem(trialRecordSchema, value, 'trial');
}
