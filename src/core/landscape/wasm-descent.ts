import { RULE_HYPERS, hyperRegister, type CompiledRule } from '../optim/compiled-rule';
import { BINARY_SURFACE_OPS, instructionsFor, ruleInputs, SURFACE_OPS, X_REGISTER, Y_REGISTER, type CompiledRunSpec, type SurfaceCode } from './surface-code';
import {
  F64, F64X2, I32, OP, SIMD, V128, VOID, f64Const, functionBody, functionType, memoryAccess, moduleBytes, ruleCode, signed, simd, unsigned, vectorAccess,
} from '../wasm/bytes';
import { pairKey, recentlyUsed } from '../wasm/cache';

/**
 * The landscape lab's runs on the cpu: a surface's code and the optimizer's compiled rule
 * emitted together as one WebAssembly function that takes every start through all its steps
 * in double precision, two starts at a time in the two lanes of SIMD registers, every pair one
 * step further before the next step (the pairs' independent work overlaps in the processor).
 * The update rule is `core/optim`'s own, compiled by {@link compileRule}: what the lab shows is
 * what training does.
 *
 * Memory: the rule's hyperparameters (in {@link RULE_HYPERS} order) at address 0, the bias
 * corrections of every step after them, then one record per pair of starts, each field two
 * numbers (one per lane): [x, y, lr, each slot of x, each slot of y, f, ‖∇f‖, ‖∇f‖ at the
 * start]; then the recorded path, (x, y, f) of each pair per step, step-major.
 */

/** Functions the emitted code imports from JavaScript, in import order (pow takes two numbers). */
const IMPORTED = ['sin', 'cos', 'tan', 'exp', 'log', 'tanh', 'sinh', 'cosh', 'pow'] as const;

/** Where a pair's record keeps each field, in fields (of 16 bytes) from its start. */
export function recordLayout(rule: CompiledRule) {
  const slots = rule.slots.length;
  return { x: 0, y: 1, lr: 2, slot: (axis: 0 | 1, q: number) => 3 + axis * slots + q, value: 3 + 2 * slots, norm: 4 + 2 * slots, startNorm: 5 + 2 * slots, width: 6 + 2 * slots };
}

/** Bytes of the hyperparameter area at address 0. */
const HYPER_BYTES = 8 * RULE_HYPERS.length;
/** Bytes of one field of a pair: two lanes. */
const FIELD = 16;

/** The emitted module's exports. */
interface DescentExports {
  memory: WebAssembly.Memory;
  /** Steps [from, to) of `count` pairs from `records`; `path` 0 records nothing, else (x, y, f) go to path + (k·stride + i)·48. */
  run(records: number, count: number, from: number, to: number, path: number, stride: number, corrections: number): void;
  /** f and ‖∇f‖ at each pair's points, and with `path` its points after the last step, `steps`. */
  finish(records: number, count: number, path: number, stride: number, steps: number): void;
}

/** Emits the module of one surface and one rule; see the module comment. */
function emitModule(surface: SurfaceCode, rule: CompiledRule): Uint8Array<ArrayBuffer> {
  const layout = recordLayout(rule);
  const slots = rule.slots.length;
  // Locals: 7 (run) or 5 (finish) i32 parameters, then i, k, p, q, t; then the v128 registers.
  const I = { i: 7, k: 8, p: 9, q: 10, t: 11 };
  const i32Locals = 5;
  const surfaceBase = 12;
  const ruleBase = surfaceBase + surface.registers;
  const slotBase = ruleBase + rule.registers;
  const vectorLocals = surface.registers + rule.registers + 2 * slots;
  const s = (register: number) => surfaceBase + register;
  const r = (register: number) => ruleBase + register;
  const get = (local: number) => [OP.localGet, ...unsigned(local)];
  const set = (local: number) => [OP.localSet, ...unsigned(local)];
  const i32 = (n: number) => [OP.i32Const, ...signed(n)];
  const splat = (x: number) => [...f64Const(x), ...simd(SIMD.splat)];
  const load = (field: number) => vectorAccess(SIMD.load, FIELD * field);
  const store = (field: number) => vectorAccess(SIMD.store, FIELD * field);
  /** A function of the lanes called lane by lane: its arguments' lanes, the call, the lanes put back together. */
  const laneCall = (f: (typeof IMPORTED)[number], args: number[]) => {
    const lane = (l: number) => [...args.flatMap((a) => [...get(a), ...simd(SIMD.extractLane, l)]), OP.call, IMPORTED.indexOf(f)];
    return [...lane(0), ...simd(SIMD.splat), ...lane(1), ...simd(SIMD.replaceLane, 1)];
  };
  /** 1 in each lane where the comparison holds, else 0. */
  const indicator = (a: number, op: typeof SIMD.gt | typeof SIMD.lt) => [...get(a), ...splat(0), ...simd(op), ...splat(1), ...simd(SIMD.and)];

  const c = surface.code;
  const lanewise: Partial<Record<string, number>> = {
    add: SIMD.add, sub: SIMD.sub, mul: SIMD.mul, div: SIMD.div, min: SIMD.min, max: SIMD.max, neg: SIMD.neg, sqrt: SIMD.sqrt, abs: SIMD.abs,
  };
  /** The given instructions of the surface code, as wasm. */
  const surfaceCode = (instructions: number[]) =>
    instructions.flatMap((k) => {
      const op = SURFACE_OPS[c[4 * k]];
      const [a, b, out] = [s(c[4 * k + 1]), s(c[4 * k + 2]), s(c[4 * k + 3])];
      const binary = BINARY_SURFACE_OPS.has(op);
      const value =
        lanewise[op] !== undefined ? [...get(a), ...(binary ? get(b) : []), ...simd(lanewise[op]!)]
        : op === 'step' ? indicator(a, SIMD.gt)
        : op === 'sign' ? [...indicator(a, SIMD.gt), ...indicator(a, SIMD.lt), ...simd(SIMD.sub)]
        : laneCall(op as (typeof IMPORTED)[number], binary ? [a, b] : [a]);
      return [...value, ...set(out)];
    });
  const gradient = instructionsFor(surface, [surface.dx, surface.dy]);
  const valueAfterGradient = instructionsFor(surface, [surface.value], new Set(gradient));
  const everything = instructionsFor(surface, [surface.value, surface.dx, surface.dy]);
  const constants = surface.constants.flatMap(([register, value]) => [...splat(value), ...set(s(register))]);
  const norm = [...get(s(surface.dx)), ...get(s(surface.dx)), ...simd(SIMD.mul), ...get(s(surface.dy)), ...get(s(surface.dy)), ...simd(SIMD.mul), ...simd(SIMD.add), ...simd(SIMD.sqrt)];

  /** The rule on one axis: θ, its gradient and slots into the rule's registers, the code, and back. */
  const ruleOn = (axis: 0 | 1) => {
    const out: number[] = [...get(s(axis === 0 ? X_REGISTER : Y_REGISTER)), ...set(r(0)), ...get(s(axis === 0 ? surface.dx : surface.dy)), ...set(r(1))];
    for (let q = 0; q < slots; q++) out.push(...get(slotBase + axis * slots + q), ...set(r(2 + q)));
    out.push(...ruleCode(rule, r, F64X2));
    out.push(...get(r(rule.theta)), ...set(s(axis === 0 ? X_REGISTER : Y_REGISTER)));
    rule.nextSlots.forEach((register, q) => out.push(...get(r(register)), ...set(slotBase + axis * slots + q)));
    return out;
  };
  const hypers = RULE_HYPERS.flatMap((h, k) =>
    h === 'lr' ? [] : [...i32(0), ...memoryAccess(OP.f64Load, 8 * k), ...simd(SIMD.splat), ...set(r(hyperRegister(slots, h)))],
  );
  /** p ← records + i·width·16. */
  const recordAddress = [...get(0), ...get(I.i), ...i32(FIELD * layout.width), OP.i32Mul, OP.i32Add, ...set(I.p)];
  /** With a path (local `path`), stores x, y and f at path + (k·stride + i)·48, k in local `step`; f computed first if asked. */
  const recordPoint = (path: number, stride: number, step: number[], valueOnPath: boolean) => [
    ...get(path), OP.if, VOID,
    ...(valueOnPath ? surfaceCode(valueAfterGradient) : []),
    ...get(path), ...step, ...get(stride), OP.i32Mul, ...get(I.i), OP.i32Add, ...i32(3 * FIELD), OP.i32Mul, OP.i32Add, ...set(I.q),
    ...get(I.q), ...get(s(X_REGISTER)), ...store(0),
    ...get(I.q), ...get(s(Y_REGISTER)), ...store(1),
    ...get(I.q), ...get(s(surface.value)), ...store(2),
    OP.end,
  ];
  /** for (i = 0; i < count; i++) { p ← record i; body } */
  const overPairs = (body: number[]) => [
    ...i32(0), ...set(I.i),
    OP.block, VOID, OP.loop, VOID,
    ...get(I.i), ...get(1), OP.i32GeS, OP.brIf, 1,
    ...recordAddress,
    ...body,
    ...get(I.i), ...i32(1), OP.i32Add, ...set(I.i), OP.br, 0,
    OP.end, OP.end,
  ];
  const loadPoint = [...get(I.p), ...load(layout.x), ...set(s(X_REGISTER)), ...get(I.p), ...load(layout.y), ...set(s(Y_REGISTER))];

  const corrections = rule.biasCorrected
    ? [
        ...get(6), ...get(I.k), ...i32(16), OP.i32Mul, OP.i32Add, ...set(I.t),
        ...get(I.t), ...memoryAccess(OP.f64Load, 0), ...simd(SIMD.splat), ...set(r(hyperRegister(slots, 'biasCorrection1'))),
        ...get(I.t), ...memoryAccess(OP.f64Load, 8), ...simd(SIMD.splat), ...set(r(hyperRegister(slots, 'biasCorrection2'))),
      ]
    : [];
  const slotAccess = (op: 'load' | 'store') =>
    [0, 1].flatMap((axis) =>
      Array.from({ length: slots }, (_, q) => {
        const local = slotBase + axis * slots + q;
        const field = layout.slot(axis as 0 | 1, q);
        return op === 'load' ? [...get(I.p), ...load(field), ...set(local)] : [...get(I.p), ...get(local), ...store(field)];
      }).flat(),
    );
  /** One step of every pair; `storing`: with the start's ‖∇f‖ on the first step and the path. */
  const pairStep = (storing: boolean) =>
    overPairs([
      ...loadPoint,
      ...get(I.p), ...load(layout.lr), ...set(r(hyperRegister(slots, 'lr'))),
      ...slotAccess('load'),
      ...surfaceCode(gradient),
      ...(storing ? [...get(I.k), OP.i32Eqz, OP.if, VOID, ...get(I.p), ...norm, ...store(layout.startNorm), OP.end, ...recordPoint(4, 5, get(I.k), true)] : []),
      ...ruleOn(0),
      ...ruleOn(1),
      ...get(I.p), ...get(s(X_REGISTER)), ...store(layout.x),
      ...get(I.p), ...get(s(Y_REGISTER)), ...store(layout.y),
      ...slotAccess('store'),
    ]);
  // Steps outside, pairs inside: one pair's steps form a chain of dependent operations that
  // leaves the processor waiting on each result, while the pairs of one step are independent
  // and overlap in its pipelines. A pair's state goes through memory (the first level of cache)
  // between two steps.
  const run = [
    ...constants,
    ...hypers,
    ...get(2), ...set(I.k),
    OP.block, VOID, OP.loop, VOID,
    ...get(I.k), ...get(3), OP.i32GeS, OP.brIf, 1,
    ...corrections,
    // The first step and a recorded path store more; every other step runs without their tests.
    ...i32(1), ...get(4), ...get(I.k), OP.i32Eqz, OP.select, OP.if, VOID,
    ...pairStep(true),
    OP.else,
    ...pairStep(false),
    OP.end,
    ...get(I.k), ...i32(1), OP.i32Add, ...set(I.k), OP.br, 0,
    OP.end, OP.end,
  ];
  const finish = [
    ...constants,
    ...overPairs([
      ...loadPoint,
      ...surfaceCode(everything),
      ...get(I.p), ...get(s(surface.value)), ...store(layout.value),
      ...get(I.p), ...norm, ...store(layout.norm),
      ...recordPoint(2, 3, get(4), false),
    ]),
  ];
  // Both functions declare the same locals after their parameters; finish leaves a few unused.
  const body = (params: number, code: number[]) => functionBody([[7 - params + i32Locals, I32], [vectorLocals, V128]], code);
  const types = [functionType([F64], [F64]), functionType([F64, F64], [F64]), functionType(Array(7).fill(I32), []), functionType(Array(5).fill(I32), [])];
  return moduleBytes(types, IMPORTED.map((f) => [f, f === 'pow' ? 1 : 0]), [['run', 2, body(7, run)], ['finish', 3, body(5, finish)]]);
}

/**
 * A module and its idle instances, by surface and rule: a drag of a slider reruns the same code
 * with new numbers, the engine's optimized tier of a module serves all its instances, and an
 * instance's memory, once grown, serves the next run.
 */
interface Compiled {
  module: WebAssembly.Module;
  idle: DescentExports[];
}
const modules = new Map<string, Compiled>();
/** Most modules kept. */
const MAX_MODULES = 16;
/** The cache key of a surface and a rule, made once per pair of objects. */
const keys = new WeakMap<SurfaceCode, WeakMap<CompiledRule, string>>();

function compiledFor(surface: SurfaceCode, rule: CompiledRule): Compiled {
  const key = pairKey(keys, surface, rule, () =>
    JSON.stringify([surface.constants, Array.from(surface.code), surface.value, surface.dx, surface.dy, Array.from(rule.code), rule.theta, rule.nextSlots]),
  );
  return recentlyUsed(modules, key, MAX_MODULES, () => ({ module: new WebAssembly.Module(emitModule(surface, rule)), idle: [] }));
}

/** An instance of the module of `surface` and `rule` for one run (runs may interleave: each has its own memory). */
function instanceOf(compiled: Compiled): DescentExports {
  const idle = compiled.idle.pop();
  if (idle) return idle;
  const math = Object.fromEntries(IMPORTED.map((f) => [f, Math[f]]));
  return new WebAssembly.Instance(compiled.module, { m: math }).exports as unknown as DescentExports;
}

/** Largest memory an idle instance keeps: enough for a 512 × 512 Adam map without its path. */
const KEPT_MEMORY = 32 * 1024 * 1024;

/** Pairs of starts per call of the emitted function: later calls run the optimized tier of the code. */
const PAIRS_PER_CALL = 256;

/**
 * One batch of starts in an emitted module's memory, advanced chunk by chunk with
 * {@link CompiledRun.advance} and read with {@link CompiledRun.finish}. An odd start out is
 * paired with a copy of itself.
 */
export class CompiledRun {
  readonly n: number;
  private readonly pairs: number;
  private readonly compiled: Compiled;
  private readonly exports: DescentExports;
  private readonly layout: ReturnType<typeof recordLayout>;
  private readonly records: number;
  private readonly path: number;
  private done = 0;

  constructor(private readonly spec: CompiledRunSpec) {
    const { rule, lr, hypers, corrections } = ruleInputs(spec.optimizer, spec.steps);
    this.compiled = compiledFor(spec.surface, rule);
    this.exports = instanceOf(this.compiled);
    this.layout = recordLayout(rule);
    const n = (this.n = spec.starts.length / 2);
    const pairs = (this.pairs = Math.ceil(n / 2));
    this.records = HYPER_BYTES + 16 * spec.steps;
    this.path = this.records + FIELD * this.layout.width * pairs;
    const end = this.path + (spec.recordPath ? 3 * FIELD * (spec.steps + 1) * pairs : 0);
    const memory = this.exports.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
    const f = new Float64Array(memory.buffer);
    f.set(hypers);
    if (rule.biasCorrected) f.set(corrections, HYPER_BYTES / 8);
    const base = this.records / 8;
    f.fill(0, base, base + 2 * this.layout.width * pairs);
    // Index arithmetic inline, no call per start: a sweep's first runs go through this loop
    // before the engine has optimized it.
    const { x, y, lr: lrField, width } = this.layout;
    for (let i = 0; i < 2 * pairs; i++) {
      const from = Math.min(i, n - 1);
      const at = base + 2 * (i >> 1) * width + (i & 1);
      f[at + 2 * x] = spec.starts[2 * from];
      f[at + 2 * y] = spec.starts[2 * from + 1];
      f[at + 2 * lrField] = spec.lrs ? spec.lrs[from] : lr;
    }
  }

  /** Steps taken so far. */
  get stepsDone(): number {
    return this.done;
  }

  /** Takes every start `count` steps further (at most to the end). */
  advance(count: number): void {
    const to = Math.min(this.spec.steps, this.done + count);
    for (let first = 0; first < this.pairs; first += PAIRS_PER_CALL) {
      const path = this.spec.recordPath ? this.path + 3 * FIELD * first : 0;
      this.exports.run(this.records + FIELD * this.layout.width * first, Math.min(PAIRS_PER_CALL, this.pairs - first), this.done, to, path, this.pairs, HYPER_BYTES);
    }
    this.done = to;
  }

  /** Where the starts are: final points, f, ‖∇f‖, and the path when recorded. */
  finish() {
    const { n, layout, pairs } = this;
    const steps = this.spec.steps;
    for (let first = 0; first < pairs; first += PAIRS_PER_CALL) {
      const path = this.spec.recordPath ? this.path + 3 * FIELD * first : 0;
      this.exports.finish(this.records + FIELD * layout.width * first, Math.min(PAIRS_PER_CALL, pairs - first), path, pairs, steps);
    }
    const f = new Float64Array(this.exports.memory.buffer);
    const points = new Float64Array(2 * n);
    const values = new Float64Array(n);
    const gradientNorms = new Float64Array(n);
    const startGradientNorms = new Float64Array(n);
    const startNorm = steps > 0 ? layout.startNorm : layout.norm;
    // One loop, index arithmetic inline (see the constructor).
    for (let i = 0; i < n; i++) {
      const at = this.records / 8 + 2 * (i >> 1) * layout.width + (i & 1);
      points[2 * i] = f[at + 2 * layout.x];
      points[2 * i + 1] = f[at + 2 * layout.y];
      values[i] = f[at + 2 * layout.value];
      gradientNorms[i] = f[at + 2 * layout.norm];
      startGradientNorms[i] = f[at + 2 * startNorm];
    }
    const result = { points, values, gradientNorms, startGradientNorms };
    if (!this.spec.recordPath) return result;
    // (x, y, f) of pair i at step k: 6 numbers at path + (k·pairs + i)·48, lane by lane.
    const path = new Float64Array(2 * (steps + 1) * n);
    const pathValues = new Float64Array((steps + 1) * n);
    for (let k = 0; k <= steps; k++) {
      for (let i = 0; i < n; i++) {
        const at = this.path / 8 + 6 * (k * pairs + (i >> 1)) + (i & 1);
        path[2 * (k * n + i)] = f[at];
        path[2 * (k * n + i) + 1] = f[at + 2];
        pathValues[k * n + i] = f[at + 4];
      }
    }
    return { ...result, path, pathValues };
  }

  /** Gives the instance back for the next run of the same code (a large memory is let go). */
  dispose(): void {
    if (this.exports.memory.buffer.byteLength <= KEPT_MEMORY) this.compiled.idle.push(this.exports);
  }
}
