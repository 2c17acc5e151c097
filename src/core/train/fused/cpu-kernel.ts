import { HYPER_COLUMNS, RULE_HYPER_SOURCES, stepTargetWidth, type FusedPlan, type StepWindow } from './plan';
import type { DistillOptions } from '../../compress/distill';
import { hyperRegister, runRule, RULE_HYPERS } from '../../optim/compiled-rule';
import { KERNEL_ACTIVATIONS, NUMBER_MATH } from './scalar-math';
import { ACTIVATION_BITS } from '../../compress/model';
import { fakeQuantized, levelRange, observerParams } from '../../compress/quantize';

/** The arrays of one fused step: the state and the epoch's layout as the Trainer keeps them. */
export interface StepArrays {
  /** [P, width]: each member's record first (see FusedPlan), then room the kernel may use. */
  state: Float32Array;
  width: number;
  /** The epoch's inputs with a column of ones and its encoded targets, batch after batch, each [P, rows, …]. */
  x: Float32Array;
  t: Float32Array;
  /** [P, HYPER_COLUMNS] and [P, 2]: 1 − β1^t and 1 − β2^t. */
  hypers: Float32Array;
  corrections: Float32Array;
  /** Each hidden layer's keep masks [P, rows, units], one after another; null without dropout. */
  masks: Float32Array | null;
  /** Each member's weight masks [P, params] when the plan prunes; null otherwise. */
  keep: Float32Array | null;
}

/** A member's working values: each layer's input, pre-activation, activation and dL/dz, [B, width], the gradient, the rule's registers. */
interface Scratch {
  h: Float64Array[];
  z: Float64Array[];
  act: Float64Array[];
  d: Float64Array[];
  grad: Float64Array;
  r: Float64Array;
  /** The parameters the passes compute with: the kernels fake-quantized (quantization-aware training). */
  wq: Float64Array;
}

/** Scratch by plan, made at a population's first step: a step is ~100 µs for one member, and making these took half of it. */
const scratches = new WeakMap<FusedPlan, Scratch>();

function scratchOf(plan: FusedPlan): Scratch {
  let scratch = scratches.get(plan);
  if (!scratch) {
    const B = plan.batch;
    const per = (pick: (w: [number, number]) => number) => plan.widths.map((w) => new Float64Array(B * pick(w)));
    scratch = {
      h: per(([i]) => i), z: per(([, o]) => o), act: per(([, o]) => o), d: per(([, o]) => o),
      grad: new Float64Array(plan.params), r: new Float64Array(plan.rule.registers), wq: new Float64Array(plan.quantization ? plan.params : 0),
    };
    scratches.set(plan, scratch);
  }
  return scratch;
}

/** Whether the last point {@link pointLoss} scored was predicted right (1) or not (0). */
const point = { right: 0 };

/**
 * The loss of one point from its logits `z[at…at + K)` and encoded targets `t[tAt…]` (see
 * encodeTargets), as pointLosses computes it, with whether it is right in {@link point}; with
 * `scale` > 0 the logits are overwritten with scale·dL/dz.
 */
function pointLoss(kind: FusedPlan['kind'], K: number, z: Float64Array, at: number, t: Float32Array, tAt: number, scale: number): number {
  if (kind === 'binary') {
    const u = t[tAt];
    const q = z[at] * u;
    point.right = q < 0 ? 1 : 0;
    if (scale > 0) z[at] = u * (1 / (1 + Math.exp(-q))) * scale;
    return Math.max(q, 0) + Math.log1p(Math.exp(-Math.abs(q)));
  }
  if (kind === 'regression') {
    const residual = z[at] - t[tAt];
    point.right = 0;
    if (scale > 0) z[at] = 2 * residual * scale;
    return residual * residual;
  }
  let top = 0, label = 0;
  for (let k = 1; k < K; k++) {
    if (z[at + k] > z[at + top]) top = k;
    if (t[tAt + k] > t[tAt + label]) label = k;
  }
  const max = z[at + top];
  let total = 0, dot = 0;
  for (let k = 0; k < K; k++) {
    total += Math.exp(z[at + k] - max);
    dot += t[tAt + k] * z[at + k];
  }
  const lse = max + Math.log(total);
  point.right = top === label ? 1 : 0;
  if (scale > 0) for (let k = 0; k < K; k++) z[at + k] = (Math.exp(z[at + k] - lse) - t[tAt + k]) * scale;
  return lse - dot;
}

/**
 * Writes into `out` a member's parameters (from `state[base…]`) with every kernel
 * fake-quantized as the plan says, per tensor or per neuron (column), biases as they are.
 */
function fakeQuantizeParams(plan: FusedPlan, state: Float32Array, base: number, out: Float64Array): void {
  const q = plan.quantization!;
  const [qmin, qmax] = levelRange(q.bits, q.symmetric);
  const low = new Float64Array(Math.max(...plan.widths.map(([, o]) => o)));
  const high = new Float64Array(low.length);
  plan.widths.forEach(([I, O], l) => {
    const off = plan.offsets[l];
    low.fill(0);
    high.fill(0);
    for (let k = 0; k < I * O; k++) {
      const j = q.perNeuron ? k % O : 0;
      const v = state[base + off + k];
      if (v < low[j]) low[j] = v;
      if (v > high[j]) high[j] = v;
    }
    const params = Array.from({ length: q.perNeuron ? O : 1 }, (_, j) => {
      const [scale, zero] = observerParams(low[j], high[j], qmin, qmax, q.symmetric);
      return [scale, Math.fround(1 / scale), zero];
    });
    for (let k = 0; k < I * O; k++) {
      const [scale, inverse, zero] = params[q.perNeuron ? k % O : 0];
      out[off + k] = fakeQuantized(state[base + off + k], scale, inverse, zero, qmin, qmax);
    }
    for (let k = I * O; k < (I + 1) * O; k++) out[off + k] = state[base + off + k];
  });
}

/**
 * The distillation loss of one point from its logits `z[at…at + K)` and target row
 * `t[tAt…]` = [p_T, y] (see FusedPlan.distill), with whether it is right in {@link point};
 * the logits are overwritten with scale·dL/dz.
 */
function distillPointLoss(K: number, z: Float64Array, at: number, t: Float32Array, tAt: number, scale: number, { temperature: T, alpha }: DistillOptions): number {
  let top = 0, label = 0;
  for (let k = 1; k < K; k++) {
    if (z[at + k] > z[at + top]) top = k;
    if (t[tAt + K + k] > t[tAt + K + label]) label = k;
  }
  const max = z[at + top];
  let total = 0, totalT = 0, dot = 0;
  for (let k = 0; k < K; k++) {
    total += Math.exp(z[at + k] - max);
    totalT += Math.exp((z[at + k] - max) / T);
    dot += t[tAt + K + k] * z[at + k];
  }
  const lse = max + Math.log(total);
  const lseT = max / T + Math.log(totalT);
  let kl = 0;
  for (let k = 0; k < K; k++) {
    const p = t[tAt + k];
    if (p > 0) kl += p * (Math.log(p) - (z[at + k] / T - lseT));
  }
  point.right = top === label ? 1 : 0;
  for (let k = 0; k < K; k++) {
    const soft = Math.exp(z[at + k] / T - lseT) - t[tAt + k];
    const hard = Math.exp(z[at + k] - lse) - t[tAt + K + k];
    z[at + k] = (alpha * T * soft + (1 - alpha) * hard) * scale;
  }
  return alpha * T * T * kl + (1 - alpha) * (lse - dot);
}

/** The class of an encoded target (see encodeTargets): −1 codes class 1 of two, the one-hot's 1 the class of K. */
function targetClass(kind: FusedPlan['kind'], K: number, t: Float32Array, tAt: number): number {
  if (kind === 'binary') return t[tAt] < 0 ? 1 : 0;
  let label = 0;
  for (let k = 1; k < K; k++) if (t[tAt + k] > t[tAt + label]) label = k;
  return label;
}

const column = (name: (typeof HYPER_COLUMNS)[number]) => HYPER_COLUMNS.indexOf(name);

/**
 * One fused training step on the cpu, in plain JavaScript over the backend's arrays: for each
 * member, the forward pass, the loss and its gradient, the backward pass, the L1/L2 terms,
 * clipping and the update rule, the same computation as the Trainer's batched tensor
 * operations in double precision, stored in float32. Returns the new state. The cpu backend
 * runs it where the WebAssembly step does not fit the plan (`wasmStepFits`: quantization-aware
 * training, distillation); it is also the reference that step is held to.
 */
export function cpuFusedStep(plan: FusedPlan, a: StepArrays, w: StepWindow): Float32Array {
  const { widths, rule } = plan;
  const P = plan.members;
  const L = widths.length - 1;
  const rows = w.rows;
  const out = a.state.slice();
  const { h, z, act, d, grad, r, wq } = scratchOf(plan);
  const [amin, amax] = levelRange(ACTIVATION_BITS, false);
  const slots = rule.slots.length;
  const [F] = widths[0];
  const K = widths[L][1];
  const targetWidth = stepTargetWidth(plan);
  const scale = 1 / rows;
  let maskBase = 0;
  const maskOffsets = widths.slice(0, L).map(([, units]) => ((maskBase += P * rows * units), maskBase - P * rows * units));
  for (let p = 0; p < P; p++) {
    const base = p * a.width;
    const s = a.state;
    // The passes compute with the fake-quantized parameters; the update applies to the float ones.
    if (plan.quantization) fakeQuantizeParams(plan, s, base, wq);
    const ws = plan.quantization ? wq : s;
    const wBase = plan.quantization ? 0 : base;
    const rowBase = P * w.start + p * rows;
    for (let b = 0; b < rows; b++) for (let i = 0; i < F; i++) h[0][b * F + i] = a.x[(rowBase + b) * (F + 1) + i];
    for (let l = 0; l <= L; l++) {
      const [I, O] = widths[l];
      const off = wBase + plan.offsets[l];
      const input = h[l];
      // Hidden layers keep z for the backward pass; the output layer's logits go where dL/dz will.
      const zl = l < L ? z[l] : d[l];
      // Every inner loop runs over contiguous memory: z[b, :] += h[b, i]·W[i, :].
      for (let b = 0; b < rows; b++) {
        for (let j = 0; j < O; j++) zl[b * O + j] = ws[off + I * O + j];
        for (let i = 0; i < I; i++) {
          const v = input[b * I + i];
          const w = off + i * O;
          for (let j = 0; j < O; j++) zl[b * O + j] += v * ws[w + j];
        }
      }
      if (l === L) break;
      const f = KERNEL_ACTIVATIONS[plan.activations[l]].f;
      const al = act[l], next = h[l + 1];
      const mask = a.masks ? maskOffsets[l] + p * rows * O : -1;
      for (let k = 0; k < rows * O; k++) al[k] = f(NUMBER_MATH, zl[k]);
      if (plan.quantization?.activations) {
        // The observer's range so far, widened by this batch (as torch's MinMaxObserver), then
        // the activations fake-quantized on it; the backward pass goes straight through.
        const at = base + plan.observers + 2 * l;
        let low = s[at], high = s[at + 1];
        for (let k = 0; k < rows * O; k++) {
          low = Math.min(low, Math.fround(al[k]));
          high = Math.max(high, Math.fround(al[k]));
        }
        out[at] = low;
        out[at + 1] = high;
        const [scale, zero] = observerParams(low, high, amin, amax, false);
        const inverse = Math.fround(1 / scale);
        for (let k = 0; k < rows * O; k++) next[k] = fakeQuantized(al[k], scale, inverse, zero, amin, amax);
      } else {
        next.set(al.subarray(0, rows * O));
      }
      if (mask >= 0) for (let k = 0; k < rows * O; k++) next[k] *= a.masks![mask + k];
    }
    let lossSum = 0, correctSum = 0;
    for (let b = 0; b < rows; b++) {
      const tAt = (rowBase + b) * targetWidth;
      const weight = plan.classWeights ? plan.classWeights[targetClass(plan.kind, K, a.t, tAt)] : 1;
      lossSum += plan.distill
        ? distillPointLoss(K, d[L], b * K, a.t, tAt, scale, plan.distill)
        : weight * pointLoss(plan.kind, K, d[L], b * K, a.t, tAt, scale * weight);
      correctSum += point.right;
    }
    for (let l = L; l >= 0; l--) {
      const [I, O] = widths[l];
      const off = wBase + plan.offsets[l];
      const g = plan.offsets[l];
      const input = h[l], dl = d[l];
      grad.fill(0, g, g + (I + 1) * O);
      for (let b = 0; b < rows; b++) {
        for (let i = 0; i < I; i++) {
          const v = input[b * I + i];
          const row = g + i * O;
          for (let j = 0; j < O; j++) grad[row + j] += v * dl[b * O + j];
        }
        for (let j = 0; j < O; j++) grad[g + I * O + j] += dl[b * O + j];
      }
      if (l === 0) break;
      const below = KERNEL_ACTIVATIONS[plan.activations[l - 1]].grad;
      const mask = a.masks ? maskOffsets[l - 1] + p * rows * I : -1;
      const al = act[l - 1], zl = z[l - 1], down = d[l - 1];
      for (let b = 0; b < rows; b++) {
        for (let i = 0; i < I; i++) {
          let dh = 0;
          const w = off + i * O;
          for (let j = 0; j < O; j++) dh += dl[b * O + j] * ws[w + j];
          const k = b * I + i;
          if (mask >= 0) dh *= a.masks![mask + k];
          down[k] = dh * below(NUMBER_MATH, al[k], zl[k]);
        }
      }
    }
    const hy = p * HYPER_COLUMNS.length;
    if (plan.penalties) {
      const l1 = a.hypers[hy + column('l1')], twoL2 = a.hypers[hy + column('twoL2')];
      widths.forEach(([I, O], l) => {
        for (let k = plan.offsets[l]; k < plan.offsets[l] + I * O; k++) {
          const v = s[base + k];
          grad[k] += l1 * Math.sign(v) + twoL2 * v;
        }
      });
    }
    if (a.keep) for (let k = 0; k < plan.params; k++) grad[k] *= a.keep[p * plan.params + k];
    if (plan.clipNorm > 0) {
      let squares = 0;
      for (let k = 0; k < plan.params; k++) squares += grad[k] * grad[k];
      const factor = Math.min(1, plan.clipNorm / (Math.sqrt(squares) + 1e-6));
      for (let k = 0; k < plan.params; k++) grad[k] *= factor;
    }
    RULE_HYPER_SOURCES.forEach((source, k) => {
      const at = 'table' in source ? a.hypers[hy + source.table] : a.corrections[p * 2 + source.correction];
      r[hyperRegister(slots, RULE_HYPERS[k])] = RULE_HYPERS[k] === 'lr' ? at * w.lrFactor : at;
    });
    for (let k = 0; k < plan.params; k++) {
      r[0] = s[base + k];
      r[1] = grad[k];
      for (let q = 0; q < slots; q++) r[2 + q] = s[base + plan.params * (1 + q) + k];
      runRule(rule, r);
      out[base + k] = r[rule.theta];
      for (let q = 0; q < slots; q++) out[base + plan.params * (1 + q) + k] = r[rule.nextSlots[q]];
    }
    out[base + plan.sums] = (w.fresh ? 0 : s[base + plan.sums]) + lossSum;
    out[base + plan.sums + 1] = (w.fresh ? 0 : s[base + plan.sums + 1]) + correctSum;
  }
  return out;
}

/**
 * Every member's epoch sums and its validation loss and right predictions summed over the `n`
 * rows of `x` (with a column of ones) and their encoded targets `t`, as [P, 4]: train loss,
 * train right, validation loss, validation right. One row at a time through the network. As
 * {@link cpuFusedStep}, run where the WebAssembly evaluation does not fit.
 */
export function cpuFusedEvaluate(plan: FusedPlan, state: Float32Array, width: number, x: Float32Array, t: Float32Array, n: number): Float32Array {
  const { widths } = plan;
  const L = widths.length - 1;
  const K = widths[L][1];
  const targetWidth = plan.kind === 'multiclass' ? K : 1;
  const largest = Math.max(...widths.flat());
  let input = new Float64Array(largest);
  let output = new Float64Array(largest);
  const out = new Float32Array(plan.members * 4);
  for (let p = 0; p < plan.members; p++) {
    const base = p * width;
    let lossSum = 0, rightSum = 0;
    for (let row = 0; row < n; row++) {
      for (let i = 0; i < widths[0][0]; i++) input[i] = x[row * (widths[0][0] + 1) + i];
      for (let l = 0; l <= L; l++) {
        const [I, O] = widths[l];
        const off = base + plan.offsets[l];
        // Inner loops over contiguous weights, output[:] += input[i]·W[i, :]: the same sums in
        // the same order as one output at a time, twice as fast over a row-major W.
        for (let j = 0; j < O; j++) output[j] = state[off + I * O + j];
        for (let i = 0; i < I; i++) {
          const v = input[i];
          const w = off + i * O;
          for (let j = 0; j < O; j++) output[j] += v * state[w + j];
        }
        if (l < L) {
          const f = KERNEL_ACTIVATIONS[plan.activations[l]].f;
          for (let j = 0; j < O; j++) output[j] = f(NUMBER_MATH, output[j]);
        }
        [input, output] = [output, input];
      }
      lossSum += pointLoss(plan.kind, K, input, 0, t, row * targetWidth, 0);
      rightSum += point.right;
    }
    out.set([state[base + plan.sums], state[base + plan.sums + 1], lossSum, rightSum], p * 4);
  }
  return out;
}
