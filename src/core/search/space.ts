/** A value a categorical parameter may take. */
export type Choice = string | number | boolean;

/** When a parameter applies: only while another parameter takes one of these values. */
export interface Condition {
  param: string;
  in: Choice[];
}

/** How one hyperparameter varies: a float or integer range (linear or log, optional step) or a list of choices. */
export type ParamDef =
  | { type: 'float'; low: number; high: number; log?: boolean; step?: number; condition?: Condition }
  | { type: 'int'; low: number; high: number; log?: boolean; step?: number; condition?: Condition }
  | { type: 'categorical'; choices: Choice[]; condition?: Condition };

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

/**
 * The grid points of one parameter: every choice, every integer (by step), or `resolution`
 * evenly spaced floats (log-spaced when log), both ends included.
 */
export function gridValues(def: ParamDef, resolution: number): Choice[] {
  if (def.type === 'categorical') return [...def.choices];
  if (def.step) {
    const out: number[] = [];
    for (let v = def.low; v <= def.high + 1e-9 * Math.abs(def.step); v += def.step) out.push(Number(v.toPrecision(12)));
    return out;
  }
  if (def.type === 'int' && def.high - def.low + 1 <= resolution) {
    return Array.from({ length: def.high - def.low + 1 }, (_, i) => def.low + i);
  }
  const n = Math.max(1, resolution);
  const at = (t: number) => (def.log ? Math.exp(Math.log(def.low) + t * (Math.log(def.high) - Math.log(def.low))) : def.low + t * (def.high - def.low));
  // The ends exactly: exp(log(x)) is not always x.
  const values = Array.from({ length: n }, (_, i) => (i === 0 ? def.low : i === n - 1 ? def.high : at(i / (n - 1))));
  return def.type === 'int' ? [...new Set(values.map(Math.round))] : values;
}

/** Every combination of grid values, conditional parameters present only where their condition holds. */
export function gridPoints(space: SearchSpace, resolution: number): Params[] {
  let points: Params[] = [{}];
  for (const name of orderedNames(space)) {
    const def = space[name];
    const values = gridValues(def, resolution);
    points = points.flatMap((p) => (applies(def, p) ? values.map((v) => ({ ...p, [name]: v })) : [p]));
  }
  return points;
}

/** How many trials a grid search of the space at `resolution` runs. */
export function gridSize(space: SearchSpace, resolution: number): number {
  return gridPoints(space, resolution).length;
}
