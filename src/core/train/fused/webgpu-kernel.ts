import { hyperRegister, RULE_HYPERS, RULE_OPS } from '../../optim/compiled-rule';
import { HYPER_COLUMNS, type FusedPlan } from './plan';
import { KERNEL_ACTIVATIONS, WGSL_MATH, wgslFloat } from './scalar-math';

/** Threads of the workgroup that trains one member. */
const THREADS = 64;

/**
 * Where a member's working values sit after its record, in the state's row: each hidden
 * layer's pre-activations and activations [B, units], each layer's dL/dz [B, out], and the
 * gradient of every parameter. The kernel writes them into its output before reading them.
 */
export function scratchLayout(plan: FusedPlan) {
  const B = plan.batch;
  let size = 0;
  const take = (n: number) => ((size += n), size - n);
  const z = plan.activations.map((_, l) => take(B * plan.widths[l][1]));
  const a = plan.activations.map((_, l) => take(B * plan.widths[l][1]));
  const d = plan.widths.map(([, o]) => take(B * o));
  const grad = take(plan.params);
  return { z, a, d, grad, size };
}

/** The state's row width on WebGPU: the record, then the scratch. */
export function webgpuWidth(plan: FusedPlan): number {
  return plan.record + scratchLayout(plan).size;
}

/** The program's inputs, in binding order. */
export function webgpuInputs(plan: FusedPlan): string[] {
  return ['S', 'X', 'T', 'H', 'C', ...(plan.dropout ? ['M'] : [])];
}

/** The uniforms the step passes, in this order: the batch's first row, its rows, fresh sums, the schedule's factor. */
export const STEP_UNIFORMS = 'start : i32, rows : i32, fresh : i32, lrFactor : f32,';

/**
 * The WGSL of one fused training step, one workgroup per member: the same computation as
 * `cpuFusedStep`, its loops shared among the workgroup's threads, with a barrier between the
 * layers. The update rule is the Optimizer's own, compiled, printed as statements.
 */
export function fusedStepShader(plan: FusedPlan): string {
  const { widths, rule } = plan;
  const L = widths.length - 1;
  const K = widths[L][1];
  const F1 = widths[0][0] + 1;
  const sc = scratchLayout(plan);
  const slots = rule.slots.length;
  const barrier = 'storageBarrier(); workgroupBarrier();';
  const hidden = (l: number) => `result[scr + ${sc.a[l]} + b * ${widths[l][1]} + i]${plan.dropout ? ` * M[${maskBase(plan, l)} + (p * rows + b) * ${widths[l][1]} + i]` : ''}`;
  const input = (l: number) => (l === 0 ? `X[(xRow + b) * ${F1} + i]` : hidden(l - 1));
  const lines: string[] = [];
  widths.forEach(([I, O], l) => {
    const off = `base + ${plan.offsets[l]}`;
    const store =
      l < L
        ? `result[scr + ${sc.z[l]} + k] = sum;\n      result[scr + ${sc.a[l]} + k] = ${KERNEL_ACTIVATIONS[plan.activations[l]].f(WGSL_MATH, 'sum')};`
        : `result[scr + ${sc.d[l]} + k] = sum;`;
    lines.push(`
    for (var k = tid; k < rows * ${O}; k += ${THREADS}) {
      let b = k / ${O};
      let j = k % ${O};
      var sum = S[${off} + ${I * O} + j];
      for (var i = 0; i < ${I}; i++) { sum += ${input(l)} * S[${off} + i * ${O} + j]; }
      ${store}
    }
    ${barrier}`);
  });
  lines.push(lossCode(plan, sc.d[L], K));
  for (let l = L; l >= 0; l--) {
    const [I, O] = widths[l];
    lines.push(`
    for (var k = tid; k < ${(I + 1) * O}; k += ${THREADS}) {
      let i = k / ${O};
      let j = k % ${O};
      var g = 0.0f;
      if (i < ${I}) {
        for (var b = 0; b < rows; b++) { g += ${input(l)} * result[scr + ${sc.d[l]} + b * ${O} + j]; }
      } else {
        for (var b = 0; b < rows; b++) { g += result[scr + ${sc.d[l]} + b * ${O} + j]; }
      }
      result[scr + ${sc.grad + plan.offsets[l]} + k] = g;
    }`);
    if (l > 0) {
      const below = KERNEL_ACTIVATIONS[plan.activations[l - 1]].grad(WGSL_MATH, 'a', 'z');
      const mask = plan.dropout ? ` * M[${maskBase(plan, l - 1)} + (p * rows + b) * ${I} + i]` : '';
      lines.push(`
    for (var k = tid; k < rows * ${I}; k += ${THREADS}) {
      let b = k / ${I};
      let i = k % ${I};
      var dh = 0.0f;
      for (var j = 0; j < ${O}; j++) { dh += result[scr + ${sc.d[l]} + b * ${O} + j] * S[base + ${plan.offsets[l]} + i * ${O} + j]; }
      let a = result[scr + ${sc.a[l - 1]} + k];
      let z = result[scr + ${sc.z[l - 1]} + k];
      result[scr + ${sc.d[l - 1]} + k] = dh${mask} * ${below};
    }`);
    }
    lines.push(`    ${barrier}`);
  }
  const hy = (name: (typeof HYPER_COLUMNS)[number]) => `H[p * ${HYPER_COLUMNS.length} + ${HYPER_COLUMNS.indexOf(name)}]`;
  const isWeight = widths.map(([I, O], l) => `(k >= ${plan.offsets[l]} && k < ${plan.offsets[l] + I * O})`).join(' || ');
  const penalty = plan.penalties
    ? `if (${isWeight}) { let v = S[base + k]; g += ${hy('l1')} * sign(v) + ${hy('twoL2')} * v; }`
    : '';
  lines.push(`
    var squares = 0.0f;
    for (var k = tid; k < ${plan.params}; k += ${THREADS}) {
      var g = result[scr + ${sc.grad} + k];
      ${penalty}
      result[scr + ${sc.grad} + k] = g;
      squares += g * g;
    }
    clip[tid] = squares;
    ${barrier}
    var factor = 1.0f;
    ${plan.clipNorm > 0 ? `var total = 0.0f;
    for (var q = 0; q < ${THREADS}; q++) { total += clip[q]; }
    factor = min(1.0f, ${wgslFloat(plan.clipNorm)} / (sqrt(total) + 1e-6f));` : ''}`);
  const registers = RULE_HYPERS.map((name, k) => {
    const value = name === 'biasCorrection1' || name === 'biasCorrection2' ? `C[p * 2 + ${k - RULE_HYPERS.indexOf('biasCorrection1')}]` : hy(name);
    return `let r${hyperRegister(slots, name)} = ${value}${name === 'lr' ? ' * uniforms.lrFactor' : ''};`;
  });
  const symbols = ['+', '-', '*', '/'];
  const code: string[] = [];
  for (let k = 0; k < rule.code.length; k += 4) {
    const [op, a, b, out] = rule.code.subarray(k, k + 4);
    const name = RULE_OPS[op];
    const expr = op < 4 ? `r${a} ${symbols[op]} r${b}` : name === 'sqrt' ? `sqrt(r${a})` : `r${a} * r${a}`;
    code.push(`let r${out} = ${expr};`);
  }
  lines.push(`
    ${registers.join('\n    ')}
    for (var k = tid; k < ${plan.params}; k += ${THREADS}) {
      let r0 = S[base + k];
      let r1 = result[scr + ${sc.grad} + k] * factor;
      ${rule.slots.map((_, q) => `let r${2 + q} = S[base + ${plan.params * (1 + q)} + k];`).join('\n      ')}
      ${code.join('\n      ')}
      result[base + k] = r${rule.theta};
      ${rule.nextSlots.map((reg, q) => `result[base + ${plan.params * (1 + q)} + k] = r${reg};`).join('\n      ')}
    }
    if (tid == 0) {
      var lossSum = 0.0f;
      var correctSum = 0.0f;
      for (var q = 0; q < ${THREADS}; q++) { lossSum += partial[q]; correctSum += partial[${THREADS} + q]; }
      let keep = select(1.0f, 0.0f, uniforms.fresh != 0);
      result[base + ${plan.sums}] = keep * S[base + ${plan.sums}] + lossSum;
      result[base + ${plan.sums + 1}] = keep * S[base + ${plan.sums + 1}] + correctSum;
    }`);
  return `
  var<workgroup> partial: array<f32, ${2 * THREADS}>;
  var<workgroup> clip: array<f32, ${THREADS}>;

  fn stableTanh(x: f32) -> f32 {
    let e = exp(-2.0f * abs(x));
    return sign(x) * (1.0f - e) / (1.0f + e);
  }

  fn main(index: i32) {
    let p = i32(workgroupId.x);
    let tid = i32(localIndex);
    let rows = uniforms.rows;
    let base = p * ${webgpuWidth(plan)};
    let scr = base + ${plan.record};
    let xRow = ${plan.members} * uniforms.start + p * rows;
    ${lines.join('\n')}
  }`;
}

/** Offset of hidden layer l's masks in the step's mask input. */
function maskBase(plan: FusedPlan, l: number): string {
  const before = plan.widths.slice(0, l).reduce((sum, [, units]) => sum + units, 0);
  return `${plan.members} * rows * ${before}`;
}

/** Each point's loss, whether it is right, and its dL/dz in place of its logits; the sums into `partial`. */
function lossCode(plan: FusedPlan, d: number, K: number): string {
  const width = plan.kind === 'multiclass' ? K : 1;
  const body =
    plan.kind === 'binary'
      ? `let u = T[t];
      let q = result[at] * u;
      lossPart += max(q, 0.0f) + log(1.0f + exp(-abs(q)));
      correctPart += select(0.0f, 1.0f, q < 0.0f);
      result[at] = u / (1.0f + exp(-q)) * scale;`
      : plan.kind === 'multiclass'
        ? `var top = 0;
      var label = 0;
      for (var k = 1; k < ${K}; k++) {
        if (result[at + k] > result[at + top]) { top = k; }
        if (T[t + k] > T[t + label]) { label = k; }
      }
      let high = result[at + top];
      var total = 0.0f;
      var dot = 0.0f;
      for (var k = 0; k < ${K}; k++) { total += exp(result[at + k] - high); dot += T[t + k] * result[at + k]; }
      let lse = high + log(total);
      lossPart += lse - dot;
      correctPart += select(0.0f, 1.0f, top == label);
      for (var k = 0; k < ${K}; k++) { result[at + k] = (exp(result[at + k] - lse) - T[t + k]) * scale; }`
        : `let residual = result[at] - T[t];
      lossPart += residual * residual;
      result[at] = 2.0f * residual * scale;`;
  return `
    let scale = 1.0f / f32(rows);
    var lossPart = 0.0f;
    var correctPart = 0.0f;
    for (var b = tid; b < rows; b += ${THREADS}) {
      let at = scr + ${d} + b * ${K};
      let t = (xRow + b) * ${width};
      ${body}
    }
    partial[tid] = lossPart;
    partial[${THREADS} + tid] = correctPart;
    storageBarrier(); workgroupBarrier();`;
}

/** The WebGPU program of a fused step, in the shape tfjs-backend-webgpu's runWebGPUProgram takes. */
export function fusedStepProgram(plan: FusedPlan) {
  return {
    variableNames: webgpuInputs(plan),
    outputShape: [plan.members, webgpuWidth(plan)],
    shaderKey: `tunelabFusedStep_${JSON.stringify([plan.widths, plan.activations, plan.kind, plan.batch, plan.members, Array.from(plan.rule.code), plan.dropout, plan.penalties, plan.clipNorm])}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [plan.members, 1, 1] as [number, number, number],
    workgroupSize: [THREADS, 1, 1] as [number, number, number],
    uniforms: STEP_UNIFORMS,
    getUserCode: () => fusedStepShader(plan),
  };
}
