import { RULE_OPS, type CompiledRule } from '../optim/compiled-rule';

/**
 * The few pieces of the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/)
 * that the compiled code needs (the lab's surfaces, the fused training step on the cpu):
 * numbers, names, sections, the opcodes they use, and SIMD lanes of either width.
 * Code is built as bytes and handed to `WebAssembly.Module`; no text is ever run.
 */

/** Opcodes used by the emitted functions. */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, call: 0x10,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, f64Const: 0x44,
  i32Eqz: 0x45, i32Eq: 0x46, i32GeS: 0x4e, f64Eq: 0x61, f64Lt: 0x63, f64Gt: 0x64,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32LtS: 0x48, i32GtS: 0x4a, i32DivU: 0x6e, i32RemU: 0x70, select: 0x1b,
  f32Load: 0x2a, f32Store: 0x38, f64Load: 0x2b, f64Store: 0x39,
  f32Const: 0x43, f32DemoteF64: 0xb6, f64PromoteF32: 0xbb,
  f64Abs: 0x99, f64Neg: 0x9a, f64Sqrt: 0x9f, f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2, f64Div: 0xa3, f64Min: 0xa4, f64Max: 0xa5,
  f32ConvertI32S: 0xb2, f64ConvertI32S: 0xb7,
  /** The prefix of the SIMD operations in {@link SIMD}. */
  simd: 0xfd,
} as const;

/** SIMD operations (after {@link OP.simd}, as an unsigned LEB128 number): on two f64 lanes unless named otherwise. */
export const SIMD = {
  load: 0x00, store: 0x0b, splat: 0x14, extractLane: 0x21, replaceLane: 0x22,
  lt: 0x49, gt: 0x4a, and: 0x4e, or: 0x50, bitselect: 0x52,
  f32x4DemoteF64x2Zero: 0x5e, f64x2PromoteLowF32x4: 0x5f,
  abs: 0xec, neg: 0xed, sqrt: 0xef, add: 0xf0, sub: 0xf1, mul: 0xf2, div: 0xf3, min: 0xf4, max: 0xf5,
} as const;

/** A SIMD instruction and its lane, if it takes one. */
export function simd(op: number, lane?: number): number[] {
  return [OP.simd, ...unsigned(op), ...(lane === undefined ? [] : [lane])];
}

/** v128.load or v128.store at the address on the stack plus `offset` bytes (16-byte aligned). */
export function vectorAccess(op: typeof SIMD.load | typeof SIMD.store, offset: number): number[] {
  return [OP.simd, ...unsigned(op), 4, ...unsigned(offset)];
}

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const F32 = 0x7d;
export const V128 = 0x7b;
/** The block type of a block that yields nothing. */
export const VOID = 0x40;

/** An unsigned LEB128 number. */
export function unsigned(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** A signed LEB128 number (for i32.const). */
export function signed(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** f64.const x. */
export function f64Const(x: number): number[] {
  const bytes = new Uint8Array(new Float64Array([x]).buffer);
  return [OP.f64Const, ...bytes];
}

/** A vector: its length, then its items. */
export function vector(items: number[][]): number[] {
  return [...unsigned(items.length), ...items.flat()];
}

/** A name: its UTF-8 bytes as a vector. */
export function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...unsigned(bytes.length), ...bytes];
}

/** A section: its id, its size, its content. */
export function section(id: number, content: number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}

/** A function type (params) → (results). */
export function functionType(params: number[], results: number[]): number[] {
  return [0x60, ...vector(params.map((t) => [t])), ...vector(results.map((t) => [t]))];
}

/** f64.load or f64.store at the address on the stack plus `offset` bytes (8-byte aligned). */
export function memoryAccess(op: typeof OP.f64Load | typeof OP.f64Store, offset: number): number[] {
  return [op, 3, ...unsigned(offset)];
}

/**
 * One kind of SIMD register: two f64 lanes or four f32 lanes, and the SIMD operation of each
 * lane-wise arithmetic and comparison on it (after {@link OP.simd}).
 */
export interface Lanes {
  name: 'f64x2' | 'f32x4';
  /** Lanes in a register, and bytes of one lane. */
  count: 2 | 4;
  bytes: 4 | 8;
  /** The scalar type of a lane. */
  scalar: typeof F64 | typeof F32;
  splat: number; extractLane: number; replaceLane: number;
  add: number; sub: number; mul: number; div: number; min: number; max: number; sqrt: number; abs: number; neg: number;
  eq: number; lt: number; gt: number;
  /** b < a ? b : a and a < b ? b : a: one instruction each on x86, where min and max (NaN and −0 as IEEE asks) take several. */
  pmin: number; pmax: number;
  /** On the lanes' bits as integers of their width: shift left by an i32, add. */
  shl: number; intAdd: number;
}

/** Two f64 lanes. */
export const F64X2: Lanes = {
  name: 'f64x2', count: 2, bytes: 8, scalar: F64, splat: 0x14, extractLane: 0x21, replaceLane: 0x22,
  add: 0xf0, sub: 0xf1, mul: 0xf2, div: 0xf3, min: 0xf4, max: 0xf5, sqrt: 0xef, abs: 0xec, neg: 0xed, eq: 0x47, lt: 0x49, gt: 0x4a,
  pmin: 0xf6, pmax: 0xf7, shl: 0xcb, intAdd: 0xce,
};

/** Four f32 lanes. */
export const F32X4: Lanes = {
  name: 'f32x4', count: 4, bytes: 4, scalar: F32, splat: 0x13, extractLane: 0x1f, replaceLane: 0x20,
  add: 0xe4, sub: 0xe5, mul: 0xe6, div: 0xe7, min: 0xe8, max: 0xe9, sqrt: 0xe3, abs: 0xe0, neg: 0xe1, eq: 0x41, lt: 0x43, gt: 0x44,
  pmin: 0xea, pmax: 0xeb, shl: 0xab, intAdd: 0xae,
};

/** A constant in every lane. */
export function splatConstant(lanes: Lanes, x: number): number[] {
  const scalar = lanes.scalar === F64 ? f64Const(x) : [OP.f32Const, ...new Uint8Array(new Float32Array([x]).buffer)];
  return [...scalar, ...simd(lanes.splat)];
}

/**
 * A compiled update rule (see `compileRule`) as lane-wise SIMD code: every instruction reads its
 * registers' locals and writes its result's, `local(k)` being the local of register k. The
 * inputs are set first; the new θ and slots are left in their registers' locals.
 */
export function ruleCode(rule: CompiledRule, local: (register: number) => number, lanes: Lanes): number[] {
  const get = (register: number) => [OP.localGet, ...unsigned(local(register))];
  const out: number[] = [];
  const symbols = [lanes.add, lanes.sub, lanes.mul, lanes.div];
  for (let k = 0; k < rule.code.length; k += 4) {
    const [op, a, b, o] = rule.code.subarray(k, k + 4);
    const name = RULE_OPS[op];
    if (op < 4) out.push(...get(a), ...get(b), ...simd(symbols[op]));
    else if (name === 'sqrt') out.push(...get(a), ...simd(lanes.sqrt));
    else out.push(...get(a), ...get(a), ...simd(lanes.mul));
    out.push(OP.localSet, ...unsigned(local(o)));
  }
  return out;
}

/** A function's body: its locals (runs of [count, type]), its instructions, the closing `end`, sized. */
export function functionBody(locals: [number, number][], instructions: number[]): number[] {
  const content = [...vector(locals.map(([count, type]) => [...unsigned(count), type])), ...instructions, OP.end];
  return [...unsigned(content.length), ...content];
}

/**
 * A whole module with one exported memory ("memory", one page to start): its function types,
 * the functions it imports from module "m" (name and type index), and the functions it
 * defines and exports (name, type index, {@link functionBody}), indexed after the imports.
 */
export function moduleBytes(types: number[][], imports: [string, number][], functions: [string, number, number[]][]): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector(imports.map(([f, type]) => [...name('m'), ...name(f), 0x00, type]))),
    ...section(3, vector(functions.map(([, type]) => [type]))),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector([[...name('memory'), 0x02, 0], ...functions.map(([f], k) => [...name(f), 0x00, imports.length + k])])),
    ...section(10, vector(functions.map(([, , body]) => body))),
  ]);
}

