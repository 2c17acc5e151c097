/** An RGB colour, each channel 0–255. */
export type Rgb = [number, number, number];

/** TensorFlow Playground's class colours: orange for class 0 / negative, blue for class 1 / positive. */
export const NEGATIVE: Rgb = [245, 147, 34];
export const POSITIVE: Rgb = [8, 119, 189];
const WHITE: Rgb = [255, 255, 255];

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as Rgb;
}

/**
 * The diverging colour of a value t in [0, 1]: orange at 0, white at 0.5, blue at 1 (values
 * outside are clamped). A class-1 probability maps directly; a regression value is first
 * scaled into [0, 1] by its range.
 */
export function diverging(t: number): Rgb {
  const c = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5));
  return c < 0.5 ? mix(NEGATIVE, WHITE, c / 0.5) : mix(WHITE, POSITIVE, (c - 0.5) / 0.5);
}

/** The opacity (0–255) a decision picture paints its diverging cells with, over white, so that the points on top stand out. */
export const CELL_ALPHA = 160;

/** The smallest and largest of `values`: the range a regression's picture spreads its colours over. */
export function valueRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) { lo = Math.min(lo, values[i]); hi = Math.max(hi, values[i]); }
  return [lo, hi];
}

/** `value` scaled from [lo, hi] into [0, 1] (0.5 when the range is empty). */
export function normalize(value: number, [lo, hi]: [number, number]): number {
  return hi > lo ? (value - lo) / (hi - lo) : 0.5;
}

/**
 * Colours of classes beyond two (Tableau 10, as matplotlib's and Vega's default categories):
 * class k takes entry k modulo ten.
 */
export const CLASS_COLORS: Rgb[] = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
  [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [186, 176, 172],
];

/** Class k's colour faded towards white as the model is less sure: probability 1 is the full colour. */
export function classShade(k: number, probability: number, classes: number): Rgb {
  const chance = 1 / classes;
  const sure = Math.min(1, Math.max(0, (probability - chance) / (1 - chance)));
  return mix(WHITE, CLASS_COLORS[k % CLASS_COLORS.length], 0.2 + 0.8 * sure);
}

/**
 * The colour each class has on the decision picture, in class order: orange and blue for two
 * classes, the category colours for more.
 */
export function classColors(classes: number): Rgb[] {
  return classes > 2 ? Array.from({ length: classes }, (_, k) => CLASS_COLORS[k % CLASS_COLORS.length]) : [NEGATIVE, POSITIVE].slice(0, classes);
}

/** CSS colour for an RGB triple. */
export function css([r, g, b]: Rgb, alpha = 1): string {
  return alpha === 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${alpha})`;
}

/** Stops of the viridis colour map (matplotlib's), evenly spaced from 0 to 1. */
const VIRIDIS: Rgb[] = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37],
];

/** A perceptually even colour for t in [0, 1] (viridis: dark purple low, yellow high). */
export function sequential(t: number): Rgb {
  const c = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 1)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(c));
  return mix(VIRIDIS[i], VIRIDIS[i + 1], c - i);
}
