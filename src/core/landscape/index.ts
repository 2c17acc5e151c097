import type { OptimizerSpec } from '../optim/types';
import { descend, hasDiverged, type DescentResult, type RunControl } from './descent';
import { resolveSurface, type SurfaceSpec } from './surface-spec';
import type { Domain, Surface } from './surfaces';

/**
 * The landscape lab's engine: optimizer paths on 2-D surfaces, maps of which minimum each
 * start reaches, and learning-rate sweeps. Every run uses `core/optim`'s {@link Optimizer},
 * the very update rules training uses, on many starts at once.
 */

export { DIVERGENCE_WIDTHS, STEPS_PER_CHUNK, type RunControl } from './descent';
export {
  compileToTf,
  evaluateFormula,
  parseFormula,
  FORMULA_CONSTANTS,
  FORMULA_FUNCTIONS,
  MAX_FORMULA_DEPTH,
  MAX_FORMULA_LENGTH,
  type BinaryOperator,
  type FormulaError,
  type FormulaFunction,
  type FormulaNode,
  type ParseResult,
} from './formula';
export {
  DEFAULT_FORMULA_DOMAIN,
  resolveSurface,
  type FormulaSurfaceSpec,
  type SurfaceResult,
  type SurfaceSpec,
  type SurfaceSpecError,
} from './surface-spec';
export {
  BUILT_IN_SURFACES,
  BUILT_IN_SURFACE_IDS,
  DEFAULT_BOWL,
  bowl,
  isBuiltInSurfaceId,
  type BowlOptions,
  type BowlSurface,
  type BuiltInSurfaceId,
  type Domain,
  type Surface,
  type SurfaceMinimum,
  type SurfacePoint,
} from './surfaces';

/** A surface given as data (specs, links, worker messages) or already built (in-process callers). */
export type SurfaceInput = SurfaceSpec | Surface;

/**
 * Surfaces resolved from specs, by the spec's text: a slider dragged over a formula or a bowl
 * sends the same spec many times a second, and its parse and compiled code are made once.
 */
const resolved = new Map<string, Surface>();
/** Most resolved surfaces kept. */
const MAX_RESOLVED = 16;

function toSurface(input: SurfaceInput): Surface {
  if (typeof input === 'object' && 'fn' in input) return input;
  const key = JSON.stringify(input);
  const known = resolved.get(key);
  if (known) return known;
  const result = resolveSurface(input);
  if (!result.ok) throw new Error(result.error.message);
  if (resolved.size >= MAX_RESOLVED) resolved.delete(resolved.keys().next().value!);
  resolved.set(key, result.surface);
  return result.surface;
}

function checkPoint([x, y]: [number, number], what: string): void {
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`${what} must be two finite numbers`);
}

/** One optimizer path: where to start, with what, for how long. */
export interface TrajectorySpec {
  surface: SurfaceInput;
  optimizer: OptimizerSpec;
  start: [number, number];
  steps: number;
}

/** The points an optimizer visits and f there: steps + 1 entries, the start first. */
export interface Trajectory {
  points: [number, number][];
  values: number[];
}

/**
 * Follows one optimizer from `start` for `steps` steps on a surface. Throws for a surface spec
 * that {@link resolveSurface} refuses; validate specs before calling to show errors in place.
 */
export async function trajectory(spec: TrajectorySpec, control?: RunControl): Promise<Trajectory> {
  checkPoint(spec.start, 'start');
  const { path, pathValues } = await descend({
    surface: toSurface(spec.surface),
    optimizer: spec.optimizer,
    starts: Float64Array.from(spec.start),
    steps: spec.steps,
    recordPath: true,
    control,
  });
  const points: [number, number][] = [];
  for (let k = 0; k <= spec.steps; k++) points.push([path![2 * k], path![2 * k + 1]]);
  return { points, values: Array.from(pathValues!) };
}

/** A square grid of starts over a domain: cell centres, `size` per side. */
export interface StartGrid {
  size: number;
  /** The surface's own domain when omitted. */
  domain?: Domain;
}

/** The start of grid cell (column i, row j): row 0 is the lowest y, column 0 the lowest x. */
export function gridStart(size: number, domain: Domain, i: number, j: number): [number, number] {
  const [x0, x1] = domain.x;
  const [y0, y1] = domain.y;
  return [x0 + ((i + 0.5) * (x1 - x0)) / size, y0 + ((j + 0.5) * (y1 - y0)) / size];
}

/** The starts of a size × size grid over `domain`, interleaved x, y, in the layout of {@link BasinMap.labels}. */
export function gridStarts(size: number, domain: Domain): Float64Array {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`grid size must be a whole number ≥ 1, got ${size}`);
  const starts = new Float64Array(2 * size * size);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) starts.set(gridStart(size, domain, i, j), 2 * (j * size + i));
  }
  return starts;
}

/** Label of a start that left the domain far behind or became non-finite. */
export const DIVERGED = -1;
/** Label of a start that ended near no listed minimum, or not yet at rest there. */
export const NOT_CONVERGED = -2;

/** When a final point counts as having reached a minimum. */
export interface BasinTolerance {
  /** Largest distance to the minimum; default 1% of the domain's larger side. */
  distance?: number;
  /**
   * Largest gradient norm; default 1% of the median gradient norm at the grid's starts, so
   * that the test follows the surface's own scale (Goldstein–Price's gradients are 10⁴ times
   * Himmelblau's).
   */
  gradient?: number;
}

/** Which minimum each start of a grid reaches. */
export interface BasinMapSpec {
  surface: SurfaceInput;
  optimizer: OptimizerSpec;
  grid: StartGrid;
  steps: number;
  tolerance?: BasinTolerance;
}

/** The basins of attraction of the surface's minima under one optimizer. */
export interface BasinMap {
  size: number;
  domain: Domain;
  /**
   * One label per start, index j·size + i for {@link gridStart}(size, domain, i, j): the index
   * of the minimum reached in `surface.minima`, {@link DIVERGED} or {@link NOT_CONVERGED}.
   */
  labels: Int16Array;
  /** Starts that reached each minimum, in the order of `surface.minima`. */
  counts: number[];
  diverged: number;
  notConverged: number;
  /** Share of all starts that reached a global minimum, in [0, 1]. */
  shareGlobal: number;
}

function median(values: Float64Array): number {
  const finite = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (finite.length === 0) return 0;
  const middle = finite.length >> 1;
  return finite.length % 2 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2;
}

/**
 * Starts the optimizer from every cell of a grid at once and labels each start with the
 * minimum it reached (see {@link labelBasins}).
 */
export async function basinMap(spec: BasinMapSpec, control?: RunControl): Promise<BasinMap> {
  const surface = toSurface(spec.surface);
  const domain = spec.grid.domain ?? surface.domain;
  const size = spec.grid.size;
  const end = await descend({ surface, optimizer: spec.optimizer, starts: gridStarts(size, domain), steps: spec.steps, control });
  return labelBasins(surface, { size, domain }, end, spec.tolerance);
}

/** Where a grid's starts ended: what {@link labelBasins} reads, as `descend` returns it. */
export type GridEnds = Pick<DescentResult, 'points' | 'values' | 'gradientNorms' | 'startGradientNorms'>;

/**
 * Labels each start of a grid with the minimum it reached: ending within `tolerance.distance`
 * of it with a gradient below `tolerance.gradient`. Starts that became non-finite or ended
 * more than {@link DIVERGENCE_WIDTHS} domain widths outside the domain are {@link DIVERGED}.
 */
export function labelBasins(surface: Surface, { size, domain }: { size: number; domain: Domain }, end: GridEnds, tolerance?: BasinTolerance): BasinMap {
  const distance = tolerance?.distance ?? 0.01 * Math.max(domain.x[1] - domain.x[0], domain.y[1] - domain.y[0]);
  const gradientTolerance = tolerance?.gradient ?? 0.01 * median(end.startGradientNorms);
  const labels = new Int16Array(size * size);
  const counts = surface.minima.map(() => 0);
  let diverged = 0;
  for (let s = 0; s < labels.length; s++) {
    const x = end.points[2 * s];
    const y = end.points[2 * s + 1];
    if (hasDiverged(x, y, end.values[s], domain)) {
      labels[s] = DIVERGED;
      diverged++;
      continue;
    }
    const reached =
      end.gradientNorms[s] <= gradientTolerance
        ? surface.minima.findIndex((m) => Math.hypot(x - m.x, y - m.y) <= distance)
        : -1;
    labels[s] = reached === -1 ? NOT_CONVERGED : reached;
    if (reached !== -1) counts[reached]++;
  }
  const globalCount = counts.reduce((sum, c, m) => sum + (surface.minima[m].kind === 'global' ? c : 0), 0);
  return {
    size,
    domain,
    labels,
    counts,
    diverged,
    notConverged: labels.length - diverged - counts.reduce((a, b) => a + b, 0),
    shareGlobal: globalCount / labels.length,
  };
}

/** Learning rates spaced evenly on a log scale from `low` to `high`, `count` of them. */
export interface LogRange {
  low: number;
  high: number;
  count: number;
}

/** Learning rates from `low` to `high`, evenly spaced on a log scale (both ends included). */
export function logSpace({ low, high, count }: LogRange): number[] {
  if (!(low > 0 && high >= low && Number.isFinite(high))) {
    throw new RangeError(`a log range needs 0 < low ≤ high, got [${low}, ${high}]`);
  }
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a whole number ≥ 1, got ${count}`);
  if (count === 1) return [low];
  const ratio = Math.log(high / low) / (count - 1);
  // A plain loop: Array.from with a callback costs several times the 64 exponentials of a sweep.
  const rates = new Array<number>(count);
  for (let i = 0; i < count; i++) rates[i] = i === count - 1 ? high : low * Math.exp(ratio * i);
  return rates;
}

/** One start, many learning rates. */
export interface LrSweepSpec {
  surface: SurfaceInput;
  /** Its `lr` is ignored: each run takes one of `lrs`. */
  optimizer: OptimizerSpec;
  start: [number, number];
  steps: number;
  lrs: number[] | LogRange;
}

/** How each learning rate fared. */
export interface LrSweep {
  lrs: number[];
  /** f at the final point of each run (NaN or ±Infinity when it blew up). */
  finalLoss: number[];
  /** Whether each run diverged (non-finite, or far outside the domain). */
  diverged: boolean[];
  /** The smallest learning rate that diverged; absent when none did. */
  threshold?: number;
}

/**
 * Runs the optimizer from one start with every learning rate at once, as one batch: points
 * [R, 2] with an lr tensor [R, 1]. On the bowl, plain gradient descent's threshold sits at
 * {@link stabilityBound} = 2/L.
 */
export async function lrSweep(spec: LrSweepSpec, control?: RunControl): Promise<LrSweep> {
  checkPoint(spec.start, 'start');
  const surface = toSurface(spec.surface);
  const lrs = Array.isArray(spec.lrs) ? spec.lrs : logSpace(spec.lrs);
  if (lrs.length === 0 || lrs.some((lr) => !(lr > 0 && Number.isFinite(lr)))) {
    throw new RangeError('lrs must be one or more finite numbers > 0');
  }
  const starts = new Float64Array(2 * lrs.length);
  for (let r = 0; r < lrs.length; r++) starts.set(spec.start, 2 * r);
  const end = await descend({
    surface,
    optimizer: spec.optimizer,
    starts,
    steps: spec.steps,
    lrs: Float64Array.from(lrs),
    control,
  });
  // One plain loop: a sweep's first runs go through it before the engine has optimized it.
  const finalLoss = new Array<number>(lrs.length);
  const diverged = new Array<boolean>(lrs.length);
  let threshold = Infinity;
  for (let r = 0; r < lrs.length; r++) {
    finalLoss[r] = end.values[r];
    diverged[r] = hasDiverged(end.points[2 * r], end.points[2 * r + 1], end.values[r], surface.domain);
    if (diverged[r]) threshold = Math.min(threshold, lrs[r]);
  }
  return { lrs, finalLoss, diverged, ...(threshold < Infinity ? { threshold } : {}) };
}

/**
 * The largest stable learning rate of plain gradient descent, 2/L, for surfaces whose
 * curvature L is the same everywhere (the bowl); undefined for the others.
 */
export function stabilityBound(surface: SurfaceInput): number | undefined {
  const { L } = toSurface(surface);
  return L === undefined ? undefined : 2 / L;
}

/**
 * f on a size × size grid of cell centres, in the layout of {@link BasinMap.labels}: the
 * heights a heat map or contour plot of the surface draws. One batch, no step taken.
 */
export async function surfaceGrid(surface: SurfaceInput, size: number, domain?: Domain): Promise<Float32Array> {
  const resolved = toSurface(surface);
  const { values } = await descend({ surface: resolved, optimizer: { kind: 'sgd', lr: 1 }, starts: gridStarts(size, domain ?? resolved.domain), steps: 0 });
  return Float32Array.from(values);
}
