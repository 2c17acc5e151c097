// The data behind the learning-rate sweep chart: which regime each learning rate is in, the
// bands to shade, and which rates' loss curves to overlay. Pure, so it is unit-tested.

/** The regimes of a learning rate, smallest rates first. */
export const SWEEP_REGIONS = ['too-small', 'good', 'oscillating', 'diverging'] as const;

/** One of {@link SWEEP_REGIONS}. */
export type SweepRegion = (typeof SWEEP_REGIONS)[number];

/** Every run of a sweep, step by step: what the worker sends back. */
export interface SweepRuns {
  lrs: number[];
  /** Whether each run diverged, as core's lrSweep decides it. */
  diverged: boolean[];
  steps: number;
  /** f along every run, step-major: (steps + 1) × lrs.length, the start first. */
  values: Float32Array;
  /** The points of every run, step-major: (steps + 1) × lrs.length × 2. */
  path: Float32Array;
}

/** A run has made too little progress when less than this share of the best run's drop in f is done. */
export const TOO_SMALL_PROGRESS = 0.9;

/** Steps shorter than this share of the run's first step are at rest: float noise, not a direction. */
const RESTING_STEP = 1e-4;

/** f along run r, one value per step. */
export function lossCurve(runs: SweepRuns, r: number): Float32Array {
  const n = runs.lrs.length;
  return Float32Array.from({ length: runs.steps + 1 }, (_, k) => runs.values[k * n + r]);
}

/**
 * Whether run r zig-zags: of its steps that still move, more than half turn back by more than
 * 90° from the step before. On a quadratic this holds exactly from lr = 2/(L + μ) on, where the
 * steep direction's overshoot becomes what limits convergence.
 */
function zigzags(runs: SweepRuns, r: number): boolean {
  const n = runs.lrs.length;
  const at = (k: number): [number, number] => [runs.path[2 * (k * n + r)], runs.path[2 * (k * n + r) + 1]];
  const step = (k: number): [number, number] => {
    const [a, b] = [at(k), at(k + 1)];
    return [b[0] - a[0], b[1] - a[1]];
  };
  if (runs.steps < 3) return false;
  const first = Math.hypot(...step(0));
  let moving = 0;
  let reversals = 0;
  for (let k = 1; k < runs.steps; k++) {
    const [previous, next] = [step(k - 1), step(k)];
    if (Math.hypot(...next) <= RESTING_STEP * first) break;
    moving++;
    if (previous[0] * next[0] + previous[1] * next[1] < 0) reversals++;
  }
  return moving >= 2 && reversals > moving / 2;
}

/**
 * The regime of every learning rate of a sweep:
 * - diverging: the run diverged, or ended higher than it started;
 * - oscillating: otherwise, when its path zig-zags (see {@link zigzags});
 * - too small: otherwise, when it did less than {@link TOO_SMALL_PROGRESS} of the drop in f that
 *   the best run of the sweep achieved;
 * - good: the rest.
 */
export function classifySweep(runs: SweepRuns): SweepRegion[] {
  const n = runs.lrs.length;
  const first = (r: number) => runs.values[r];
  const final = (r: number) => runs.values[runs.steps * n + r];
  const diverging = runs.lrs.map((_, r) => runs.diverged[r] || !Number.isFinite(final(r)) || final(r) > first(r));
  let best = Infinity;
  for (let r = 0; r < n; r++) if (!diverging[r]) best = Math.min(best, final(r));
  return runs.lrs.map((_, r) => {
    if (diverging[r]) return 'diverging';
    if (zigzags(runs, r)) return 'oscillating';
    const possible = first(r) - best;
    return possible > 0 && (first(r) - final(r)) / possible < TOO_SMALL_PROGRESS ? 'too-small' : 'good';
  });
}

/** A band of consecutive learning rates in one regime, from and to the geometric midpoints to its neighbours. */
export interface RegionSpan {
  region: SweepRegion;
  from: number;
  to: number;
}

/** The bands to shade behind a sweep on a log axis: runs of equal regime, meeting halfway (in log) between rates. */
export function regionSpans(lrs: number[], regions: SweepRegion[]): RegionSpan[] {
  const spans: RegionSpan[] = [];
  lrs.forEach((lr, i) => {
    const from = i === 0 ? lr : Math.sqrt(lrs[i - 1] * lr);
    const to = i === lrs.length - 1 ? lr : Math.sqrt(lr * lrs[i + 1]);
    const open = spans.at(-1);
    if (open && open.region === regions[i]) open.to = to;
    else spans.push({ region: regions[i], from, to });
  });
  return spans;
}

/** Learning rates whose loss curves show each regime: the middle rate of the widest band of each regime present. */
export function pickCurveLrs(lrs: number[], regions: SweepRegion[]): number[] {
  return SWEEP_REGIONS.flatMap((region) => {
    let best: number[] = [];
    let run: number[] = [];
    lrs.forEach((lr, i) => {
      run = regions[i] === region ? [...run, lr] : [];
      if (run.length > best.length) best = run;
    });
    return best.length ? [best[Math.floor((best.length - 1) / 2)]] : [];
  });
}
