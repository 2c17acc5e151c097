/**
 * Pruning masks: which weights (or whole neurons) a pruned network keeps. A mask holds 1 where
 * the weight stays and 0 where it is cut; training multiplies by it, so a pruned weight stays 0.
 */

/**
 * How many of `n` entries a share `amount` prunes: round(amount·n), rounding halves to even as
 * Python's round() does, so that the count is the one `torch.nn.utils.prune` takes.
 */
export function pruneCount(amount: number, n: number): number {
  const x = amount * n;
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Throws unless 0 ≤ amount < 1: pruning everything leaves no network. */
export function checkAmount(amount: number): void {
  if (!(amount >= 0 && amount < 1)) throw new RangeError(`The amount to prune must be at least 0 and below 1 (got ${amount}).`);
}

/** Indices of `scores` from smallest to largest; equal scores keep their order. */
function ascending(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b] || a - b);
}

/**
 * Magnitude pruning: a mask (1 keeps, 0 prunes) that cuts the round(amount·n) weights of
 * smallest |w|, as `torch.nn.utils.prune.l1_unstructured(module, 'weight', amount)`.
 *
 * @example
 * magnitudeMask(new Float32Array([0.5, -0.1, 2, 0.05]), 0.5); // Uint8Array [1, 0, 1, 0]
 */
export function magnitudeMask(weights: Float32Array, amount: number): Uint8Array {
  checkAmount(amount);
  const mask = new Uint8Array(weights.length).fill(1);
  const cut = pruneCount(amount, weights.length);
  const order = ascending(Array.from(weights, Math.abs));
  for (let k = 0; k < cut; k++) mask[order[k]] = 0;
  return mask;
}

/**
 * Global magnitude pruning: one threshold over several tensors (as
 * `torch.nn.utils.prune.global_unstructured` with L1), so a layer of small weights loses more
 * of them than a layer of large ones. One mask per tensor, in the order given.
 */
export function globalMagnitudeMasks(tensors: Float32Array[], amount: number): Uint8Array[] {
  const all = new Float32Array(tensors.reduce((n, t) => n + t.length, 0));
  let offset = 0;
  for (const t of tensors) {
    all.set(t, offset);
    offset += t.length;
  }
  const mask = magnitudeMask(all, amount);
  offset = 0;
  return tensors.map((t) => {
    const part = mask.slice(offset, offset + t.length);
    offset += t.length;
    return part;
  });
}

/**
 * Neuron (structured) pruning: one entry per neuron, a column of the Keras kernel
 * [inputs, outputs] stored row-major; cuts the round(amount·outputs) neurons whose incoming
 * weights have the smallest L2 norm, as `ln_structured(n=2, dim=0)` on the matching torch
 * `Linear` weight [outputs, inputs].
 */
export function neuronMask(kernel: Float32Array, inputs: number, outputs: number, amount: number): Uint8Array {
  checkAmount(amount);
  if (kernel.length !== inputs * outputs) throw new RangeError(`A kernel of ${inputs}×${outputs} has ${inputs * outputs} weights, not ${kernel.length}.`);
  const norms = new Float64Array(outputs);
  for (let i = 0; i < inputs; i++) {
    for (let j = 0; j < outputs; j++) norms[j] += kernel[i * outputs + j] ** 2;
  }
  const mask = new Uint8Array(outputs).fill(1);
  const order = ascending(norms);
  const cut = pruneCount(amount, outputs);
  for (let k = 0; k < cut; k++) mask[order[k]] = 0;
  return mask;
}

/** A neuron mask spread over its kernel [inputs, outputs]: every weight into a cut neuron is 0. */
export function kernelMaskOfNeurons(neurons: Uint8Array, inputs: number): Uint8Array {
  const outputs = neurons.length;
  const mask = new Uint8Array(inputs * outputs);
  for (let i = 0; i < inputs; i++) mask.set(neurons, i * outputs);
  return mask;
}

/** The weights times the mask: a copy with every pruned weight at 0. */
export function applyMask(weights: Float32Array, mask: Uint8Array): Float32Array {
  return weights.map((w, i) => (mask[i] ? w : 0));
}

/** The share of weights a mask prunes (0 … 1). */
export function sparsity(masks: Uint8Array[]): number {
  let total = 0;
  let cut = 0;
  for (const m of masks) {
    total += m.length;
    for (const v of m) cut += v ? 0 : 1;
  }
  return total === 0 ? 0 : cut / total;
}
