import type { Recipe } from '../../core/data/table/types';
import type { ExperimentData } from '../../core/data/types';
/** A node of the network drawing: its column (layer), row, and centre. */
export interface LayoutNode {
  layer: number;
  index: number;
  x: number;
  y: number;
  /** A hidden neuron whose weights in and out are all 0: cut by neuron pruning. */
  cut: boolean;
}

/** A link of the network drawing: from node to node, with its weight when known. */
export interface LayoutLink {
  from: LayoutNode;
  to: LayoutNode;
  weight: number | undefined;
}

/** Where every node and link of a network goes in a width × height box. */
export interface NetworkLayout {
  nodes: LayoutNode[][];
  links: LayoutLink[];
  nodeSize: number;
}

/** The network diagram's drawing box, in its own units; the input labels' room is added on its left. */
export const DIAGRAM = { width: 560, height: 260 };

/** The centre of column `layer` of `columns` in a drawing `width` wide. */
function columnX(layer: number, columns: number, width: number): number {
  return columns === 1 ? width / 2 : 40 + ((width - 80) * layer) / (columns - 1);
}

/**
 * Where each of `columns` layer columns is centred, as a share of the drawn diagram's width
 * with `room` for the input labels and `outputRoom` for the output labels (see
 * {@link inputLabels}, {@link outputLabels}): where a control above a layer goes.
 */
export function columnShares(columns: number, room: number, outputRoom = 0): number[] {
  return Array.from({ length: columns }, (_, layer) => (room + columnX(layer, columns, DIAGRAM.width)) / (room + DIAGRAM.width + 10 + outputRoom));
}

/** Whether hidden neuron `index` of column `layer` has only zero weights in and out (pruned whole). */
function isCut(sizes: number[], weights: ArrayLike<number>[] | undefined, layer: number, index: number): boolean {
  if (!weights || layer === 0 || layer === sizes.length - 1 || !weights[layer - 1] || !weights[layer]) return false;
  const units = sizes[layer];
  for (let i = 0; i < sizes[layer - 1]; i++) if (weights[layer - 1][i * units + index] !== 0) return false;
  for (let k = 0; k < sizes[layer + 1]; k++) if (weights[layer][index * sizes[layer + 1] + k] !== 0) return false;
  return true;
}

/**
 * Lays out a network: one column per layer (inputs, hidden layers, output), nodes spread
 * evenly in each column and shrinking when a column is tall. `weights[l]` is the row-major
 * [from, to] matrix between layer l and l + 1; a hidden neuron with only zero weights in and
 * out is marked cut and loses its links.
 */
export function layoutNetwork(sizes: number[], width: number, height: number, weights?: ArrayLike<number>[]): NetworkLayout {
  const tallest = Math.max(...sizes);
  const nodeSize = Math.max(6, Math.min(28, (height - 8) / tallest - 6));
  const columns = sizes.length;
  const nodes = sizes.map((count, layer) => {
    const x = columnX(layer, columns, width);
    const step = height / count;
    return Array.from({ length: count }, (_, index) => ({ layer, index, x, y: step * (index + 0.5), cut: isCut(sizes, weights, layer, index) }));
  });
  const links: LayoutLink[] = [];
  for (let l = 0; l + 1 < nodes.length; l++) {
    const outs = nodes[l + 1].length;
    for (const from of nodes[l]) {
      for (const to of nodes[l + 1]) {
        // A cut neuron's links are gone.
        if (!from.cut && !to.cut) links.push({ from, to, weight: weights?.[l]?.[from.index * outs + to.index] });
      }
    }
  }
  return { nodes, links, nodeSize };
}

/** Characters an input's label keeps before it is cut with an ellipsis. */
const LABEL_CHARS = 22;
/** The average width of a label character at the diagram's 13px font, in its units. */
const CHAR_WIDTH = 7.2;

/** Labels cut to {@link LABEL_CHARS} with an ellipsis, and the room the longest needs beside its nodes, at least `least`. */
function fitLabels(names: string[], least: number): { labels: string[]; room: number } {
  const labels = names.map((name) => (name.length > LABEL_CHARS ? `${name.slice(0, LABEL_CHARS - 1)}…` : name));
  const longest = Math.max(0, ...labels.map((label) => label.length));
  return { labels, room: Math.max(least, labels.length ? Math.ceil(12 + CHAR_WIDTH * longest) : 0) };
}

/**
 * The input labels as the network diagram draws them, each cut to {@link LABEL_CHARS} with an
 * ellipsis, and the room they need left of the input nodes (a table's inputs such as
 * "Island=Torgersen" need more than the toy sets' "x₁").
 */
export function inputLabels(names: string[]): { labels: string[]; room: number } {
  return fitLabels(names, 50);
}

/** The output labels as the diagram draws them, cut as the inputs' are, and the room they need right of the output nodes (none without labels). */
export function outputLabels(names: string[]): { labels: string[]; room: number } {
  return fitLabels(names, 0);
}

/**
 * What the output units of an experiment on `data` stand for, to label them, given the table's
 * `recipe` once it is loaded: each class's name, the class whose probability a single sigmoid
 * output gives (class 1 of two), or the predicted column. The toy sets' single output goes
 * unlabelled, as in TensorFlow Playground.
 */
export function outputNames(data: ExperimentData, recipe: { target: Recipe['target'] } | undefined): string[] {
  if (data.kind !== 'table' || !recipe) return [];
  const { target } = recipe;
  if (target.kind === 'value') return [data.preprocess.target];
  return target.classes.length > 2 ? target.classes : [`P(${target.classes[1]})`];
}
