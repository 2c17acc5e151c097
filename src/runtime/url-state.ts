import { validateExperiment, type FieldError, type ValidationResult } from '../core/spec/schema';
import { DEFAULT_EXPERIMENT } from '../core/spec/defaults';
import type { ExperimentSpec } from '../core/spec/experiment';
import type { LayerSpec } from '../core/model/types';
import type { ClassWeightsSpec, ScheduleSpec } from '../core/train/types';

/**
 * How one field's value is written in the hash and read back. `parse` only reads the syntax
 * (a number, a list) and gives undefined for text it cannot read; whether the value is
 * allowed is the spec's validator's business.
 */
export interface ValueCodec<T> {
  format(value: T): string;
  parse(text: string): T | undefined;
}

/**
 * One setting in the hash, as a row of TensorFlow Playground's `state.ts` table: its
 * parameter name, the dot path of the field in the spec, and how its value is written.
 */
export interface HashRow {
  name: string;
  path: string;
  type: ValueCodec<unknown>;
}

/** Reads a spec from a hash and writes it back; made by {@link createHashCodec}. */
export interface HashCodec<T> {
  /** The hash text (without '#') that reproduces `spec`; fields that are undefined are left out. */
  encode(spec: T): string;
  /**
   * The spec a hash describes, never throwing: unknown parameters, unreadable values and
   * values the validator refuses fall back to the defaults, and `notice` says what was ignored.
   */
  decode(hash: string): { spec: T; notice?: string };
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A decimal number, written as JavaScript's shortest exact form, so every double round-trips. */
export const numberValue: ValueCodec<number> = {
  format: (x) => (Object.is(x, -0) ? '-0' : String(x)),
  parse: (text) => (DECIMAL.test(text) ? Number(text) : undefined),
};

/** A string as is. */
export const textValue: ValueCodec<string> = {
  format: (s) => s,
  parse: (text) => text,
};

/** A list of strings, comma-separated; the empty text is the empty list. */
export const listValue: ValueCodec<string[]> = {
  format: (items) => items.join(','),
  parse: (text) => (text === '' ? [] : text.split(',')),
};

/** A hash longer than this is not a link tunelab wrote: it is refused before any parsing. */
const MAX_HASH_LENGTH = 4096;
/** What a link past its length limit is told. */
const TOO_LONG = 'The link is too long to be one of tunelab\'s.';
/**
 * The longest link to a table experiment: its `table=` part carries the preprocessing of every
 * column, so it may be far longer than a generated set's, but a longer one is refused before it
 * is parsed (a 20 MB value would otherwise freeze the page while being read).
 */
const MAX_TABLE_LINK_LENGTH = 1 << 20;
/** Ignored items quoted in a notice; the rest are counted. */
const MAX_NOTICE_ITEMS = 5;

function getPath(target: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], target);
}

/** Sets (or, for undefined, deletes) the field at `path`; paths come from code, never from the hash. */
function setPath(target: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let node = target as Record<string, unknown>;
  for (const key of keys) node = (node[key] ??= {}) as Record<string, unknown>;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** Keeps ',' and ':' readable: both are allowed in a URL fragment. */
const escapeValue = (text: string) => encodeURIComponent(text).replace(/%2C/gi, ',').replace(/%3A/gi, ':');

function unescape(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** A name or value from the hash as a notice quotes it: short, as plain text. */
const quote = (text: string) => JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}…` : text);

/** Sentences for a notice, the first few quoted and the rest counted. */
function listSentences(items: string[]): string {
  const more = items.length > MAX_NOTICE_ITEMS ? ` And ${items.length - MAX_NOTICE_ITEMS} more.` : '';
  return `${items.slice(0, MAX_NOTICE_ITEMS).join(' ')}${more}`;
}

/**
 * A hash codec from one table of rows, so a new option costs one row. `defaults` supplies
 * every field the hash leaves out or gets wrong; `validate` is the spec's one schema.
 *
 * Decoding keeps what it can: a bad parameter falls back to its default alone, and only
 * when that still leaves the spec invalid (a field no row covers, or a cross-field rule) is
 * the whole spec the defaults.
 *
 * @example
 * const codec = createHashCodec([{ name: 'lr', path: 'optimizer.lr', type: numberValue }], defaults, validate);
 * codec.decode('lr=-1'); // { spec: defaults, notice: 'Some settings in the link were ignored … lr: Learning rate must be …' }
 */
export function createHashCodec<T>(rows: HashRow[], defaults: T, validate: (input: unknown) => ValidationResult<T>): HashCodec<T> {
  const byName = new Map(rows.map((row) => [row.name, row]));
  const fallback = (reasons: string[]) => ({
    spec: structuredClone(defaults),
    notice: `The link's settings could not be used, so the defaults are shown. ${listSentences(reasons)}`,
  });

  function readParams(query: string, ignored: string[]): Map<HashRow, unknown> {
    const values = new Map<HashRow, unknown>();
    for (const piece of query.split('&')) {
      if (piece === '') continue;
      const cut = piece.indexOf('=');
      const name = unescape(cut < 0 ? piece : piece.slice(0, cut)) ?? piece;
      const row = byName.get(name);
      if (!row) {
        ignored.push(`${quote(name)} is not a setting.`);
        continue;
      }
      if (values.has(row)) {
        ignored.push(`${quote(name)} is given twice; the first is used.`);
        continue;
      }
      const text = cut < 0 ? undefined : unescape(piece.slice(cut + 1));
      const value = text === undefined ? undefined : row.type.parse(text);
      if (value === undefined) ignored.push(`${quote(name)} could not be read.`);
      else values.set(row, value);
    }
    return values;
  }

  /** The row among `candidates` whose field an error is about. */
  const rowOf = (error: FieldError, candidates: HashRow[]) =>
    candidates.find((row) => error.path === row.path || error.path.startsWith(`${row.path}.`));

  return {
    encode(spec) {
      return rows
        .map((row) => ({ row, value: getPath(spec, row.path) }))
        .filter(({ value }) => value !== undefined)
        .map(({ row, value }) => `${escapeValue(row.name)}=${escapeValue(row.type.format(value))}`)
        .join('&');
    },

    decode(hash) {
      const text = hash.replace(/^#/, '');
      const query = text.includes('?') ? text.slice(text.indexOf('?') + 1) : text;
      if (query.length > MAX_HASH_LENGTH) return fallback([TOO_LONG]);
      const ignored: string[] = [];
      const given = readParams(query, ignored);
      const draft = structuredClone(defaults);
      for (const [row, value] of given) setPath(draft, row.path, value);

      let result = validate(draft);
      if (!result.ok) {
        const reset = new Set<HashRow>();
        for (const error of result.errors) {
          const row = rowOf(error, [...given.keys()]);
          if (!row) return fallback([error.message]);
          if (reset.has(row)) continue;
          reset.add(row);
          setPath(draft, row.path, structuredClone(getPath(defaults, row.path)));
          ignored.push(`${row.name}: ${error.message}`);
        }
        result = validate(draft);
        if (!result.ok) return fallback(result.errors.map((e) => e.message));
      }
      return ignored.length ? { spec: result.spec, notice: `Some settings in the link were ignored and their defaults used. ${listSentences(ignored)}` } : { spec: result.spec };
    },
  };
}

/** Hidden layers as 'units:activation' items, e.g. '4:tanh,2:tanh'; '' is no hidden layer. */
const layersValue: ValueCodec<LayerSpec[]> = {
  format: (layers) => layers.map((l) => `${l.units}:${l.activation}`).join(','),
  parse(text) {
    const layers = listValue.parse(text)!.map((item) => {
      const [units, activation, ...rest] = item.split(':');
      const n = numberValue.parse(units);
      return n === undefined || activation === undefined || rest.length ? undefined : { units: n, activation };
    });
    return layers.every((l) => l !== undefined) ? (layers as LayerSpec[]) : undefined;
  },
};

/** The numeric fields of each schedule kind, in the order the hash writes them. */
const SCHEDULE_FIELDS = new Map<string, string[]>([
  ['constant', []],
  ['step', ['every', 'gamma']],
  ['cosine', ['minFactor']],
]);

/** A schedule as its kind and its numbers, e.g. 'constant', 'step:50:0.5', 'cosine:0.1'. */
const scheduleValue: ValueCodec<ScheduleSpec> = {
  format: (s) => [s.kind, ...SCHEDULE_FIELDS.get(s.kind)!.map((f) => numberValue.format((s as unknown as Record<string, number>)[f]))].join(':'),
  parse(text) {
    const [kind, ...numbers] = text.split(':');
    const fields = SCHEDULE_FIELDS.get(kind);
    if (!fields) return { kind } as ScheduleSpec;
    if (numbers.length !== fields.length) return undefined;
    const schedule: Record<string, unknown> = { kind };
    for (const [i, field] of fields.entries()) {
      schedule[field] = numberValue.parse(numbers[i]);
      if (schedule[field] === undefined) return undefined;
    }
    return schedule as unknown as ScheduleSpec;
  },
};

/** Class weights as 'balanced', or the typed weights in class order, e.g. '1,4.5,2'. */
const classWeightsValue: ValueCodec<ClassWeightsSpec> = {
  format: (w) => (w.kind === 'balanced' ? 'balanced' : w.weights.map(numberValue.format).join(',')),
  parse(text) {
    if (text === 'balanced') return { kind: 'balanced' };
    const weights = text.split(',').map((piece) => numberValue.parse(piece));
    return weights.every((w) => w !== undefined) ? { kind: 'typed', weights: weights as number[] } : undefined;
  },
};

/** The experiment's settings in the hash, one row each. */
const EXPERIMENT_ROWS: HashRow[] = [
  { name: 'data', path: 'data.kind', type: textValue },
  { name: 'n', path: 'data.n', type: numberValue },
  { name: 'noise', path: 'data.noise', type: numberValue },
  { name: 'split', path: 'data.trainRatio', type: numberValue },
  { name: 'dataSeed', path: 'data.seed', type: numberValue },
  { name: 'features', path: 'model.features', type: listValue },
  { name: 'hidden', path: 'model.hidden', type: layersValue },
  { name: 'l1', path: 'model.l1', type: numberValue },
  { name: 'l2', path: 'model.l2', type: numberValue },
  { name: 'dropout', path: 'model.dropout', type: numberValue },
  { name: 'opt', path: 'optimizer.kind', type: textValue },
  { name: 'lr', path: 'optimizer.lr', type: numberValue },
  { name: 'momentum', path: 'optimizer.momentum', type: numberValue },
  { name: 'alpha', path: 'optimizer.alpha', type: numberValue },
  { name: 'beta1', path: 'optimizer.beta1', type: numberValue },
  { name: 'beta2', path: 'optimizer.beta2', type: numberValue },
  { name: 'eps', path: 'optimizer.eps', type: numberValue },
  { name: 'wd', path: 'optimizer.weightDecay', type: numberValue },
  { name: 'batch', path: 'training.batchSize', type: numberValue },
  { name: 'epochs', path: 'training.epochs', type: numberValue },
  { name: 'clip', path: 'training.clipNorm', type: numberValue },
  { name: 'patience', path: 'training.patience', type: numberValue },
  { name: 'schedule', path: 'training.schedule', type: scheduleValue },
  { name: 'classWeights', path: 'training.classWeights', type: classWeightsValue },
  { name: 'seed', path: 'seed', type: numberValue },
];

const experimentCodec = createHashCodec<ExperimentSpec>(EXPERIMENT_ROWS, DEFAULT_EXPERIMENT, validateExperiment);

/** A table and its preprocessing as one JSON value: too nested for rows, and rarely edited by hand. */
const jsonValue: ValueCodec<unknown> = {
  format: (value) => JSON.stringify(value),
  parse(text) {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  },
};

/** The `table` parameter that replaces the generated set's rows in a link to a table experiment. */
const TABLE_ROW: HashRow = { name: 'table', path: 'data', type: jsonValue };
const MODEL_ROWS = EXPERIMENT_ROWS.filter((row) => !row.path.startsWith('data.'));

/**
 * The hash text (without '#') that reproduces an experiment, e.g.
 * 'data=circle&n=500&noise=0&split=0.5&dataSeed=1&features=x1,x2&hidden=4:tanh,2:tanh&…'; a
 * table experiment writes `table={…}` (dataset id, name and preprocessing) in place of the
 * generated set's settings.
 */
export function encodeExperiment(spec: ExperimentSpec): string {
  if (spec.data.kind !== 'table') return experimentCodec.encode(spec);
  return createHashCodec([TABLE_ROW, ...MODEL_ROWS], spec, validateExperiment).encode(spec);
}

/**
 * The experiment a link describes (with or without its leading '#', and after any
 * '#/route?' prefix). Never throws: bad or unknown settings fall back to
 * {@link DEFAULT_EXPERIMENT}'s, and `notice` tells the user what was ignored.
 */
export function decodeExperiment(hash: string): { spec: ExperimentSpec; notice?: string } {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : hash.replace(/^#/, '');
  if (query.length > MAX_TABLE_LINK_LENGTH) {
    return { spec: structuredClone(DEFAULT_EXPERIMENT), notice: `The link's settings could not be used, so the defaults are shown. ${TOO_LONG}` };
  }
  const table = query.split('&').find((piece) => piece.startsWith('table='));
  if (!table) return experimentCodec.decode(hash);
  const data = jsonValue.parse(unescape(table.slice('table='.length)) ?? '');
  const base = { ...DEFAULT_EXPERIMENT, data: data as ExperimentSpec['data'], training: { ...DEFAULT_EXPERIMENT.training } };
  const checked = validateExperiment(base);
  if (!checked.ok) {
    const problems = checked.errors.filter((e) => e.path.startsWith('data')).map((e) => e.message);
    return { spec: structuredClone(DEFAULT_EXPERIMENT), notice: `The link's table could not be used, so the defaults are shown. ${listSentences(problems)}` };
  }
  return createHashCodec(MODEL_ROWS, checked.spec, validateExperiment).decode(query.split('&').filter((p) => p !== table).join('&'));
}
