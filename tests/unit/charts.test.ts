import { describe, expect, test } from 'vitest';
import { diverging, normalize, sequential } from '../../src/ui/charts/colormap';
import { contourLevels, contourSegments } from '../../src/ui/charts/contour-lines';
import type { TableDataSpec } from '../../src/core/data/types';
import type { TaskKind } from '../../src/core/data/table/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { columnShares, DIAGRAM, inputLabels, layoutNetwork, outputLabels, outputNames } from '../../src/ui/charts/network-layout';

describe('colour maps', () => {
  test('class 0 is orange, one half white, class 1 blue', () => {
    expect(diverging(0)).toEqual([245, 147, 34]);
    expect(diverging(0.5)).toEqual([255, 255, 255]);
    expect(diverging(1)).toEqual([8, 119, 189]);
    expect(diverging(-3)).toEqual(diverging(0));
    expect(normalize(5, [0, 10])).toBe(0.5);
  });
  test('viridis runs from dark purple to yellow', () => {
    expect(sequential(0)).toEqual([68, 1, 84]);
    expect(sequential(1)).toEqual([253, 231, 37]);
  });
});

describe('contour lines', () => {
  test("a paraboloid's level set is a circle of the right radius", () => {
    const n = 101;
    const values = new Float32Array(n * n);
    // f = x² + y² on [-1, 1]², one cell = 0.02
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) values[r * n + c] = ((c - 50) / 50) ** 2 + ((r - 50) / 50) ** 2;
    const segments = contourSegments(values, n, n, 0.25);
    expect(segments.length).toBeGreaterThan(100);
    for (const [c0, r0] of segments) {
      const radius = Math.hypot((c0 - 50) / 50, (r0 - 50) / 50);
      expect(Math.abs(radius - 0.5)).toBeLessThan(0.005);
    }
  });
  test('levels are log-spaced when the range is wide and even otherwise', () => {
    const even = contourLevels(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 4);
    expect(even).toEqual([2, 4, 6, 8]);
    const wide = contourLevels(Float32Array.from({ length: 1000 }, (_, i) => (i / 100) ** 4), 5);
    expect(wide[1] - wide[0]).toBeLessThan((wide[4] - wide[3]) / 100);
  });
});

describe('network layout', () => {
  test('one column per layer and one link per weight, carrying its value', () => {
    const layout = layoutNetwork([2, 3, 1], 400, 200, [Float32Array.from([1, 2, 3, 4, 5, 6]), Float32Array.from([7, 8, 9])]);
    expect(layout.nodes.map((c) => c.length)).toEqual([2, 3, 1]);
    expect(layout.links).toHaveLength(2 * 3 + 3);
    const link = layout.links.find((l) => l.from.layer === 0 && l.from.index === 1 && l.to.index === 2)!;
    expect(link.weight).toBe(6);
    expect(layout.nodes[0][0].x).toBeLessThan(layout.nodes[1][0].x);
  });
  test('a hidden neuron with only zero weights in and out is drawn cut, without links', () => {
    // Neuron 1 of the hidden layer: column 1 of [2, 3] and row 1 of [3, 1] are 0; neuron 2 keeps an outgoing weight.
    const layout = layoutNetwork([2, 3, 1], 400, 200, [Float32Array.from([1, 0, 0, 4, 0, 0]), Float32Array.from([7, 0, 9])]);
    expect(layout.nodes.map((c) => c.map((n) => n.cut))).toEqual([[false, false], [false, true, false], [false]]);
    expect(layout.links).toHaveLength(2 * 2 + 2);
    expect(layout.links.some((l) => l.from.cut || l.to.cut)).toBe(false);
  });
  test('with no hidden layer the inputs link straight to the output', () => {
    expect(layoutNetwork([3, 1], 400, 200).links).toHaveLength(3);
  });
});

describe('input labels of the network diagram', () => {
  test('the toy sets keep the usual room; a table\'s long names get room for the longest, cut at 22 characters', () => {
    expect(inputLabels(['x₁', 'x₂'])).toEqual({ labels: ['x₁', 'x₂'], room: 50 });
    const { labels, room } = inputLabels(['Island=Torgersen', 'Flipper length (mm)', 'Body mass in grams at the time of capture']);
    expect(labels).toEqual(['Island=Torgersen', 'Flipper length (mm)', 'Body mass in grams at…']);
    expect(room).toBe(Math.ceil(12 + 7.2 * 22));
  });
});

describe('output labels of the network diagram', () => {
  test('a table names its classes, the class a single sigmoid output gives, or the predicted column; a toy set nothing', () => {
    const table = (target: string, task: TaskKind): TableDataSpec => ({
      kind: 'table', dataset: 'd', name: 'd',
      preprocess: { target, task, features: ['a'], missing: 'drop', scaling: 'standardize', split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 0 },
    });
    expect(outputNames(table('Species', 'multiclass'), { target: { kind: 'classes', classes: ['Adelie', 'Chinstrap', 'Gentoo'] } })).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(outputNames(table('Churn', 'binary'), { target: { kind: 'classes', classes: ['No', 'Yes'] } })).toEqual(['P(Yes)']);
    expect(outputNames(table('Miles per gallon', 'regression'), { target: { kind: 'value', mean: 23, std: 7.8 } })).toEqual(['Miles per gallon']);
    // Before its table loads, a table's outputs go unlabelled, as a toy set's always do.
    expect(outputNames(table('Species', 'multiclass'), undefined)).toEqual([]);
    expect(outputNames(DEFAULT_EXPERIMENT.data, { target: { kind: 'classes', classes: ['0', '1'] } })).toEqual([]);
  });
  test('no labels take no room; names take room for the longest, cut as the inputs are', () => {
    expect(outputLabels([])).toEqual({ labels: [], room: 0 });
    expect(outputLabels(['Adelie', 'Chinstrap'])).toEqual({ labels: ['Adelie', 'Chinstrap'], room: Math.ceil(12 + 7.2 * 9) });
    expect(outputLabels(['Acceleration in seconds to sixty']).labels).toEqual(['Acceleration in secon…']);
  });
});

describe('controls over the diagram\'s columns', () => {
  test('each column\'s share of the drawn width is where its nodes are drawn, label room included', () => {
    const room = inputLabels(['Island=Torgersen']).room;
    const nodes = layoutNetwork([3, 16, 8, 1], DIAGRAM.width, DIAGRAM.height - 18).nodes;
    const drawn = room + DIAGRAM.width + 10;
    expect(columnShares(4, room)).toEqual(nodes.map((column) => (room + column[0].x) / drawn));
    expect(columnShares(4, room)[0]).toBeCloseTo((room + 40) / drawn, 12);
    // Output labels widen the drawing on the right, so every column moves left in share.
    const outputRoom = outputLabels(['Chinstrap']).room;
    expect(columnShares(4, room, outputRoom)).toEqual(nodes.map((column) => (room + column[0].x) / (drawn + outputRoom)));
  });
});
