import { OPTIMIZER_KINDS, type OptimizerKind, type OptimizerSpec } from '../optim/types';
import type { FieldError, ValidationResult } from '../spec/schema';
import { resolveSurface } from './surface-spec';
import { BUILT_IN_SURFACES, isBuiltInSurfaceId } from './surfaces';

/** What the lab shows: optimizer paths, basins of attraction, or a learning-rate sweep. */
export const LAB_VIEWS = ['paths', 'basins', 'sweep'] as const;

/** One of {@link LAB_VIEWS}. */
export type LabView = (typeof LAB_VIEWS)[number];

/** Most optimizers the lab compares at once. */
export const MAX_LAB_OPTIMIZERS = 6;

/** Most learning rates whose loss curves the sweep view overlays. */
export const MAX_SWEEP_CURVES = 6;

/** Most steps of one run: a basin map runs 128 × 128 starts that long. */
export const MAX_LAB_STEPS = 2000;

/** The colour of the k-th optimizer of the lab, the same in every view. */
export const LAB_COLORS = ['#e8453c', '#2e9bf0', '#f5b400', '#39b54a', '#b24bf3', '#ff7f0e'];

/** Starts per side of a basin map the lab offers: 64 × 64 to 512 × 512 starts, one batch. */
export const BASIN_SIZES = [64, 128, 256, 512] as const;

/** Starts per side of a basin map when the setup names none: 128 × 128. */
export const BASIN_GRID = 128;

/** How many learning rates a sweep may run, one batch. */
export const SWEEP_COUNTS = [64, 128, 256, 512, 1024] as const;

/** The learning rates of a sweep: 64 of them (or the setup's `rates`), log-spaced from 1e-4 to 10. */
export const SWEEP_RANGE = { low: 1e-4, high: 10, count: 64 } as const;

/** The learning rates of a setup's sweep. */
export function sweepRange(spec: LabSpec) {
  return { ...SWEEP_RANGE, count: spec.rates };
}

/**
 * A setup of the landscape lab as data: what a link encodes and a lesson presets. The surface
 * is a built-in id or a formula in x and y; `condition` and `rotation` shape the bowl.
 */
export interface LabSpec {
  surface: string;
  /** The bowl's condition number κ (its curvature L = κ); other surfaces ignore it. */
  condition: number;
  /** The angle of the bowl's steep axis, in degrees. */
  rotation: number;
  /** 1 to {@link MAX_LAB_OPTIMIZERS} optimizers, each drawn in its {@link LAB_COLORS} colour. */
  optimizers: OptimizerSpec[];
  /** Where every path and every sweep run starts. */
  start: [number, number];
  steps: number;
  view: LabView;
  /** Index of the optimizer whose basin map and sweep regions are drawn. */
  focus: number;
  /** Learning rates whose loss curves the sweep overlays; empty: one per region, chosen by the lab. */
  curves: number[];
  /** Starts per side of a basin map, one of {@link BASIN_SIZES}. */
  grid: number;
  /** Learning rates of a sweep, one of {@link SWEEP_COUNTS}. */
  rates: number;
  /** The lesson the setup came from, if any (its text is shown). */
  lesson: string;
  /** The step of that lesson's narrative, from 1; 0 without a lesson. */
  lessonStep: number;
}

/** The lab as it first opens: Himmelblau, gradient descent against momentum and Adam. */
export const DEFAULT_LAB: LabSpec = {
  surface: 'himmelblau',
  condition: 10,
  rotation: 30,
  optimizers: [
    { kind: 'sgd', lr: 0.01 },
    { kind: 'momentum', lr: 0.01, momentum: 0.9 },
    { kind: 'adam', lr: 0.1 },
  ],
  start: [0, 0],
  steps: 150,
  view: 'paths',
  focus: 0,
  curves: [],
  grid: BASIN_GRID,
  rates: SWEEP_RANGE.count,
  lesson: '',
  lessonStep: 0,
};

/** The surface of a lab setup as the engine takes it: the bowl with its shape, else the id or formula. */
export function labSurface(spec: LabSpec) {
  return spec.surface === 'bowl' ? { id: 'bowl' as const, condition: spec.condition, rotation: spec.rotation } : spec.surface;
}

/** A hyperparameter's allowed values, as the message states them. */
interface HyperRule {
  label: string;
  ok: (v: number) => boolean;
  allowed: string;
}

/** The hyperparameters an optimizer of the lab may carry besides its kind, with their ranges (torch.optim's). */
const HYPER_RULES: Record<Exclude<keyof OptimizerSpec, 'kind'>, HyperRule> = {
  lr: { label: 'learning rate', ok: (v) => v > 0 && v <= 10, allowed: 'greater than 0 and at most 10' },
  momentum: { label: 'momentum μ', ok: (v) => v >= 0 && v < 1, allowed: 'at least 0 and less than 1' },
  alpha: { label: 'smoothing α', ok: (v) => v > 0 && v < 1, allowed: 'greater than 0 and less than 1' },
  beta1: { label: 'β₁', ok: (v) => v >= 0 && v < 1, allowed: 'at least 0 and less than 1' },
  beta2: { label: 'β₂', ok: (v) => v >= 0 && v < 1, allowed: 'at least 0 and less than 1' },
  eps: { label: 'ε', ok: (v) => v > 0 && v <= 1, allowed: 'greater than 0 and at most 1' },
  weightDecay: { label: 'weight decay λ', ok: (v) => v >= 0 && v <= 10, allowed: 'from 0 to 10' },
};

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A received value as a message quotes it: short, and plain text. */
const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v) : Array.isArray(v) ? 'a list' : isRecord(v) ? 'an object' : String(v));

/** Most steps of a lesson's narrative. */
export const MAX_LESSON_STEPS = 8;

/** A lesson id: short, lower-case words joined by '-'; '' for none. */
const LESSON_ID = /^[a-z0-9-]{0,40}$/;

function checkOptimizer(o: unknown, k: number, err: (path: string, message: string) => void): OptimizerSpec | null {
  const name = `Optimizer ${k + 1}`;
  if (!isRecord(o)) {
    err(`optimizers.${k}`, `${name} must be an object (got ${show(o)}).`);
    return null;
  }
  const kind = o.kind as OptimizerKind;
  if (!OPTIMIZER_KINDS.includes(kind)) err(`optimizers.${k}.kind`, `${name} must be one of ${OPTIMIZER_KINDS.join(', ')} (got ${show(o.kind)}).`);
  const spec: Record<string, unknown> = { kind };
  for (const key of Object.keys(o)) {
    if (key === 'kind') continue;
    if (!Object.hasOwn(HYPER_RULES, key)) {
      err(`optimizers.${k}`, `${name} has an unknown setting ${show(key)}.`);
      continue;
    }
    const rule = HYPER_RULES[key as keyof typeof HYPER_RULES];
    const v = o[key];
    if (v === undefined) continue;
    if (!isNumber(v) || !rule.ok(v)) err(`optimizers.${k}.${key}`, `The ${rule.label} of optimizer ${k + 1} must be ${rule.allowed} (got ${show(v)}).`);
    else spec[key] = v;
  }
  if (o.lr === undefined) err(`optimizers.${k}.lr`, `${name} needs a learning rate.`);
  return spec as unknown as OptimizerSpec;
}

/**
 * Checks a lab setup, with a message per field (paths like 'optimizers.1.lr'), and returns a
 * fresh copy holding only known fields. The surface is parsed, so a bad formula is refused here.
 */
export function validateLab(input: unknown): ValidationResult<LabSpec> {
  if (!isRecord(input)) return { ok: false, errors: [{ path: '', message: `The lab setup must be an object (got ${show(input)}).` }] };
  const s = input;
  const errors: FieldError[] = [];
  const err = (path: string, message: string) => errors.push({ path, message });
  const range = (key: string, label: string, lo: number, hi: number, integer = false) => {
    const v = s[key];
    if (!isNumber(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
      err(key, `${label} must be ${integer ? 'a whole number ' : ''}from ${lo} to ${hi} (got ${show(v)}).`);
    }
  };

  if (typeof s.surface !== 'string' || s.surface.trim().length === 0) err('surface', 'The surface must be a built-in name or a formula in x and y.');
  else if (!isBuiltInSurfaceId(s.surface)) {
    const r = resolveSurface(s.surface);
    if (!r.ok) err('surface', r.error.message);
  }
  range('condition', 'The condition number', 1, 1000);
  range('rotation', 'The rotation (degrees)', -180, 180);
  let optimizers: OptimizerSpec[] = [];
  if (!Array.isArray(s.optimizers) || s.optimizers.length < 1 || s.optimizers.length > MAX_LAB_OPTIMIZERS) {
    err('optimizers', `The lab compares 1 to ${MAX_LAB_OPTIMIZERS} optimizers (got ${Array.isArray(s.optimizers) ? s.optimizers.length : show(s.optimizers)}).`);
  } else {
    optimizers = s.optimizers.map((o, k) => checkOptimizer(o, k, err)).filter((o): o is OptimizerSpec => o !== null);
  }
  const start = s.start;
  if (!Array.isArray(start) || start.length !== 2 || !start.every((v) => isNumber(v) && Math.abs(v) <= 1e4)) {
    err('start', 'The start must be two numbers between −10000 and 10000.');
  }
  range('steps', 'Steps', 1, MAX_LAB_STEPS, true);
  if (!LAB_VIEWS.includes(s.view as LabView)) err('view', `The view must be one of ${LAB_VIEWS.join(', ')} (got ${show(s.view)}).`);
  range('focus', 'The optimizer in focus', 0, Math.max(0, optimizers.length - 1), true);
  const curves = s.curves;
  if (!Array.isArray(curves) || curves.length > MAX_SWEEP_CURVES || !curves.every((v) => isNumber(v) && v > 0 && v <= 10)) {
    err('curves', `The sweep's curves must be up to ${MAX_SWEEP_CURVES} learning rates, each greater than 0 and at most 10.`);
  }
  const oneOf = (key: string, label: string, allowed: readonly number[]) => {
    if (!allowed.includes(s[key] as number)) err(key, `${label} must be one of ${allowed.join(', ')} (got ${show(s[key])}).`);
  };
  oneOf('grid', 'The basin map\'s starts per side', BASIN_SIZES);
  oneOf('rates', 'The sweep\'s number of learning rates', SWEEP_COUNTS);
  if (typeof s.lesson !== 'string' || !LESSON_ID.test(s.lesson)) err('lesson', `The lesson must be a lesson's name (got ${show(s.lesson)}).`);
  else if (s.lesson === '' && s.lessonStep !== 0) err('lessonStep', `A setup without a lesson has no lesson step (got ${show(s.lessonStep)}).`);
  else range('lessonStep', 'The lesson step', 0, MAX_LESSON_STEPS, true);
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    spec: {
      surface: s.surface as string,
      condition: s.condition as number,
      rotation: s.rotation as number,
      optimizers,
      start: [(start as number[])[0], (start as number[])[1]],
      steps: s.steps as number,
      view: s.view as LabView,
      focus: s.focus as number,
      curves: [...(curves as number[])],
      grid: s.grid as number,
      rates: s.rates as number,
      lesson: s.lesson as string,
      lessonStep: s.lessonStep as number,
    },
  };
}

/** A number in a link: JavaScript's shortest exact form, so every double round-trips. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const readNumber = (text: string) => (DECIMAL.test(text) ? Number(text) : undefined);

/** Short names of the hyperparameters in a link. */
const HYPER_KEYS = { m: 'momentum', a: 'alpha', b1: 'beta1', b2: 'beta2', e: 'eps', wd: 'weightDecay' } as const;

/**
 * Optimizers in a link: `adam:0.1,momentum:0.01:m_0.9` (kind, lr, then any other
 * hyperparameter as short name, '_', value: characters a link keeps as they are). `parse` reads the syntax only; {@link validateLab} judges values.
 */
export const optimizerListValue = {
  format(list: OptimizerSpec[]): string {
    return list
      .map((o) => [o.kind, o.lr, ...Object.entries(HYPER_KEYS).filter(([, key]) => o[key] !== undefined).map(([short, key]) => `${short}_${o[key]}`)].join(':'))
      .join(',');
  },
  parse(text: string): OptimizerSpec[] | undefined {
    const list: OptimizerSpec[] = [];
    for (const item of text.split(',')) {
      const [kind, lr, ...rest] = item.split(':');
      const rate = readNumber(lr ?? '');
      if (!OPTIMIZER_KINDS.includes(kind as OptimizerKind) || rate === undefined) return undefined;
      const spec: OptimizerSpec = { kind: kind as OptimizerKind, lr: rate };
      for (const pair of rest) {
        const [short, value, ...extra] = pair.split('_');
        const v = readNumber(value ?? '');
        if (!Object.hasOwn(HYPER_KEYS, short) || v === undefined || extra.length) return undefined;
        spec[HYPER_KEYS[short as keyof typeof HYPER_KEYS]] = v;
      }
      list.push(spec);
    }
    return list;
  },
};

/** A point in a link: `x,y`. */
export const pointValue = {
  format: ([x, y]: [number, number]) => `${x},${y}`,
  parse(text: string): [number, number] | undefined {
    const parts = text.split(',').map(readNumber);
    return parts.length === 2 && parts[0] !== undefined && parts[1] !== undefined ? [parts[0], parts[1]] : undefined;
  },
};

/** Numbers in a link, comma-separated; the empty text is the empty list. */
export const numberListValue = {
  format: (values: number[]) => values.join(','),
  parse(text: string): number[] | undefined {
    if (text === '') return [];
    const values = text.split(',').map(readNumber);
    return values.every((v) => v !== undefined) ? (values as number[]) : undefined;
  },
};

/** The lab's surface names, for pickers: every built-in, by its display name. */
export const SURFACE_CHOICES = Object.values(BUILT_IN_SURFACES).map((s) => ({ id: s.id, name: s.name }));
