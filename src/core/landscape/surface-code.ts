import { compileRule, RULE_HYPERS, type CompiledRule } from '../optim/compiled-rule';
import { resolveHypers } from '../optim/defaults';
import type { OptimizerSpec } from '../optim/types';
import { FORMULA_CONSTANTS, type FormulaNode } from './formula';

/**
 * A formula f(x, y) compiled with its exact gradient into straight-line code over numbered
 * registers, the derivative taken on the formula's tree (forward mode: every node carries its
 * value and its two partial derivatives, constants folded, zeros dropped). The same code is
 * emitted as WebAssembly for the cpu and printed as WGSL for WebGPU, so every surface, built
 * in or typed, takes one compiled path.
 */

/**
 * The operations of surface code. Binary: add … pow; unary: the rest. `step` is 1 where its
 * argument is > 0, else 0 (the derivative of max and min); `sign` is −1, 0 or 1.
 */
export const SURFACE_OPS = [
  'add', 'sub', 'mul', 'div', 'min', 'max', 'pow',
  'neg', 'sqrt', 'abs', 'sign', 'step', 'sin', 'cos', 'tan', 'exp', 'log', 'tanh', 'sinh', 'cosh',
] as const;

/** One of {@link SURFACE_OPS}. */
export type SurfaceOp = (typeof SURFACE_OPS)[number];

/** Ops taking two operands; the others take one. */
export const BINARY_SURFACE_OPS: ReadonlySet<SurfaceOp> = new Set(['add', 'sub', 'mul', 'div', 'min', 'max', 'pow']);

/** Register of x; y is register 1, then come the constants and the computed values. */
export const X_REGISTER = 0;
/** Register of y. */
export const Y_REGISTER = 1;

/** A compiled surface: see the module comment. */
export interface SurfaceCode {
  /** The constant registers, as [register, value] pairs: set once before the code runs. */
  constants: [number, number][];
  /** Instructions as [op, a, b, out] quadruples, op indexing {@link SURFACE_OPS} (b = a for unary ops). */
  code: Int32Array;
  /** Registers holding f, ∂f/∂x and ∂f/∂y. */
  value: number;
  dx: number;
  dy: number;
  /** Registers in all. */
  registers: number;
}

const NUMBER_OPS: Record<SurfaceOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  min: Math.min,
  max: Math.max,
  pow: (a, b) => a ** b,
  neg: (a) => -a,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: Math.sign,
  step: (a) => (a > 0 ? 1 : 0),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
};

/** A value and its partial derivatives, each a register; `null` stands for an exact zero. */
interface Dual {
  v: number;
  dx: number | null;
  dy: number | null;
}

/** Writes surface code, folding constants and skipping multiplications by 0 and 1. */
class CodeWriter {
  private readonly constantRegister = new Map<number, number>();
  private readonly known = new Map<number, number>();
  private readonly code: number[] = [];
  private readonly memo = new Map<string, number>();
  private registers = 2;

  constant(value: number): number {
    const key = Object.is(value, -0) ? 0 : value;
    let register = this.constantRegister.get(key);
    if (register === undefined) {
      register = this.registers++;
      this.constantRegister.set(key, register);
      this.known.set(register, key);
    }
    return register;
  }

  /** The value of a register when it is a constant. */
  valueOf(register: number): number | undefined {
    return this.known.get(register);
  }

  op(op: SurfaceOp, a: number, b = a): number {
    const ka = this.known.get(a);
    const kb = this.known.get(b);
    if (ka !== undefined && kb !== undefined) return this.constant(NUMBER_OPS[op](ka, kb));
    if (op === 'add' && ka === 0) return b;
    if ((op === 'add' || op === 'sub') && kb === 0) return a;
    if (op === 'mul' && (ka === 1 || kb === 1)) return ka === 1 ? b : a;
    if (op === 'div' && kb === 1) return a;
    // Commutative operations in one order, so that a·b and b·a are computed once.
    if ((op === 'add' || op === 'mul' || op === 'min' || op === 'max') && a > b) [a, b] = [b, a];
    const key = `${op} ${a} ${b}`;
    let out = this.memo.get(key);
    if (out === undefined) {
      out = this.registers++;
      this.code.push(SURFACE_OPS.indexOf(op), a, b, out);
      this.memo.set(key, out);
    }
    return out;
  }

  finish(value: number, dx: number, dy: number): SurfaceCode {
    const constants = [...this.known].map(([register, value]): [number, number] => [register, value]);
    return { constants, code: Int32Array.from(this.code), value, dx, dy, registers: this.registers };
  }
}

/** Operations on duals: the derivative rules, each written once. */
function dualOps(w: CodeWriter) {
  const zero = () => w.constant(0);
  const d = (r: number | null) => r ?? zero();
  /** Both partials of a unary function with derivative `slope` (a register) times the operand's. */
  const chain = (v: number, a: Dual, slope: () => number): Dual => {
    if (a.dx === null && a.dy === null) return { v, dx: null, dy: null };
    const s = slope();
    return { v, dx: a.dx === null ? null : w.op('mul', s, a.dx), dy: a.dy === null ? null : w.op('mul', s, a.dy) };
  };
  const combine = (a: number | null, b: number | null, f: (a: number, b: number) => number): number | null =>
    a === null && b === null ? null : f(d(a), d(b));
  const add = (a: Dual, b: Dual): Dual => ({
    v: w.op('add', a.v, b.v),
    dx: combine(a.dx, b.dx, (p, q) => w.op('add', p, q)),
    dy: combine(a.dy, b.dy, (p, q) => w.op('add', p, q)),
  });
  const sub = (a: Dual, b: Dual): Dual => ({
    v: w.op('sub', a.v, b.v),
    dx: combine(a.dx, b.dx, (p, q) => w.op('sub', p, q)),
    dy: combine(a.dy, b.dy, (p, q) => w.op('sub', p, q)),
  });
  /** d(ab) = da·b + a·db. */
  const productPartial = (a: Dual, b: Dual, pa: number | null, pb: number | null) =>
    pa === null && pb === null
      ? null
      : pa === null
        ? w.op('mul', a.v, pb!)
        : pb === null
          ? w.op('mul', pa, b.v)
          : w.op('add', w.op('mul', pa, b.v), w.op('mul', a.v, pb));
  const mul = (a: Dual, b: Dual): Dual => ({ v: w.op('mul', a.v, b.v), dx: productPartial(a, b, a.dx, b.dx), dy: productPartial(a, b, a.dy, b.dy) });
  /** d(a/b) = da/b − a·db/b², as torch's autograd takes it. */
  const div = (a: Dual, b: Dual): Dual => {
    const v = w.op('div', a.v, b.v);
    const partial = (pa: number | null, pb: number | null) => {
      if (pa === null && pb === null) return null;
      const first = pa === null ? null : w.op('div', pa, b.v);
      const second = pb === null ? null : w.op('div', w.op('mul', w.op('neg', a.v), pb), w.op('mul', b.v, b.v));
      return first === null ? second : second === null ? first : w.op('add', first, second);
    };
    return { v, dx: partial(a.dx, b.dx), dy: partial(a.dy, b.dy) };
  };
  const neg = (a: Dual): Dual => ({ v: w.op('neg', a.v), dx: a.dx === null ? null : w.op('neg', a.dx), dy: a.dy === null ? null : w.op('neg', a.dy) });
  /** a^n for a whole n: multiplications, as a person would write x·x·x; d(a^n) = n·a^(n−1)·da. */
  const integerPower = (a: Dual, n: number): Dual => {
    if (n === 0) return { v: w.constant(1), dx: null, dy: null };
    if (n === 1) return a;
    if (n < 0) return div({ v: w.constant(1), dx: null, dy: null }, integerPower(a, -n));
    let below = a.v;
    for (let k = 2; k < n; k++) below = w.op('mul', below, a.v);
    const v = w.op('mul', below, a.v);
    return chain(v, a, () => (n === 2 ? w.op('add', a.v, a.v) : w.op('mul', w.constant(n), below)));
  };
  const pow = (a: Dual, b: Dual): Dual => {
    const exponent = w.valueOf(b.v);
    if (exponent !== undefined && b.dx === null && b.dy === null) {
      if (Number.isInteger(exponent) && Math.abs(exponent) <= 4) return integerPower(a, exponent);
      // d(a^c) = c·a^(c−1)·da
      return chain(w.op('pow', a.v, b.v), a, () => w.op('mul', b.v, w.op('pow', a.v, w.constant(exponent - 1))));
    }
    // d(a^b) = b·a^(b−1)·da + a^b·ln a·db
    const v = w.op('pow', a.v, b.v);
    const byBase = chain(v, a, () => w.op('mul', b.v, w.op('pow', a.v, w.op('sub', b.v, w.constant(1)))));
    const byExponent = chain(v, b, () => w.op('mul', v, w.op('log', a.v)));
    return {
      v,
      dx: combine(byBase.dx, byExponent.dx, (p, q) => w.op('add', p, q)),
      dy: combine(byBase.dy, byExponent.dy, (p, q) => w.op('add', p, q)),
    };
  };
  /** max(a, b) takes the derivative of the larger (of b at a tie); min that of the smaller. */
  const pick = (op: 'min' | 'max', a: Dual, b: Dual): Dual => {
    const v = w.op(op, a.v, b.v);
    const s = () => w.op('step', op === 'max' ? w.op('sub', a.v, b.v) : w.op('sub', b.v, a.v));
    const partial = (pa: number | null, pb: number | null) =>
      combine(pa, pb, (p, q) => w.op('add', q, w.op('mul', s(), w.op('sub', p, q))));
    return { v, dx: partial(a.dx, b.dx), dy: partial(a.dy, b.dy) };
  };
  const unary: Record<string, (a: Dual) => Dual> = {
    sin: (a) => chain(w.op('sin', a.v), a, () => w.op('cos', a.v)),
    cos: (a) => chain(w.op('cos', a.v), a, () => w.op('neg', w.op('sin', a.v))),
    tan: (a) => {
      const v = w.op('tan', a.v);
      return chain(v, a, () => w.op('add', w.constant(1), w.op('mul', v, v)));
    },
    exp: (a) => {
      const v = w.op('exp', a.v);
      return chain(v, a, () => v);
    },
    log: (a) => chain(w.op('log', a.v), a, () => w.op('div', w.constant(1), a.v)),
    sqrt: (a) => {
      const v = w.op('sqrt', a.v);
      return chain(v, a, () => w.op('div', w.constant(0.5), v));
    },
    abs: (a) => chain(w.op('abs', a.v), a, () => w.op('sign', a.v)),
    tanh: (a) => {
      const v = w.op('tanh', a.v);
      return chain(v, a, () => w.op('sub', w.constant(1), w.op('mul', v, v)));
    },
    sinh: (a) => chain(w.op('sinh', a.v), a, () => w.op('cosh', a.v)),
    cosh: (a) => chain(w.op('cosh', a.v), a, () => w.op('sinh', a.v)),
  };
  return { add, sub, mul, div, neg, pow, pick, unary };
}

function compileNode(node: FormulaNode, w: CodeWriter, ops: ReturnType<typeof dualOps>): Dual {
  switch (node.type) {
    case 'number':
      return { v: w.constant(node.value), dx: null, dy: null };
    case 'constant':
      return { v: w.constant(FORMULA_CONSTANTS[node.name]), dx: null, dy: null };
    case 'variable':
      return node.name === 'x' ? { v: X_REGISTER, dx: w.constant(1), dy: null } : { v: Y_REGISTER, dx: null, dy: w.constant(1) };
    case 'negate':
      return ops.neg(compileNode(node.operand, w, ops));
    case 'binary': {
      const a = compileNode(node.left, w, ops);
      const b = compileNode(node.right, w, ops);
      const table = { '+': ops.add, '-': ops.sub, '*': ops.mul, '/': ops.div, '^': ops.pow };
      return table[node.op](a, b);
    }
    case 'call': {
      const args = node.args.map((arg) => compileNode(arg, w, ops));
      if (node.name === 'min' || node.name === 'max') return ops.pick(node.name, args[0], args[1]);
      return ops.unary[node.name](args[0]);
    }
  }
}

/** Compiles a parsed formula into {@link SurfaceCode}: f and its exact gradient. */
export function compileSurface(ast: FormulaNode): SurfaceCode {
  const w = new CodeWriter();
  const f = compileNode(ast, w, dualOps(w));
  return w.finish(f.v, f.dx ?? w.constant(0), f.dy ?? w.constant(0));
}

/**
 * The instructions (indices into `code`, in order) needed to compute `outputs` and not yet
 * computed by `done`: a step needs only the gradient, f only where it is recorded.
 */
export function instructionsFor(surface: SurfaceCode, outputs: number[], done: ReadonlySet<number> = new Set()): number[] {
  const live = new Set(outputs);
  const needed: number[] = [];
  for (let k = surface.code.length / 4 - 1; k >= 0; k--) {
    const [, a, b, out] = surface.code.subarray(4 * k, 4 * k + 4);
    if (!live.has(out) || done.has(k)) continue;
    needed.push(k);
    live.add(a).add(b);
  }
  return needed.reverse();
}

/**
 * Runs surface code at one point in double precision: f, ∂f/∂x, ∂f/∂y. For checks and
 * single points; the lab's runs execute the code compiled.
 */
export function evaluateSurfaceCode(surface: SurfaceCode, x: number, y: number): [number, number, number] {
  const r = new Float64Array(surface.registers);
  r[X_REGISTER] = x;
  r[Y_REGISTER] = y;
  for (const [register, value] of surface.constants) r[register] = value;
  const c = surface.code;
  for (let k = 0; k < c.length; k += 4) r[c[k + 3]] = NUMBER_OPS[SURFACE_OPS[c[k]]](r[c[k + 1]], r[c[k + 2]]);
  return [r[surface.value], r[surface.dx], r[surface.dy]];
}

/** What a compiled run needs, on either engine (WebAssembly, WGSL). */
export interface CompiledRunSpec {
  surface: SurfaceCode;
  optimizer: OptimizerSpec;
  /** Start points, interleaved x0, y0, x1, y1, … */
  starts: ArrayLike<number>;
  steps: number;
  /** One learning rate per start, replacing `optimizer.lr`. */
  lrs?: ArrayLike<number>;
  recordPath: boolean;
}

/** Compiled rules by kind and branches: one object each, so that the engines' caches recognise it. */
const compiledRules = new Map<string, CompiledRule>();

/**
 * The optimizer of a run as the compiled engines take it: the rule, compiled with its branches;
 * its hyperparameters in {@link RULE_HYPERS} order (the bias corrections 1); and, for a rule
 * that reads them, torch.optim's bias corrections 1 − β1^t, 1 − β2^t for t = 1 … steps,
 * computed in double precision.
 */
export function ruleInputs(optimizer: OptimizerSpec, steps: number): { rule: CompiledRule; lr: number; hypers: Float64Array; corrections: Float64Array } {
  const h = resolveHypers(optimizer);
  const flags = { usesWeightDecay: h.weightDecay !== 0, usesMomentum: h.momentum !== 0 };
  const key = `${optimizer.kind} ${flags.usesWeightDecay} ${flags.usesMomentum}`;
  let rule = compiledRules.get(key);
  if (!rule) compiledRules.set(key, (rule = compileRule(optimizer.kind, flags)));
  // Spelt out rather than spread from `h`: a spread object costs microseconds to build, and a
  // sweep of SGD is a fraction of a millisecond.
  const values: Record<(typeof RULE_HYPERS)[number], number> = {
    lr: h.lr, momentum: h.momentum, alpha: h.alpha, beta1: h.beta1, beta2: h.beta2, eps: h.eps, weightDecay: h.weightDecay,
    oneMinusAlpha: 1 - h.alpha, oneMinusBeta1: 1 - h.beta1, oneMinusBeta2: 1 - h.beta2, biasCorrection1: 1, biasCorrection2: 1,
  };
  const corrections = new Float64Array(2 * steps);
  // Only a rule that reads them needs them (the table then stays 0: a sweep of SGD is a fraction of a millisecond).
  for (let k = 0; rule.biasCorrected && k < steps; k++) {
    corrections[2 * k] = 1 - h.beta1 ** (k + 1);
    corrections[2 * k + 1] = 1 - h.beta2 ** (k + 1);
  }
  const hypers = new Float64Array(RULE_HYPERS.length);
  for (let k = 0; k < RULE_HYPERS.length; k++) hypers[k] = values[RULE_HYPERS[k]];
  return { rule, lr: h.lr, hypers, corrections };
}
