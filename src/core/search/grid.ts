import { applies, orderedNames, type Choice, type ParamDef, type Params, type SearchSpace } from './space';

/**
 * A grid over a search space, counted and indexed arithmetically: its size and its k-th point
 * are computed without listing the points, or even one parameter's values, so that a space of
 * 10⁴² combinations (seven ranges stepped by 1e-6) costs as little as one of four.
 */

/**
 * How many grid values one parameter has: every choice, every step from low to high, every
 * integer when they fit in `resolution`, else `resolution` points (fewer for an integer range
 * where rounding merges some). Infinity for a step that never reaches high (0 or negative).
 */
export function gridValueCount(def: ParamDef, resolution: number): number {
  if (def.type === 'categorical') return def.choices.length;
  if (def.step !== undefined) return def.step > 0 && def.high >= def.low ? Math.floor((def.high - def.low) / def.step + 1e-9) + 1 : Infinity;
  return smallValues(def, resolution).length;
}

/** The i-th grid value of one parameter (0 ≤ i < {@link gridValueCount}), in ascending order for ranges. */
export function gridValueAt(def: ParamDef, resolution: number, i: number): Choice {
  if (def.type === 'categorical') return def.choices[i];
  if (def.step !== undefined) return Number((def.low + i * def.step).toPrecision(12));
  return smallValues(def, resolution)[i];
}

/** The index of `value` among a parameter's grid values, or -1 when it is not one of them. */
export function gridIndexOf(def: ParamDef, resolution: number, value: Choice): number {
  if (def.type === 'categorical') return def.choices.indexOf(value);
  if (typeof value !== 'number') return -1;
  if (def.step !== undefined) {
    const i = Math.round((value - def.low) / def.step);
    return i >= 0 && i < gridValueCount(def, resolution) && gridValueAt(def, resolution, i) === value ? i : -1;
  }
  return smallValues(def, resolution).indexOf(value);
}

/** The values of an unstepped range: at most `resolution` of them, so listing is cheap. */
function smallValues(def: Extract<ParamDef, { type: 'float' | 'int' }>, resolution: number): number[] {
  if (def.type === 'int' && def.high - def.low + 1 <= resolution) {
    return Array.from({ length: Math.max(0, def.high - def.low + 1) }, (_, i) => def.low + i);
  }
  const n = Math.max(1, Math.floor(resolution));
  const at = (t: number) => (def.log ? Math.exp(Math.log(def.low) + t * (Math.log(def.high) - Math.log(def.low))) : def.low + t * (def.high - def.low));
  // The ends exactly: exp(log(x)) is not always x.
  const values = Array.from({ length: n }, (_, i) => (i === 0 ? def.low : i === n - 1 ? def.high : at(i / (n - 1))));
  return def.type === 'int' ? [...new Set(values.map(Math.round))] : values;
}

/** Stands for "any value no condition looks at" while counting; no condition's list holds it. */
const OTHER = Symbol('other value') as unknown as Choice;

/**
 * The values of a parameter that conditions look at, grouped so that values alike for every
 * condition are counted once: one group per value some condition names, and one per run of
 * other values between them.
 */
interface ValueGroup {
  /** The value that stands for the group while counting. */
  stand: Choice;
  /** How many grid values the group holds. */
  size: number;
  /** The grid index of the group's j-th value. */
  index(j: number): number;
}

/** A grid's plan: the parameters in condition order and the value groups of the watched ones. */
interface GridPlan {
  names: string[];
  space: SearchSpace;
  resolution: number;
  counts: Map<string, number>;
  groups: Map<string, ValueGroup[]>;
}

function plan(space: SearchSpace, resolution: number): GridPlan {
  const names = orderedNames(space);
  const counts = new Map(names.map((name) => [name, gridValueCount(space[name], resolution)]));
  const groups = new Map<string, ValueGroup[]>();
  for (const name of names) {
    const named = Object.values(space).flatMap((d) => (d.condition?.param === name ? d.condition.in : []));
    if (!named.length) continue;
    const def = space[name];
    const special = [...new Set(named.map((value) => gridIndexOf(def, resolution, value)).filter((i) => i >= 0))].sort((a, b) => a - b);
    // Runs of other values between the named ones keep the grid in value order.
    const list: ValueGroup[] = [];
    let start = 0;
    for (const end of [...special, counts.get(name)!]) {
      const from = start;
      if (end > from) list.push({ stand: OTHER, size: end - from, index: (j) => from + j });
      if (end < counts.get(name)!) list.push({ stand: gridValueAt(def, resolution, end), size: 1, index: () => end });
      start = end + 1;
    }
    groups.set(name, list);
  }
  return { names, space, resolution, counts, groups };
}

/** How many completions the parameters from the k-th on have, given the values chosen before. */
function completions(p: GridPlan, k: number, chosen: Params): number {
  if (k === p.names.length) return 1;
  const name = p.names[k];
  if (!applies(p.space[name], chosen)) return completions(p, k + 1, chosen);
  const groups = p.groups.get(name);
  if (!groups) return p.counts.get(name)! * completions(p, k + 1, chosen);
  return groups.reduce((total, g) => total + g.size * completions(p, k + 1, { ...chosen, [name]: g.stand }), 0);
}

/**
 * How many trials a grid search of the space at `resolution` runs, counted without listing
 * them: conditional parameters count only where their condition holds. Infinity when a range
 * never ends (a step of 0 or less; {@link validateSpace} refuses those).
 */
export function gridSize(space: SearchSpace, resolution: number): number {
  return completions(plan(space, resolution), 0, {});
}

/**
 * The grid point at `index` (0 ≤ index < {@link gridSize}), in the order of {@link gridPoints}:
 * parameters in condition order, the last varying fastest. Exact up to 2⁵³ points.
 */
export function gridPointAt(space: SearchSpace, resolution: number, index: number): Params {
  return pointAt(plan(space, resolution), index);
}

function pointAt(p: GridPlan, index: number): Params {
  const point: Params = {};
  const stands: Params = {};
  let rest = index;
  p.names.forEach((name, k) => {
    const def = p.space[name];
    if (!applies(def, stands)) return;
    const groups = p.groups.get(name);
    if (!groups) {
      const below = completions(p, k + 1, stands);
      point[name] = gridValueAt(def, p.resolution, Math.floor(rest / below));
      rest %= below;
      return;
    }
    for (const g of groups) {
      const below = completions(p, k + 1, { ...stands, [name]: g.stand });
      if (rest < g.size * below) {
        point[name] = gridValueAt(def, p.resolution, g.index(Math.floor(rest / below)));
        stands[name] = g.stand;
        rest %= below;
        return;
      }
      rest -= g.size * below;
    }
  });
  return point;
}

/** Every grid point, listed: for small grids and tests only; the sampler takes them by index. */
export function gridPoints(space: SearchSpace, resolution: number): Params[] {
  const p = plan(space, resolution);
  return Array.from({ length: completions(p, 0, {}) }, (_, i) => pointAt(p, i));
}

/** The grid values of one parameter, listed: only for parameters known to have few. */
export function gridValues(def: ParamDef, resolution: number): Choice[] {
  return Array.from({ length: gridValueCount(def, resolution) }, (_, i) => gridValueAt(def, resolution, i));
}

/** A grid's points by index, its plan made once: what the grid sampler walks through. */
export interface GridIndex {
  size: number;
  at(index: number): Params;
}

/** The grid of the space at `resolution`, to take points from one at a time. */
export function gridIndex(space: SearchSpace, resolution: number): GridIndex {
  const p = plan(space, resolution);
  return { size: completions(p, 0, {}), at: (index) => pointAt(p, index) };
}
