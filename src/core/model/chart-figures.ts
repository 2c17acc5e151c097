// The numbers behind the decision picture and the network drawing, for the text a screen
// reader reads in their place. Computed here, without a DOM, so that they are unit-tested;
// the charts only put them into words.
import { classCell } from './predict';

/** Points on a picture: rows of inputs (row-major, `dims` per row) and their class. */
export interface PicturePoints {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dims: number;
}

/** One class of a decision picture: the share of the picture it takes, and how its points fall. */
export interface ClassFigure {
  label: number;
  /** The share of the picture's cells whose predicted class is this one, 0 to 1. */
  share: number;
  /** Points of this class on the picture. */
  points: number;
  /** Those of them that lie in this class's own region of the picture. */
  inRegion: number;
}

/** The class a picture cell predicts: above one half for two classes, its whole part for more (see {@link classCell}). */
function cellClass(value: number, classes: number): number {
  return classes > 2 ? classCell(value).label : value >= 0.5 ? 1 : 0;
}

/** The cell of a gridSize × gridSize picture over `frame` that holds (px, py): row 0 at the top (highest y). */
function cellOf(px: number, py: number, frame: { x: [number, number]; y: [number, number] }, gridSize: number): number {
  const clamp = (k: number) => Math.min(gridSize - 1, Math.max(0, Math.floor(k)));
  const column = clamp(((px - frame.x[0]) / (frame.x[1] - frame.x[0])) * gridSize);
  const row = clamp(((frame.y[1] - py) / (frame.y[1] - frame.y[0])) * gridSize);
  return row * gridSize + column;
}

/**
 * Per class of a classification picture: the share of the `grid` (row 0 at the top, as
 * decisionGrid computes it) each class takes, and of the `points` drawn (inputs `axes` on the
 * two axes, targets as class indices) how many lie in their own class's region. For a table
 * the picture is a slice through the other inputs, so a point's region is the slice's verdict,
 * not necessarily the network's on that row.
 *
 * @example
 * // A 2 × 2 picture, left half class 0, right half class 1; one point of each on the left.
 * classFigures(Float32Array.of(0.1, 0.9, 0.2, 0.8), 2, 2, { x: [0, 1], y: [0, 1] },
 *   { x: [0.2, 0.5, 0.3, 0.5], y: [0, 1], dims: 2 }, [0, 1]);
 * // → [{ label: 0, share: 0.5, points: 1, inRegion: 1 }, { label: 1, share: 0.5, points: 1, inRegion: 0 }]
 */
export function classFigures(
  grid: ArrayLike<number>,
  gridSize: number,
  classes: number,
  frame: { x: [number, number]; y: [number, number] },
  points: PicturePoints | undefined,
  axes: [number, number],
): ClassFigure[] {
  const figures = Array.from({ length: Math.max(2, classes) }, (_, label) => ({ label, share: 0, points: 0, inRegion: 0 }));
  for (let i = 0; i < grid.length; i++) figures[cellClass(grid[i], classes)].share += 1 / grid.length;
  if (points && points.dims > 0) {
    for (let i = 0; i < points.y.length; i++) {
      const label = points.y[i];
      if (!figures[label]) continue;
      const cell = cellOf(points.x[points.dims * i + axes[0]], points.x[points.dims * i + axes[1]], frame, gridSize);
      figures[label].points++;
      if (cellClass(grid[cell], classes) === label) figures[label].inRegion++;
    }
  }
  return figures;
}

/** One weight matrix of a network drawing: how many weights, how large, which links are strongest. */
export interface LayerWeightFigure {
  /** The layers the matrix links: 0 is the inputs. */
  from: number;
  to: number;
  /** Weights in the matrix, and those of them that are exactly 0 (pruned). */
  count: number;
  pruned: number;
  /** The mean of |w| over the matrix. */
  meanAbs: number;
  /** The links of largest |w|, largest first (ties: the earlier link first). */
  strongest: { fromUnit: number; toUnit: number; weight: number }[];
}

/**
 * Figures of each weight matrix of a network: `sizes` are the layer widths (inputs first),
 * `kernels[l]` the row-major [sizes[l], sizes[l + 1]] matrix between layers l and l + 1, as
 * the network drawing takes them; `top` links of each are named as its strongest.
 *
 * @example
 * weightFigures([2, 1], [Float32Array.of(0.5, -2)], 1);
 * // → [{ from: 0, to: 1, count: 2, pruned: 0, meanAbs: 1.25, strongest: [{ fromUnit: 1, toUnit: 0, weight: -2 }] }]
 */
export function weightFigures(sizes: number[], kernels: ArrayLike<number>[], top = 3): LayerWeightFigure[] {
  return kernels.slice(0, sizes.length - 1).map((w, l) => {
    const outs = sizes[l + 1];
    let sum = 0;
    let pruned = 0;
    for (let i = 0; i < w.length; i++) {
      sum += Math.abs(w[i]);
      if (w[i] === 0) pruned++;
    }
    const order = Array.from({ length: w.length }, (_, i) => i).sort((a, b) => Math.abs(w[b]) - Math.abs(w[a]) || a - b);
    return {
      from: l,
      to: l + 1,
      count: w.length,
      pruned,
      meanAbs: w.length ? sum / w.length : 0,
      strongest: order.slice(0, top).map((i) => ({ fromUnit: Math.floor(i / outs), toUnit: i % outs, weight: w[i] })),
    };
  });
}

/** A number in three significant digits, as chart texts give them. */
const short = (v: number) => String(Number(v.toPrecision(3)));
/** A share as a whole percentage. */
const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * The decision picture's per-class figures in words: each class (by `names`, else "class k")
 * with its share of the picture and its points in its own region, e.g.
 * "Adelie takes 41% of the picture, 50 of 52 of its points lie in it".
 */
export function describeClassFigures(figures: ClassFigure[], names?: readonly string[]): string {
  return figures
    .map((f) => `${names?.[f.label] ?? `class ${f.label}`} takes ${percent(f.share)} of the picture${f.points ? `, ${f.inRegion} of ${f.points} of its points lie in it` : ''}`)
    .join('; ');
}

/**
 * The network's weights in words, per matrix: its count (and how many are pruned to 0), the
 * mean |w| and its strongest links, with units named by `unitName(layer, unit)`, e.g.
 * "inputs to layer 1: 32 weights, mean |w| 0.412, strongest x1 → 3 (−1.2)".
 */
export function describeWeightFigures(figures: LayerWeightFigure[], unitName: (layer: number, unit: number) => string): string {
  const layerName = (l: number, last: boolean) => (l === 0 ? 'inputs' : last ? 'output' : `layer ${l}`);
  return figures
    .map((f, k) => {
      const last = k === figures.length - 1;
      const links = f.strongest.map((s) => `${unitName(f.from, s.fromUnit)} → ${unitName(f.to, s.toUnit)} (${short(s.weight)})`).join(', ');
      return `${layerName(f.from, false)} to ${layerName(f.to, last)}: ${f.count} weights${f.pruned ? `, ${f.pruned} pruned` : ''}, mean |w| ${short(f.meanAbs)}, strongest ${links}`;
    })
    .join('; ');
}
