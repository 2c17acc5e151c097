import type { Arithmetic } from './arithmetic';
import { RULES } from './optimizer';
import type { StepHypers } from './rules/rule';
import type { OptimizerKind } from './types';

/** The hyperparameters a compiled rule reads, in the order of its input registers. */
export const RULE_HYPERS = [
  'lr', 'momentum', 'alpha', 'beta1', 'beta2', 'eps', 'weightDecay',
  'oneMinusAlpha', 'oneMinusBeta1', 'oneMinusBeta2', 'biasCorrection1', 'biasCorrection2',
] as const;

/** One of {@link RULE_HYPERS}. */
export type RuleHyper = (typeof RULE_HYPERS)[number];

/** The operations of a compiled rule: the six of {@link Arithmetic}. */
export const RULE_OPS = ['add', 'sub', 'mul', 'div', 'sqrt', 'square'] as const;

/**
 * An update rule compiled to straight-line code over numbered registers, so that a fused
 * training step runs the very rule the Optimizer runs, one parameter at a time: on the cpu by
 * {@link runRule}, on a GPU printed as shader statements. Registers 0 and 1 hold θ and its
 * gradient, then come the slots in the rule's order, then {@link RULE_HYPERS}; every
 * instruction writes a new register.
 */
export interface CompiledRule {
  /** The rule's slot names. */
  slots: readonly string[];
  /** Whether the rule reads the bias corrections. */
  biasCorrected: boolean;
  /** Instructions as [op, a, b, out] quadruples, op indexing {@link RULE_OPS} (b unused by sqrt and square). */
  code: Int32Array;
  /** Registers holding the new θ and each slot's new value. */
  theta: number;
  nextSlots: number[];
  /** Registers in all. */
  registers: number;
}

/** Register of the first hyperparameter, after θ, g and `slots` slots. */
export function hyperRegister(slots: number, hyper: RuleHyper): number {
  return 2 + slots + RULE_HYPERS.indexOf(hyper);
}

/**
 * The rule of `kind`, compiled: the rule is run once over an arithmetic that records what it
 * does. `usesWeightDecay` and `usesMomentum` pick the rule's branches, as in the Optimizer.
 */
export function compileRule(kind: OptimizerKind, flags: { usesWeightDecay: boolean; usesMomentum: boolean }): CompiledRule {
  const rule = RULES[kind];
  const code: number[] = [];
  let registers = 2 + rule.slots.length + RULE_HYPERS.length;
  const emit = (op: number, a: number, b: number) => (code.push(op, a, b, registers), registers++);
  const recorder: Arithmetic<number> = {
    add: (a, b) => emit(0, a, b),
    sub: (a, b) => emit(1, a, b),
    mul: (a, b) => emit(2, a, b),
    div: (a, b) => emit(3, a, b),
    sqrt: (a) => emit(4, a, a),
    square: (a) => emit(5, a, a),
  };
  const state = Object.fromEntries(rule.slots.map((name, k) => [name, 2 + k]));
  const hypers = Object.fromEntries(RULE_HYPERS.map((name) => [name, hyperRegister(rule.slots.length, name)]));
  const h = { ...hypers, ...flags } as StepHypers<number>;
  const next = rule.update(recorder, 0, 1, state, h);
  return {
    slots: rule.slots,
    biasCorrected: rule.biasCorrected === true,
    code: Int32Array.from(code),
    theta: next.theta,
    nextSlots: rule.slots.map((name) => next.state[name]),
    registers,
  };
}

/** Runs a compiled rule on `r`, whose input registers are set; the results are left in their registers. */
export function runRule(rule: CompiledRule, r: Float64Array): void {
  const c = rule.code;
  for (let k = 0; k < c.length; k += 4) {
    const a = r[c[k + 1]], b = r[c[k + 2]];
    switch (c[k]) {
      case 0: r[c[k + 3]] = a + b; break;
      case 1: r[c[k + 3]] = a - b; break;
      case 2: r[c[k + 3]] = a * b; break;
      case 3: r[c[k + 3]] = a / b; break;
      case 4: r[c[k + 3]] = Math.sqrt(a); break;
      default: r[c[k + 3]] = a * a;
    }
  }
}

/**
 * A compiled rule as shader statements, one `let` per instruction: `name(k)` names register k
 * (the caller declares the input registers under those names first).
 */
export function ruleStatements(rule: CompiledRule, name: (register: number) => string): string[] {
  const symbols = ['+', '-', '*', '/'];
  const statements: string[] = [];
  for (let k = 0; k < rule.code.length; k += 4) {
    const [op, a, b, out] = rule.code.subarray(k, k + 4);
    const expr = op < 4 ? `${name(a)} ${symbols[op]} ${name(b)}` : RULE_OPS[op] === 'sqrt' ? `sqrt(${name(a)})` : `${name(a)} * ${name(a)}`;
    statements.push(`let ${name(out)} = ${expr};`);
  }
  return statements;
}
