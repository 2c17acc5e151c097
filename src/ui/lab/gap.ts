/**
 * The smallest f − f* the lab's log axes show: a path at the minimum to rounding sits on it,
 * and a chart's readout says "≤ 1e-12" there rather than a value it never had.
 */
export const GAP_FLOOR = 1e-12;

/** The surface's lowest known value f*, from its minima, or undefined where none is known. */
export function lowestValue(minima: readonly { value: number }[]): number | undefined {
  return minima.length ? Math.min(...minima.map((m) => m.value)) : undefined;
}

/** How far `f` is above f* (`lowest`), raised to {@link GAP_FLOOR} for a log axis; f itself where f* is unknown. */
export function gapAbove(f: number, lowest: number | undefined): number {
  return lowest === undefined ? f : Math.max(f - lowest, GAP_FLOOR);
}
