import * as v from 'valibot';
import { MAX_NAME_LENGTH } from '../data/table/types';
import { DATASET_KINDS, REGRESSION_KINDS } from '../data/types';
import { ACTIVATIONS, FEATURES } from '../model/types';
import { OPTIMIZER_KINDS } from '../optim/types';
import type { ExperimentSpec } from './experiment';

/** A problem with one field of a spec, to show next to that field. */
export interface FieldError {
  /** Dot path of the field, e.g. 'optimizer.lr' or 'model.hidden.2.units'; '' for the whole spec. */
  path: string;
  /** Plain English naming the field and what it allows, e.g. 'Learning rate must be greater than 0 and at most 10 (got -0.1).' */
  message: string;
}

/** What a validator says of a candidate spec: the spec as it should be used, or its errors by field. */
export type ValidationResult<T> = { ok: true; spec: T } | { ok: false; errors: FieldError[] };

/** The allowed values of a numeric field; `…Open` excludes the bound itself. */
interface Range {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  integer?: boolean;
}

const SEED_MAX = 2 ** 32 - 1;

/** A received value as a message quotes it: short, and never markup that could run. */
export function show(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  if (Array.isArray(input)) return 'a list';
  if (input === undefined) return 'nothing';
  if (input !== null && typeof input === 'object') return 'an object';
  return String(input);
}

function describe(r: Range): string {
  if (r.integer && r.min !== undefined && r.max !== undefined && !r.minOpen && !r.maxOpen) {
    return `a whole number from ${r.min} to ${r.max}`;
  }
  if (r.min !== undefined && r.max !== undefined && !r.minOpen && !r.maxOpen) return `between ${r.min} and ${r.max}`;
  const lower = r.min === undefined ? null : `${r.minOpen ? 'greater than' : 'at least'} ${r.min}`;
  const upper = r.max === undefined ? null : `${r.maxOpen ? 'less than' : 'at most'} ${r.max}`;
  return `${r.integer ? 'a whole number ' : ''}${[lower, upper].filter(Boolean).join(' and ')}`;
}

function inRange(x: number, r: Range): boolean {
  if (!Number.isFinite(x) || (r.integer && !Number.isInteger(x))) return false;
  if (r.min !== undefined && (r.minOpen ? x <= r.min : x < r.min)) return false;
  return r.max === undefined || (r.maxOpen ? x < r.max : x <= r.max);
}

/** A finite number field whose every failure (wrong type, NaN, ±Infinity, out of range) says the same sentence. */
export function num(label: string, range: Range) {
  const message = (issue: { input: unknown }) => `${label} must be ${describe(range)} (got ${show(issue.input)}).`;
  return v.pipe(v.number(message), v.check((x: number) => inRange(x, range), message));
}

/** A field that takes one of a few strings, its message listing them. */
export function oneOf<const T extends readonly string[]>(label: string, options: T) {
  return v.picklist(options, (issue) => `${label} must be one of ${options.join(', ')} (got ${show(issue.input)}).`);
}

/**
 * An object of known fields. Unknown fields are refused rather than dropped: a misspelt key
 * in an imported file would otherwise fall back to a default without a word.
 */
export function section<const E extends v.ObjectEntries>(label: string, entries: E) {
  return v.strictObject(entries, (issue) => {
    const key = issue.path?.[0]?.key;
    if (issue.expected === 'never') return `${label} has an unknown setting ${show(key)}.`;
    if (key !== undefined) return `${label} is missing its ${show(key)} setting.`;
    return `${label} must be an object (got ${show(issue.input)}).`;
  });
}

const seed = (label: string) => num(label, { min: 0, max: SEED_MAX, integer: true });

const N_RANGE: Range = { min: 10, max: 2000, integer: true };
const TRAIN_RATIO_RANGE: Range = { min: 0.1, max: 0.9 };

const generatedSchema = section('The dataset', {
  kind: oneOf('Dataset', DATASET_KINDS),
  n: num('Number of points', N_RANGE),
  noise: num('Noise (%)', { min: 0, max: 50 }),
  trainRatio: num('Training ratio', TRAIN_RATIO_RANGE),
  seed: seed('Data seed'),
});

const text = (label: string, max: number) =>
  v.pipe(
    v.string((issue) => `${label} must be text (got ${show(issue.input)}).`),
    v.check((t: string) => t.length > 0 && t.length <= max, (issue) => `${label} must have 1 to ${max} characters (got ${show(issue.input)}).`),
  );

const share = (label: string) => num(label, { min: 0, max: 0.95 });

const preprocessSchema = v.pipe(
  section('Preprocessing', {
    target: text('Target column', MAX_NAME_LENGTH),
    task: oneOf('Problem type', ['binary', 'multiclass', 'regression'] as const),
    features: v.pipe(
      v.array(text('Feature column', MAX_NAME_LENGTH), (issue) => `Feature columns must be a list (got ${show(issue.input)}).`),
      v.check((fs) => fs.length > 0, 'Select at least one feature column.'),
      v.check((fs) => new Set(fs).size === fs.length, 'Each feature column may be selected only once.'),
    ),
    missing: oneOf('Missing values', ['drop', 'mean', 'median', 'most-frequent'] as const),
    scaling: oneOf('Scaling', ['standardize', 'minmax', 'none'] as const),
    split: section('The split', { train: share('Training share'), val: share('Validation share'), test: share('Test share') }),
    seed: seed('Split seed'),
  }),
  v.forward(
    v.check((p) => !p.features.includes(p.target), 'The target column cannot also be a feature.'),
    ['features'],
  ),
  v.forward(
    v.check(
      (p) => Math.abs(p.split.train + p.split.val + p.split.test - 1) < 1e-6 && p.split.train >= 0.1 && p.split.val > 0,
      'The shares must add up to 1, with at least 0.1 for training and some for validation.',
    ),
    ['split', 'train'],
  ),
);

const tableSchema = section('The table', {
  kind: v.literal('table'),
  dataset: text('Dataset id', MAX_NAME_LENGTH),
  name: text('Dataset name', MAX_NAME_LENGTH),
  preprocess: preprocessSchema,
});

const dataSchema = v.variant('kind', [generatedSchema, tableSchema], (issue) =>
  issue.path
    ? `Dataset must be one of ${DATASET_KINDS.join(', ')} or a table (got ${show(issue.input)}).`
    : `The dataset must be an object (got ${show(issue.input)}).`,
);

const layerSchema = section('A hidden layer', {
  units: num('Units of a hidden layer', { min: 1, max: 64, integer: true }),
  activation: oneOf('Activation', ACTIVATIONS),
});

const modelSchema = section('The model', {
  features: v.pipe(
    v.array(oneOf('Feature', FEATURES), (issue) => `Features must be a list (got ${show(issue.input)}).`),
    v.check((fs) => fs.length > 0, 'Select at least one input feature.'),
    v.check((fs) => new Set(fs).size === fs.length, 'Each input feature may be selected only once.'),
  ),
  hidden: v.pipe(
    v.array(layerSchema, (issue) => `Hidden layers must be a list (got ${show(issue.input)}).`),
    v.check((layers) => layers.length <= 8, (issue) => `The network may have at most 8 hidden layers (got ${(issue.input as unknown[]).length}).`),
  ),
  l1: num('L1 regularization rate', { min: 0, max: 10 }),
  l2: num('L2 regularization rate', { min: 0, max: 10 }),
  dropout: num('Dropout rate', { min: 0, max: 0.9 }),
});

const optimizerSchema = section('The optimizer', {
  kind: oneOf('Optimizer', OPTIMIZER_KINDS),
  lr: num('Learning rate', { min: 0, minOpen: true, max: 10 }),
  momentum: v.optional(num('Momentum', { min: 0, max: 1, maxOpen: true })),
  alpha: v.optional(num('RMSProp alpha', { min: 0, minOpen: true, max: 1, maxOpen: true })),
  beta1: v.optional(num('Beta 1', { min: 0, max: 1, maxOpen: true })),
  beta2: v.optional(num('Beta 2', { min: 0, max: 1, maxOpen: true })),
  eps: v.optional(num('Epsilon', { min: 0, minOpen: true })),
  weightDecay: v.optional(num('Weight decay', { min: 0 })),
});

const scheduleSchema = v.variant(
  'kind',
  [
    section('The constant schedule', { kind: v.literal('constant') }),
    section('The step schedule', {
      kind: v.literal('step'),
      every: num('Step every (epochs)', { min: 1, integer: true }),
      gamma: num('Step factor gamma', { min: 0, minOpen: true, max: 1 }),
    }),
    section('The cosine schedule', {
      kind: v.literal('cosine'),
      minFactor: num('Cosine minimum factor', { min: 0, max: 1, maxOpen: true }),
    }),
  ],
  (issue) =>
    issue.path
      ? `Schedule must be one of constant, step, cosine (got ${show(issue.input)}).`
      : `The schedule must be an object (got ${show(issue.input)}).`,
);

/** A class weight: above 0 (a class of weight 0 would not be learned at all), and not so large that one class swamps the loss. */
const CLASS_WEIGHT_RANGE: Range = { min: 0, minOpen: true, max: 1000 };
/** Most classes a classification has (the table check's limit). */
const MAX_CLASSES = 100;

const classWeightsSchema = v.variant(
  'kind',
  [
    section('Balanced class weights', { kind: v.literal('balanced') }),
    section('Typed class weights', {
      kind: v.literal('typed'),
      // One message for the whole list, said at its field: the form types it as one text.
      weights: v.pipe(
        v.array(v.unknown(), (issue) => `Class weights must be a list of numbers (got ${show(issue.input)}).`),
        v.check(
          (ws) => ws.length >= 2 && ws.length <= MAX_CLASSES && ws.every((w) => typeof w === 'number' && inRange(w, CLASS_WEIGHT_RANGE)),
          (issue) => `Class weights must be ${describe(CLASS_WEIGHT_RANGE)}, one per class (got ${(issue.input as unknown[]).slice(0, 12).map(show).join(', ') || 'none'}).`,
        ),
        v.transform((ws) => ws as number[]),
      ),
    }),
  ],
  (issue) => (issue.path ? `Class weights must be balanced or typed (got ${show(issue.input)}).` : `Class weights must be an object (got ${show(issue.input)}).`),
);

const trainingSchema = section('Training', {
  batchSize: num('Batch size', { min: 1, integer: true }),
  epochs: num('Epochs', { min: 1, max: 10000, integer: true }),
  clipNorm: num('Gradient clipping norm', { min: 0 }),
  patience: num('Early-stopping patience', { min: 0, integer: true }),
  schedule: scheduleSchema,
  classWeights: v.optional(classWeightsSchema),
});

/** The fields of a distillation into a student: its width as a share of the teacher's, T, α and its epochs. */
export const DISTILL_ENTRIES = {
  widthFactor: num('Student width', { min: 0, max: 1, minOpen: true }),
  temperature: num('Temperature T', { min: 0, max: 20, minOpen: true }),
  alpha: num('α', { min: 0, max: 1 }),
  epochs: num('Student epochs', { min: 1, max: 1000, integer: true }),
};

const compressionSchema = section('The compression', {
  run: text('Compressed run', 200),
  sparsity: num('Sparsity', { min: 0, max: 1, maxOpen: true }),
  bits: num('Bits', { min: 2, max: 16, integer: true }),
  distilled: v.boolean((issue) => `Distilled must be true or false (got ${show(issue.input)}).`),
  distill: section('Distillation', DISTILL_ENTRIES),
});

/** Points in the training part, as splitDataset cuts them. */
const trainingSize = (data: { n: number; trainRatio: number }) => Math.round(data.n * data.trainRatio);

const experimentSchema = v.pipe(
  section('The experiment', {
    version: v.literal(1, (issue) => `Spec version must be 1 (got ${show(issue.input)}).`),
    data: dataSchema,
    model: modelSchema,
    optimizer: optimizerSchema,
    training: trainingSchema,
    seed: seed('Seed'),
    compress: v.optional(compressionSchema),
  }),
  v.forward(
    v.partialCheck(
      [['data', 'kind'], ['data', 'n'], ['data', 'trainRatio'], ['training', 'batchSize']],
      // Out-of-range n or trainRatio are reported on their own fields; a training-set size
      // computed from them would wrongly blame the batch size too.
      // A table's training size is known once it is prepared; the trainer caps the batch there.
      (s) => {
        const data = s.data as { kind: string; n: number; trainRatio: number };
        return (
          data.kind === 'table' ||
          !(inRange(data.n, N_RANGE) && inRange(data.trainRatio, TRAIN_RATIO_RANGE)) ||
          s.training.batchSize <= trainingSize(data)
        );
      },
      (issue) => {
        const s = issue.input as { data: { n: number; trainRatio: number }; training: { batchSize: number } };
        return `Batch size must be at most the training-set size, ${trainingSize(s.data)} points (got ${s.training.batchSize}).`;
      },
    ),
    ['training', 'batchSize'],
  ),
  // What the spec alone says of the classes: a regression has none, a binary problem two; a
  // table of more classes is checked once it is prepared (classWeightsProblem).
  v.forward(
    v.partialCheck([['data'], ['training', 'classWeights']], (s) => !s.training.classWeights || knownClasses(s.data) !== 0, 'Class weights need a classification: this experiment predicts a value.'),
    ['training', 'classWeights'],
  ),
  v.forward(
    v.partialCheck(
      [['data'], ['training', 'classWeights']],
      (s) => s.training.classWeights?.kind !== 'typed' || knownClasses(s.data) !== 2 || s.training.classWeights.weights.length === 2,
      (issue) => {
        const typed = (issue.input as ExperimentSpec).training.classWeights;
        return `Type one weight per class: 2 weights for 2 classes (got ${typed?.kind === 'typed' ? typed.weights.length : 0}).`;
      },
    ),
    ['training', 'classWeights'],
  ),
);

/** Classes an experiment's data has, as far as the spec says: 0 for a regression, 2 for a binary problem, undefined for a table of several. */
function knownClasses(data: { kind: string; preprocess?: { task: string } }): number | undefined {
  if (data.kind === 'table') return data.preprocess?.task === 'regression' ? 0 : data.preprocess?.task === 'binary' ? 2 : undefined;
  return (REGRESSION_KINDS as readonly string[]).includes(data.kind) ? 0 : 2;
}

/**
 * Checks that `input` is a complete, valid experiment spec, the one check every boundary
 * (form, URL, stored run, file import, worker message) goes through. Unknown fields are
 * refused; NaN and ±Infinity are refused everywhere. Gives one error per field, first found.
 *
 * @example
 * validateExperiment({ ...DEFAULT_EXPERIMENT, optimizer: { kind: 'adam', lr: -0.1 } });
 * // { ok: false, errors: [{ path: 'optimizer.lr', message: 'Learning rate must be greater than 0 and at most 10 (got -0.1).' }] }
 */
export function validateExperiment(input: unknown): ValidationResult<ExperimentSpec> {
  return validateWith(experimentSchema, input);
}

/** Checks `input` against a schema: the value as parsed, or the first message of each field's dot path. */
export function validateWith<T>(schema: v.GenericSchema<unknown, T>, input: unknown): ValidationResult<T> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, spec: result.output };
  const errors = new Map<string, string>();
  for (const issue of result.issues) {
    const path = v.getDotPath(issue) ?? '';
    if (!errors.has(path)) errors.set(path, issue.message);
  }
  return { ok: false, errors: [...errors].map(([path, message]) => ({ path, message })) };
}
