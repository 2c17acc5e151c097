// The WebAssembly fused step against the JavaScript one: several steps of each rule, loss and
// option on a small population, the state carried from step to step as the Trainer carries it.
import { describe, expect, test } from 'vitest';
import { compileRule } from '../../src/core/optim/compiled-rule';
import { OPTIMIZER_KINDS } from '../../src/core/optim/types';
import type { Activation } from '../../src/core/model/types';
import type { LossKind } from '../../src/core/model/loss';
import { createRng } from '../../src/core/random/prng';
import { cpuFusedEvaluate, cpuFusedStep, type StepArrays } from '../../src/core/train/fused/cpu-kernel';
import { fusedPlan, HYPER_COLUMNS, stepTargetWidth, type FusedPlan, type StepWindow } from '../../src/core/train/fused/plan';
import { WasmPopulation, wasmFusedEvaluate, wasmStepFits } from '../../src/core/train/fused/wasm-kernel';
import { F32X4, F64X2, type Lanes } from '../../src/core/wasm/bytes';

/** Members (not a multiple of either lane count), the batch, and the rows of the last, partial batch. */
const P = 5;
const BATCH = 8;
const LAST_ROWS = 5;
const STEPS = 6;
const VAL_ROWS = 12;

interface Case {
  kind: LossKind;
  optimizer: (typeof OPTIMIZER_KINDS)[number];
  activations: Activation[];
  dropout?: boolean;
  penalties?: boolean;
  pruning?: boolean;
  clipNorm?: number;
  classWeights?: number[];
  weightDecay?: number;
  /** 40 inputs and 64 units: the code loops over a layer's inputs, whatever their number. */
  wide?: boolean;
}

function planOf(c: Case): FusedPlan {
  const outputs = c.kind === 'multiclass' ? 3 : 1;
  const units = (c.wide ? [64, 8] : [6, 4]).slice(0, c.activations.length);
  const sizes = [c.wide ? 40 : 3, ...units, outputs];
  return fusedPlan({
    members: P, widths: sizes.slice(1).map((o, l) => [sizes[l], o]), activations: c.activations, kind: c.kind, batch: BATCH,
    rule: compileRule(c.optimizer, { usesWeightDecay: (c.weightDecay ?? 0) !== 0, usesMomentum: c.optimizer !== 'sgd' }),
    dropout: c.dropout ?? false, penalties: c.penalties ?? false, pruning: c.pruning ?? false, clipNorm: c.clipNorm ?? 0,
    quantization: null, distill: null, classWeights: c.classWeights ?? null,
  });
}

/** Each member's hyperparameter row: rates spread over the members, the torch defaults else. */
function hyperRows(c: Case, plan: FusedPlan): Float32Array {
  const rows = new Float32Array(P * HYPER_COLUMNS.length);
  for (let p = 0; p < P; p++) {
    const v = {
      lr: 0.02 * (1 + p), momentum: 0.5 + 0.08 * p, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: c.weightDecay ?? 0,
      oneMinusAlpha: 0.01, oneMinusBeta1: 0.1, oneMinusBeta2: 0.001, l1: c.penalties ? 0.003 * p : 0, twoL2: c.penalties ? 0.01 : 0,
    };
    HYPER_COLUMNS.forEach((name, k) => (rows[p * HYPER_COLUMNS.length + k] = v[name]));
  }
  void plan;
  return rows;
}

/** The epoch's layout of a case: two batches, the second partial, and its masks. */
function arrays(c: Case, plan: FusedPlan, seed: number) {
  const rng = createRng(seed);
  const F = plan.widths[0][0];
  const K = plan.widths[plan.widths.length - 1][1];
  const TW = stepTargetWidth(plan);
  const n = BATCH + LAST_ROWS;
  const x = new Float32Array(P * n * (F + 1));
  for (let k = 0; k < x.length; k++) x[k] = k % (F + 1) === F ? 1 : 2 * rng.next() - 1;
  const t = new Float32Array(P * n * TW);
  for (let row = 0; row < P * n; row++) {
    if (c.kind === 'binary') t[row] = rng.next() < 0.5 ? -1 : 1;
    else if (c.kind === 'regression') t[row] = 2 * rng.next() - 1;
    else t[row * K + Math.floor(rng.next() * K)] = 1;
  }
  const state = new Float32Array(P * plan.record);
  for (let p = 0; p < P; p++) for (let k = 0; k < plan.params; k++) state[p * plan.record + k] = rng.next() - 0.5;
  const hidden = plan.widths.slice(0, -1).reduce((s, [, o]) => s + o, 0);
  const masks = (rows: number) => Float32Array.from({ length: P * rows * hidden }, () => (rng.next() < 0.25 ? 0 : 4 / 3));
  const keep = c.pruning ? Float32Array.from({ length: P * plan.params }, () => (rng.next() < 0.3 ? 0 : 1)) : null;
  if (keep) state.forEach((_, i) => {
    const [p, k] = [Math.floor(i / plan.record), i % plan.record];
    if (k < plan.params && keep[p * plan.params + k] === 0) state[i] = 0;
  });
  // A validation set of one and a half batches, the same rows for every member.
  const valX = Float32Array.from({ length: VAL_ROWS * (F + 1) }, (_, k) => (k % (F + 1) === F ? 1 : 2 * rng.next() - 1));
  const valT = t.slice(0, VAL_ROWS * TW);
  return { x, t, state, masks: [masks(BATCH), masks(LAST_ROWS)], keep, valX, valT };
}

/** STEPS steps with one kernel; the state after each. */
function run(c: Case, step: (plan: FusedPlan, a: StepArrays, w: StepWindow) => Float32Array) {
  const plan = planOf(c);
  const data = arrays(c, plan, 7);
  const hypers = hyperRows(c, plan);
  let state: Float32Array = data.state;
  const states: Float32Array[] = [];
  for (let s = 0; s < STEPS; s++) {
    const second = s % 2 === 1;
    const corrections = new Float32Array(P * 2).map((_, i) => 1 - (i % 2 === 0 ? 0.9 : 0.999) ** (s + 1));
    const a: StepArrays = {
      state, width: plan.record, x: data.x, t: data.t, hypers, corrections,
      masks: c.dropout ? data.masks[second ? 1 : 0] : null, keep: data.keep,
    };
    state = step(plan, a, { start: second ? BATCH : 0, rows: second ? LAST_ROWS : BATCH, fresh: second ? 0 : 1, lrFactor: 0.9 ** s });
    states.push(state);
  }
  return { plan, states, data };
}

const CASES: Case[] = [
  ...OPTIMIZER_KINDS.map((optimizer): Case => ({ kind: 'binary', optimizer, activations: ['tanh', 'relu'] })),
  { kind: 'binary', optimizer: 'adamw', activations: ['tanh'], weightDecay: 0.01 },
  { kind: 'binary', optimizer: 'momentum', activations: ['sigmoid', 'elu'], dropout: true, penalties: true, clipNorm: 0.5 },
  { kind: 'regression', optimizer: 'rmsprop', activations: ['gelu', 'linear'], pruning: true },
  { kind: 'multiclass', optimizer: 'adam', activations: ['tanh', 'relu'], dropout: true, pruning: true },
  { kind: 'multiclass', optimizer: 'nesterov', activations: ['relu'], classWeights: [0.5, 2, 1], penalties: true },
  { kind: 'binary', optimizer: 'adagrad', activations: ['tanh'], classWeights: [1.5, 0.25], clipNorm: 0.2 },
  { kind: 'multiclass', optimizer: 'adam', activations: ['relu', 'tanh'], wide: true, dropout: true },
];

const name = (c: Case) => `${c.kind} ${c.optimizer} ${c.activations.join('/')}${c.wide ? ' wide' : ''}${c.dropout ? ' dropout' : ''}${c.penalties ? ' L1/L2' : ''}${c.pruning ? ' pruned' : ''}${c.clipNorm ? ' clipped' : ''}${c.classWeights ? ' class weights' : ''}`;

/**
 * Largest difference after STEPS steps, relative beyond 1. The JavaScript kernel computes in
 * double precision; f64x2 lanes (the cpu backend's) do too, and round what they store as it
 * does, so they agree to 1e-6. f32x4 lanes compute in single precision: ~1e-7 a term, 2e-5
 * after six steps under SGD and momentum; a rule that divides by the gradient's own size
 * (Adagrad, RMSProp, Adam) turns the rounding of a near-zero gradient into a move of up to a
 * learning rate, so there only 1e-2 holds.
 */
function tolerance(lanes: Lanes, c: Case): number {
  if (lanes.name === 'f64x2') return 1e-6;
  return ['adagrad', 'rmsprop', 'adam', 'adamw'].includes(c.optimizer) ? 1e-2 : 2e-5;
}

/**
 * The WebAssembly step as {@link run} calls a kernel: the records stay in one population's
 * memory from step to step, as the Trainer keeps them, and are read after each; `population()`
 * is that population.
 */
function wasmSteps(lanes: Lanes) {
  let population: WasmPopulation | null = null;
  const step = (plan: FusedPlan, a: StepArrays, w: StepWindow) => {
    population ??= new WasmPopulation(plan, a.state, a.width, lanes);
    population.step(a, w);
    return population.read();
  };
  return { step, population: () => population! };
}

describe.each([F32X4, F64X2])('the WebAssembly fused step in $name lanes', (lanes) => {
  test.each(CASES.map((c) => [name(c), c] as const))('%s: equals the JavaScript step', (_, c) => {
    const ours = run(c, wasmSteps(lanes).step);
    const reference = run(c, cpuFusedStep);
    expect(wasmStepFits(ours.plan)).toBe(true);
    let worst = 0;
    ours.states.forEach((state, s) => {
      state.forEach((v, i) => {
        const r = reference.states[s][i];
        worst = Math.max(worst, Math.abs(v - r) / Math.max(1, Math.abs(r)));
      });
    });
    expect(worst).toBeLessThanOrEqual(tolerance(lanes, c));
    // The sums moved: losses were added and right predictions counted (regression counts none).
    const last = ours.states[STEPS - 1];
    expect(last[ours.plan.sums]).toBeGreaterThan(0);
    if (c.kind !== 'regression') expect(last[ours.plan.sums + 1]).toBe(reference.states[STEPS - 1][ours.plan.sums + 1]);
  });

  test.each(CASES.map((c) => [name(c), c] as const))('%s: evaluates the records it keeps, and fewer members loaded in, as the JavaScript evaluation', (_, c) => {
    const wasm = wasmSteps(lanes);
    const { plan, states, data } = run(c, wasm.step);
    const population = wasm.population();
    const expectClose = (ours: Float32Array, reference: Float32Array) =>
      ours.forEach((v, i) => expect(Math.abs(v - reference[i])).toBeLessThanOrEqual(tolerance(lanes, c) * Math.max(1, Math.abs(reference[i]))));
    const last = states[STEPS - 1];
    expectClose(population.evaluate(data.valX, data.valT, VAL_ROWS), cpuFusedEvaluate(plan, last, plan.record, data.valX, data.valT, VAL_ROWS));
    // Members 3 and 1 alone, as a population keeps them when the others stop.
    const kept = { ...plan, members: 2 };
    const rows = new Float32Array([...last.subarray(3 * plan.record, 4 * plan.record), ...last.subarray(plan.record, 2 * plan.record)]);
    population.load(kept, rows, plan.record);
    expect(population.read()).toEqual(rows);
    const reference = cpuFusedEvaluate(kept, rows, plan.record, data.valX, data.valT, VAL_ROWS);
    expectClose(population.evaluate(data.valX, data.valT, VAL_ROWS), reference);
    expect(reference[2]).toBeGreaterThan(0);
  });

  test.each(CASES.map((c) => [name(c), c] as const))('%s: a population on an ended one\'s instance steps and evaluates as on a new one', (_, c) => {
    const first = wasmSteps(lanes);
    const before = run(c, first.step);
    const { valX, valT } = before.data;
    const evaluated = first.population().evaluate(valX, valT, VAL_ROWS);
    first.population().release();
    const second = wasmSteps(lanes);
    const after = run(c, second.step);
    after.states.forEach((state, s) => expect(state).toEqual(before.states[s]));
    expect(second.population().evaluate(valX, valT, VAL_ROWS)).toEqual(evaluated);
  });

  test.each(CASES.map((c) => [name(c), c] as const))('%s: evaluates as the JavaScript evaluation', (_, c) => {
    const { plan, states, data } = run(c, cpuFusedStep);
    // The state a step left and, evaluated after it, one given afresh.
    for (const state of [states[STEPS - 2], states[STEPS - 1].slice()]) {
      const ours = wasmFusedEvaluate(plan, state, plan.record, data.valX, data.valT, VAL_ROWS, lanes);
      const reference = cpuFusedEvaluate(plan, state, plan.record, data.valX, data.valT, VAL_ROWS);
      ours.forEach((v, i) => expect(Math.abs(v - reference[i])).toBeLessThanOrEqual(tolerance(lanes, c) * Math.max(1, Math.abs(reference[i]))));
      expect(reference[2]).toBeGreaterThan(0);
    }
  });
});

test('quantization-aware training and distillation stay with the JavaScript step', () => {
  const plan = planOf({ kind: 'multiclass', optimizer: 'adam', activations: ['tanh'] });
  expect(wasmStepFits(plan)).toBe(true);
  expect(wasmStepFits({ ...plan, quantization: { bits: 8, perNeuron: false, symmetric: true, activations: false } })).toBe(false);
  expect(wasmStepFits({ ...plan, distill: { temperature: 2, alpha: 0.5 } })).toBe(false);
});
