import { describe, expect, test } from 'vitest';
import { BUILT_IN_SURFACES, BUILT_IN_SURFACE_IDS, evaluateFormula, parseFormula, trajectory, type FormulaNode, type SurfaceSpec } from '../../src/core/landscape';
import { surfaceCode } from '../../src/core/landscape/descent';
import { evaluateSurfaceCode } from '../../src/core/landscape/surface-code';
import reference from '../support/landscape-torch.json';

function tree(text: string): FormulaNode {
  const parsed = parseFormula(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.ast;
}

/** ∂f/∂x and ∂f/∂y by central differences in double precision: good to ~1e-7 relative. */
function centralDifferences(ast: FormulaNode, x: number, y: number): [number, number] {
  const h = 1e-5;
  return [
    (evaluateFormula(ast, x + h, y) - evaluateFormula(ast, x - h, y)) / (2 * h),
    (evaluateFormula(ast, x, y + h) - evaluateFormula(ast, x, y - h)) / (2 * h),
  ];
}

const POINTS: [number, number][] = [[0.3, -0.7], [1.1, 0.4], [-1.7, 1.9], [2.05, -1.2]];

describe('compiled surfaces: f and its exact gradient from the formula tree', () => {
  const formulas = [
    'x^2 - y^2',
    'sin(x)*cos(y) + tan(0.3*x*y)',
    'exp(-x^2 - y^2) + log(1 + x^2 + y^2)',
    'sqrt(x^2 + y^2 + 1) + abs(x - y)',
    'tanh(x) + sinh(0.5*y) - cosh(0.2*x*y)',
    'min(x, y) + max(x*y, 0.1) + min(x, 1)',
    'x^-2 + y^3 - x^4*y + (x^2)^0.5 + 2^y + (x^2 + 1)^(y/3)',
    'x/(2 + y^2) - (1 + x)/(3 + sin(y))',
    '-x^2 + -(y - 1)^2 + 7 + pi*e',
    '3',
  ];
  test.each(formulas)('%s: f as the number evaluator gives it, the gradient as central differences', (text) => {
    const ast = tree(text);
    const code = surfaceCode(ast);
    for (const [x, y] of POINTS) {
      const [value, dx, dy] = evaluateSurfaceCode(code, x, y);
      expect(value).toBeCloseTo(evaluateFormula(ast, x, y), 12);
      const [nx, ny] = centralDifferences(ast, x, y);
      expect(Math.abs(dx - nx)).toBeLessThan(1e-7 * Math.max(1, Math.abs(nx)));
      expect(Math.abs(dy - ny)).toBeLessThan(1e-7 * Math.max(1, Math.abs(ny)));
    }
  });

  test('constants are folded and repeated work is done once', () => {
    // (x² + y − 11)² + (x + y² − 7)²: 17 operations for f and both partials, no constant arithmetic.
    const code = surfaceCode(BUILT_IN_SURFACES.himmelblau.ast!);
    expect(code.code.length / 4).toBe(17);
    expect(surfaceCode(tree('2*pi*3')).code).toHaveLength(0);
  });

  test.each(BUILT_IN_SURFACE_IDS)('%s is a formula, compiled as any typed formula', (id) => {
    const ast = BUILT_IN_SURFACES[id].ast!;
    const [x, y] = [0.37, -0.61];
    const [value, dx, dy] = evaluateSurfaceCode(surfaceCode(ast), x, y);
    expect(value).toBeCloseTo(evaluateFormula(ast, x, y), 9);
    const [nx, ny] = centralDifferences(ast, x, y);
    expect(Math.abs(dx - nx)).toBeLessThan(1e-6 * Math.max(1, Math.abs(nx)));
    expect(Math.abs(dy - ny)).toBeLessThan(1e-6 * Math.max(1, Math.abs(ny)));
  });
});

describe("the lab's cpu paths are torch.optim's float64 paths", () => {
  test.each(reference.cases.map((c) => [c.surface, c.optimizer.kind, c] as const))('%s with %s, to 1e-9', async (id, _kind, c) => {
    // The reference read the surface from this text: it must be the built-in's definition.
    if (id !== 'formula') expect(BUILT_IN_SURFACES[id as keyof typeof BUILT_IN_SURFACES].ast).toEqual(tree(c.expression));
    const surface: SurfaceSpec = id === 'formula' ? c.expression : id;
    const { points, values } = await trajectory({ surface, optimizer: c.optimizer as never, start: c.start as [number, number], steps: c.steps });
    expect(points).toHaveLength(c.steps + 1);
    let worst = 0;
    points.forEach(([x, y], k) => {
      const [tx, ty] = c.points[k];
      worst = Math.max(worst, Math.abs(x - tx), Math.abs(y - ty));
      expect(Math.abs(values[k] - c.values[k])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c.values[k])));
    });
    expect(worst).toBeLessThanOrEqual(1e-9);
    // The path goes somewhere: a test of a run that stood still would prove nothing.
    expect(Math.hypot(points[c.steps][0] - c.start[0], points[c.steps][1] - c.start[1])).toBeGreaterThan(0.01);
  });
});
