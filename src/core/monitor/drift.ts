import { chiSquare, jensenShannon, ks2, psi, stabilityIndex, wasserstein, zTest } from './statistics';

/** One feature's values in the reference and current samples: numbers (NaN when missing) or categories (undefined when missing). */
export type FeatureSample =
  | { name: string; kind: 'numeric'; reference: ArrayLike<number>; current: ArrayLike<number> }
  | { name: string; kind: 'categorical'; reference: (string | undefined)[]; current: (string | undefined)[] };

/** The tests Evidently's data-drift preset chooses among. */
export type DriftTest = 'ks' | 'chi-square' | 'z' | 'wasserstein' | 'jensen-shannon';

/** How each test reads: a p-value (drift when small) or a distance (drift when large), and its default threshold. */
export const DRIFT_TESTS: Record<DriftTest, { label: string; score: 'p-value' | 'distance'; threshold: number }> = {
  ks: { label: 'Kolmogorov–Smirnov', score: 'p-value', threshold: 0.05 },
  'chi-square': { label: 'chi-square', score: 'p-value', threshold: 0.05 },
  z: { label: 'z-test (proportions)', score: 'p-value', threshold: 0.05 },
  wasserstein: { label: 'Wasserstein (normed)', score: 'distance', threshold: 0.1 },
  'jensen-shannon': { label: 'Jensen–Shannon', score: 'distance', threshold: 0.1 },
};

/** Share of drifted features at which the whole data set counts as drifted (Evidently's `drift_share`). */
export const DATASET_DRIFT_SHARE = 0.5;

/** Largest reference (non-missing rows) on which the preset still runs statistical tests rather than distances. */
const SMALL_REFERENCE = 1000;
/** Numeric columns with at most this many distinct values are treated as categories. */
const FEW_VALUES = 5;

/**
 * The test Evidently's data-drift preset picks for a column: on a reference of at most 1000
 * rows, Kolmogorov–Smirnov for a numeric column with more than five distinct values (pooled
 * over both samples), else chi-square with more than two, else the z-test of proportions; on a
 * larger reference, the normed Wasserstein distance for a numeric column with more than five
 * values, else Jensen–Shannon.
 */
export function chooseTest(kind: 'numeric' | 'categorical', referenceSize: number, distinct: number): DriftTest {
  const numericWide = kind === 'numeric' && distinct > FEW_VALUES;
  if (referenceSize <= SMALL_REFERENCE) return numericWide ? 'ks' : distinct > 2 ? 'chi-square' : 'z';
  return numericWide ? 'wasserstein' : 'jensen-shannon';
}

/** One feature's drift report. */
export interface FeatureDrift {
  name: string;
  kind: 'numeric' | 'categorical';
  test: DriftTest;
  /** The test's statistic: D, χ², z, or the distance itself. */
  statistic: number;
  /** What the threshold applies to: the p-value of a test, or the distance. */
  score: number;
  threshold: number;
  drifted: boolean;
  /** Population stability index: over the reference's deciles for numbers, over the categories for categories. */
  psi: number;
  /** Shares of missing cells in each sample. */
  missing: { reference: number; current: number };
  /** Categories of the current sample the reference never had, most frequent first. */
  unseen: { value: string; count: number }[];
}

/**
 * A feature's drift as Evidently's data-drift preset reports it: missing cells left out, the
 * test chosen by {@link chooseTest}, drift when a p-value falls below its threshold (at or
 * below for Kolmogorov–Smirnov, as Evidently has it) or a distance reaches it. Null when a
 * sample has no non-missing value.
 */
export function featureDrift(sample: FeatureSample): FeatureDrift | null {
  const { name, kind } = sample;
  if (sample.kind === 'numeric') {
    const reference = present(sample.reference);
    const current = present(sample.current);
    if (reference.length === 0 || current.length === 0) return null;
    const distinct = new Set([...reference, ...current]).size;
    const test = chooseTest(kind, reference.length, distinct);
    const base = { name, kind, test, psi: psi(reference, current), unseen: [], missing: missingShares(sample.reference, sample.current, reference, current) };
    if (test === 'ks') {
      const { statistic, pValue } = ks2(reference, current);
      return { ...base, statistic, score: pValue, threshold: 0.05, drifted: pValue <= 0.05 };
    }
    if (test === 'wasserstein') {
      const distance = wasserstein(reference, current);
      return { ...base, statistic: distance, score: distance, threshold: 0.1, drifted: distance >= 0.1 };
    }
    return { ...base, ...categoryTest(test, countCategories(reference.map(String), current.map(String), true)) };
  }
  const reference = sample.reference.filter((v): v is string => v !== undefined);
  const current = sample.current.filter((v): v is string => v !== undefined);
  if (reference.length === 0 || current.length === 0) return null;
  const counts = countCategories(reference, current, false);
  const known = new Set(reference);
  const unseen = counts.keys
    .map((value, k) => ({ value, count: counts.current[k] }))
    .filter((u) => !known.has(u.value))
    .sort((a, b) => b.count - a.count);
  const test = chooseTest(kind, reference.length, counts.keys.length);
  return {
    name,
    kind,
    test,
    psi: stabilityIndex(counts.reference, counts.current),
    unseen,
    missing: missingShares(sample.reference, sample.current, reference, current),
    ...categoryTest(test, counts),
  };
}

/** The chi-square, z or Jensen–Shannon verdict on category counts. */
function categoryTest(test: DriftTest, counts: Counts): Pick<FeatureDrift, 'statistic' | 'score' | 'threshold' | 'drifted'> {
  if (test === 'jensen-shannon') {
    const distance = jensenShannon(counts.reference, counts.current);
    return { statistic: distance, score: distance, threshold: 0.1, drifted: distance >= 0.1 };
  }
  const two = (c: number[]): [number, number] => [c[0] ?? 0, (c[1] ?? 0)];
  const { statistic, pValue } = test === 'z' ? zTest(two(counts.reference), two(counts.current)) : chiSquare(counts.reference, counts.current);
  return { statistic, score: pValue, threshold: 0.05, drifted: pValue < 0.05 };
}

interface Counts {
  /** Every value seen in either sample, sorted. */
  keys: string[];
  reference: number[];
  current: number[];
}

/** Counts of each value in both samples, over the union of values sorted (numerically for numbers). */
function countCategories(reference: string[], current: string[], numeric: boolean): Counts {
  const keys = [...new Set([...reference, ...current])].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  const at = new Map(keys.map((k, i) => [k, i]));
  const count = (values: string[]) => {
    const out = new Array<number>(keys.length).fill(0);
    for (const v of values) out[at.get(v)!]++;
    return out;
  };
  return { keys, reference: count(reference), current: count(current) };
}

function present(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return out;
}

function missingShares(reference: ArrayLike<unknown>, current: ArrayLike<unknown>, keptReference: unknown[], keptCurrent: unknown[]) {
  return { reference: (reference.length - keptReference.length) / reference.length, current: (current.length - keptCurrent.length) / current.length };
}

/** The data set's verdict: how many features drifted, their share, and whether that reaches {@link DATASET_DRIFT_SHARE}. */
export interface DatasetDrift {
  features: FeatureDrift[];
  drifted: number;
  share: number;
  datasetDrifted: boolean;
}

/**
 * Every feature's drift, drifted features first (then by PSI, largest first), and the data
 * set's verdict: drifted when at least half its features are (Evidently's rule).
 *
 * @example
 * const report = datasetDrift([{ name: 'Weight', kind: 'numeric', reference: older, current: newer }]);
 * report.datasetDrifted; // true when ≥ half the features drifted
 */
export function datasetDrift(samples: FeatureSample[]): DatasetDrift {
  const features = samples
    .map(featureDrift)
    .filter((f): f is FeatureDrift => f !== null)
    .sort((a, b) => Number(b.drifted) - Number(a.drifted) || b.psi - a.psi);
  const drifted = features.filter((f) => f.drifted).length;
  const share = features.length ? drifted / features.length : 0;
  return { features, drifted, share, datasetDrifted: features.length > 0 && share >= DATASET_DRIFT_SHARE };
}
