import type { NetworkIO } from '../model/network';

/**
 * Bytes one member of a population holds on the device while it trains, roughly: its own
 * shuffled copy of the training rows for the epoch (inputs and targets, one-hot for many
 * classes), and its parameters five times over (weights, gradients, two optimizer slots and
 * the best weights kept for early stopping). The rows dominate for tables, the parameters
 * for the small generated sets.
 *
 * @example
 * memberBytes(700_000, { inputs: 10, outputs: 1 }, 1_000); // 30.8 MB: a million-row table
 */
export function memberBytes(trainRows: number, io: NetworkIO, parameters: number): number {
  return 4 * (trainRows * (io.inputs + io.outputs) + 5 * parameters);
}

/** How many members of `perMember` bytes fit in `budget` bytes: at least one, at most `upTo`. */
export function membersThatFit(perMember: number, budget: number, upTo: number): number {
  return Math.max(1, Math.min(upTo, Math.floor(budget / Math.max(perMember, 1))));
}
