import type { EpochMetrics } from './types';

/** What {@link overfitting} found: where the validation loss was lowest, and where it is now. */
export interface Overfitting {
  /** The epoch (from 1) of the lowest validation loss. */
  bestEpoch: number;
  bestValLoss: number;
  /** The validation loss of the last epoch. */
  valLoss: number;
}

/** Epochs the lowest validation loss must lie behind the last one before a run is said to overfit: a dip of a few epochs is noise. */
export const OVERFIT_EPOCHS = 5;
/** How many times its lowest the validation loss must be now: a tenth above it is within the wobble of a mini-batch run. */
export const OVERFIT_RATIO = 1.2;

/**
 * Whether a run overfits its training rows, from its epochs so far: the validation loss was
 * lowest at least {@link OVERFIT_EPOCHS} epochs ago and is now {@link OVERFIT_RATIO} times
 * that or more, while the training loss went on falling below its value at that epoch. A
 * training loss that rose too is an unstable step, not overfitting, and gets no such name.
 * Null while none of this holds.
 *
 * @example
 * overfitting(history); // { bestEpoch: 9, bestValLoss: 0.49, valLoss: 2.69 } after 100 epochs on 280 rows
 */
export function overfitting(history: readonly EpochMetrics[]): Overfitting | null {
  const last = history.at(-1);
  if (!last || !Number.isFinite(last.valLoss)) return null;
  let best = 0;
  history.forEach((m, i) => {
    if (m.valLoss < history[best].valLoss) best = i;
  });
  const lowest = history[best];
  const overfits =
    history.length - 1 - best >= OVERFIT_EPOCHS && last.valLoss >= OVERFIT_RATIO * lowest.valLoss && last.trainLoss < lowest.trainLoss;
  return overfits ? { bestEpoch: lowest.epoch, bestValLoss: lowest.valLoss, valLoss: last.valLoss } : null;
}
