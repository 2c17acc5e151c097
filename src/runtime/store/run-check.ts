import * as v from 'valibot';
import { checkRecipe } from '../../core/data/table/recipe-check';
import { validateExperiment } from '../../core/spec/schema';
import type { RunStatus } from '../../core/train/types';
import { BACKENDS } from '../backend-types';
import { schemaProblem } from './damaged';
import type { RunRecord } from './schema';

/** Every RunStatus; a Record so that a status added to the type must be added here too. */
const RUN_STATUSES: Record<RunStatus, true> = {
  running: true, paused: true, complete: true, 'early-stopped': true, diverged: true, cancelled: true, interrupted: true,
};

/** Any number, NaN and ±Infinity included: losses of a diverged epoch are such, and v.number() refuses them. */
export const anyNumber = v.custom<number>((x) => typeof x === 'number');
/** A whole number from 0. */
export const count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** One epoch's metrics, as runs and trials store them. */
export const epochSchema = v.object({ epoch: count, trainLoss: anyNumber, valLoss: anyNumber, trainMetric: anyNumber, valMetric: anyNumber });

/** Whether each weight array holds as many numbers as its shape says, and every snapshot as many as all of them, where saved. */
export function weightsFitShapes(r: { weights?: Float32Array[]; weightShapes?: number[][]; initialWeights?: Float32Array[]; path?: { epochs: number[]; weights: Float32Array[] } }): boolean {
  const shapes = r.weightShapes;
  if (!shapes) return true;
  const fit = (weights: Float32Array[] | undefined) =>
    !weights || (weights.length === shapes.length && weights.every((w, i) => w.length === shapes[i].reduce((a, b) => a * b, 1)));
  const total = shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
  const path = r.path;
  return fit(r.weights) && fit(r.initialWeights) && (!path || (path.epochs.length === path.weights.length && path.weights.every((w) => w.length === total)));
}

/** A network's evaluation on the validation part (and the test part), as far as the screens read it. */
export const evaluationSchema = v.object({ val: v.object({ n: count, loss: anyNumber }) });

const runRecordSchema = v.pipe(v.object({
  id: v.string(),
  name: v.optional(v.string()),
  createdAt: v.number(),
  updatedAt: v.number(),
  spec: v.custom((spec) => validateExperiment(spec).ok),
  backend: v.nullable(
    v.object({
      requested: v.picklist(['auto', ...BACKENDS]),
      name: v.picklist(BACKENDS),
      adapter: v.optional(v.string()),
      fallbackReason: v.optional(v.string()),
      measured: v.optional(v.object({ unit: v.string(), milliseconds: v.record(v.picklist(BACKENDS), v.number()), earlier: v.optional(v.boolean()) })),
    }),
  ),
  status: v.picklist(Object.keys(RUN_STATUSES) as RunStatus[]),
  divergedAt: v.optional(count),
  message: v.optional(v.string()),
  epochs: v.array(epochSchema),
  weights: v.optional(v.array(v.instance(Float32Array))),
  weightShapes: v.optional(v.array(v.array(count))),
  initialWeights: v.optional(v.array(v.instance(Float32Array))),
  path: v.optional(v.object({ epochs: v.array(count), weights: v.array(v.instance(Float32Array)), stride: count })),
  // The prediction form reads a recipe's columns and inputs; the rest is what prepareTable wrote.
  recipe: v.optional(v.object({ columns: v.array(v.object({ name: v.string(), kind: v.picklist(['numeric', 'categorical', 'date']) })), inputs: v.array(v.string()) })),
  evaluation: v.optional(evaluationSchema),
  classWeights: v.optional(v.array(v.pipe(v.number(), v.finite()))),
}), v.check((r) => weightsFitShapes(r)));

/**
 * Whether a record read back from IndexedDB has the shape the screens rely on. A record
 * written by a broken or future version, or edited by hand, fails here instead of in a chart.
 */
export function isRunRecord(value: unknown): value is RunRecord {
  return v.is(runRecordSchema, value) && (value.recipe === undefined || checkRecipe(value.recipe) === null);
}

/** Why a stored record fails {@link isRunRecord}, in a few words for the list of damaged records; undefined when it passes. */
export function runRecordProblem(value: unknown): string | undefined {
  const problem = schemaProblem(runRecordSchema, value, 'run');
  if (problem !== undefined) return problem;
  const recipe = (value as RunRecord).recipe;
  const broken = recipe === undefined ? null : checkRecipe(recipe);
  return broken === null ? undefined : `its recipe is broken: ${broken}`;
}
