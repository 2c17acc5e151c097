import type { NumericDef } from '../space';

/**
 * A numeric parameter in the space samplers work in (Optuna's transform): log parameters by
 * their logarithm; stepped and integer ones widened by half a step on each side, so that
 * rounding gives every allowed value an equal share of the range.
 */
export interface Scale {
  /** Lower end of the internal range. */
  low: number;
  /** Upper end of the internal range. */
  high: number;
  /** The step between allowed values in internal units, null when continuous there. */
  step: number | null;
  /** A parameter value in internal units. */
  toInternal(x: number): number;
  /** The allowed parameter value nearest to an internal value. */
  fromInternal(t: number): number;
}

/** The scale of a numeric parameter. */
export function scaleOf(def: NumericDef): Scale {
  const step = def.type === 'int' ? (def.step ?? 1) : def.step;
  // As Optuna: a range not divisible by the step ends at its last multiple.
  const top = step ? tidy(def.low + Math.floor((def.high - def.low) / step + 1e-9) * step) : def.high;
  const clip = (x: number) => Math.min(top, Math.max(def.low, x));
  if (def.log) {
    const int = def.type === 'int';
    return {
      low: Math.log(int ? def.low - 0.5 : def.low),
      high: Math.log(int ? def.high + 0.5 : def.high),
      step: null,
      toInternal: Math.log,
      fromInternal: (t) => clip(int ? Math.round(Math.exp(t)) : Math.exp(t)),
    };
  }
  if (step) {
    return {
      low: def.low - step / 2,
      high: top + step / 2,
      step,
      toInternal: (x) => x,
      fromInternal: (t) => clip(tidy(def.low + Math.round((t - def.low) / step) * step)),
    };
  }
  return { low: def.low, high: def.high, step: null, toInternal: (x) => x, fromInternal: clip };
}

/** A multiple of a decimal step without its binary rounding residue (0.1 · 3 → 0.3, not 0.30000000000000004). */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}
