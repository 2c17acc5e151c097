import { MAX_STATE_BYTES } from './fused/fused-step';
import type { NetworkIO } from '../model/network';

/**
 * Bytes one member of a population holds on the device while it trains, roughly: its own
 * shuffled copy of the training rows for the epoch (inputs and targets, one-hot for many
 * classes), its parameters five times over (weights, two optimizer slots, the best weights
 * kept for early stopping, and their copy in the network's variables), and twice (the state a
 * fused step reads and the one it writes) the step's working values `stepValues`: each
 * layer's pre-activations, activations and gradients for a batch (see {@link stepValues}).
 * The rows dominate for tables, the parameters and the working values for the small sets.
 *
 * @example
 * memberBytes(700_000, { inputs: 10, outputs: 1 }, 1_000); // 30.8 MB: a million-row table
 */
export function memberBytes(trainRows: number, io: NetworkIO, parameters: number, working = 0): number {
  return 4 * (trainRows * (io.inputs + io.outputs) + 5 * parameters + 2 * working);
}

/**
 * The working values of one member's training step: for each of `batch` rows, every hidden
 * unit's pre-activation, activation and gradient and every output's gradient, and one
 * gradient per parameter.
 */
export function stepValues(batch: number, hiddenUnits: number, outputs: number, parameters: number): number {
  return batch * (3 * hiddenUnits + outputs) + parameters;
}

/**
 * Members whose fused training state fits one buffer ({@link MAX_STATE_BYTES}): each holds its
 * parameters with up to two optimizer slots, the step's `working` values, and its two sums. A
 * larger population would train with batched tensor operations instead, which on WebGPU let a
 * diverging member's infinities reach the others.
 */
export function membersPerState(parameters: number, working: number): number {
  return Math.max(1, Math.floor(MAX_STATE_BYTES / (4 * (3 * parameters + working + 2))));
}

/** How many members of `perMember` bytes fit in `budget` bytes: at least one, at most `upTo`. */
export function membersThatFit(perMember: number, budget: number, upTo: number): number {
  return Math.max(1, Math.min(upTo, Math.floor(budget / Math.max(perMember, 1))));
}
