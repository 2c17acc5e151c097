/** The most weight snapshots a run keeps: enough for a smooth path, small enough to store with every run. */
export const MAX_SNAPSHOTS = 200;

/**
 * The weights a run passed through: a snapshot at every `stride`-th epoch, each one flat
 * vector (the tensors of parameterShapes order one after another), what a trained network's
 * landscape draws as the training path.
 */
export interface WeightPath {
  /** The epoch after which each snapshot was taken, ascending. */
  epochs: number[];
  weights: Float32Array[];
  /** Epochs between two snapshots: 1, doubled each time the path is thinned. */
  stride: number;
}

/** A path with no snapshot yet. */
export function emptyPath(): WeightPath {
  return { epochs: [], weights: [], stride: 1 };
}

/** Whether the snapshot after `epoch` belongs in the path (reading weights costs a read from the device: skip the others). */
export function wantsSnapshot(path: WeightPath, epoch: number): boolean {
  return epoch % path.stride === 0;
}

/**
 * Adds the snapshot after `epoch`; past {@link MAX_SNAPSHOTS} keeps every other one and doubles
 * the stride, so a long run's path stays evenly spaced over all its epochs.
 */
export function addSnapshot(path: WeightPath, epoch: number, weights: Float32Array): void {
  if (!wantsSnapshot(path, epoch)) return;
  path.epochs.push(epoch);
  path.weights.push(weights);
  if (path.epochs.length <= MAX_SNAPSHOTS) return;
  path.stride *= 2;
  const keep = path.epochs.map((e) => e % path.stride === 0);
  path.epochs = path.epochs.filter((_, k) => keep[k]);
  path.weights = path.weights.filter((_, k) => keep[k]);
}

/**
 * Arrays one after another in one: the tensors of a network, in parameterShapes order, as its
 * flat parameter vector (or a step's dropout masks as one buffer).
 */
export function flattenWeights(weights: Float32Array[]): Float32Array {
  const out = new Float32Array(weights.reduce((n, w) => n + w.length, 0));
  weights.reduce((at, w) => (out.set(w, at), at + w.length), 0);
  return out;
}
