import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  MAX_FORMULA_DEPTH,
  MAX_FORMULA_LENGTH,
  compileToTf,
  evaluateFormula,
  parseFormula,
  type FormulaNode,
} from '../../src/core/landscape/formula';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function ast(text: string): FormulaNode {
  const result = parseFormula(text);
  if (!result.ok) throw new Error(`'${text}' was refused: ${result.error.message}`);
  return result.ast;
}

function value(text: string, x = 0, y = 0): number {
  return evaluateFormula(ast(text), x, y);
}

function refusal(text: string) {
  const result = parseFormula(text);
  if (result.ok) throw new Error(`'${text}' was accepted`);
  return result.error;
}

describe('precedence and associativity', () => {
  test.each([
    ['1+2*3', 7],
    ['(1+2)*3', 9],
    ['2^3^2', 512],
    ['(2^3)^2', 64],
    ['-2^2', -4],
    ['(-2)^2', 4],
    ['2^-1', 0.5],
    ['10-4-3', 3],
    ['8/4/2', 1],
    ['2*3^2', 18],
    ['-3*-2', 6],
    ['+4 - -1', 5],
    ['--2', 2],
  ])('%s = %d', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  test('-x^2 is -(x^2), as a tree and as a value', () => {
    expect(ast('-x^2')).toEqual({
      type: 'negate',
      operand: { type: 'binary', op: '^', left: { type: 'variable', name: 'x' }, right: { type: 'number', value: 2 } },
    });
    expect(value('-x^2', 3)).toBe(-9);
  });

  test('x and y take the point’s coordinates', () => {
    expect(value('x - 2*y', 5, 1.5)).toBe(2);
  });
});

describe('numbers, constants and functions', () => {
  test.each([
    ['1e-3', 0.001],
    ['.5', 0.5],
    ['2.', 2],
    ['2.5E2', 250],
    ['3e+2', 300],
    ['pi', Math.PI],
    ['e', Math.E],
    ['  1 +\t2 ', 3],
    ['sqrt(16)', 4],
    ['abs(-3)', 3],
    ['exp(0)', 1],
    ['log(e)', 1],
    ['cos(0)', 1],
    ['cosh(0)', 1],
    ['sinh(0)', 0],
    ['tanh(0)', 0],
    ['min(2, 3)', 2],
    ['max(2, -3)', 2],
    ['max(min(5, 4), 1)', 4],
  ])('%s = %d', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  test('trigonometric functions take radians', () => {
    expect(value('sin(pi/2)')).toBe(1);
    expect(value('tan(pi/4)')).toBeCloseTo(1, 15);
    expect(value('sin(pi/6)')).toBeCloseTo(0.5, 15);
  });
});

describe('refusals carry a message and a 0-based position', () => {
  test.each([
    ['2*', 'Unexpected end of formula', 2],
    ['x + foo(y)', "Unknown name 'foo' at position 4", 4],
    ['(x', "Expected ')' at position 2", 2],
    ['min(x, y', "Expected ')' at position 8", 8],
    ['', 'Formula is empty', 0],
    ['   ', 'Formula is empty', 0],
    ['x $ y', "Unexpected character '$' at position 2", 2],
    [')', "Unexpected ')' at position 0", 0],
    ['x)', "Unexpected ')' at position 1", 1],
    ['x +* y', "Unexpected '*' at position 3", 3],
    ['sin x', "Expected '(' after 'sin' at position 4", 4],
    ['sin', "Expected '(' after 'sin' at position 3", 3],
    ['min(x)', "Function 'min' takes 2 arguments, got 1 at position 0", 0],
    ['1 + sqrt(x, y)', "Function 'sqrt' takes 1 argument, got 2 at position 4", 4],
    ['X', "Unknown name 'X' at position 0", 0],
    ['1e999', "Number '1e999' is too large at position 0", 0],
  ])('%j → %s', (text, message, position) => {
    expect(refusal(text)).toEqual({ message, position });
  });

  test.each([
    ['2x', "Missing operator before 'x' at position 1 (implicit multiplication is not allowed: write '*')", 1],
    ['x(y + 1)', "Missing operator before '(' at position 1 (implicit multiplication is not allowed: write '*')", 1],
    ['(x)(y)', "Missing operator before '(' at position 3 (implicit multiplication is not allowed: write '*')", 3],
    ['2 pi', "Missing operator before 'pi' at position 2 (implicit multiplication is not allowed: write '*')", 2],
  ])('implicit multiplication %j is refused', (text, message, position) => {
    expect(refusal(text)).toEqual({ message, position });
  });

  test('formulas longer than the limit are refused before parsing', () => {
    const long = `x${'+x'.repeat(MAX_FORMULA_LENGTH / 2)}`;
    expect(long.length).toBe(MAX_FORMULA_LENGTH + 1);
    expect(refusal(long)).toEqual({
      message: `Formula is too long (${MAX_FORMULA_LENGTH + 1} characters, at most ${MAX_FORMULA_LENGTH})`,
      position: MAX_FORMULA_LENGTH,
    });
    expect(parseFormula(long.slice(0, MAX_FORMULA_LENGTH - 1)).ok).toBe(true);
  });

  test('nesting deeper than the limit is refused at the first token too deep', () => {
    const nested = (depth: number) => `${'('.repeat(depth)}x${')'.repeat(depth)}`;
    expect(value(nested(MAX_FORMULA_DEPTH - 1), 7)).toBe(7);
    expect(refusal(nested(MAX_FORMULA_DEPTH))).toEqual({
      message: `Formula is nested too deeply at position ${MAX_FORMULA_DEPTH}`,
      position: MAX_FORMULA_DEPTH,
    });
    expect(refusal('-'.repeat(80) + 'x').message).toBe(`Formula is nested too deeply at position ${MAX_FORMULA_DEPTH}`);
  });

  test('names of Object.prototype are unknown names, not functions', () => {
    expect(refusal('constructor(x)')).toEqual({ message: "Unknown name 'constructor' at position 0", position: 0 });
    expect(refusal('toString')).toEqual({ message: "Unknown name 'toString' at position 0", position: 0 });
  });
});

describe('compileToTf', () => {
  const himmelblau = '(x^2 + y - 11)^2 + (x + y^2 - 7)^2';

  test('agrees with the number evaluator and differentiates exactly', () => {
    const baseline = tf.memory().numTensors;
    const fn = compileToTf(ast(himmelblau));
    const xs = [0, 1, -2.5, 3];
    const ys = [0, -1, 0.5, 2];
    const [values, gx, gy] = tf.tidy(() => {
      const x = tf.tensor1d(xs);
      const y = tf.tensor1d(ys);
      const [dx, dy] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(fn(a, b)))([x, y]);
      return [fn(x, y).arraySync() as number[], dx.arraySync() as number[], dy.arraySync() as number[]];
    });
    // Hand-computed: f(0,0) = 121 + 49 = 170; ∂f/∂x = 4x(x²+y−11) + 2(x+y²−7), ∂f/∂y = 2(x²+y−11) + 4y(x+y²−7).
    expect(values[0]).toBe(170);
    xs.forEach((x, i) => {
      const y = ys[i];
      const a = x * x + y - 11;
      const b = x + y * y - 7;
      expect(values[i]).toBeCloseTo(value(himmelblau, x, y), 4);
      expect(gx[i]).toBeCloseTo(4 * x * a + 2 * b, 4);
      expect(gy[i]).toBeCloseTo(2 * a + 4 * y * b, 4);
    });
    expect(gx[3]).toBe(0);
    expect(gy[3]).toBe(0);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  test('every function differentiates like its derivative', () => {
    const cases: [string, (x: number) => number][] = [
      ['sin(x)', Math.cos],
      ['cos(x)', (x) => -Math.sin(x)],
      ['tan(x)', (x) => 1 / Math.cos(x) ** 2],
      ['exp(x)', Math.exp],
      ['log(x)', (x) => 1 / x],
      ['sqrt(x)', (x) => 0.5 / Math.sqrt(x)],
      ['abs(-x)', () => 1],
      ['tanh(x)', (x) => 1 - Math.tanh(x) ** 2],
      ['sinh(x)', Math.cosh],
      ['cosh(x)', Math.sinh],
      ['min(x, 2*x)', () => 1],
      ['max(x, 2*x)', () => 2],
      ['x^3 / 3', (x) => x * x],
    ];
    for (const [text, derivative] of cases) {
      const fn = compileToTf(ast(text));
      const gradient = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(fn(x, x)))(tf.scalar(0.7)).dataSync()[0]);
      expect(gradient, text).toBeCloseTo(derivative(0.7), 5);
    }
  });

  test('a formula without x or y has x’s shape and a zero gradient', () => {
    const fn = compileToTf(ast('2*pi'));
    const [values, gradient] = tf.tidy(() => {
      const x = tf.tensor2d([1, 2, 3], [3, 1]);
      const g = tf.grad((p: tf.Tensor) => tf.sum(fn(p, p)))(x);
      return [fn(x, x).arraySync(), g.arraySync()];
    });
    expect(values).toEqual([[Math.fround(2 * Math.PI)], [Math.fround(2 * Math.PI)], [Math.fround(2 * Math.PI)]]);
    expect(gradient).toEqual([[0], [0], [0]]);
  });
});
