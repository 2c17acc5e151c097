import { RULE_HYPERS } from '../../optim/compiled-rule';
import { F32X4, F64, F64X2, V128, functionBody, functionType, moduleBytes, splatConstant, type Lanes } from '../../wasm/bytes';
import { pairKey, recentlyUsed } from '../../wasm/cache';
import type { StepArrays } from './cpu-kernel';
import { HYPER_COLUMNS, RULE_HYPER_SOURCES, stepTargetWidth, type FusedPlan, type StepWindow } from './plan';
import { emitModule, IMPORTED, layoutOf, VEC, type StepExports } from './wasm-step-code';

/**
 * The fused training step on the cpu as WebAssembly: the same computation as `cpuFusedStep`
 * (forward pass, loss and its gradient, backward pass, L1/L2, weight masks, clipping and the
 * update rule compiled from `core/optim` by `compileRule`), emitted once per network shape and
 * rule, with the members side by side in the lanes of SIMD registers: lane l of every register
 * holds member g·lanes + l, so every instruction advances that many members, and the loops are
 * the scalar kernel's, in the same order of summation.
 *
 * The members' records stay in the module's memory between steps, laid out lane by lane; a
 * step whose state is the array the previous step returned skips copying it in, and the new
 * state leaves as one copy of [P, record] that the module wrote.
 *
 * Used where the plan fits ({@link wasmStepFits}): dense layers with any kernel activation, the
 * three losses, class weights, dropout and weight masks, L1/L2 and clipping. Quantization-aware
 * training (an observer per batch, a rounding per weight) and distillation (a second softmax
 * at a temperature) stay with `cpuFusedStep`.
 */

/**
 * The lanes the step computes in: two members a register in double precision, as
 * `cpuFusedStep` computes, rounding what it stores to float32 as it does, so the two agree to
 * 1e-6 (tests/unit/wasm-step.test.ts) and W2's 64 final losses agree to four decimals. Four
 * f32 lanes (F32X4) were measured too (`npm run bench -- cpu --only=W1,W2`, the same day):
 * W2's population in 0.51 s against 0.58 s, 1.89× the batched plain-JavaScript peer against
 * 1.63×, neither the 2× asked; for 13 % single precision changes the course of the members
 * that train on the edge of stability (18 of W2's 64 final losses move by more than 1e-2), and
 * under Adam, RMSProp and Adagrad, whose update divides by the gradient's own size, moves a
 * parameter whose gradient is near zero by up to a learning rate a step.
 */
export const STEP_LANES: Lanes = F64X2;

/** Whether the WebAssembly step computes this plan; the others run `cpuFusedStep`. */
export function wasmStepFits(plan: FusedPlan): boolean {
  return plan.quantization === null && plan.distill === null && simdAvailable();
}

let simdSupport: boolean | null = null;

/** Whether this runtime validates a module with a SIMD instruction (Node 16.4+, Chromium 91+, Safari 16.4+). */
function simdAvailable(): boolean {
  if (simdSupport === null) {
    // A function returning an f32x4.splat of 0: the smallest module with a SIMD instruction.
    const probe = functionBody([], [...splatConstant(F32X4, 0)]);
    simdSupport = WebAssembly.validate(moduleBytes([functionType([], [V128])], [], [['probe', 0, probe]]));
  }
  return simdSupport;
}

/** An instance of a shape's module, and what its memory holds. */
interface Instance {
  exports: StepExports;
  /** The evaluation set last copied in, and where. */
  evaluated: { x: Float32Array; at: number } | null;
  lanes: Lanes;
  layout: ReturnType<typeof layoutOf>;
  /** The state array whose values the memory holds (null when unknown). */
  resident: Float32Array | null;
  /** The weight masks last copied in. */
  keep: Float32Array | null;
  /** The hyperparameter table, corrections and schedule factor last written into the lanes: a step whose are the same skips writing them. */
  hypers: { table: Float32Array; corrections: Float32Array; lrFactor: number } | null;
}

/** Where each of the compiled rule's hyperparameters comes from: a column of the table, or H + the column of the corrections. */
const HYPER_SOURCES = RULE_HYPER_SOURCES.map((source) => ('table' in source ? source.table : HYPER_COLUMNS.length + source.correction));
const [LR_COLUMN, L1_COLUMN, TWO_L2_COLUMN] = (['lr', 'l1', 'twoL2'] as const).map((name) => HYPER_COLUMNS.indexOf(name));

const modules = new Map<string, WebAssembly.Module>();
/** Most shapes kept: a study's populations share a few. */
const MAX_MODULES = 8;

/** The cache key of a plan's shape in some lanes, made once per plan (a population keeps its plan). */
const keys = new WeakMap<FusedPlan, WeakMap<Lanes, string>>();

function keyOf(plan: FusedPlan, lanes: Lanes): string {
  return pairKey(keys, plan, lanes, () =>
    JSON.stringify([
      lanes.name, plan.widths, plan.activations, plan.kind, plan.batch, Array.from(plan.rule.code), plan.rule.theta, plan.rule.nextSlots, plan.rule.registers,
      plan.dropout, plan.penalties, plan.pruning, plan.clipNorm, plan.classWeights,
    ]),
  );
}

/** A new instance of the shape's module, with a memory of its own; the module is emitted and compiled once per shape. */
function instantiate(plan: FusedPlan, lanes: Lanes): Instance {
  const module = recentlyUsed(modules, keyOf(plan, lanes), MAX_MODULES, () => new WebAssembly.Module(emitModule(plan, lanes)));
  const math = Object.fromEntries(IMPORTED.map((f) => [f, Math[f]]));
  const exports = new WebAssembly.Instance(module, { m: math }).exports as unknown as StepExports;
  return { exports, lanes, layout: layoutOf(plan), resident: null, keep: null, evaluated: null, hypers: null };
}

/** The instances that evaluate states given as arrays ({@link wasmFusedEvaluate}), one per shape. */
const shared = new Map<string, Instance>();

/**
 * Instances of populations that ended, by shape: the next population of the shape takes one
 * rather than a new memory. A study trains many populations of one shape (a trial each in
 * a pool of workers), and a new memory each time was paged in anew and weighed on the
 * collector.
 */
const idle = new Map<string, Instance[]>();
/** Most ended instances kept per shape. */
const MAX_IDLE = 2;

/**
 * A population's records kept in the memory of an instance of its own, laid out lane by lane,
 * through all its steps and evaluations: a step copies its batch in and nothing out, an
 * evaluation reads the epoch's sums where the step left them, and the records leave as
 * [P, record] only when something reads the parameters ({@link read}). Copying the new state
 * out at every step, into a new array as tfjs' immutable tensors ask, had cost Chromium about
 * as much as the step itself.
 */
export class WasmPopulation {
  private readonly instance: Instance;
  private plan: FusedPlan;

  /**
   * @param plan what is computed (one of {@link wasmStepFits})
   * @param state every member's record, [P, width]
   * @param width the state's row width
   * @param lanes the lanes the step computes in
   */
  constructor(plan: FusedPlan, state: Float32Array, width: number, lanes: Lanes = STEP_LANES) {
    this.plan = plan;
    this.instance = idle.get(keyOf(plan, lanes))?.pop() ?? instantiate(plan, lanes);
    this.load(plan, state, width);
  }

  /** Gives the instance back for the next population of the shape; this population is not used again. */
  release(): void {
    const key = keyOf(this.plan, this.instance.lanes);
    const kept = recentlyUsed(idle, key, MAX_MODULES, () => []);
    if (kept.length >= MAX_IDLE) return;
    Object.assign(this.instance, { evaluated: null, keep: null, resident: null, hypers: null });
    kept.push(this.instance);
  }

  /** Replaces every record by `state` [P, width] of `plan`, the same shape for other members (after some left the population). */
  load(plan: FusedPlan, state: Float32Array, width: number): void {
    this.plan = plan;
    memoryOf(this.instance, stepRegisters(this.instance, plan));
    copyStateIn(this.instance, plan, state, width);
    // Other members may sit in the lanes now: their masks and hyperparameters go in at the next step.
    this.instance.keep = null;
    this.instance.hypers = null;
  }

  /** One step of every member on its rows of the epoch's layout, the records staying in memory. */
  step(a: Omit<StepArrays, 'state' | 'width'>, w: StepWindow): void {
    stepIn(this.instance, this.plan, a, w);
  }

  /** Every member's record, [P, record]: the population's state as a tensor holds it. */
  read(): Float32Array {
    const { instance, plan } = this;
    const at = recordsAt(instance, plan);
    instance.exports.transfer(Math.ceil(plan.members / instance.lanes.count), plan.members, 0, VEC * at, 0);
    return new Float32Array(instance.exports.memory.buffer, VEC * at, plan.members * plan.record).slice();
  }

  /** As {@link wasmFusedEvaluate}, of the records in memory. */
  evaluate(x: Float32Array, t: Float32Array, n: number): Float32Array {
    const { instance, plan } = this;
    const m = evaluateIn(instance, plan, x, t, n);
    // The epoch's sums as the steps left them in the lanes (rounded to float32, as a read stores them).
    return evaluationSums(instance, plan, m, (p, k) => m[laneIndex(instance, p, instance.layout.group.state + plan.sums + k)]);
  }
}

/** Where lane p (member p, or a lane past the last member) of register `field` of its group is in the memory as lanes. */
function laneIndex(instance: Instance, p: number, field: number): number {
  const V = instance.lanes.count;
  return (instance.layout.scratch + Math.floor(p / V) * instance.layout.group.size + field) * V + (p % V);
}

/**
 * One fused training step in `instance`, whose memory holds the records of `plan`: the
 * hyperparameters (and the weight masks when they changed) into each lane, the step's rows
 * of the epoch's layout staged as they lie there and laid into the lanes by the module, then
 * the step.
 */
function stepIn(instance: Instance, plan: FusedPlan, a: Omit<StepArrays, 'state' | 'width'>, w: StepWindow): void {
  const { layout, lanes } = instance;
  const G = layout.group;
  const V = lanes.count;
  const P = plan.members;
  const groups = Math.ceil(P / V);
  const batch = recordsAt(instance, plan) + recordRegisters(plan);
  const m = memoryOf(instance, stepRegisters(instance, plan));
  const rows = w.rows;
  const TW = stepTargetWidth(plan);
  const H = HYPER_COLUMNS.length;
  const copyKeep = plan.pruning && instance.keep !== a.keep;
  const last = instance.hypers;
  const copyHypers = last?.table !== a.hypers || last.corrections !== a.corrections || last.lrFactor !== w.lrFactor;
  for (let slot = 0; slot < groups * V && (copyHypers || copyKeep); slot++) {
    // A lane past the last member computes a copy of it, never read back. Lane `lane` of
    // register f of the group is m[base + f·V]. The hyperparameters and the weight masks, when
    // they change.
    const p = Math.min(slot, P - 1);
    const base = laneIndex(instance, slot, 0);
    const hy = p * H;
    if (copyHypers) {
      for (let q = 0; q < HYPER_SOURCES.length; q++) {
        const source = HYPER_SOURCES[q];
        const value = source < H ? a.hypers[hy + source] : a.corrections[p * 2 + source - H];
        m[base + (G.hypers + q) * V] = source === LR_COLUMN ? value * w.lrFactor : value;
      }
      m[base + (G.hypers + RULE_HYPERS.length) * V] = a.hypers[hy + L1_COLUMN];
      m[base + (G.hypers + RULE_HYPERS.length + 1) * V] = a.hypers[hy + TWO_L2_COLUMN];
    }
    if (copyKeep) {
      const from = p * plan.params, to = base + G.keep * V;
      for (let f = 0; f < plan.params; f++) m[to + f * V] = a.keep![from + f];
    }
  }
  instance.hypers = { table: a.hypers, corrections: a.corrections, lrFactor: w.lrFactor };
  // The step's rows of the epoch's layout, as they lie there, for the module to lay into lanes.
  const F1 = plan.widths[0][0] + 1;
  const staged = new Float32Array(instance.exports.memory.buffer, VEC * batch, P * rows * batchWidth(plan));
  staged.set(a.x.subarray(P * w.start * F1, P * (w.start + rows) * F1));
  staged.set(a.t.subarray(P * w.start * TW, P * (w.start + rows) * TW), P * rows * F1);
  if (a.masks) staged.set(a.masks.subarray(0, P * rows * (batchWidth(plan) - F1 - TW)), P * rows * (F1 + TW));
  instance.exports.gather(groups, rows, P, VEC * batch, 0);
  instance.exports.step(groups, rows, w.fresh, 0, 0);
  instance.keep = a.keep;
}

/** Registers a step of `plan` uses in `instance`: the groups, the records [P, record] and a batch as the epoch lays it out. */
function stepRegisters(instance: Instance, plan: FusedPlan): number {
  return recordsAt(instance, plan) + recordRegisters(plan) + batchRegisters(plan);
}

/** The instance's memory as lanes, grown to hold `registers` registers (growing keeps what it holds). */
function memoryOf(instance: Instance, registers: number): Float32Array | Float64Array {
  const memory = instance.exports.memory;
  const bytes = VEC * registers;
  if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
  return instance.lanes.scalar === F64 ? new Float64Array(memory.buffer) : new Float32Array(memory.buffer);
}

/** Where the records [P, record] pass between JavaScript and the lanes: after the groups, in registers. */
function recordsAt(instance: Instance, plan: FusedPlan): number {
  return instance.layout.scratch + Math.ceil(plan.members / instance.lanes.count) * instance.layout.group.size;
}

/** Registers of the records [P, record] in float32. */
function recordRegisters(plan: FusedPlan): number {
  return Math.ceil((plan.members * plan.record * 4) / VEC);
}

/** Values of one row of a step's batch: the inputs with their column of ones, the targets, each hidden layer's dropout mask. */
function batchWidth(plan: FusedPlan): number {
  const hidden = plan.dropout ? plan.widths.slice(0, -1).reduce((n, [, units]) => n + units, 0) : 0;
  return plan.widths[0][0] + 1 + stepTargetWidth(plan) + hidden;
}

/** Registers of a step's batch as the epoch lays it out, in float32. */
function batchRegisters(plan: FusedPlan): number {
  return Math.ceil((plan.members * plan.batch * batchWidth(plan) * 4) / VEC);
}

/** Copies every member's record [P, width] into its lane of its group (memory already grown); a lane past the last member gets a copy of the last. */
function copyStateIn(instance: Instance, plan: FusedPlan, state: Float32Array, width: number): void {
  const P = plan.members;
  const at = recordsAt(instance, plan);
  const rows = new Float32Array(instance.exports.memory.buffer, VEC * at, P * plan.record);
  if (width === plan.record) rows.set(state.subarray(0, P * plan.record));
  else for (let p = 0; p < P; p++) rows.set(state.subarray(p * width, p * width + plan.record), p * plan.record);
  instance.exports.transfer(Math.ceil(P / instance.lanes.count), P, 1, VEC * at, 0);
}

/**
 * `cpuFusedEvaluate` in WebAssembly, for a plan that {@link wasmStepFits}: [P, 4] of each
 * member's two epoch sums and its loss and right predictions summed over the `n` rows of `x`
 * (with a column of ones) and their encoded targets `t`. One instance a shape evaluates every
 * state given this way; the state it evaluated last is not copied in again.
 */
export function wasmFusedEvaluate(plan: FusedPlan, state: Float32Array, width: number, x: Float32Array, t: Float32Array, n: number, lanes: Lanes = STEP_LANES): Float32Array {
  const instance = recentlyUsed(shared, keyOf(plan, lanes), MAX_MODULES, () => instantiate(plan, lanes));
  if (instance.resident !== state) {
    memoryOf(instance, stepRegisters(instance, plan));
    copyStateIn(instance, plan, state, width);
    instance.resident = state;
  }
  const m = evaluateIn(instance, plan, x, t, n);
  return evaluationSums(instance, plan, m, (p, k) => state[p * width + plan.sums + k]);
}

/**
 * Evaluates the records in `instance`'s memory on the `n` rows of `x` (with a column of ones)
 * and `t`, each member's loss and right predictions left in its lane of its group's results;
 * the memory as lanes. The set is copied in once while it stays where it was.
 */
function evaluateIn(instance: Instance, plan: FusedPlan, x: Float32Array, t: Float32Array, n: number): Float32Array | Float64Array {
  const V = instance.lanes.count;
  const F = plan.widths[0][0];
  const TW = stepTargetWidth(plan);
  // The set after a step's batch: its inputs [n, F] and targets [n, TW], each value in every lane.
  const xAt = stepRegisters(instance, plan);
  const tAt = xAt + n * F;
  const m = memoryOf(instance, tAt + n * TW);
  if (instance.evaluated?.x !== x || instance.evaluated.at !== xAt) {
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < F; i++) m.fill(x[r * (F + 1) + i], (xAt + r * F + i) * V, (xAt + r * F + i + 1) * V);
      for (let c = 0; c < TW; c++) m.fill(t[r * TW + c], (tAt + r * TW + c) * V, (tAt + r * TW + c + 1) * V);
    }
    instance.evaluated = { x, at: xAt };
  }
  instance.exports.evaluate(Math.ceil(plan.members / V), n, 0, VEC * xAt, VEC * tAt);
  return m;
}

/** [P, 4] of each member's two epoch sums (`sum(p, k)`, k = 0 the loss, 1 the right predictions) and the results {@link evaluateIn} left in the lanes `m`. */
function evaluationSums(instance: Instance, plan: FusedPlan, m: Float32Array | Float64Array, sum: (p: number, k: number) => number): Float32Array {
  const P = plan.members;
  const V = instance.lanes.count;
  const out = new Float32Array(P * 4);
  for (let p = 0; p < P; p++) {
    const results = laneIndex(instance, p, instance.layout.group.results);
    out[p * 4] = sum(p, 0);
    out[p * 4 + 1] = sum(p, 1);
    out[p * 4 + 2] = m[results];
    out[p * 4 + 3] = m[results + V];
  }
  return out;
}
