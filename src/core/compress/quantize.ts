/**
 * Uniform affine quantization with PyTorch's MinMax observer conventions
 * (`torch.ao.quantization.MinMaxObserver` / `PerChannelMinMaxObserver`), in float32 as torch
 * computes it.
 *
 * The range [min, max] is widened to include 0, so that 0 (every pruned weight) is a level.
 * - asymmetric: levels qmin = 0 … qmax = 2^bits − 1, scale = (max − min)/(qmax − qmin),
 *   zeroPoint = qmin − round(min/scale), clamped to the levels;
 * - symmetric: levels −2^(bits−1) … 2^(bits−1) − 1, scale = max(|min|, |max|)/((qmax − qmin)/2),
 *   zeroPoint 0;
 * - q = clamp(round(x/scale) + zeroPoint, qmin, qmax), dequantized = (q − zeroPoint)·scale,
 *   rounding halves to even; scale is at least float32's epsilon, as torch keeps it.
 */

/** How to quantize: bits per value (2 … 16), symmetric or not, and optionally per channel. */
export interface QuantizeOptions {
  bits: number;
  symmetric: boolean;
  /** Values are row-major [rows, channels]; each channel (output neuron) gets its own scale and zero point. */
  channels?: number;
}

/** A quantized tensor: integer levels, one scale and zero point per channel (or one in all), and the values they stand for. */
export interface Quantized {
  q: Int32Array;
  scale: Float32Array;
  zeroPoint: Int32Array;
  dequantized: Float32Array;
}

const EPSILON = 2 ** -23;
const f32 = Math.fround;

/** Round half to even, as torch.round and C's nearbyint. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Throws unless bits is a whole number from 2 to 16. */
export function checkBits(bits: number): void {
  if (!(Number.isInteger(bits) && bits >= 2 && bits <= 16)) throw new RangeError(`Bits must be a whole number from 2 to 16 (got ${bits}).`);
}

/** The integer levels of a quantizer: [qmin, qmax]. */
export function levelRange(bits: number, symmetric: boolean): [number, number] {
  return symmetric ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
}

/**
 * Scale and zero point of one channel from its observed min and max, the range first widened
 * to include 0, in float32 as torch computes them.
 */
export function observerParams(min: number, max: number, qmin: number, qmax: number, symmetric: boolean): [scale: number, zeroPoint: number] {
  const low = Math.min(min, 0);
  const high = Math.max(max, 0);
  if (symmetric) {
    const bound = Math.max(-low, high);
    return [Math.max(f32(bound / f32((qmax - qmin) / 2)), EPSILON), 0];
  }
  const scale = Math.max(f32(f32(high - low) / (qmax - qmin)), EPSILON);
  const zero = qmin - roundHalfEven(f32(low / scale));
  return [scale, Math.min(qmax, Math.max(qmin, zero))];
}

/**
 * The value x stands for after quantization, (clamp(round(x·(1/scale)) + zeroPoint) − zeroPoint)·scale,
 * with `inverse` = float32(1/scale): the fake quantization of quantization-aware training.
 */
export function fakeQuantized(x: number, scale: number, inverse: number, zeroPoint: number, qmin: number, qmax: number): number {
  const level = Math.min(qmax, Math.max(qmin, roundHalfEven(f32(x * inverse)) + zeroPoint));
  return f32((level - zeroPoint) * scale);
}

/**
 * Quantizes values to `bits`-bit integer levels, per tensor or per channel.
 *
 * @example
 * quantize(new Float32Array([-1, 0, 0.5, 1]), { bits: 8, symmetric: true });
 * // scale [1/127.5], zeroPoint [0], q [-128, 0, 64, 127]
 */
export function quantize(values: Float32Array, options: QuantizeOptions): Quantized {
  checkBits(options.bits);
  const channels = options.channels ?? 1;
  if (!(Number.isInteger(channels) && channels >= 1 && values.length % channels === 0)) {
    throw new RangeError(`${values.length} values do not split into ${channels} channels.`);
  }
  const [qmin, qmax] = levelRange(options.bits, options.symmetric);
  const min = new Float64Array(channels).fill(Infinity);
  const max = new Float64Array(channels).fill(-Infinity);
  values.forEach((v, i) => {
    const c = i % channels;
    if (v < min[c]) min[c] = v;
    if (v > max[c]) max[c] = v;
  });
  const scale = new Float32Array(channels);
  const zeroPoint = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    [scale[c], zeroPoint[c]] = observerParams(values.length ? min[c] : 0, values.length ? max[c] : 0, qmin, qmax, options.symmetric);
  }
  const inverse = Float32Array.from(scale, (s) => f32(1 / s));
  const q = new Int32Array(values.length);
  const dequantized = new Float32Array(values.length);
  values.forEach((v, i) => {
    const c = i % channels;
    const level = Math.min(qmax, Math.max(qmin, roundHalfEven(f32(v * inverse[c])) + zeroPoint[c]));
    q[i] = level;
    dequantized[i] = (level - zeroPoint[c]) * scale[c];
  });
  return { q, scale, zeroPoint, dequantized };
}
