import * as tf from '@tensorflow/tfjs-core';
import '../autodiff';

/**
 * User formulas f(x, y) for the landscape lab: a tokenizer and a recursive-descent parser that
 * turn text into a plain-data syntax tree, and two evaluators of that tree (tf ops for autodiff,
 * plain numbers for tables). Text is never run as code.
 *
 * Grammar, loosest binding first:
 * ```
 * sum     = product { ("+" | "-") product }
 * product = unary { ("*" | "/") unary }
 * unary   = ("-" | "+") unary | power
 * power   = primary [ "^" unary ]          (right-associative; -x^2 = -(x^2); 2^-1 = 0.5)
 * primary = number | "x" | "y" | "pi" | "e" | name "(" sum { "," sum } ")" | "(" sum ")"
 * ```
 * Implicit multiplication ("2x", "x(y+1)") is refused with a message that says so.
 */

/** The longest formula accepted, in characters: keeps links short and parsing cheap. */
export const MAX_FORMULA_LENGTH = 500;

/** The deepest nesting accepted (parentheses, unary signs, powers, calls): bounds recursion. */
export const MAX_FORMULA_DEPTH = 50;

/** The functions a formula may call, with the number of arguments each takes. */
export const FORMULA_FUNCTIONS = {
  sin: 1,
  cos: 1,
  tan: 1,
  exp: 1,
  log: 1,
  sqrt: 1,
  abs: 1,
  tanh: 1,
  sinh: 1,
  cosh: 1,
  min: 2,
  max: 2,
} as const;

/** The name of a function a formula may call. */
export type FormulaFunction = keyof typeof FORMULA_FUNCTIONS;

/** The named constants a formula may use, with their values. */
export const FORMULA_CONSTANTS = { pi: Math.PI, e: Math.E } as const;

/** A binary operator of the formula language. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '^';

/** A parsed formula as plain data: JSON-serialisable, evaluated by the functions below. */
export type FormulaNode =
  | { type: 'number'; value: number }
  | { type: 'variable'; name: 'x' | 'y' }
  | { type: 'constant'; name: keyof typeof FORMULA_CONSTANTS }
  | { type: 'negate'; operand: FormulaNode }
  | { type: 'binary'; op: BinaryOperator; left: FormulaNode; right: FormulaNode }
  | { type: 'call'; name: FormulaFunction; args: FormulaNode[] };

/** Why a formula was refused, and where: `position` is the 0-based character index. */
export interface FormulaError {
  message: string;
  position: number;
}

/** The outcome of {@link parseFormula}: a tree, or an error to show next to the input field. */
export type ParseResult = { ok: true; ast: FormulaNode } | { ok: false; error: FormulaError };

type Token =
  | { kind: 'number'; value: number; text: string; position: number }
  | { kind: 'name'; text: string; position: number }
  | { kind: 'operator'; text: BinaryOperator; position: number }
  | { kind: 'open' | 'close' | 'comma'; text: string; position: number };

/** Thrown inside the parser only, and turned into a {@link ParseResult} at its boundary. */
class FormulaSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const NUMBER_PATTERN = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME_PATTERN = /^[A-Za-z_][A-Za-z_0-9]*/;
const SINGLE_CHARACTER_TOKENS: Record<string, Token['kind']> = {
  '+': 'operator',
  '-': 'operator',
  '*': 'operator',
  '/': 'operator',
  '^': 'operator',
  '(': 'open',
  ')': 'close',
  ',': 'comma',
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    const rest = text.slice(position);
    const whitespace = /^\s+/.exec(rest);
    if (whitespace) {
      position += whitespace[0].length;
      continue;
    }
    const number = NUMBER_PATTERN.exec(rest);
    if (number) {
      if (!Number.isFinite(Number(number[0]))) {
        throw new FormulaSyntaxError(`Number '${number[0]}' is too large at position ${position}`, position);
      }
      tokens.push({ kind: 'number', value: Number(number[0]), text: number[0], position });
      position += number[0].length;
      continue;
    }
    const name = NAME_PATTERN.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], position });
      position += name[0].length;
      continue;
    }
    const kind = SINGLE_CHARACTER_TOKENS[rest[0]];
    if (kind === undefined) {
      throw new FormulaSyntaxError(`Unexpected character '${rest[0]}' at position ${position}`, position);
    }
    tokens.push({ kind, text: rest[0], position } as Token);
    position += 1;
  }
  return tokens;
}

function isFunctionName(name: string): name is FormulaFunction {
  return Object.hasOwn(FORMULA_FUNCTIONS, name);
}

function isConstantName(name: string): name is keyof typeof FORMULA_CONSTANTS {
  return Object.hasOwn(FORMULA_CONSTANTS, name);
}

/** Recursive descent over the token list; one instance parses one formula. */
class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parseFormula(): FormulaNode {
    if (this.tokens.length === 0) throw new FormulaSyntaxError('Formula is empty', 0);
    const ast = this.parseSum();
    const extra = this.peek();
    if (extra) {
      if (extra.kind === 'number' || extra.kind === 'name' || extra.kind === 'open') {
        throw new FormulaSyntaxError(
          `Missing operator before '${extra.text}' at position ${extra.position} (implicit multiplication is not allowed: write '*')`,
          extra.position,
        );
      }
      throw this.unexpected(extra);
    }
    return ast;
  }

  private parseSum(): FormulaNode {
    let left = this.parseProduct();
    for (let token = this.peek(); token?.text === '+' || token?.text === '-'; token = this.peek()) {
      this.index++;
      left = { type: 'binary', op: token.text as BinaryOperator, left, right: this.parseProduct() };
    }
    return left;
  }

  private parseProduct(): FormulaNode {
    let left = this.parseUnary();
    for (let token = this.peek(); token?.text === '*' || token?.text === '/'; token = this.peek()) {
      this.index++;
      left = { type: 'binary', op: token.text as BinaryOperator, left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FormulaNode {
    const token = this.peek();
    this.enter(token);
    let node: FormulaNode;
    if (token?.text === '-' || token?.text === '+') {
      this.index++;
      const operand = this.parseUnary();
      node = token.text === '-' ? { type: 'negate', operand } : operand;
    } else {
      node = this.parsePower();
    }
    this.depth--;
    return node;
  }

  private parsePower(): FormulaNode {
    const base = this.parsePrimary();
    if (this.peek()?.text !== '^') return base;
    this.index++;
    return { type: 'binary', op: '^', left: base, right: this.parseUnary() };
  }

  private parsePrimary(): FormulaNode {
    const token = this.next();
    if (token.kind === 'number') return { type: 'number', value: token.value };
    if (token.kind === 'open') {
      const inner = this.parseSum();
      this.expect(')');
      return inner;
    }
    if (token.kind !== 'name') throw this.unexpected(token);
    const name = token.text;
    if (name === 'x' || name === 'y') return { type: 'variable', name };
    if (isConstantName(name)) return { type: 'constant', name };
    if (!isFunctionName(name)) {
      throw new FormulaSyntaxError(`Unknown name '${name}' at position ${token.position}`, token.position);
    }
    if (this.peek()?.kind !== 'open') {
      const position = this.peek()?.position ?? this.length;
      throw new FormulaSyntaxError(`Expected '(' after '${name}' at position ${position}`, position);
    }
    this.index++;
    const args = [this.parseSum()];
    while (this.peek()?.kind === 'comma') {
      this.index++;
      args.push(this.parseSum());
    }
    this.expect(')');
    const arity = FORMULA_FUNCTIONS[name];
    if (args.length !== arity) {
      throw new FormulaSyntaxError(
        `Function '${name}' takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length} at position ${token.position}`,
        token.position,
      );
    }
    return { type: 'call', name, args };
  }

  private enter(token: Token | undefined): void {
    this.depth++;
    if (this.depth > MAX_FORMULA_DEPTH) {
      const position = token?.position ?? this.length;
      throw new FormulaSyntaxError(`Formula is nested too deeply at position ${position}`, position);
    }
  }

  private expect(text: string): void {
    const token = this.peek();
    if (token?.text === text) {
      this.index++;
      return;
    }
    const position = token?.position ?? this.length;
    throw new FormulaSyntaxError(`Expected '${text}' at position ${position}`, position);
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (!token) throw new FormulaSyntaxError('Unexpected end of formula', this.length);
    this.index++;
    return token;
  }

  private unexpected(token: Token): FormulaSyntaxError {
    return new FormulaSyntaxError(`Unexpected '${token.text}' at position ${token.position}`, token.position);
  }
}

/**
 * Parses a formula in x and y, e.g. `(1 - x)^2 + 100*(y - x^2)^2`. Never throws: bad input
 * gives `{ ok: false, error: { message, position } }` to show next to the field.
 */
export function parseFormula(text: string): ParseResult {
  if (text.length > MAX_FORMULA_LENGTH) {
    return {
      ok: false,
      error: {
        message: `Formula is too long (${text.length} characters, at most ${MAX_FORMULA_LENGTH})`,
        position: MAX_FORMULA_LENGTH,
      },
    };
  }
  try {
    return { ok: true, ast: new Parser(tokenize(text), text.length).parseFormula() };
  } catch (error) {
    if (error instanceof FormulaSyntaxError) {
      return { ok: false, error: { message: error.message, position: error.position } };
    }
    throw error;
  }
}

const NUMBER_FUNCTIONS: Record<FormulaFunction, (...args: number[]) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  min: Math.min,
  max: Math.max,
};

const NUMBER_OPERATORS: Record<BinaryOperator, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
};

/** Evaluates a parsed formula at one point in plain double precision (tables, checks). */
export function evaluateFormula(ast: FormulaNode, x: number, y: number): number {
  switch (ast.type) {
    case 'number':
      return ast.value;
    case 'variable':
      return ast.name === 'x' ? x : y;
    case 'constant':
      return FORMULA_CONSTANTS[ast.name];
    case 'negate':
      return -evaluateFormula(ast.operand, x, y);
    case 'binary':
      return NUMBER_OPERATORS[ast.op](evaluateFormula(ast.left, x, y), evaluateFormula(ast.right, x, y));
    case 'call':
      return NUMBER_FUNCTIONS[ast.name](...ast.args.map((arg) => evaluateFormula(arg, x, y)));
  }
}

const TENSOR_FUNCTIONS: Record<FormulaFunction, (...args: tf.Tensor[]) => tf.Tensor> = {
  sin: (a) => tf.sin(a),
  cos: (a) => tf.cos(a),
  tan: (a) => tf.tan(a),
  exp: (a) => tf.exp(a),
  log: (a) => tf.log(a),
  sqrt: (a) => tf.sqrt(a),
  abs: (a) => tf.abs(a),
  tanh: (a) => tf.tanh(a),
  sinh: (a) => tf.sinh(a),
  cosh: (a) => tf.cosh(a),
  min: (a, b) => tf.minimum(a, b),
  max: (a, b) => tf.maximum(a, b),
};

const TENSOR_OPERATORS: Record<BinaryOperator, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  '+': (a, b) => tf.add(a, b),
  '-': (a, b) => tf.sub(a, b),
  '*': (a, b) => tf.mul(a, b),
  '/': (a, b) => tf.div(a, b),
  '^': (a, b) => tf.pow(a, b),
};

function toTensor(ast: FormulaNode, x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  switch (ast.type) {
    case 'number':
      return tf.scalar(ast.value);
    case 'variable':
      return ast.name === 'x' ? x : y;
    case 'constant':
      return tf.scalar(FORMULA_CONSTANTS[ast.name]);
    case 'negate':
      return tf.neg(toTensor(ast.operand, x, y));
    case 'binary':
      return TENSOR_OPERATORS[ast.op](toTensor(ast.left, x, y), toTensor(ast.right, x, y));
    case 'call':
      return TENSOR_FUNCTIONS[ast.name](...ast.args.map((arg) => toTensor(arg, x, y)));
  }
}

function usesVariables(ast: FormulaNode): boolean {
  switch (ast.type) {
    case 'variable':
      return true;
    case 'negate':
      return usesVariables(ast.operand);
    case 'binary':
      return usesVariables(ast.left) || usesVariables(ast.right);
    case 'call':
      return ast.args.some(usesVariables);
    default:
      return false;
  }
}

/**
 * Turns a parsed formula into an element-wise tf function of x and y, differentiable by
 * tf.grad; call it inside tf.tidy. A formula without x or y ("3") still returns a tensor of
 * x's shape that is connected to x, so its gradient is zero instead of tf.grad throwing.
 */
export function compileToTf(ast: FormulaNode): (x: tf.Tensor, y: tf.Tensor) => tf.Tensor {
  if (usesVariables(ast)) return (x, y) => toTensor(ast, x, y);
  const value = evaluateFormula(ast, 0, 0);
  return (x) => tf.add(tf.zerosLike(x), value);
}
