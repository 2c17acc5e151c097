/** A node of the network drawing: its column (layer), row, and centre. */
export interface LayoutNode {
  layer: number;
  index: number;
  x: number;
  y: number;
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

/**
 * Lays out a network: one column per layer (inputs, hidden layers, output), nodes spread
 * evenly in each column and shrinking when a column is tall. `weights[l]` is the row-major
 * [from, to] matrix between layer l and l + 1.
 */
export function layoutNetwork(sizes: number[], width: number, height: number, weights?: ArrayLike<number>[]): NetworkLayout {
  const tallest = Math.max(...sizes);
  const nodeSize = Math.max(6, Math.min(28, (height - 8) / tallest - 6));
  const columns = sizes.length;
  const nodes = sizes.map((count, layer) => {
    const x = columns === 1 ? width / 2 : 40 + ((width - 80) * layer) / (columns - 1);
    const step = height / count;
    return Array.from({ length: count }, (_, index) => ({ layer, index, x, y: step * (index + 0.5) }));
  });
  const links: LayoutLink[] = [];
  for (let l = 0; l + 1 < nodes.length; l++) {
    const outs = nodes[l + 1].length;
    for (const from of nodes[l]) {
      for (const to of nodes[l + 1]) {
        links.push({ from, to, weight: weights?.[l]?.[from.index * outs + to.index] });
      }
    }
  }
  return { nodes, links, nodeSize };
}
