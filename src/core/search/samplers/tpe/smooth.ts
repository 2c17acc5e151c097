import type { SearchSpace } from '../../space';
import type { LoggedTrial } from '../sampler';
import { scaleOf } from '../scale';

/** Kernel widths tried, as a share of each parameter's internal range (one-hot choices: 1 apart). */
const LENGTHSCALES = [0.1, 0.2, 0.35, 0.6];
/** Noise variances tried, as a share of the signal variance: the first is no noise to speak of. */
const NOISE_RATIOS = [1e-4, 0.01, 0.03, 0.1, 0.3, 1];

/** A trial as a point: each numeric parameter in [0, 1] of its internal range, each choice one-hot. */
function encode(space: SearchSpace, trial: LoggedTrial): number[] {
  return Object.entries(space).flatMap(([name, def]) => {
    const v = trial.params[name];
    if (def.type === 'categorical') return def.choices.map((c) => (c === v ? Math.SQRT1_2 : 0));
    const s = scaleOf(def);
    return [(s.toInternal(v as number) - s.low) / (s.high - s.low)];
  });
}

/** The lower Cholesky factor of the n × n matrix `a` (row-major), in place; false if not positive definite. */
function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] ** 2;
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / l;
    }
  }
  return true;
}

/** x = (L Lᵀ)⁻¹ b for the factor L that {@link cholesky} left in `l`. */
function cholSolve(l: Float64Array, n: number, b: number[]): number[] {
  const y = b.slice();
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) y[i] -= l[i * n + k] * y[k];
    y[i] /= l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) y[i] -= l[k * n + i] * y[k];
    y[i] /= l[i * n + i];
  }
  return y;
}

/** Finished trials per encoded dimension needed before the values are smoothed: a fit over fewer says little. */
export const SMOOTH_TRIALS_PER_DIMENSION = 4;
/**
 * Finished trials beyond which nothing is smoothed: the fit grows with their cube (24
 * factorizations of an n × n matrix, made on the page's thread whenever a trial finishes: in
 * Node about 25 ms at 100 trials, 150 ms at 200, 600 ms at 300), and a long study has outgrown
 * the luck of single trials.
 */
export const SMOOTH_MAX_TRIALS = 150;
/** How much more likely (in nats) the best fit with noise must make the values than the best fit without. */
export const SMOOTH_MIN_EVIDENCE = 1;
/** Noise shares below this count as none: the fit says the values are a smooth function of the parameters. */
const NOISY_RATIO = 0.1;

/**
 * Each finished trial's value as a Gaussian process smooths it, for ranking trials into good
 * and bad under noise: a trial that looked good only by luck among worse neighbours sinks.
 * The values are taken by rank (centred uniform scores, so that a few huge values do not
 * decide the fit), the kernel is squared-exponential over the encoded parameters, and its
 * width and the share of noise are those of the greatest profile likelihood over a small grid.
 * An empty map (every trial ranked by its own value) unless at least
 * {@link SMOOTH_TRIALS_PER_DIMENSION} trials per encoded dimension finished and the best fit
 * with a noise share of 0.1 or more beats the best with 0.03 or less by
 * {@link SMOOTH_MIN_EVIDENCE}: on a noise-free objective the values stand as observed. Nor
 * beyond {@link SMOOTH_MAX_TRIALS} finished trials. Only
 * trials holding every parameter of `space` count.
 */
export function smoothedValues(space: SearchSpace, trials: LoggedTrial[]): Map<LoggedTrial, number> {
  const out = new Map<LoggedTrial, number>();
  const done = trials.filter((t) => typeof t.value === 'number' && Object.keys(space).every((k) => t.params[k] !== undefined));
  const n = done.length;
  const x = done.map((t) => encode(space, t));
  if (n === 0 || n < SMOOTH_TRIALS_PER_DIMENSION * x[0].length || n > SMOOTH_MAX_TRIALS) return out;
  const order = done.map((_, i) => i).sort((a, b) => (done[a].value as number) - (done[b].value as number));
  const y = Array<number>(n);
  order.forEach((i, r) => (y[i] = (r + 0.5) / n - 0.5));
  const d2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) d2[i * n + j] = d2[j * n + i] = x[i].reduce((s, v, k) => s + (v - x[j][k]) ** 2, 0);
  const best = { noisy: -Infinity, clean: -Infinity, mean: y };
  const a = new Float64Array(n * n);
  for (const ell of LENGTHSCALES) {
    for (const ratio of NOISE_RATIOS) {
      for (let k = 0; k < n * n; k++) a[k] = Math.exp(-d2[k] / (2 * ell * ell));
      for (let i = 0; i < n; i++) a[i * n + i] = 1 + ratio;
      if (!cholesky(a, n)) continue;
      const alpha = cholSolve(a, n, y);
      const quad = y.reduce((s, v, i) => s + v * alpha[i], 0);
      let logDet = 0;
      for (let i = 0; i < n; i++) logDet += 2 * Math.log(a[i * n + i]);
      // Profile likelihood: the signal variance at its maximum, quad / n.
      const score = -0.5 * n * Math.log(quad / n) - 0.5 * logDet;
      if (ratio < NOISY_RATIO) best.clean = Math.max(best.clean, score);
      // The posterior mean at the trials: K (K + ratio·I)⁻¹ y = y − ratio·α.
      else if (score > best.noisy) Object.assign(best, { noisy: score, mean: y.map((v, i) => v - ratio * alpha[i]) });
    }
  }
  if (best.noisy - best.clean > SMOOTH_MIN_EVIDENCE) done.forEach((t, i) => out.set(t, best.mean[i]));
  return out;
}
