import { kolmogorovSf } from './kolmogorov';
import { chiSquareSf, normalTwoSided } from './special';

/** A test's statistic and its p-value. */
export interface TestResult {
  statistic: number;
  pValue: number;
}

const ascending = (values: ArrayLike<number>) => Float64Array.from(values).sort();

/** Rounds half to even, as numpy's `round` does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The two-sided two-sample Kolmogorov–Smirnov test: D = max |F_a(x) − F_b(x)| over the pooled
 * values, with the p-value as `scipy.stats.ks_2samp(a, b, method='asymp')` gives it, the
 * survival function of the one-sample two-sided KS distribution (scipy's `kstwo`, after Simard
 * & L'Ecuyer) at D with n = round(m·n/(m + n)).
 *
 * @example
 * ks2([1, 2, 3, 4], [3, 4, 5, 6, 7]); // { statistic: 0.6, pValue: … }
 */
export function ks2(a: ArrayLike<number>, b: ArrayLike<number>): TestResult {
  const x = ascending(a);
  const y = ascending(b);
  let i = 0;
  let j = 0;
  let statistic = 0;
  while (i < x.length || j < y.length) {
    const v = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
    while (i < x.length && x[i] <= v) i++;
    while (j < y.length && y[j] <= v) j++;
    statistic = Math.max(statistic, Math.abs(i / x.length - j / y.length));
  }
  const [m, n] = x.length >= y.length ? [x.length, y.length] : [y.length, x.length];
  return { statistic, pValue: kolmogorovSf(roundHalfEven((m * n) / (m + n)), statistic) };
}

/**
 * Pearson's χ² test of independence of the 2 × k table [referenceCounts; currentCounts], with
 * no continuity correction, as `scipy.stats.chi2_contingency(table, correction=False)`:
 * Σ (observed − expected)²/expected with expected = row total · column total / total, on k − 1
 * degrees of freedom. Categories empty in both rows are left out, as they carry no evidence;
 * with fewer than two categories left there is nothing to test (statistic 0, p-value 1).
 */
export function chiSquare(referenceCounts: number[], currentCounts: number[]): TestResult {
  const kept = referenceCounts.map((r, k) => [r, currentCounts[k] ?? 0]).filter(([r, c]) => r + c > 0);
  if (kept.length < 2) return { statistic: 0, pValue: 1 };
  const rowTotals = [0, 1].map((row) => kept.reduce((s, pair) => s + pair[row], 0));
  const total = rowTotals[0] + rowTotals[1];
  let statistic = 0;
  for (const pair of kept) {
    const column = pair[0] + pair[1];
    for (const row of [0, 1]) {
      const expected = (rowTotals[row] * column) / total;
      statistic += (pair[row] - expected) ** 2 / expected;
    }
  }
  return { statistic, pValue: chiSquareSf(statistic, kept.length - 1) };
}

/**
 * The two-proportion z-test Evidently's preset uses for a column of at most two values: the
 * share of rows not equal to the first value (in sorted order) in each sample, pooled standard
 * error, two-sided normal p-value. Both samples all one same value: no difference (p = 1).
 */
export function zTest(referenceCounts: [number, number], currentCounts: [number, number]): TestResult {
  const [r0, r1] = referenceCounts;
  const [c0, c1] = currentCounts;
  const n1 = r0 + r1;
  const n2 = c0 + c1;
  if ((r1 === 0 && c1 === 0) || (r0 === 0 && c0 === 0)) return { statistic: 0, pValue: 1 };
  const p1 = r1 / n1;
  const p2 = c1 / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const statistic = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic, pValue: normalTwoSided(statistic) };
}

/**
 * Quantile q of `sorted` (ascending) by linear interpolation between order statistics, numpy's
 * default method, with numpy's rounding: the virtual index (n − 1)·q, and the interpolation
 * taken from the nearer end.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const index = (sorted.length - 1) * q;
  const below = Math.floor(index);
  const above = Math.min(below + 1, sorted.length - 1);
  const t = index - below;
  const a = sorted[below];
  const b = sorted[above];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * The population stability index of `current` against `reference` over the reference's
 * quantile bins: edges at the reference's quantiles i/bins (numpy's default, linear
 * interpolation), value v in bin i when edge[i−1] < v ≤ edge[i], the first bin open below and
 * the last open above so that every value counts; each sample's shares floored at 1e-4 (an
 * empty bin would give an infinite log); PSI = Σ (c − r)·ln(c/r). Below 0.1 is usually read as
 * stable, 0.1–0.25 as a moderate shift, above 0.25 as a large one.
 */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>, bins = 10): number {
  const sorted = ascending(reference);
  const inner = Array.from({ length: bins - 1 }, (_, i) => quantileSorted(sorted, (i + 1) / bins));
  const counts = (values: ArrayLike<number>) => {
    const out = new Array<number>(bins).fill(0);
    for (let k = 0; k < values.length; k++) out[lowerBound(inner, values[k])]++;
    return out;
  };
  return stabilityIndex(counts(reference), counts(current));
}

/**
 * The population stability index of two samples' counts over the same bins (or categories):
 * shares floored at 1e-4, Σ (c − r)·ln(c/r).
 */
export function stabilityIndex(referenceCounts: number[], currentCounts: number[]): number {
  const shares = (counts: number[]) => {
    const total = counts.reduce((s, v) => s + v, 0);
    return counts.map((v) => Math.max(v / total, 1e-4));
  };
  const r = shares(referenceCounts);
  const c = shares(currentCounts);
  return r.reduce((sum, rk, k) => sum + (c[k] - rk) * Math.log(c[k] / rk), 0);
}

/** The first index whose edge is ≥ v (edges ascending): the bin of v when bins are (edge[i−1], edge[i]]. */
function lowerBound(edges: number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The population standard deviation (numpy's default `std`). */
export function populationStd(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - mean) ** 2;
  return Math.sqrt(sum / values.length);
}

/**
 * The first Wasserstein (earth mover's) distance between the two samples' empirical
 * distributions, ∫ |F_a − F_b|, as `scipy.stats.wasserstein_distance`, divided by the
 * reference's standard deviation (at least 0.001), as Evidently normalizes it so that one
 * threshold (0.1: a tenth of a standard deviation) serves every column.
 */
export function wasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const x = ascending(reference);
  const y = ascending(current);
  const all = ascending([...x, ...y]);
  let i = 0;
  let j = 0;
  let distance = 0;
  for (let k = 0; k + 1 < all.length; k++) {
    while (i < x.length && x[i] <= all[k]) i++;
    while (j < y.length && y[j] <= all[k]) j++;
    distance += Math.abs(i / x.length - j / y.length) * (all[k + 1] - all[k]);
  }
  return distance / Math.max(populationStd(x), 0.001);
}

/**
 * The Jensen–Shannon distance (base 2, so between 0 and 1) between two distributions given by
 * counts over the same categories, as `scipy.spatial.distance.jensenshannon(p, q, 2)`: the
 * square root of the mean Kullback–Leibler divergence of each from their average.
 */
export function jensenShannon(referenceCounts: number[], currentCounts: number[]): number {
  const total = (counts: number[]) => counts.reduce((s, v) => s + v, 0);
  const rt = total(referenceCounts);
  const ct = total(currentCounts);
  let divergence = 0;
  referenceCounts.forEach((rc, k) => {
    const p = rc / rt;
    const q = (currentCounts[k] ?? 0) / ct;
    const m = (p + q) / 2;
    if (p > 0) divergence += p * Math.log(p / m);
    if (q > 0) divergence += q * Math.log(q / m);
  });
  return Math.sqrt(Math.max(divergence, 0) / Math.log(2) / 2);
}
