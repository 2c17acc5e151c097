import { quoteCell } from '../data/table/cells';
import type { Objective, StudyObjective, TrialRecord } from './types';

/** A number, or a category's index, for a parameter's value on an axis. */
const better = (objective: Objective) => (a: number, b: number) => (objective.direction === 'minimize' ? a < b : a > b);

/** Trials that finished with a value, in trial order. */
export function completed(trials: TrialRecord[]): (TrialRecord & { value: number })[] {
  return trials.filter((t): t is TrialRecord & { value: number } => t.state === 'complete' && Number.isFinite(t.value));
}

/** Optimization history: each completed trial's value and the best value so far, by trial number. */
export function optimizationHistory(trials: TrialRecord[], objective: Objective): { number: number[]; value: number[]; best: number[] } {
  const done = completed(trials);
  const isBetter = better(objective);
  const best: number[] = [];
  done.forEach((t, i) => best.push(i === 0 || isBetter(t.value, best[i - 1]) ? t.value : best[i - 1]));
  return { number: done.map((t) => t.number), value: done.map((t) => t.value), best };
}

/** The best completed trial, if any. */
export function bestTrial(trials: TrialRecord[], objective: Objective): TrialRecord | undefined {
  const isBetter = better(objective);
  return completed(trials).reduce<(TrialRecord & { value: number }) | undefined>((b, t) => (!b || isBetter(t.value, b.value) ? t : b), undefined);
}

/** Every parameter name that appears in any trial, sorted. */
export function parameterNames(trials: TrialRecord[]): string[] {
  return [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
}

/** One axis of a parallel-coordinates or slice plot: the values of a parameter per trial, categories as indices. */
export interface ParamAxis {
  name: string;
  values: (number | undefined)[];
  /** Category labels, for categorical parameters (values index into them). */
  categories?: string[];
  /** Whether a log axis suits it (all positive and spanning two decades or more). */
  log: boolean;
}

/**
 * The axes of the completed trials: one per parameter, in {@link parameterNames} order. A
 * parameter is on a log axis when its search space says so (`logScale`), or, without one, when
 * its values span two decades or more. A categorical axis lists every choice the space offers
 * (`choices`), tried or not, so that each is labelled; without them, the values seen, sorted.
 */
export function parameterAxes(trials: TrialRecord[], logScale?: (name: string) => boolean, choices?: (name: string) => readonly unknown[] | undefined): ParamAxis[] {
  const done = completed(trials);
  return parameterNames(done).map((name) => {
    const raw = done.map((t) => t.params[name]);
    // A yes/no choice (a distilled student or not) is a category, labelled with its choices.
    if (raw.every((v) => v === undefined || typeof v === 'number')) {
      const values = raw as (number | undefined)[];
      const present = values.filter((v): v is number => v !== undefined);
      const log = logScale ? logScale(name) : present.length > 1 && present.every((v) => v > 0) && Math.max(...present) / Math.min(...present) >= 100;
      return { name, values, log };
    }
    // Every choice of the space, in its order, then any value seen that it no longer lists.
    const listed = (choices?.(name) ?? []).map(String);
    const categories = [...new Set([...listed, ...raw.filter((v) => v !== undefined).map(String).sort()])];
    return { name, values: raw.map((v) => (v === undefined ? undefined : categories.indexOf(String(v)))), categories, log: false };
  });
}

/**
 * Parameter importance by the share of the objective's variance each parameter explains on its
 * own (a one-way ANOVA: between-group variance over total, with numeric parameters binned into
 * quartiles). Cheap and readable; it misses interactions between parameters, which Optuna's
 * fANOVA captures, and needs a dozen or more completed trials to mean much.
 */
export function parameterImportance(trials: TrialRecord[]): { name: string; importance: number }[] {
  const done = completed(trials);
  if (done.length < 3) return [];
  const y = done.map((t) => t.value);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const total = y.reduce((a, v) => a + (v - mean) ** 2, 0);
  if (total === 0) return [];
  const scores = parameterAxes(done).map((axis) => {
    const present = axis.values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
    const cut = (q: number) => present[Math.min(present.length - 1, Math.floor(q * present.length))];
    const bins = axis.categories ? null : [cut(0.25), cut(0.5), cut(0.75)];
    const groups = new Map<string, number[]>();
    axis.values.forEach((v, i) => {
      const key = v === undefined ? 'absent' : bins ? String(bins.filter((b) => v > b).length) : String(v);
      groups.set(key, [...(groups.get(key) ?? []), y[i]]);
    });
    const between = [...groups.values()].reduce((a, g) => a + g.length * (g.reduce((s, v) => s + v, 0) / g.length - mean) ** 2, 0);
    return { name: axis.name, importance: between / total };
  });
  const sum = scores.reduce((a, s) => a + s.importance, 0) || 1;
  return scores.map((s) => ({ name: s.name, importance: s.importance / sum })).sort((a, b) => b.importance - a.importance);
}

/** Learning rate against final value, for the log-axis chart: completed trials sorted by lr. */
export function learningRateCurve(trials: TrialRecord[]): { lr: number[]; value: number[] } {
  const points = completed(trials)
    .map((t) => ({ lr: t.spec.optimizer.lr, value: t.value }))
    .sort((a, b) => a.lr - b.lr);
  return { lr: points.map((p) => p.lr), value: points.map((p) => p.value) };
}

/** Each trial's intermediate values (the objective metric per epoch) with whether it was pruned. */
export function intermediateCurves(trials: TrialRecord[], objective: Objective): { number: number; values: number[]; pruned: boolean }[] {
  return trials
    .filter((t) => t.epochs.length > 0)
    .map((t) => ({ number: t.number, values: t.epochs.map((m) => m[objective.metric]), pruned: t.state === 'pruned' }));
}

/**
 * The trials as CSV: number, state, value (and value_std, the standard deviation over the
 * folds, when cross-validated), then, for a study of several objectives, its generation and
 * a column per objective (named by its metric), then every parameter; values quoted where needed
 * and neutralized against formulas (a categorical choice "=cmd()" is written "'=cmd()").
 */
export function trialsCsv(trials: TrialRecord[], objectives: StudyObjective[] = []): string {
  const names = parameterNames(trials);
  const std = trials.some((t) => t.valueStd !== undefined);
  const multi = objectives.length > 1;
  const cell = (v: unknown) => quoteCell(v === undefined || v === null ? '' : String(v));
  const extra = (t: TrialRecord) => (multi ? [t.generation, ...objectives.map((_, m) => t.values?.[m])] : []);
  const extraNames = multi ? ['generation', ...objectives.map((o) => o.metric)] : [];
  const rows = trials.map((t) => [t.number, t.state, t.value, ...(std ? [t.valueStd] : []), ...extra(t), ...names.map((n) => t.params[n])].map(cell).join(','));
  return [['number', 'state', 'value', ...(std ? ['value_std'] : []), ...extraNames, ...names].map(cell).join(','), ...rows].join('\n') + '\n';
}

/** Points of a slice plot of `axis` (from {@link parameterAxes} of the same trials): the objective against the parameter, sorted by the parameter, trials without it left out. */
export function slicePoints(trials: TrialRecord[], axis: ParamAxis): { x: number[]; y: number[] } {
  const values = completed(trials).map((t) => t.value);
  const points = axis.values
    .map((x, i) => ({ x, y: values[i] }))
    .filter((p): p is { x: number; y: number } => p.x !== undefined)
    .sort((a, b) => a.x - b.x);
  return { x: points.map((p) => p.x), y: points.map((p) => p.y) };
}
