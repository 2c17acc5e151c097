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

/** The colour of the k-th optimizer of the lab, the same in every view. */
export const LAB_COLORS = ['#e8453c', '#2e9bf0', '#f5b400', '#39b54a', '#b24bf3', '#ff7f0e'];

/**
 * A setup of the landscape lab as data: what a link encodes and a lesson presets. The surface
 * is a built-in id or a formula in x and y; `condition` and `rotation` shape the bowl.
 */
export interface LabSpec {
  surface: string;
  condition: number;
  rotation: number;
  optimizers: OptimizerSpec[];
  start: [number, number];
  steps: number;
  view: LabView;
  /** The lesson the setup came from, if any (its text is shown). */
  lesson: string;
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
  lesson: '',
};

/** The surface of a lab setup as the engine takes it: the bowl with its shape, else the id or formula. */
export function labSurface(spec: LabSpec) {
  return spec.surface === 'bowl' ? { id: 'bowl' as const, condition: spec.condition, rotation: spec.rotation } : spec.surface;
}

const between = (v: unknown, lo: number, hi: number) => typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;

/** Checks a lab setup, with a message per field; the surface is parsed, so a bad formula is refused here. */
export function validateLab(input: unknown): ValidationResult<LabSpec> {
  const s = input as LabSpec;
  const errors: FieldError[] = [];
  const err = (path: string, message: string) => errors.push({ path, message });
  if (typeof s !== 'object' || s === null) return { ok: false, errors: [{ path: '', message: 'The lab setup must be an object.' }] };
  if (typeof s.surface !== 'string' || s.surface.length === 0) err('surface', 'The surface must be a built-in name or a formula.');
  else if (!isBuiltInSurfaceId(s.surface)) {
    const r = resolveSurface(s.surface);
    if (!r.ok) err('surface', r.error.message);
  }
  if (!between(s.condition, 1, 1000)) err('condition', `The condition number must be from 1 to 1000 (got ${s.condition}).`);
  if (!between(s.rotation, -180, 180)) err('rotation', `The rotation must be from −180 to 180 degrees (got ${s.rotation}).`);
  if (!Array.isArray(s.optimizers) || s.optimizers.length < 1 || s.optimizers.length > MAX_LAB_OPTIMIZERS) {
    err('optimizers', `The lab compares 1 to ${MAX_LAB_OPTIMIZERS} optimizers.`);
  } else {
    s.optimizers.forEach((o, k) => {
      if (!OPTIMIZER_KINDS.includes(o?.kind)) err(`optimizers.${k}.kind`, `Optimizer ${k + 1} is of an unknown kind.`);
      if (!between(o?.lr, 1e-8, 100) || o.lr <= 0) err(`optimizers.${k}.lr`, `The learning rate of optimizer ${k + 1} must be greater than 0 and at most 100 (got ${o?.lr}).`);
      for (const key of ['momentum', 'alpha', 'beta1', 'beta2'] as const) {
        if (o?.[key] !== undefined && !between(o[key], 0, 0.99999)) err(`optimizers.${k}.${key}`, `${key} of optimizer ${k + 1} must be in [0, 1) (got ${o[key]}).`);
      }
    });
  }
  if (!Array.isArray(s.start) || s.start.length !== 2 || !s.start.every((v) => between(v, -1e6, 1e6))) err('start', 'The start must be two finite numbers.');
  if (!Number.isInteger(s.steps) || s.steps < 1 || s.steps > 5000) err('steps', `Steps must be a whole number from 1 to 5000 (got ${s.steps}).`);
  if (!LAB_VIEWS.includes(s.view)) err('view', `The view must be one of ${LAB_VIEWS.join(', ')}.`);
  if (typeof s.lesson !== 'string') err('lesson', 'The lesson must be a name.');
  return errors.length ? { ok: false, errors } : { ok: true, spec: { surface: s.surface, condition: s.condition, rotation: s.rotation, optimizers: s.optimizers, start: s.start, steps: s.steps, view: s.view, lesson: s.lesson } };
}

const HYPER_KEYS = { m: 'momentum', a: 'alpha', b1: 'beta1', b2: 'beta2', e: 'eps', wd: 'weightDecay' } as const;

/** Optimizers in a link: `adam:0.1,momentum:0.01:m=0.9` (kind, lr, then any other hyperparameter). */
export const optimizerListValue = {
  format(list: OptimizerSpec[]): string {
    return list
      .map((o) => [o.kind, o.lr, ...Object.entries(HYPER_KEYS).filter(([, key]) => o[key] !== undefined).map(([short, key]) => `${short}=${o[key]}`)].join(':'))
      .join(',');
  },
  parse(text: string): OptimizerSpec[] | undefined {
    const list: OptimizerSpec[] = [];
    for (const item of text.split(',')) {
      const [kind, lr, ...rest] = item.split(':');
      if (!OPTIMIZER_KINDS.includes(kind as OptimizerKind) || !Number.isFinite(Number(lr))) return undefined;
      const spec: OptimizerSpec = { kind: kind as OptimizerKind, lr: Number(lr) };
      for (const pair of rest) {
        const [short, value] = pair.split('=');
        const key = HYPER_KEYS[short as keyof typeof HYPER_KEYS];
        if (!key || !Number.isFinite(Number(value))) return undefined;
        spec[key] = Number(value);
      }
      list.push(spec);
    }
    return list;
  },
};

/** The lab's surface names, for pickers: every built-in, by its display name. */
export const SURFACE_CHOICES = Object.values(BUILT_IN_SURFACES).map((s) => ({ id: s.id, name: s.name }));
