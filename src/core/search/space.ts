import * as v from 'valibot';
import { show, type FieldError, type ValidationResult } from '../spec/schema';

/** A value a categorical parameter may take. */
export type Choice = string | number | boolean;

/** When a parameter applies: only while another parameter takes one of these values. */
export interface Condition {
  param: string;
  in: Choice[];
}

/**
 * How one hyperparameter varies: a float or integer range (linear or log, optional step; not
 * both log and step, as in Optuna) or a list of choices.
 */
export type ParamDef =
  | { type: 'float'; low: number; high: number; log?: boolean; step?: number; condition?: Condition }
  | { type: 'int'; low: number; high: number; log?: boolean; step?: number; condition?: Condition }
  | { type: 'categorical'; choices: Choice[]; condition?: Condition };

/** A numeric parameter's definition. */
export type NumericDef = Extract<ParamDef, { type: 'float' | 'int' }>;

/** A search space as data: parameter name (a path into the experiment) → how it varies. */
export type SearchSpace = Record<string, ParamDef>;

/** One trial's parameters: a value for every parameter whose condition holds. */
export type Params = Record<string, Choice>;

/** Whether `name`'s condition holds for the parameters chosen so far. */
export function applies(def: ParamDef, params: Params): boolean {
  return !def.condition || def.condition.in.includes(params[def.condition.param]);
}

/**
 * The parameter names in an order where every condition's parameter comes before the
 * parameters it conditions, so that sampling in this order can check conditions.
 */
export function orderedNames(space: SearchSpace): string[] {
  const names = Object.keys(space);
  const done: string[] = [];
  const visit = (name: string, depth: number) => {
    if (done.includes(name) || depth > names.length) return;
    const parent = space[name].condition?.param;
    if (parent && space[parent]) visit(parent, depth + 1);
    done.push(name);
  };
  names.sort().forEach((n) => visit(n, 0));
  return done;
}

const finite = (label: string) =>
  v.pipe(
    v.number((i) => `${label} must be a number (got ${show(i.input)}).`),
    v.finite((i) => `${label} must be a finite number (got ${show(i.input)}).`),
  );

const choice = v.union([v.string(), v.number(), v.boolean()], (i) => `A choice must be text, a number or true/false (got ${show(i.input)}).`);

const conditionSchema = v.strictObject(
  {
    param: v.string((i) => `The condition's parameter must be a name (got ${show(i.input)}).`),
    in: v.pipe(
      v.array(choice, (i) => `The condition's values must be a list (got ${show(i.input)}).`),
      v.minLength(1, 'The condition needs at least one value.'),
    ),
  },
  (i) => (i.expected === 'never' ? `The condition has an unknown setting ${show(i.path?.[0]?.key)}.` : `The condition must be an object with param and in (got ${show(i.input)}).`),
);

const unknownOr = (what: string) => (i: v.StrictObjectIssue | v.ObjectIssue) => {
  const key = i.path?.[0]?.key;
  if (i.expected === 'never') return `${what} has an unknown setting ${show(key)}.`;
  return key !== undefined ? `${what} is missing its ${show(key)} setting.` : `${what} must be an object (got ${show(i.input)}).`;
};

const rangeEntries = <const K extends 'float' | 'int'>(kind: K) => ({
  type: v.literal(kind),
  low: finite('Low'),
  high: finite('High'),
  log: v.optional(v.boolean((i) => `Log must be true or false (got ${show(i.input)}).`)),
  step: v.optional(v.pipe(finite('Step'), v.check((x) => x > 0, (i) => `Step must be greater than 0 (got ${show(i.input)}).`))),
  condition: v.optional(conditionSchema),
});

const paramSchema = v.variant(
  'type',
  [
    v.strictObject(rangeEntries('float'), unknownOr('A float parameter')),
    v.strictObject(rangeEntries('int'), unknownOr('An integer parameter')),
    v.strictObject(
      {
        type: v.literal('categorical'),
        choices: v.pipe(
          v.array(choice, (i) => `Choices must be a list (got ${show(i.input)}).`),
          v.minLength(1, 'A categorical parameter needs at least one choice.'),
          v.check((cs) => new Set(cs).size === cs.length, 'Each choice may be listed only once.'),
        ),
        condition: v.optional(conditionSchema),
      },
      unknownOr('A categorical parameter'),
    ),
  ],
  (i) => (i.path ? `Type must be one of float, int, categorical (got ${show(i.input)}).` : `A parameter must be an object (got ${show(i.input)}).`),
);

/** Problems of a range as a whole, each on the field to change, first found per parameter. */
function rangeErrors(space: SearchSpace): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, def] of Object.entries(space)) {
    if (def.type === 'categorical') continue;
    const int = def.type === 'int';
    const whole = (x: number) => !int || Number.isInteger(x);
    const rules: [boolean, string, string][] = [
      [whole(def.low), 'low', `Low of an integer range must be a whole number (got ${def.low}).`],
      [whole(def.high), 'high', `High of an integer range must be a whole number (got ${def.high}).`],
      [def.step === undefined || whole(def.step), 'step', `Step of an integer range must be a whole number (got ${def.step}).`],
      [def.high > def.low, 'high', `High must be greater than low, ${def.low} (got ${def.high}).`],
      [!def.log || def.low > 0, 'low', `Low must be greater than 0 on a log scale (got ${def.low}).`],
      [!(def.log && def.step !== undefined), 'step', 'A range is either on a log scale or stepped, not both.'],
      [def.step === undefined || def.step <= def.high - def.low, 'step', `Step must be at most high − low, ${def.high - def.low} (got ${def.step}).`],
    ];
    const broken = rules.find(([ok]) => !ok);
    if (broken) errors.push({ path: `${name}.${broken[1]}`, message: broken[2] });
  }
  return errors;
}

/**
 * Path segments that would reach an object's prototype rather than a setting of the
 * experiment; a parameter named through one is refused here and by applyParams.
 */
export const UNSAFE_SEGMENTS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Whether a parameter's dotted path stays inside the experiment's own settings. */
export function safePath(name: string): boolean {
  return !name.split('.').some((segment) => UNSAFE_SEGMENTS.includes(segment));
}

/** The message for parameter names that fail {@link safePath}. */
export function unsafeMessage(names: string): string {
  return `A parameter's name may not pass through ${UNSAFE_SEGMENTS.join(', ')} (got ${names}).`;
}

const spaceSchema = v.record(
  v.pipe(v.string(), v.minLength(1, 'A parameter needs a name.')),
  paramSchema,
  (i) => `The search space must be an object of parameters (got ${show(i.input)}).`,
);

/** Condition problems the schema cannot see: a missing or circular parent, a value it never takes. */
function conditionErrors(space: SearchSpace): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, def] of Object.entries(space)) {
    const c = def.condition;
    if (!c) continue;
    const parent = space[c.param];
    const path = `${name}.condition.param`;
    if (!parent) {
      errors.push({ path, message: `The condition of ${name} looks at ${show(c.param)}, which is not in the search space.` });
      continue;
    }
    const seen = new Set([name]);
    for (let p: string | undefined = c.param; p && space[p]; p = space[p].condition?.param) {
      if (seen.has(p)) {
        errors.push({ path, message: `The conditions of ${name} go round in a circle through ${p}.` });
        break;
      }
      seen.add(p);
    }
    if (parent.type === 'categorical') {
      const never = c.in.filter((x) => !parent.choices.includes(x));
      if (never.length) errors.push({ path: `${name}.condition.in`, message: `${c.param} never takes ${never.map(show).join(', ')}.` });
    }
  }
  return errors;
}

/**
 * Checks that `input` is a valid search space, at every boundary (form, URL, stored study,
 * file import). Gives one error per field, its path the parameter's name then the field
 * (e.g. 'optimizer.lr.high').
 *
 * @example
 * validateSpace({ 'optimizer.lr': { type: 'float', low: 0, high: 1, log: true } });
 * // { ok: false, errors: [{ path: 'optimizer.lr.low', message: 'Low must be greater than 0 on a log scale (got 0).' }] }
 */
export function validateSpace(input: unknown): ValidationResult<SearchSpace> {
  // Valibot's record takes a list for an object; a space never is one.
  if (Array.isArray(input)) return { ok: false, errors: [{ path: '', message: `The search space must be an object of parameters (got ${show(input)}).` }] };
  // Before the schema, whose record silently drops a key named __proto__ or prototype.
  const unsafe = input && typeof input === 'object' ? Object.keys(input).filter((name) => !safePath(name)) : [];
  if (unsafe.length) return { ok: false, errors: unsafe.map((name) => ({ path: name, message: unsafeMessage(show(name)) })) };
  const result = v.safeParse(spaceSchema, input);
  if (!result.success) {
    const errors = new Map<string, string>();
    for (const issue of result.issues) {
      const path = v.getDotPath(issue) ?? '';
      if (!errors.has(path)) errors.set(path, issue.message);
    }
    return { ok: false, errors: [...errors].map(([path, message]) => ({ path, message })) };
  }
  const space = result.output as SearchSpace;
  const errors = [...rangeErrors(space), ...conditionErrors(space)];
  return errors.length ? { ok: false, errors } : { ok: true, spec: space };
}
