import { ashaPruner } from './asha';
import { PRUNER_DEFAULTS, type Pruner } from './pruner';

/** Options of Hyperband, as Optuna's HyperbandPruner. */
export interface HyperbandOptions {
  /** Steps before the most aggressive bracket's first rung (Optuna's min_resource, 1). */
  minResource?: number;
  /**
   * The steps a trial trains to the end (Optuna's max_resource). Required here: Optuna's
   * 'auto' waits for a completed trial, which a study trained in populations meets only at
   * its first population's end; a study passes its epochs.
   */
  maxResource: number;
  /** η: one trial in η goes on at each rung (Optuna's reduction_factor, 3). */
  reductionFactor?: number;
  /** A trial is stopped at a rung where at most this many values compete (Optuna's bootstrap_count, 0). */
  bootstrapCount?: number;
  /** The study's name: trials go to brackets by a checksum of the name and the trial's number, as Optuna's. */
  studyName?: string;
}

/** CRC-32 (the zlib and Python `binascii.crc32` checksum) of a string's UTF-8 bytes. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Hyperband's brackets: ⌊log_η(max/min)⌋ + 1 of them, bracket b a successive halving whose
 * first rung sits at min·η^b, and each bracket's share of the trials (Optuna's trial
 * allocation budget), ⌈n·η^s/(s + 1)⌉ with s = n − 1 − b: the most aggressive bracket gets the
 * most trials, so that every bracket spends about the same steps. The logarithm is counted
 * exactly: Optuna's floating-point one finds one bracket fewer at some exact powers (243
 * steps with η = 3 gives it 4.999…).
 *
 * @example
 * hyperbandBrackets(1, 20, 3); // [9, 5, 3]: three brackets, rungs at 1, 3, 9 / 3, 9 / 9
 */
export function hyperbandBrackets(minResource: number, maxResource: number, reductionFactor: number): number[] {
  let count = 1;
  while (minResource * reductionFactor ** count <= maxResource) count++;
  return Array.from({ length: count }, (_, b) => {
    const s = count - 1 - b;
    return Math.ceil((count * reductionFactor ** s) / (s + 1));
  });
}

/** The bracket of trial `number` in study `studyName`, as Optuna's HyperbandPruner assigns it. */
export function hyperbandBracket(studyName: string, number: number, budgets: number[]): number {
  let n = crc32(`${studyName}_${number}`) % budgets.reduce((a, b) => a + b, 0);
  for (let b = 0; b < budgets.length; b++) if ((n -= budgets[b]) < 0) return b;
  return budgets.length - 1;
}

/**
 * Hyperband (Li et al. 2018) in its asynchronous form, as Optuna's HyperbandPruner, for
 * minimized values: each trial belongs to one bracket ({@link hyperbandBracket}), and is
 * judged by that bracket's successive halving against the trials of its bracket alone.
 */
export function hyperbandPruner({ minResource = PRUNER_DEFAULTS.hyperband.minResource, maxResource, reductionFactor = PRUNER_DEFAULTS.hyperband.reductionFactor, bootstrapCount = 0, studyName = '' }: HyperbandOptions): Pruner {
  if (!(minResource >= 1 && maxResource >= minResource)) {
    throw new Error(`Hyperband needs 1 ≤ minimum resource ≤ maximum resource (got ${minResource} and ${maxResource}).`);
  }
  const budgets = hyperbandBrackets(minResource, maxResource, reductionFactor);
  const brackets = budgets.map((_, b) => ashaPruner({ minResource, reductionFactor, minEarlyStoppingRate: b, bootstrapCount }));
  // Every trial's bracket is asked for at every judgement; a checksum each time cost Chromium more than the pruned steps saved.
  const known = new Map<number, number>();
  const bracketOf = (id: number) => {
    let b = known.get(id);
    if (b === undefined) known.set(id, (b = hyperbandBracket(studyName, id, budgets)));
    return b;
  };
  return {
    shouldPrune(id, step, value, trials) {
      const b = bracketOf(id);
      return brackets[b].shouldPrune(id, step, value, trials.filter((t) => bracketOf(t.id) === b));
    },
  };
}
