import * as v from 'valibot';
import { createMultiObjectiveSampler, createSampler, type AskedTrial, type MultiObjectiveSamplerSpec, type SamplerSpec, type SearchSpace } from '../search';
import { minimizedPoint } from '../search/multi';
import { networkIO, parameterShapes, type NetworkIO } from '../model/network';
import type { SplitDataset } from '../data/types';
import type { ExperimentSpec } from '../spec/experiment';
import { show, type ValidationResult } from '../spec/schema';
import type { MemberState } from '../train/trainer';
import { crossValidatedResult, samplerHistory } from './schedule';
import type { ObjectiveMetric, StudyObjective, StudySpec, TrialRecord } from './types';

/** Every objective a study of several may weigh, in the order the form offers them. */
export const OBJECTIVE_METRICS = ['valLoss', 'valMetric', 'paramCount', 'modelBytes', 'inferenceTime'] as const satisfies readonly ObjectiveMetric[];

/** Each objective's name, as plots and exports say it. */
export const OBJECTIVE_LABELS: Record<ObjectiveMetric, string> = {
  valLoss: 'validation loss',
  valMetric: 'validation accuracy / R²',
  paramCount: 'parameter count',
  modelBytes: 'model bytes',
  inferenceTime: 'inference ms per row',
};

/** The direction each objective is usually wanted in (accuracy up, the rest down). */
export const NATURAL_DIRECTION: Record<ObjectiveMetric, StudyObjective['direction']> = {
  valLoss: 'minimize',
  valMetric: 'maximize',
  paramCount: 'minimize',
  modelBytes: 'minimize',
  inferenceTime: 'minimize',
};

/** The objectives a study weighs: its `objectives`, or its one `objective` for a single-objective study. */
export function studyObjectives(spec: StudySpec): StudyObjective[] {
  return spec.objectives ?? [spec.objective];
}

/** Whether a study weighs several objectives (and so searches a Pareto front). */
export function isMultiObjective(spec: StudySpec): boolean {
  return (spec.objectives?.length ?? 0) > 1;
}

const objectivesSchema = v.pipe(
  v.array(
    v.object({
      metric: v.picklist(OBJECTIVE_METRICS, (i) => `An objective is one of ${OBJECTIVE_METRICS.join(', ')} (got ${show(i.input)}).`),
      direction: v.picklist(['minimize', 'maximize'], (i) => `An objective's direction is minimize or maximize (got ${show(i.input)}).`),
    }),
    (i) => `Objectives are a list (got ${show(i.input)}).`,
  ),
  v.check((list) => list.length >= 2 && list.length <= 3, (i) => `A study weighs two or three objectives (got ${(i.input as unknown[]).length}).`),
  v.check((list) => new Set(list.map((o) => o.metric)).size === list.length, 'Each objective may be chosen once.'),
);

/**
 * Checks a study's `objectives` at every boundary (form, stored study, file import): two or
 * three distinct objectives, each with a direction. Errors carry the path under 'objectives'.
 */
export function validateObjectives(input: unknown): ValidationResult<StudyObjective[]> {
  const result = v.safeParse(objectivesSchema, input);
  if (result.success) return { ok: true, spec: result.output };
  return { ok: false, errors: result.issues.map((issue) => ({ path: ['objectives', v.getDotPath(issue)].filter(Boolean).join('.'), message: issue.message })) };
}

/** The widths at a trial's network's ends, from its data: a table's columns or a generated set's chosen features. */
export function networkIOOf(spec: ExperimentSpec, data: SplitDataset): NetworkIO {
  return networkIO(spec.data.kind === 'table' ? data.train.dims : spec.model.features.length, data.train.classes);
}

/** The number of weights and biases of a network of this architecture. */
export function parameterCount(spec: ExperimentSpec, io: NetworkIO): number {
  return parameterShapes(spec.model, io).reduce((n, shape) => n + shape.reduce((a, b) => a * b, 1), 0);
}

/** The bytes of a network's float32 weights as tf.io saves them (its weights file): 4 per parameter. */
export function modelBytes(paramCount: number): number {
  return paramCount * Float32Array.BYTES_PER_ELEMENT;
}

/** What a trial's network costs, measured in the worker once it has trained. */
export interface TrialCost {
  paramCount: number;
  /** {@link modelBytes} of the network. */
  modelBytes: number;
  /** Milliseconds per row of a forward pass; absent when no objective asks for it. */
  inferenceTime?: number;
}

/**
 * A finished trial's value of every objective, in their order and own directions: the
 * validation numbers as the trial's `value` takes them (its last or restored epoch, the mean
 * over folds), size and speed from `cost`. Undefined when the trial has no validation value
 * (diverged, pruned, failed) or a cost was not measured.
 */
export function objectiveValues(members: MemberState[], objectives: StudyObjective[], cost: TrialCost | undefined): number[] | undefined {
  const values = objectives.map((o) => (o.metric === 'valLoss' || o.metric === 'valMetric' ? crossValidatedResult(members, { metric: o.metric, direction: o.direction }).value : cost?.[o.metric]));
  return values.every((x): x is number => x !== undefined && Number.isFinite(x)) ? values : undefined;
}

/** Whether a study's objectives need the worker to measure the trained network: its size (parameters or bytes), its speed. */
export function needsCost(objectives: StudyObjective[]): { size: boolean; inferenceTime: boolean } {
  return { size: objectives.some((o) => o.metric === 'paramCount' || o.metric === 'modelBytes'), inferenceTime: objectives.some((o) => o.metric === 'inferenceTime') };
}

/**
 * A study's search strategy, for one or several objectives alike: it hands out trials (with
 * their generation, for NSGA-II) and learns from each finished trial record. Rebuilt from the
 * stored trials, it goes on where the one that asked them was.
 */
export interface StudySearch {
  /** Up to n trials; fewer when a grid runs out or, for a generational sampler, while its generation trains. */
  askBatch(n: number): { params: AskedTrial['params']; generation?: number }[];
  /** Learns from a finished trial (its state and values as stored). */
  tell(trial: TrialRecord): void;
  /** True when fewer trials than asked means "wait for results", not "nothing left". */
  readonly generational: boolean;
}

/** The search of a study: its sampler made from its spec and rebuilt from the trials stored so far. */
export function studySearch(spec: StudySpec, trials: TrialRecord[]): StudySearch {
  const space = spec.space as SearchSpace;
  if (!isMultiObjective(spec)) {
    const sampler = createSampler(spec.sampler as SamplerSpec, space, spec.seed, samplerHistory(trials, spec.objective));
    return {
      askBatch: (n) => sampler.askBatch(n).map((params) => ({ params })),
      tell: (t) => sampler.tell(t.params, samplerHistory([t], spec.objective)[0].value),
      generational: false,
    };
  }
  const objectives = studyObjectives(spec);
  const directions = objectives.map((o) => o.direction);
  const minimized = (t: TrialRecord) => (t.state === 'complete' && t.values ? minimizedPoint(t.values, directions) : null);
  const history = trials.map((t) => ({ params: t.params, values: minimized(t), pending: t.state === 'waiting' || t.state === 'running', generation: t.generation }));
  const sampler = createMultiObjectiveSampler(spec.sampler as MultiObjectiveSamplerSpec, space, spec.seed, history);
  // A grid hands out all its points at once: fewer than asked means it ran out.
  return { askBatch: (n) => sampler.askBatch(n), tell: (t) => sampler.tell(t.params, minimized(t)), generational: spec.sampler.kind !== 'grid' };
}
