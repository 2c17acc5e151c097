import { PRUNER_DEFAULTS } from '../search';
import type { FieldError } from '../spec/schema';
import type { StudySpec } from './types';

/** One option of a study's pruner, as set, else its default (NaN for an option its kind has not). */
export function prunerOption(pruner: StudySpec['pruner'], key: string): number {
  const set = (pruner as Record<string, unknown>)[key];
  if (typeof set === 'number') return set;
  const defaults = (PRUNER_DEFAULTS as Record<string, Record<string, number>>)[pruner.kind];
  return defaults?.[key] ?? NaN;
}

const whole = (x: number) => Number.isInteger(x);

/**
 * The problems of a study's pruner options, each on its field ('pruner.reductionFactor'), for
 * trials of `epochs` epochs: successive halving and Hyperband need a minimum resource from 1
 * to the epochs and a reduction factor η of at least 2; the median rule a warm-up shorter than
 * the epochs and a whole number of startup trials. Options left out take their defaults, which pass.
 */
export function prunerErrors(pruner: StudySpec['pruner'], epochs: number): FieldError[] {
  const errors: FieldError[] = [];
  const check = (key: string, ok: boolean, message: string) => ok || errors.push({ path: `pruner.${key}`, message });
  if (pruner.kind === 'asha' || pruner.kind === 'hyperband') {
    const minResource = (pruner as Record<string, unknown>).minResource;
    const r = prunerOption(pruner, 'minResource');
    const eta = prunerOption(pruner, 'reductionFactor');
    check('minResource', (pruner.kind === 'asha' && minResource === 'auto') || (whole(r) && r >= 1 && r <= epochs),
      `The minimum resource is the epochs before the first rung: a whole number from 1 to the ${epochs} epochs a trial trains (got ${r}).`);
    check('reductionFactor', whole(eta) && eta >= 2, `η keeps one trial in η at each rung: a whole number of at least 2 (got ${eta}).`);
  }
  if (pruner.kind === 'median') {
    const warmup = prunerOption(pruner, 'warmupSteps');
    const startup = prunerOption(pruner, 'startupTrials');
    check('warmupSteps', whole(warmup) && warmup >= 0 && warmup < epochs,
      `Warm-up epochs are never pruned: a whole number from 0 to ${epochs - 1}, below the ${epochs} epochs a trial trains (got ${warmup}).`);
    check('startupTrials', whole(startup) && startup >= 0, `Pruning starts once this many trials have reached an epoch: a whole number from 0 (got ${startup}).`);
  }
  return errors;
}
