/**
 * tf.io's own ways of storing weights smaller: a manifest entry's `quantization`
 * (`{ dtype: 'uint8' | 'uint16', scale, min }`, read back as q·scale + min, or
 * `{ dtype: 'float16' }`), which `tf.loadLayersModel` and tensorflowjs_converter read unchanged.
 */
import { quantize } from '../compress/quantize';

/** How a weight file stores each number: plain float32, or one of tf.io's quantized forms. */
export type WeightDtype = 'float32' | 'float16' | 'uint16' | 'uint8';

/** The dtypes a weight file can use, smallest last. */
export const WEIGHT_DTYPES: readonly WeightDtype[] = ['float32', 'float16', 'uint16', 'uint8'];

/** A manifest entry's quantization, as tf.io writes it. */
export interface WeightQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
}

/** A tensor already quantized per tensor: its levels q and their meaning (q − zeroPoint)·scale. */
export interface KnownLevels {
  q: Int32Array;
  scale: number;
  zeroPoint: number;
}

/** One weight encoded for a weight file: its bytes and the manifest's quantization entry (none for float32). */
export interface EncodedWeight {
  bytes: ArrayBuffer;
  quantization?: WeightQuantization;
}

const BITS = { uint8: 8, uint16: 16 } as const;

/**
 * Encodes one weight tensor. uint8/uint16 store levels of a per-tensor quantizer whose range
 * includes 0 (so pruned weights stay exactly 0): the tensor's own levels when `known` is given
 * and they fit, else its MinMax quantization at 8 or 16 bits.
 */
export function encodeWeight(values: Float32Array, dtype: WeightDtype, known?: KnownLevels): EncodedWeight {
  if (dtype === 'float32') return { bytes: Float32Array.from(values).buffer };
  if (dtype === 'float16') return { bytes: Uint16Array.from(values, toFloat16).buffer, quantization: { dtype } };
  let levels: Int32Array;
  let scale: number;
  let zeroPoint: number;
  const top = 2 ** BITS[dtype] - 1;
  const lowest = known ? Math.min(...known.q) : 0;
  if (known && Math.max(...known.q) - lowest <= top) {
    levels = known.q.map((q) => q - lowest);
    scale = known.scale;
    zeroPoint = known.zeroPoint - lowest;
  } else {
    const found = quantize(values, { bits: BITS[dtype], symmetric: false });
    levels = found.q;
    scale = found.scale[0];
    zeroPoint = found.zeroPoint[0];
  }
  const bytes = dtype === 'uint8' ? Uint8Array.from(levels) : Uint16Array.from(levels);
  return { bytes: bytes.buffer, quantization: { dtype, scale, min: -zeroPoint * scale } };
}

/** Decodes one weight as tf.io does: q·scale + min for uint8/uint16, float16 widened, else float32. */
export function decodeWeight(bytes: ArrayBuffer, size: number, quantization?: WeightQuantization): Float32Array {
  if (!quantization) return new Float32Array(bytes, 0, size);
  if (quantization.dtype === 'float16') return Float32Array.from(new Uint16Array(bytes, 0, size), fromFloat16);
  const levels = quantization.dtype === 'uint8' ? new Uint8Array(bytes, 0, size) : new Uint16Array(bytes, 0, size);
  const { scale = 1, min = 0 } = quantization;
  return Float32Array.from(levels, (v) => v * scale + min);
}

/** Bytes per stored number of each dtype. */
export const BYTES_PER_VALUE: Record<WeightDtype, number> = { float32: 4, float16: 2, uint16: 2, uint8: 1 };

const view = new DataView(new ArrayBuffer(4));

/** IEEE half-precision bits of a number, rounding to nearest even (overflow gives ±∞). */
export function toFloat16(x: number): number {
  view.setFloat32(0, x);
  const bits = view.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const middle = 1 << (shift - 1);
    return sign | (half + (rest > middle || (rest === middle && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/** The number that IEEE half-precision bits stand for. */
export function fromFloat16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
