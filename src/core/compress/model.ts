/**
 * Pruning and quantization of a whole network, its parameters in `parameterShapes` order
 * (W_0 [in, out], b_0 [out], W_1, b_1, …): which weights survive, the values that stand for
 * them, and what the result weighs.
 */
import type { KnownLevels, WeightDtype } from '../model/weight-encoding';
import type { CompressionSpec } from '../spec/experiment';
import { checkAmount, globalMagnitudeMasks, magnitudeMask, neuronMask, pruneCount } from './prune';
import { quantize } from './quantize';

/** Which weights pruning compares: each layer's own, all layers' together, or whole hidden neurons. */
export type PruneMethod = 'layer' | 'global' | 'neurons';

/** What to prune: by which method, and the share (0 ≤ amount < 1) of weights or neurons to cut. */
export interface PruneSettings {
  method: PruneMethod;
  amount: number;
}

/** How to quantize the weights: bits, symmetric levels or not, one scale per tensor or per neuron. */
export interface QuantizeSettings {
  bits: number;
  symmetric: boolean;
  perNeuron: boolean;
}

/**
 * Quantization-aware training (Jacob et al. 2018, torch.ao.quantization's QAT): every training
 * forward pass computes with the kernels fake-quantized as {@link QuantizeSettings} say (biases
 * stay float), and optionally with each hidden layer's activations fake-quantized to 8-bit
 * asymmetric levels over the range a MinMax observer has seen so far (per tensor, as torch's
 * quint8 activations); the gradient goes straight through the rounding to the float weights
 * (straight-through estimator), which the optimizer updates.
 */
export interface FakeQuantSettings extends QuantizeSettings {
  activations: boolean;
}

/** The bits of fake-quantized activations, asymmetric: torch's quint8. */
export const ACTIVATION_BITS = 8;

const isKernel = (shape: number[]) => shape.length === 2;

/**
 * One mask per parameter (1 keeps, 0 prunes). Magnitude pruning cuts kernel weights (biases
 * stay, as torch prunes a `weight` alone); `neurons` cuts hidden neurons by the L2 norm of their
 * incoming weights: a cut neuron loses its incoming weights, its bias and its outgoing weights.
 * The output layer's neurons are never cut. Weights already 0 count as the smallest, so a mask
 * of more pruning contains the earlier one.
 */
export function pruneMasks(weights: Float32Array[], shapes: number[][], settings: PruneSettings): Uint8Array[] {
  checkAmount(settings.amount);
  const masks: Uint8Array[] = weights.map((w) => new Uint8Array(w.length).fill(1));
  const kernels = shapes.flatMap((s, k) => (isKernel(s) ? [k] : []));
  if (settings.method === 'layer') {
    for (const k of kernels) masks[k] = magnitudeMask(weights[k], settings.amount);
  } else if (settings.method === 'global') {
    globalMagnitudeMasks(kernels.map((k) => weights[k]), settings.amount).forEach((m, i) => (masks[kernels[i]] = m));
  } else {
    for (const k of kernels.slice(0, -1)) {
      const [inputs, outputs] = shapes[k];
      const neurons = neuronMask(weights[k], inputs, outputs, settings.amount);
      const next = shapes[k + 2][1];
      neurons.forEach((keep, j) => {
        if (keep) return;
        for (let i = 0; i < inputs; i++) masks[k][i * outputs + j] = 0;
        masks[k + 1][j] = 0;
        masks[k + 2].fill(0, j * next, (j + 1) * next);
      });
    }
  }
  return masks;
}

/**
 * The share of the total to prune at round `round` (1-based) of `rounds`, so that each round
 * cuts the same share of the weights still standing and the last reaches `amount`:
 * 1 − (1 − amount)^(round/rounds).
 */
export function iterativeAmount(amount: number, round: number, rounds: number): number {
  return 1 - (1 - amount) ** (round / rounds);
}

/** Parameters times their masks. */
export function masked(weights: Float32Array[], masks: Uint8Array[]): Float32Array[] {
  return weights.map((w, k) => w.map((v, i) => (masks[k][i] ? v : 0)));
}

/** A network's quantized weights: the values it computes with, and each kernel's levels where one scale serves the whole tensor (for an exact export). */
export interface QuantizedWeights {
  weights: Float32Array[];
  known: (KnownLevels | undefined)[];
}

/**
 * Quantizes every kernel (biases stay float32, as in PyTorch's quantized Linear): per tensor,
 * or per neuron (each column of the kernel its own scale and zero point).
 */
export function quantizeWeights(weights: Float32Array[], shapes: number[][], settings: QuantizeSettings): QuantizedWeights {
  const known: (KnownLevels | undefined)[] = [];
  const out = weights.map((w, k) => {
    known.push(undefined);
    if (!isKernel(shapes[k])) return w.slice();
    const q = quantize(w, { bits: settings.bits, symmetric: settings.symmetric, channels: settings.perNeuron ? shapes[k][1] : undefined });
    if (!settings.perNeuron) known[k] = { q: q.q, scale: q.scale[0], zeroPoint: q.zeroPoint[0] };
    return q.dequantized;
  });
  return { weights: out, known };
}

/**
 * Each weight's storage in an exported file. A network quantized per tensor keeps its kernels'
 * own levels (uint8 up to 256 of them, else uint16) and its float biases as float32, so the file
 * computes exactly what the optimized network does; any other network stores every weight as
 * `chosen`.
 */
export function exportDtypes(known: (KnownLevels | undefined)[], chosen: WeightDtype): WeightDtype[] {
  if (!known.some(Boolean)) return known.map(() => chosen);
  return known.map((k) => (k ? (Math.max(...k.q) - Math.min(...k.q) < 256 ? 'uint8' : 'uint16') : 'float32'));
}

/**
 * What the network weighs stored compactly: each kernel weight that is not pruned at `bits`
 * bits, one bit per kernel weight for the mask when some are pruned, a float32 scale and an
 * integer zero point per tensor or neuron when quantized, and the biases as float32. Bytes,
 * rounded up per tensor.
 */
export function packedBytes(shapes: number[][], masks: Uint8Array[] | null, quantization: QuantizeSettings | null): number {
  return keptBytes(shapes, masks && masks.map((m) => m.reduce((a, b) => a + b, 0)), quantization);
}

/** {@link packedBytes} from how many parameters of each tensor are kept (null: all of them). */
export function keptBytes(shapes: number[][], kept: number[] | null, quantization: QuantizeSettings | null): number {
  const bits = quantization?.bits ?? 32;
  return shapes.reduce((total, shape, k) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const survivors = kept ? kept[k] : n;
    if (!isKernel(shape)) return total + 4 * survivors;
    const maskBits = survivors < n ? n : 0;
    const params = quantization ? (quantization.perNeuron ? shape[1] : 1) * (4 + Math.ceil(bits / 8)) : 0;
    return total + Math.ceil((survivors * bits + maskBits) / 8) + params;
  }, 0);
}

/** How many parameters of each tensor magnitude pruning per layer keeps at `amount`: every bias, and n − round(amount·n) of each kernel. */
export function keptPerLayer(shapes: number[][], amount: number): number[] {
  return shapes.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return isKernel(shape) ? n - pruneCount(amount, n) : n;
  });
}

/** How a trial of a size-against-accuracy study quantizes: its bits, per tensor, asymmetric, kernels only. */
export function compressionQuantization(compress: Pick<CompressionSpec, 'bits'>): FakeQuantSettings {
  return { bits: compress.bits, symmetric: false, perNeuron: false, activations: false };
}

/** What a compressed trial's network weighs stored compactly ({@link packedBytes}), from its spec alone: magnitude pruning keeps a known count per layer. */
export function compressedBytes(compress: Pick<CompressionSpec, 'bits' | 'sparsity'>, shapes: number[][]): number {
  return keptBytes(shapes, keptPerLayer(shapes, compress.sparsity), compressionQuantization(compress));
}
