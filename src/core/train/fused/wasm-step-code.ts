import { hyperRegister, RULE_HYPERS } from '../../optim/compiled-rule';
import {
  F64, I32, OP, SIMD, V128, VOID, functionBody, functionType, moduleBytes, ruleCode, signed, simd, splatConstant, unsigned, vectorAccess, type Lanes,
} from '../../wasm/bytes';
import { stepTargetWidth, type FusedPlan } from './plan';
import { KERNEL_ACTIVATIONS, type ScalarMath } from './scalar-math';

// The WebAssembly of the fused training step on the cpu (see wasm-kernel.ts, which runs it):
// where everything sits in the module's memory, and the emitted step and evaluation.

/** Functions the emitted code imports from JavaScript (each f64 → f64), in import order. */
export const IMPORTED = ['log'] as const;
type Imported = (typeof IMPORTED)[number];

/** Bytes of one register. */
export const VEC = 16;

/** Fields of a group's hyperparameters: the rule's, in {@link RULE_HYPERS} order, then l1 and 2·l2. */
const HYPER_FIELDS = RULE_HYPERS.length + 2;

/**
 * Where everything is, in registers (16 bytes) from address 0: the scratch every group reuses,
 * then one block per group of members (one a lane): hyperparameters, record, the batch's inputs
 * and targets, the dropout masks, the weight masks, the evaluation's two sums.
 */
export function layoutOf(plan: FusedPlan) {
  const { widths } = plan;
  const L = widths.length - 1;
  const B = plan.batch;
  let at = 0;
  const take = (n: number) => ((at += n), at - n);
  const h = widths.map(([i], l) => (l === 0 ? -1 : take(B * i)));
  const z = widths.map(([, o], l) => (l < L ? take(B * o) : -1));
  const act = widths.map(([, o], l) => (l < L ? take(B * o) : -1));
  const d = widths.map(([, o]) => take(B * o));
  const grad = take(plan.params);
  const scratch = at;
  at = 0;
  const hypers = take(HYPER_FIELDS);
  const state = take(plan.record);
  const x = take(B * widths[0][0]);
  const t = take(B * stepTargetWidth(plan));
  const masks = widths.slice(0, L).map(([, o]) => (plan.dropout ? take(B * o) : -1));
  const keep = plan.pruning ? take(plan.params) : -1;
  const results = take(2);
  return { h, z, act, d, grad, scratch, group: { hypers, state, x, t, masks, keep, results, size: at } };
}

/** The emitted module's exports. */
export interface StepExports {
  memory: WebAssembly.Memory;
  /** One step of `groups` groups of members on `rows` rows; `fresh` 1 starts the epoch's sums again. */
  step(groups: number, rows: number, fresh: number, unusedX: 0, unusedT: 0): void;
  /** Each group's loss and right predictions on the `rows` rows at byte addresses x and t, into its results. */
  evaluate(groups: number, rows: number, unusedFresh: 0, x: number, t: number): void;
  /** The `members` records between [P, record] float32 at byte address `at` and the lanes: `into` 1 reads them in, 0 writes them out. */
  transfer(groups: number, members: number, into: 0 | 1, at: number, unusedT: 0): void;
  /** The step's batch of `rows` rows of each of `members`, float32 at byte address `at` as the epoch lays it out, into the lanes. */
  gather(groups: number, rows: number, members: number, at: number, unusedT: 0): void;
}

/** e^r on |r| ≤ ln 2 / 2 in double precision: a near-minimax polynomial of degree 11 (Chebyshev fit), highest power first. */
const EXP_MINIMAX = [
  2.5110037605963777e-8, 2.763263963904103e-7, 2.755724091857897e-6, 2.4801485482328494e-5, 1.9841269890047113e-4, 1.3888888952314775e-3,
  8.333333333319601e-3, 4.16666666664881e-2, 0.1666666666666668, 0.5000000000000019, 1, 1,
];
/** fdlibm's Lg7 … Lg1: ln(1 + f) = 2s + s·z·(Lg1 + z·(Lg2 + …)), s = f/(2 + f), z = s², for √½ ≤ 1 + f ≤ √2. */
const LOG_FDLIBM = [
  1.479819860511658591e-1, 1.531383769920937332e-1, 1.818357216161805012e-1, 2.222219843214978396e-1, 2.857142874366239149e-1,
  3.999999999940941908e-1, 6.666666666666735130e-1,
];
/** e^r = p(r)·r² + r + 1 on |r| ≤ ln 2 / 2 in single precision: Cephes' expf, p highest power first. */
const EXPF_CEPHES = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];

/**
 * The forward pass's blocks: up to BLOCK_COLUMNS outputs of as many rows as make
 * BLOCK_REGISTERS sums (at least two), so that each weight loaded serves several rows and the
 * sums stay in registers (W2's step 0.52 → 0.43 ms in Node, against a register per output of
 * one row). The loop over the inputs stays a loop: unrolled, with constant offsets, it was
 * slower (0.58 ms).
 */
const BLOCK_COLUMNS = 4;
const BLOCK_REGISTERS = 8;

/** Registers of a layer's pre-activations activated in one pass, their instructions interleaved. */
const ACTIVATED_TOGETHER = 8;

/** tanh(x) = 1 − 2/(e^{2x} + 1), as NUMBER_MATH computes it. */
function tanhOf<T>(m: ScalarMath<T>, a: T): T {
  return m.sub(m.constant(1), m.div(m.constant(2), m.add(m.exp(m.mul(m.constant(2), a)), m.constant(1))));
}

/**
 * Emits the module of a plan's shape (its member count aside) in `lanes`: `step` and
 * `evaluate` over groups of members, one member a lane (see wasm-kernel.ts).
 */
export function emitModule(plan: FusedPlan, lanes: Lanes): Uint8Array<ArrayBuffer> {
  const { widths, rule } = plan;
  const L = widths.length - 1;
  const K = widths[L][1];
  const F = widths[0][0];
  const TW = stepTargetWidth(plan);
  const layout = layoutOf(plan);
  const G = layout.group;
  const slots = rule.slots.length;
  // i32 locals: the five parameters (both functions take the same), then loop counters and addresses.
  const P_GROUPS = 0, P_ROWS = 1, P_FRESH = 2, P_X = 3, P_T = 4;
  const g = 5, gb = 6, b = 7, k = 8, row = 9, row2 = 10, n = 11, chunk = 12, chunkRows = 13, i = 14, wRow = 15, at = 16;
  const PARAMS = 5;
  const i32Count = 12;
  let vectors = 0;
  const vectorLocal = () => PARAMS + i32Count + vectors++;
  /** Appends `items` to `target` (a push with spread arguments overflows the stack past ~100,000). */
  const emit = (target: number[], items: number[]) => {
    for (const item of items) target.push(item);
  };
  const get = (local: number) => [OP.localGet, ...unsigned(local)];
  const set = (local: number) => [OP.localSet, ...unsigned(local)];
  const i32 = (value: number) => [OP.i32Const, ...signed(value)];
  const op = (code: number) => simd(code);
  /**
   * Each constant's local, splatted at the start of the step and of the evaluation: a splat is
   * eleven bytes of code at each use, and the activations use some twenty for each register.
   */
  const constants = new Map<number, number>();
  const constantLocal = (x: number) => {
    if (!constants.has(x)) constants.set(x, vectorLocal());
    return constants.get(x)!;
  };
  const constant = (x: number) => get(constantLocal(x));
  /** The register at byte address `address` (code) plus `field` registers. */
  const load = (address: number[], field: number) => [...address, ...vectorAccess(SIMD.load, VEC * field)];
  const store = (address: number[], field: number, value: number[]) => [...address, ...value, ...vectorAccess(SIMD.store, VEC * field)];
  /** for (; i + stride ≤ count; i += stride) body, from i as it stands. */
  const strided = (i: number, count: number[], stride: number, body: number[]) => [
    OP.block, VOID, OP.loop, VOID,
    ...get(i), ...i32(stride), OP.i32Add, ...count, OP.i32GtS, OP.brIf, 1,
    ...body,
    ...get(i), ...i32(stride), OP.i32Add, ...set(i), OP.br, 0,
    OP.end, OP.end,
  ];
  /** for (i = 0; i < count; i++) body */
  const loop = (i: number, count: number[], body: number[]) => [...i32(0), ...set(i), ...strided(i, count, 1, body)];
  /** local ← base + i·stride registers, as a byte address. */
  const rowAddress = (target: number, base: number[], i: number, stride: number) => [...base, ...get(i), ...i32(VEC * stride), OP.i32Mul, OP.i32Add, ...set(target)];
  /** A lane-wise call of an imported function on the value in `local`. */
  const laneCall = (f: Imported, local: number) => {
    const lane = (l: number) => [
      ...get(local), ...simd(lanes.extractLane, l), ...(lanes.scalar === F64 ? [] : [OP.f64PromoteF32]),
      OP.call, IMPORTED.indexOf(f), ...(lanes.scalar === F64 ? [] : [OP.f32DemoteF64]),
    ];
    const out = [...lane(0), ...simd(lanes.splat)];
    for (let l = 1; l < lanes.count; l++) emit(out, [...lane(l), ...simd(lanes.replaceLane, l)]);
    return out;
  };
  /**
   * e^x of each value in `inputs` (locals) into fresh locals, lane-wise in SIMD, the values'
   * instructions emitted side by side (into `out`) so that their chains of dependent
   * instructions overlap. x = n·ln 2 + r with n = round(x·log2 e) and |r| ≤ ln 2 / 2 (ln 2 in two
   * parts, so r is exact), e^r by a polynomial (Cephes' expf in single lanes; in double lanes a
   * minimax polynomial of degree 11, within 2e-16 where Taylor to r¹² had been 4e-16), times 2^n
   * made in the exponent's bits. n comes from adding 1.5·2^mantissa bits, which rounds x·log2 e
   * to an integer in the low bits of the sum, so that 2^n is those bits shifted into the exponent
   * plus the bits of 1. x is first clamped where e^x stays finite and normal (pmin and pmax, one
   * instruction each, pass a NaN on as the first operand): a lane call to Math.exp per value had
   * been the step's largest cost.
   */
  const expOf = (inputs: number[], out: number[]): number[] => {
    const single = lanes.scalar !== F64;
    const [low, high] = single ? [-87, 88] : [-708, 709];
    const [ln2High, ln2Low] = single ? [0.693359375, -2.12194440e-4] : [0.6931471803691238, 1.9082149292705877e-10];
    const shifter = single ? 1.5 * 2 ** 23 : 1.5 * 2 ** 52;
    const fresh = () => inputs.map(() => vectorLocal());
    const each = (instructions: (v: number) => number[]) => inputs.forEach((_, v) => emit(out, instructions(v)));
    const x = fresh(), shifted = fresh(), n = fresh(), r = fresh(), p = fresh(), e = fresh();
    each((v) => [...get(inputs[v]), ...constant(low), ...op(lanes.pmax), ...constant(high), ...op(lanes.pmin), ...set(x[v])]);
    each((v) => [...get(x[v]), ...constant(Math.LOG2E), ...op(lanes.mul), ...constant(shifter), ...op(lanes.add), ...set(shifted[v])]);
    each((v) => [...get(shifted[v]), ...constant(shifter), ...op(lanes.sub), ...set(n[v])]);
    each((v) => [...get(x[v]), ...get(n[v]), ...constant(ln2High), ...op(lanes.mul), ...op(lanes.sub), ...get(n[v]), ...constant(ln2Low), ...op(lanes.mul), ...op(lanes.sub), ...set(r[v])]);
    const c = single ? EXPF_CEPHES : EXP_MINIMAX;
    each((v) => [...constant(c[0]), ...get(r[v]), ...op(lanes.mul), ...constant(c[1]), ...op(lanes.add), ...set(p[v])]);
    for (const k of c.slice(2)) each((v) => [...get(p[v]), ...get(r[v]), ...op(lanes.mul), ...constant(k), ...op(lanes.add), ...set(p[v])]);
    // Cephes: p·r² + r + 1.
    if (single) each((v) => [...get(p[v]), ...get(r[v]), ...op(lanes.mul), ...get(r[v]), ...op(lanes.mul), ...get(r[v]), ...op(lanes.add), ...constant(1), ...op(lanes.add), ...set(p[v])]);
    // 2^n: n << mantissa bits, plus the bits of 1 (the exponent's bias).
    each((v) => [...get(p[v]), ...get(shifted[v]), ...i32(single ? 23 : 52), ...op(lanes.shl), ...constant(1), ...op(lanes.intAdd), ...op(lanes.mul), ...set(e[v])]);
    return e;
  };
  /**
   * {@link ScalarMath} on `count` values at once, each a local: every operation emits its
   * instruction for each value in turn into `out`, into fresh locals, so that the values'
   * chains (an exp is some thirty dependent instructions) run side by side.
   */
  const sideBySide = (count: number, out: number[]): ScalarMath<number[]> => {
    const apply = (instructions: (v: number) => number[]) => {
      const results = Array.from({ length: count }, () => vectorLocal());
      results.forEach((local, v) => emit(out, [...instructions(v), ...set(local)]));
      return results;
    };
    const binary = (code: number) => (a: number[], c: number[]) => apply((v) => [...get(a[v]), ...get(c[v]), ...op(code)]);
    const m: ScalarMath<number[]> = {
      add: binary(lanes.add), sub: binary(lanes.sub), mul: binary(lanes.mul), div: binary(lanes.div),
      sqrt: (a) => apply((v) => [...get(a[v]), ...op(lanes.sqrt)]),
      square: (a) => binary(lanes.mul)(a, a),
      constant: (x) => Array(count).fill(constantLocal(x)),
      tanh: (a) => tanhOf(m, a),
      exp: (a) => expOf(a, out),
      max: binary(lanes.max), min: binary(lanes.min),
      step: (a) => apply((v) => indicator([...get(a[v]), ...constant(0), ...op(lanes.gt)])),
    };
    return m;
  };
  /**
   * ln(1 + e) of `e` (code) in [0, 1], lane-wise: y = 1 + e, halved above √2 (adding ln 2), is
   * 1 + f, and ln(1 + f) = 2s + s·R(s²) with s = f/(2 + f) (fdlibm's log), within 2e-16 of
   * Math.log1p, as a loss kept in float32 needs: a call to Math.log1p a lane had been a seventh
   * of the evaluation.
   */
  const log1pOf = (e: number[]): number[] => {
    const y = held(math.add(constant(1), e));
    const big = held([...y.get, ...constant(Math.SQRT2), ...op(lanes.gt)]);
    const f = held(math.sub([...math.mul(y.get, constant(0.5)), ...y.get, ...big.get, ...simd(SIMD.bitselect)], constant(1)));
    const s = held(math.div(f.get, math.add(constant(2), f.get)));
    const z = held(math.mul(s.get, s.get));
    const r = LOG_FDLIBM.slice(1).reduce((p, c) => math.add(math.mul(p, z.get), constant(c)), constant(LOG_FDLIBM[0]));
    const ln2 = [...constant(Math.LN2), ...constant(0), ...big.get, ...simd(SIMD.bitselect)];
    return [...y.code, ...big.code, ...f.code, ...s.code, ...z.code, ...math.add(ln2, math.add(math.add(s.get, s.get), math.mul(s.get, math.mul(z.get, r))))];
  };
  /** A value computed into a fresh local (once), for expressions that read it more than once. */
  const held = (value: number[]) => {
    const local = vectorLocal();
    return { code: [...value, ...set(local)], get: get(local), local };
  };
  /** 1 in each lane where the comparison (a mask) holds, else 0. */
  const indicator = (mask: number[]) => [...mask, ...constant(1), ...simd(SIMD.and)];
  const math: ScalarMath<number[]> = {
    add: (a, c) => [...a, ...c, ...op(lanes.add)],
    sub: (a, c) => [...a, ...c, ...op(lanes.sub)],
    mul: (a, c) => [...a, ...c, ...op(lanes.mul)],
    div: (a, c) => [...a, ...c, ...op(lanes.div)],
    sqrt: (a) => [...a, ...op(lanes.sqrt)],
    square: (a) => {
      const v = held(a);
      return [...v.code, ...v.get, ...v.get, ...op(lanes.mul)];
    },
    constant,
    tanh: (a) => tanhOf(math, a),
    exp: (a) => {
      const v = held(a);
      const out = [...v.code];
      const [e] = expOf([v.local], out);
      return [...out, ...get(e)];
    },
    max: (a, c) => [...a, ...c, ...op(lanes.max)],
    min: (a, c) => [...a, ...c, ...op(lanes.min)],
    step: (a) => indicator([...a, ...constant(0), ...op(lanes.gt)]),
  };

  const code: number[] = [];
  const scale = vectorLocal(), lossSum = vectorLocal(), rightSum = vectorLocal(), acc = vectorLocal(), value = vectorLocal();
  const r = vectorLocal();
  for (let q = 1; q < rule.registers; q++) vectorLocal();
  /** A register per output of the widest layer: its row of dL/dz in the backward pass. */
  const outputs = Array.from({ length: Math.max(...widths.map(([, o]) => o)) }, () => vectorLocal());
  const reg = (register: number) => r + register;
  const l1 = vectorLocal(), twoL2 = vectorLocal();
  // scale = 1/rows in every lane.
  emit(code, [...constant(1), ...get(P_ROWS), lanes.scalar === F64 ? OP.f64ConvertI32S : OP.f32ConvertI32S, ...simd(lanes.splat), ...op(lanes.div), ...set(scale)]);

  const group: number[] = [];
  const gbGet = get(gb);
  // The rule's hyperparameters, each member's in its lane, and the L1 and 2·L2 rates.
  RULE_HYPERS.forEach((hyper, q) => emit(group, [...load(gbGet, G.hypers + q), ...set(reg(hyperRegister(slots, hyper)))]));
  emit(group, [...load(gbGet, G.hypers + RULE_HYPERS.length), ...set(l1), ...load(gbGet, G.hypers + RULE_HYPERS.length + 1), ...set(twoL2)]);
  const stateField = (field: number) => G.state + field;

  /**
   * Forward: z[b, j] = W[I, j] + Σ_i h[b, i]·W[i, j], i ascending as the scalar kernel sums, for
   * rows [0, rows) of the inputs at byte address `inputs` (code); dropout masks where asked.
   */
  const forward = (inputs: number[], rows: number[], dropout: boolean) => {
    const out: number[] = [];
    widths.forEach(([I, O], l) => {
      const to = l < L ? layout.z[l] : layout.d[l];
      const off = plan.offsets[l];
      // Blocks of `columns` outputs of `together` rows, each weight loaded once for the rows;
      // row: the first input row's address, row2: the first output row's, wRow: weight row i's.
      const columns = Math.min(O, BLOCK_COLUMNS);
      const together = Math.max(2, Math.floor(BLOCK_REGISTERS / columns));
      const pass = (count: number) => {
        const body = [...rowAddress(row, l === 0 ? inputs : i32(VEC * layout.h[l]), b, I), ...rowAddress(row2, i32(VEC * to), b, O)];
        for (let j0 = 0; j0 < O; j0 += columns) {
          const width = Math.min(columns, O - j0);
          const sums = Array.from({ length: count }, () => Array.from({ length: width }, () => vectorLocal()));
          for (let j = 0; j < width; j++) {
            emit(body, [...load(gbGet, stateField(off + I * O + j0 + j)), ...set(sums[0][j])]);
            for (let q = 1; q < count; q++) emit(body, [...get(sums[0][j]), ...set(sums[q][j])]);
          }
          const inputs = Array.from({ length: count }, () => vectorLocal());
          const input = [...rowAddress(at, get(row), i, 1), ...rowAddress(wRow, gbGet, i, O)];
          inputs.forEach((local, q) => emit(input, [...load(get(at), q * I), ...set(local)]));
          for (let j = 0; j < width; j++) {
            emit(input, [...load(get(wRow), stateField(off + j0 + j)), ...set(value)]);
            for (let q = 0; q < count; q++) emit(input, [...get(sums[q][j]), ...get(inputs[q]), ...get(value), ...op(lanes.mul), ...op(lanes.add), ...set(sums[q][j])]);
          }
          emit(body, [...loop(i, i32(I), input)]);
          sums.forEach((row, q) => row.forEach((sum, j) => emit(body, [...store(get(row2), q * O + j0 + j, get(sum))])));
        }
        return body;
      };
      emit(out, [...i32(0), ...set(b), ...strided(b, rows, together, pass(together)), ...strided(b, rows, 1, pass(1))]);
      if (l === L) return;
      // The activation, and the next layer's input: the activation times the dropout mask;
      // ACTIVATED_TOGETHER registers at a time while that many remain, then one at a time (none
      // remain where they divide the layer's width).
      const activation = KERNEL_ACTIVATIONS[plan.activations[l]];
      const activate = (count: number) => {
        const body = [...get(k), ...i32(VEC), OP.i32Mul, ...set(row)];
        const z = Array.from({ length: count }, () => vectorLocal());
        z.forEach((local, v) => emit(body, [...load(get(row), layout.z[l] + v), ...set(local)]));
        activation.f(sideBySide(count, body), z).forEach((a, v) => {
          const input = dropout ? [...get(a), ...load([...get(row), ...gbGet, OP.i32Add], G.masks[l] + v), ...op(lanes.mul)] : get(a);
          emit(body, [...store(get(row), layout.act[l] + v, get(a)), ...store(get(row), layout.h[l + 1] + v, input)]);
        });
        return body;
      };
      emit(out, [...rows, ...i32(O), OP.i32Mul, ...set(n), ...i32(0), ...set(k)]);
      emit(out, strided(k, get(n), ACTIVATED_TOGETHER, activate(ACTIVATED_TOGETHER)));
      if (O % ACTIVATED_TOGETHER !== 0) emit(out, strided(k, get(n), 1, activate(1)));
    });
    return out;
  };
  emit(group, [...forward([...gbGet, ...i32(VEC * G.x), OP.i32Add], get(P_ROWS), plan.dropout)]);

  // The loss of each row and its gradient, scale·weight·dL/dz, in place of the logits.
  const logits = layout.d[L];
  const weightOf = (t: (c: number) => number[], w: number[] | null): number[] | null => {
    if (!w) return null;
    // A binary target −1 codes class 1; a one-hot row's dot with the weights is its class's weight.
    if (plan.kind === 'binary') return [...constant(w[1]), ...constant(w[0]), ...t(0), ...constant(0), ...op(lanes.lt), ...simd(SIMD.bitselect)];
    return Array.from({ length: K }, (_, c) => math.mul(t(c), constant(w[c]))).reduce((a, c) => math.add(a, c));
  };
  /**
   * The loss of rows [0, rows) from the logits and the targets at byte address `targets`
   * (code), added to lossSum and rightSum; with `training`, weighted by class and with
   * scale·weight·dL/dz in place of the logits.
   */
  const loss = (targets: number[], rows: number[], training: boolean) => {
    const weights = training ? plan.classWeights : null;
    const body: number[] = [...rowAddress(row, i32(VEC * logits), b, K), ...rowAddress(row2, targets, b, TW)];
    const z = (c: number) => load(get(row), c);
    const t = (c: number) => load(get(row2), c);
    const weight = held(weightOf(t, weights) ?? constant(1));
    const gradScale = held(weights ? math.mul(get(scale), weight.get) : get(scale));
    if (weights) emit(body, [...weight.code]);
    if (training) emit(body, [...gradScale.code]);
    const weighted = (value: number[]) => (weights ? math.mul(weight.get, value) : value);
    if (plan.kind === 'binary') {
      const u = held(t(0)), q = held(math.mul(z(0), u.get));
      emit(body, [...u.code, ...q.code]);
      emit(body, [...get(rightSum), ...indicator([...q.get, ...constant(0), ...op(lanes.lt)]), ...op(lanes.add), ...set(rightSum)]);
      const negAbs = held([...q.get, ...op(lanes.abs), ...op(lanes.neg)]);
      emit(body, [...negAbs.code]);
      const e = held(math.exp(negAbs.get));
      emit(body, [...e.code]);
      emit(body, [...get(lossSum), ...weighted(math.add(math.max(q.get, constant(0)), log1pOf(e.get))), ...op(lanes.add), ...set(lossSum)]);
      // u·σ(q)·scale, as the scalar kernel multiplies.
      const sigmoid = math.div(constant(1), math.add(constant(1), math.exp([...q.get, ...op(lanes.neg)])));
      if (training) emit(body, [...store(get(row), 0, math.mul(math.mul(u.get, sigmoid), gradScale.get))]);
    } else if (plan.kind === 'regression') {
      const residual = held(math.sub(z(0), t(0)));
      emit(body, [...residual.code]);
      emit(body, [...get(lossSum), ...weighted(math.mul(residual.get, residual.get)), ...op(lanes.add), ...set(lossSum)]);
      if (training) emit(body, [...store(get(row), 0, math.mul(math.mul(constant(2), residual.get), gradScale.get))]);
    } else {
      const max = held(z(0));
      emit(body, [...max.code]);
      for (let c = 1; c < K; c++) emit(body, [...math.max(max.get, z(c)), ...set(max.local)]);
      const total = held(constant(0)), dot = held(constant(0));
      emit(body, [...total.code, ...dot.code]);
      for (let c = 0; c < K; c++) {
        emit(body, [...math.add(total.get, math.exp(math.sub(z(c), max.get))), ...set(total.local)]);
        emit(body, [...math.add(dot.get, math.mul(t(c), z(c))), ...set(dot.local)]);
      }
      const lse = held(math.add(max.get, laneCall('log', total.local)));
      emit(body, [...lse.code]);
      // Right where the label's logit (the dot) beats every other, a tie going to the first class, as argmax does.
      const ok = held([...constant(0), ...constant(0), ...op(lanes.eq)]);
      const before = held(constant(0));
      emit(body, [...ok.code, ...before.code]);
      for (let c = 0; c < K; c++) {
        const isLabel = [...t(c), ...constant(0.5), ...op(lanes.gt)];
        const beats = [...dot.get, ...z(c), ...op(lanes.gt)];
        const tiesAfter = [...dot.get, ...z(c), ...op(lanes.eq), ...before.get, ...constant(0.5), ...op(lanes.gt), ...simd(SIMD.and)];
        emit(body, [...ok.get, ...isLabel, ...beats, ...simd(SIMD.or), ...tiesAfter, ...simd(SIMD.or), ...simd(SIMD.and), ...set(ok.local)]);
        emit(body, [...math.add(before.get, t(c)), ...set(before.local)]);
      }
      emit(body, [...get(rightSum), ...indicator(ok.get), ...op(lanes.add), ...set(rightSum)]);
      emit(body, [...get(lossSum), ...weighted(math.sub(lse.get, dot.get)), ...op(lanes.add), ...set(lossSum)]);
      if (training) for (let c = 0; c < K; c++) emit(body, [...store(get(row), c, math.mul(math.sub(math.exp(math.sub(z(c), lse.get)), t(c)), gradScale.get))]);
    }
    return loop(b, rows, body);
  };
  emit(group, [...constant(0), ...set(lossSum), ...constant(0), ...set(rightSum), ...loss([...gbGet, ...i32(VEC * G.t), OP.i32Add], get(P_ROWS), true)]);

  // Backward, row by row: the gradient of each layer's parameters, then dL/dz of the layer below.
  const gradient = layout.grad;
  for (let l = L; l >= 0; l--) {
    const [I, O] = widths[l];
    const off = plan.offsets[l];
    const gradAt = (field: number) => i32(VEC * (gradient + off + field));
    // grad[i, j] = Σ_b h[b, i]·d[b, j], b ascending; d[b, :] held in `outputs`.
    emit(group, [...loop(k, i32((I + 1) * O), [...get(k), ...i32(VEC), OP.i32Mul, ...constant(0), ...vectorAccess(SIMD.store, VEC * (gradient + off))])]);
    const body: number[] = [
      ...(l === 0 ? rowAddress(row, [...gbGet, ...i32(VEC * G.x), OP.i32Add], b, I) : rowAddress(row, i32(VEC * layout.h[l]), b, I)),
      ...rowAddress(row2, i32(VEC * layout.d[l]), b, O),
    ];
    for (let j = 0; j < O; j++) emit(body, [...load(get(row2), j), ...set(outputs[j])]);
    // wRow: the byte offset of row i of the layer's parameters.
    const gradientRow = [...load([...get(row), ...get(i), ...i32(VEC), OP.i32Mul, OP.i32Add], 0), ...set(value), ...rowAddress(wRow, i32(0), i, O)];
    for (let j = 0; j < O; j++) {
      emit(gradientRow, [...get(wRow), ...load(get(wRow), gradient + off + j), ...get(value), ...get(outputs[j]), ...op(lanes.mul), ...op(lanes.add), ...vectorAccess(SIMD.store, VEC * (gradient + off + j))]);
    }
    emit(body, [...loop(i, i32(I), gradientRow)]);
    for (let j = 0; j < O; j++) emit(body, [...gradAt(I * O + j), ...load(gradAt(I * O + j), 0), ...get(outputs[j]), ...op(lanes.add), ...vectorAccess(SIMD.store, 0)]);
    if (l > 0) {
      // dL/dz below = (Σ_j d[b, j]·W[i, j]) · mask · f′(a, z); at: the byte offset of [b, i] below.
      const below = KERNEL_ACTIVATIONS[plan.activations[l - 1]];
      emit(body, [...rowAddress(n, i32(0), b, I)]);
      const delta = [...get(n), ...get(i), ...i32(VEC), OP.i32Mul, OP.i32Add, ...set(at), ...rowAddress(wRow, gbGet, i, O), ...constant(0), ...set(acc)];
      for (let j = 0; j < O; j++) emit(delta, [...get(acc), ...get(outputs[j]), ...load(get(wRow), stateField(off + j)), ...op(lanes.mul), ...op(lanes.add), ...set(acc)]);
      if (plan.dropout) emit(delta, [...get(acc), ...load([...get(at), ...gbGet, OP.i32Add], G.masks[l - 1]), ...op(lanes.mul), ...set(acc)]);
      const derivative = below.grad(math, load(get(at), layout.act[l - 1]), load(get(at), layout.z[l - 1]));
      emit(delta, [...store(get(at), layout.d[l - 1], math.mul(get(acc), derivative))]);
      emit(body, [...loop(i, i32(I), delta)]);
    }
    emit(group, [...loop(b, get(P_ROWS), body)]);
  }

  /** for each parameter k (row = its byte offset): body */
  const overParams = (from: number, to: number, body: number[]) => [
    ...i32(from), ...set(k),
    OP.block, VOID, OP.loop, VOID,
    ...get(k), ...i32(to), OP.i32GeS, OP.brIf, 1,
    ...get(k), ...i32(VEC), OP.i32Mul, ...set(row),
    ...body,
    ...get(k), ...i32(1), OP.i32Add, ...set(k), OP.br, 0,
    OP.end, OP.end,
  ];
  const gradHere = load(get(row), gradient);
  const setGrad = (v: number[]) => store(get(row), gradient, v);
  const stateHere = (field: number) => load([...get(row), ...gbGet, OP.i32Add], stateField(field));
  if (plan.penalties) {
    // l1·sign(w) + 2·l2·w on the kernels, not the biases.
    widths.forEach(([I, O], l) => {
      const w = stateHere(0);
      const sign = [...indicator([...w, ...constant(0), ...op(lanes.gt)]), ...indicator([...w, ...constant(0), ...op(lanes.lt)]), ...op(lanes.sub)];
      emit(group, [...overParams(plan.offsets[l], plan.offsets[l] + I * O, setGrad(math.add(gradHere, math.add(math.mul(get(l1), sign), math.mul(get(twoL2), w)))))]);
    });
  }
  if (plan.pruning) emit(group, [...overParams(0, plan.params, setGrad(math.mul(gradHere, load([...get(row), ...gbGet, OP.i32Add], G.keep))))]);
  if (plan.clipNorm > 0) {
    emit(group, [...constant(0), ...set(acc)]);
    emit(group, [...overParams(0, plan.params, [...math.add(get(acc), math.mul(gradHere, gradHere)), ...set(acc)])]);
    emit(group, [...math.min(constant(1), math.div(constant(plan.clipNorm), math.add(math.sqrt(get(acc)), constant(1e-6)))), ...set(value)]);
    emit(group, [...overParams(0, plan.params, setGrad(math.mul(gradHere, get(value))))]);
  }
  // The update rule on every parameter, its slots beside it in the record.
  const update: number[] = [...stateHere(0), ...set(reg(0)), ...gradHere, ...set(reg(1))];
  for (let q = 0; q < slots; q++) emit(update, [...stateHere(plan.params * (1 + q)), ...set(reg(2 + q))]);
  emit(update, [...ruleCode(rule, reg, lanes)]);
  const stateAddress = [...get(row), ...gbGet, OP.i32Add];
  emit(update, [...store(stateAddress, stateField(0), rounded(get(reg(rule.theta))))]);
  rule.nextSlots.forEach((register, q) => emit(update, [...store(stateAddress, stateField(plan.params * (1 + q)), rounded(get(reg(register))))]));
  emit(group, [...overParams(0, plan.params, update)]);
  // The epoch's sums: this batch's, added to those so far unless the epoch starts.
  const sums = (field: number, sum: number) =>
    store(gbGet, stateField(plan.sums + field), rounded([...get(sum), ...get(P_FRESH), OP.i32Eqz, OP.if, V128, ...load(gbGet, stateField(plan.sums + field)), OP.else, ...constant(0), OP.end, ...op(lanes.add)]));
  emit(group, [...sums(0, lossSum), ...sums(1, rightSum)]);

  /** In double lanes, a value rounded to float32 as the state stores it; in single lanes, itself. */
  function rounded(value: number[]): number[] {
    return lanes.scalar === F64 ? [...value, ...simd(SIMD.f32x4DemoteF64x2Zero), ...simd(SIMD.f64x2PromoteLowF32x4)] : value;
  }

  const overGroups = (body: number[]) => loop(g, get(P_GROUPS), [...get(g), ...i32(VEC * G.size), OP.i32Mul, ...i32(VEC * layout.scratch), OP.i32Add, ...set(gb), ...body]);
  emit(code, [...overGroups(group)]);

  // The evaluation: every row of the set at P_X (inputs) and P_T (targets), each held in every
  // lane, through the network B rows at a time; each group's loss and right predictions summed
  // into its results.
  const chunkBody = [
    ...get(P_ROWS), ...get(chunk), OP.i32Sub, ...set(chunkRows),
    ...get(chunkRows), ...i32(plan.batch), OP.i32GtS, OP.if, VOID, ...i32(plan.batch), ...set(chunkRows), OP.end,
    ...forward([...get(P_X), ...get(chunk), ...i32(VEC * F), OP.i32Mul, OP.i32Add], get(chunkRows), false),
    ...loss([...get(P_T), ...get(chunk), ...i32(VEC * TW), OP.i32Mul, OP.i32Add], get(chunkRows), false),
  ];
  const evaluate = overGroups([
    ...constant(0), ...set(lossSum), ...constant(0), ...set(rightSum),
    ...get(P_ROWS), ...i32(0), OP.i32GtS, OP.if, VOID,
    ...i32(0), ...set(chunk),
    OP.loop, VOID, ...chunkBody, ...get(chunk), ...i32(plan.batch), OP.i32Add, OP.localTee, ...unsigned(chunk), ...get(P_ROWS), OP.i32LtS, OP.brIf, 0, OP.end,
    OP.end,
    ...store(gbGet, G.results, get(lossSum)), ...store(gbGet, G.results + 1, get(rightSum)),
  ]);

  // The records between their layout [P, record] of float32 at byte address P_X and the lanes:
  // P_FRESH 0 writes member p's lane out to row p, 1 reads every lane in (a lane past the last
  // member, P_ROWS, reads its row). Each value a scalar load and store: a loop in JavaScript
  // had cost as much as the step while the engine had not yet optimized it.
  const V = lanes.count;
  const single = lanes.scalar !== F64;
  const laneAddress = [
    ...get(k), ...i32(V), OP.i32DivU, ...i32(VEC * G.size), OP.i32Mul,
    ...get(k), ...i32(V), OP.i32RemU, ...i32(lanes.bytes), OP.i32Mul, OP.i32Add,
    ...i32(VEC * (layout.scratch + G.state)), OP.i32Add, ...set(row),
  ];
  const rowAddress32 = [...get(k), ...get(P_ROWS), ...i32(1), OP.i32Sub, ...get(k), ...get(P_ROWS), OP.i32LtS, OP.select, ...i32(4 * plan.record), OP.i32Mul, ...get(P_X), OP.i32Add, ...set(row2)];
  const laneValue = single ? [...get(row), ...get(b), ...i32(VEC), OP.i32Mul, OP.i32Add, OP.f32Load, 2, 0] : [...get(row), ...get(b), ...i32(VEC), OP.i32Mul, OP.i32Add, OP.f64Load, 3, 0, OP.f32DemoteF64];
  const rowValue = [...get(row2), ...get(b), ...i32(4), OP.i32Mul, OP.i32Add, OP.f32Load, 2, 0, ...(single ? [] : [OP.f64PromoteF32])];
  const out = loop(b, i32(plan.record), [...get(row2), ...get(b), ...i32(4), OP.i32Mul, OP.i32Add, ...laneValue, OP.f32Store, 2, 0]);
  const into = loop(b, i32(plan.record), [...get(row), ...get(b), ...i32(VEC), OP.i32Mul, OP.i32Add, ...rowValue, ...(single ? [OP.f32Store, 2, 0] : [OP.f64Store, 3, 0])]);
  const transfer = [
    ...get(P_FRESH), OP.if, VOID,
    ...loop(k, [...get(P_GROUPS), ...i32(V), OP.i32Mul], [...laneAddress, ...rowAddress32, ...into]),
    OP.else,
    ...loop(k, get(P_ROWS), [...laneAddress, ...rowAddress32, ...out]),
    OP.end,
  ];

  // The step's batch, float32 at byte address P_X as the epoch lays it out ([P_FRESH members,
  // P_ROWS rows, …]: the inputs with their column of ones, the targets, each hidden layer's
  // dropout masks), into the lanes: member p's rows into lane p of its group, a lane past the
  // last member taking the last member's.
  /** One float32 at `from` + `offset` bytes into the lane at `to` + `field` registers. */
  const valueInto = (to: number[], field: number, from: number[], offset: number) => [
    ...to, ...from, OP.f32Load, 2, ...unsigned(4 * offset),
    ...(single ? [OP.f32Store, 2] : [OP.f64PromoteF32, OP.f64Store, 3]), ...unsigned(VEC * field),
  ];
  /** local ← address of row `index` (code, in rows of `width` values) of the part starting `before` values after P_X. */
  const sourceRow = (target: number, before: number[], index: number[], width: number) => [
    ...get(P_X), ...before, ...i32(4), OP.i32Mul, OP.i32Add, ...index, ...i32(4 * width), OP.i32Mul, OP.i32Add, ...set(target),
  ];
  /** Row b of member p (local chunk), in rows of one member after another. */
  const memberRow = [...get(chunk), ...get(P_ROWS), OP.i32Mul, ...get(b), OP.i32Add];
  /** Each row's first `inLanes` values (of `width`) into the lanes from register `field` on, a row after another. */
  const batchRows = (before: number[], width: number, field: number, inLanes: number) => {
    const copy = [...sourceRow(row, before, memberRow, width), ...get(b), ...i32(VEC * inLanes), OP.i32Mul, ...get(wRow), OP.i32Add, ...set(row2)];
    for (let c = 0; c < inLanes; c++) emit(copy, valueInto(get(row2), field + c, get(row), c));
    return loop(b, get(P_ROWS), copy);
  };
  const gatherSlot = [
    ...get(k), ...get(P_FRESH), ...i32(1), OP.i32Sub, ...get(k), ...get(P_FRESH), OP.i32LtS, OP.select, ...set(chunk),
    ...get(k), ...i32(V), OP.i32DivU, ...i32(VEC * G.size), OP.i32Mul,
    ...get(k), ...i32(V), OP.i32RemU, ...i32(lanes.bytes), OP.i32Mul, OP.i32Add, ...i32(VEC * layout.scratch), OP.i32Add, ...set(wRow),
    ...batchRows(i32(0), F + 1, G.x, F),
    ...batchRows([...get(n), ...i32(F + 1), OP.i32Mul], TW, G.t, TW),
  ];
  if (plan.dropout) {
    let before = F + 1 + TW;
    widths.slice(0, L).forEach(([, units], l) => {
      // Member p's masks [rows, units] as one row of rows·units values.
      const from = [...get(P_X), ...get(n), ...i32(4 * before), OP.i32Mul, OP.i32Add, ...get(chunk), ...get(P_ROWS), OP.i32Mul, ...i32(4 * units), OP.i32Mul, OP.i32Add, ...set(row)];
      const copy = [...get(i), ...i32(VEC), OP.i32Mul, ...get(wRow), OP.i32Add, ...get(row), ...get(i), ...i32(4), OP.i32Mul, OP.i32Add, OP.f32Load, 2, 0,
        ...(single ? [OP.f32Store, 2] : [OP.f64PromoteF32, OP.f64Store, 3]), ...unsigned(VEC * G.masks[l])];
      emit(gatherSlot, [...from, ...get(P_ROWS), ...i32(units), OP.i32Mul, ...set(at), ...loop(i, get(at), copy)]);
      before += units;
    });
  }
  const gather = [...get(P_FRESH), ...get(P_ROWS), OP.i32Mul, ...set(n), ...loop(k, [...get(P_GROUPS), ...i32(V), OP.i32Mul], gatherSlot)];

  const splats = [...constants].flatMap(([x, local]) => [...splatConstant(lanes, x), ...set(local)]);
  const body = (instructions: number[]) => functionBody([[i32Count, I32], [vectors, V128]], instructions);
  const types = [functionType([F64], [F64]), functionType(Array(PARAMS).fill(I32), [])];
  return moduleBytes(types, IMPORTED.map((f) => [f, 0]), [
    ['step', 1, body([...splats, ...code])], ['evaluate', 1, body([...splats, ...evaluate])], ['transfer', 1, body(transfer)], ['gather', 1, body(gather)],
  ]);
}
