import { hyperRegister, RULE_HYPERS, ruleStatements } from '../../optim/compiled-rule';
import { HYPER_COLUMNS, RULE_HYPER_SOURCES, stepTargetWidth, type FusedPlan } from './plan';
import { KERNEL_ACTIVATIONS, WGSL_MATH, wgslFloat } from './scalar-math';
import { ACTIVATION_BITS } from '../../compress/model';
import { levelRange } from '../../compress/quantize';

/**
 * Threads of the workgroup that trains one member, by adapter: 64 on a GPU (two warps or one
 * wavefront); 4 on SwiftShader, which runs a workgroup's threads as groups of 4 SIMD lanes on
 * the CPU and resumes every group at each barrier: a 64-member step of W2 took 7.5 ms with 64
 * threads and 3.4 ms with 4.
 */
export function workgroupThreads(architecture: string | undefined): number {
  return architecture === 'swiftshader' ? 4 : 64;
}

/**
 * A member's working values: each hidden layer's pre-activations and activations [B, units],
 * each layer's dL/dz [B, out], the gradient of every parameter and, with quantization-aware
 * training, the fake-quantized parameters and each kernel column's range, as offsets into one
 * scratch area. The kernel writes them before reading them.
 */
export function scratchLayout(plan: FusedPlan) {
  const B = plan.batch;
  let size = 0;
  const take = (n: number) => ((size += n), size - n);
  const z = plan.activations.map((_, l) => take(B * plan.widths[l][1]));
  const a = plan.activations.map((_, l) => take(B * plan.widths[l][1]));
  const d = plan.widths.map(([, o]) => take(B * o));
  const grad = take(plan.params);
  // Quantization-aware training: the fake-quantized parameters, and each kernel's columns' [min, max].
  const wq = plan.quantization ? take(plan.params) : 0;
  const ranges = plan.quantization ? plan.widths.map(([, o]) => take(2 * o)) : [];
  return { z, a, d, grad, wq, ranges, size };
}

/**
 * The state's row width on WebGPU: the record, then the scratch. (In workgroup memory the
 * scratch made a step twice as slow on SwiftShader, and the parameters no faster.)
 */
export function webgpuWidth(plan: FusedPlan): number {
  return plan.record + scratchLayout(plan).size;
}

/** The program's inputs, in binding order. */
export function webgpuInputs(plan: FusedPlan): string[] {
  return ['S', 'X', 'T', 'H', 'C', ...(plan.dropout ? ['M'] : []), ...(plan.pruning ? ['Keep'] : [])];
}

/**
 * The uniforms the step passes, in this order: the batch's first row, its rows, fresh sums, the
 * schedule's factor, and the members in the population, so that a population that drops
 * members steps with the shaders it compiled.
 */
export const STEP_UNIFORMS = 'start : i32, rows : i32, fresh : i32, lrFactor : f32, members : i32,';

/**
 * The WGSL of one fused training step, one workgroup per member: the same computation as
 * `cpuFusedStep`, its loops shared among the workgroup's threads, with a barrier between the
 * layers. The update rule is the Optimizer's own, compiled, printed as statements.
 */
export function fusedStepShader(plan: FusedPlan, threads: number): string {
  const { widths, rule } = plan;
  const L = widths.length - 1;
  const K = widths[L][1];
  const F1 = widths[0][0] + 1;
  const sc = scratchLayout(plan);
  const slots = rule.slots.length;
  const barrier = 'storageBarrier(); workgroupBarrier();';
  /** The member's parameter at `index` (from its record's start), and its scratch value at `offset` + `index`. */
  const param = (index: string) => `S[base + ${index}]`;
  const scratch = (offset: number, index: string) => `result[scr + ${offset} + ${index}]`;
  /** The parameter the passes compute with: fake-quantized with quantization-aware training. */
  const weight = (index: string) => (plan.quantization ? scratch(sc.wq, index) : param(index));
  const activations = plan.quantization?.activations ?? false;
  /** A hidden layer's activation as the next layer sees it: fake-quantized on the observed range with activation quantization. */
  const shown = (l: number, value: string) => (activations ? `fakeQuant(${value}, aq${l}, 0.0f, ${wgslFloat(2 ** ACTIVATION_BITS - 1)})` : value);
  const mask = (l: number, b: string, i: string) => (plan.dropout ? ` * M[${maskBase(plan, l)} + (p * rows + ${b}) * ${widths[l][1]} + ${i}]` : '');
  /** Layer l's input at row `b`, column `i`: the batch's features, or the hidden layer below after dropout. */
  const input = (l: number, b = 'b', i = 'i') =>
    l === 0 ? `X[(xRow + ${b}) * ${F1} + ${i}]` : `${shown(l - 1, scratch(sc.a[l - 1], `(${b}) * ${widths[l - 1][1]} + ${i}`))}${mask(l - 1, b, i)}`;
  // Row-parallel loops give each thread two rows (the second past the batch's end when rows
  // is odd: computed, never stored) and R adjacent columns: each value loaded serves several
  // multiply-adds, which is what a step costs on SwiftShader (W2's step: 4.3 ms with one row
  // a thread, 3.4 ms with two).
  const pair = [0, 1];
  const guarded = (row: number, statements: string) => (row === 0 ? statements : `if (b + 1 < rows) {\n        ${statements}\n      }`);
  const lines: string[] = [];
  if (plan.quantization) lines.push(fakeQuantCode(plan, sc, threads));
  widths.forEach(([I, O], l) => {
    const off = plan.offsets[l];
    // Each thread computes R adjacent outputs of a row: every input it loads serves R of them.
    const R = block(O);
    const rs = Array.from({ length: R }, (_, r) => r);
    const store = (row: number) =>
      rs
        .map((r) => {
          const at = `(b + ${row}) * ${O} + j + ${r}`;
          const value = `s${row}_${r}`;
          return l < L
            ? `${scratch(sc.z[l], at)} = ${value};\n        ${scratch(sc.a[l], at)} = ${KERNEL_ACTIVATIONS[plan.activations[l]].f(WGSL_MATH, value)};`
            : `${scratch(sc.d[l], at)} = ${value};`;
        })
        .join('\n        ');
    lines.push(`
    for (var k = tid; k < ((rows + 1) / 2) * ${O / R}; k += ${threads}) {
      let b = (k / ${O / R}) * 2;
      let j = (k % ${O / R}) * ${R};
      ${pair.flatMap((row) => rs.map((r) => `var s${row}_${r} = ${weight(`${off + I * O} + j + ${r}`)};`)).join(' ')}
      for (var i = 0; i < ${I}; i++) {
        let v0 = ${input(l, 'b')};
        let v1 = ${input(l, 'b + 1')};
        ${rs.map((r) => `let w${r} = ${weight(`${off} + i * ${O} + j + ${r}`)}; s0_${r} += v0 * w${r}; s1_${r} += v1 * w${r};`).join('\n        ')}
      }
      ${pair.map((row) => guarded(row, store(row))).join('\n      ')}
    }
    ${barrier}`);
    if (activations && l < L) lines.push(observerCode(plan, l, scratch(sc.a[l], 'k'), threads));
  });
  lines.push(lossCode(plan, (k) => scratch(sc.d[L], `b * ${K} + ${k}`), threads));
  for (let l = L; l >= 0; l--) {
    const [I, O] = widths[l];
    const dz = (b: string, j: string) => scratch(sc.d[l], `(${b}) * ${O} + ${j}`);
    const R = block(O);
    const rs = Array.from({ length: R }, (_, r) => r);
    // dW[i, j] = Σ_b h[b, i]·dz[b, j] in blocks of RI × R, then the bias row Σ_b dz[b, j].
    const RI = block(I);
    const ris = Array.from({ length: RI }, (_, q) => q);
    const grad = (i: string, r: number) => scratch(sc.grad + plan.offsets[l], `(${i}) * ${O} + j + ${r}`);
    lines.push(`
    for (var k = tid; k < ${(I / RI) * (O / R)}; k += ${threads}) {
      let i = (k / ${O / R}) * ${RI};
      let j = (k % ${O / R}) * ${R};
      ${ris.flatMap((q) => rs.map((r) => `var g${q}_${r} = 0.0f;`)).join(' ')}
      for (var b = 0; b < rows; b++) {
        ${rs.map((r) => `let d${r} = ${dz('b', `j + ${r}`)};`).join(' ')}
        ${ris.map((q) => `let v${q} = ${input(l, 'b', `i + ${q}`)}; ${rs.map((r) => `g${q}_${r} += v${q} * d${r};`).join(' ')}`).join('\n        ')}
      }
      ${ris.flatMap((q) => rs.map((r) => `${grad(`i + ${q}`, r)} = g${q}_${r};`)).join('\n      ')}
    }
    for (var k = tid; k < ${O / R}; k += ${threads}) {
      let j = k * ${R};
      ${rs.map((r) => `var g${r} = 0.0f;`).join(' ')}
      for (var b = 0; b < rows; b++) { ${rs.map((r) => `g${r} += ${dz('b', `j + ${r}`)};`).join(' ')} }
      ${rs.map((r) => `${grad(`${I}`, r)} = g${r};`).join('\n      ')}
    }`);
    if (l > 0) {
      const Ri = block(I);
      const ri = Array.from({ length: Ri }, (_, r) => r);
      const below = (r: number) => KERNEL_ACTIVATIONS[plan.activations[l - 1]].grad(WGSL_MATH, `a${r}`, `z${r}`);
      const back = (row: number) =>
        ri
          .map((r) => {
            const at = `(b + ${row}) * ${I} + i + ${r}`;
            return `let a${r} = ${scratch(sc.a[l - 1], at)};
        let z${r} = ${scratch(sc.z[l - 1], at)};
        ${scratch(sc.d[l - 1], at)} = dh${row}_${r}${mask(l - 1, `b + ${row}`, `i + ${r}`)} * ${below(r)};`;
          })
          .join('\n        ');
      lines.push(`
    for (var k = tid; k < ((rows + 1) / 2) * ${I / Ri}; k += ${threads}) {
      let b = (k / ${I / Ri}) * 2;
      let i = (k % ${I / Ri}) * ${Ri};
      ${pair.flatMap((row) => ri.map((r) => `var dh${row}_${r} = 0.0f;`)).join(' ')}
      for (var j = 0; j < ${O}; j++) {
        let d0 = ${dz('b', 'j')};
        let d1 = ${dz('b + 1', 'j')};
        ${ri.map((r) => `let w${r} = ${weight(`${plan.offsets[l]} + (i + ${r}) * ${O} + j`)}; dh0_${r} += d0 * w${r}; dh1_${r} += d1 * w${r};`).join('\n        ')}
      }
      ${pair.map((row) => guarded(row, `{\n        ${back(row)}\n      }`)).join('\n      ')}
    }`);
    }
    lines.push(`    ${barrier}`);
  }
  const hy = (name: (typeof HYPER_COLUMNS)[number]) => `H[p * ${HYPER_COLUMNS.length} + ${HYPER_COLUMNS.indexOf(name)}]`;
  const isWeight = widths.map(([I, O], l) => `(k >= ${plan.offsets[l]} && k < ${plan.offsets[l] + I * O})`).join(' || ');
  const penalty = plan.penalties
    ? `if (${isWeight}) { let v = ${param('k')}; g += ${hy('l1')} * sign(v) + ${hy('twoL2')} * v; }`
    : '';
  lines.push(`
    var squares = 0.0f;
    for (var k = tid; k < ${plan.params}; k += ${threads}) {
      var g = ${scratch(sc.grad, 'k')};
      ${penalty}
      ${plan.pruning ? `g = g * Keep[p * ${plan.params} + k];` : ''}
      ${scratch(sc.grad, 'k')} = g;
      squares += g * g;
    }
    clip[tid] = squares;
    ${barrier}
    var factor = 1.0f;
    ${plan.clipNorm > 0 ? `var total = 0.0f;
    for (var q = 0; q < ${threads}; q++) { total += clip[q]; }
    factor = min(1.0f, ${wgslFloat(plan.clipNorm)} / (sqrt(total) + 1e-6f));` : ''}`);
  const registers = RULE_HYPER_SOURCES.map((source, k) => {
    const name = RULE_HYPERS[k];
    const value = 'table' in source ? `H[p * ${HYPER_COLUMNS.length} + ${source.table}]` : `C[p * 2 + ${source.correction}]`;
    return `let r${hyperRegister(slots, name)} = ${value}${name === 'lr' ? ' * uniforms.lrFactor' : ''};`;
  });
  const code = ruleStatements(rule, (register) => `r${register}`);
  lines.push(`
    ${registers.join('\n    ')}
    for (var k = tid; k < ${plan.params}; k += ${threads}) {
      let r0 = ${param('k')};
      let r1 = ${scratch(sc.grad, 'k')} * factor;
      ${rule.slots.map((_, q) => `let r${2 + q} = S[base + ${plan.params * (1 + q)} + k];`).join('\n      ')}
      ${code.join('\n      ')}
      result[base + k] = r${rule.theta};
      ${rule.nextSlots.map((reg, q) => `result[base + ${plan.params * (1 + q)} + k] = r${reg};`).join('\n      ')}
    }
    if (tid == 0) {
      var lossSum = 0.0f;
      var correctSum = 0.0f;
      for (var q = 0; q < ${threads}; q++) { lossSum += partial[q]; correctSum += partial[${threads} + q]; }
      let keep = select(1.0f, 0.0f, uniforms.fresh != 0);
      result[base + ${plan.sums}] = keep * S[base + ${plan.sums}] + lossSum;
      result[base + ${plan.sums + 1}] = keep * S[base + ${plan.sums + 1}] + correctSum;
    }`);
  const ranges = activations ? `var<workgroup> lows: array<f32, ${threads}>;\n  var<workgroup> highs: array<f32, ${threads}>;` : '';
  return `${shaderHead(plan, threads, `var<workgroup> clip: array<f32, ${threads}>;\n  ${ranges}`)}
    let rows = uniforms.rows;
    let scr = base + ${plan.record};
    let xRow = uniforms.members * uniforms.start + p * rows;
    ${lines.join('\n')}
  }`;
}

/**
 * Quantization-aware training's first phase: each kernel column's [min, max] (the range
 * widened to include 0), then every kernel fake-quantized per tensor or per column into the
 * scratch, biases copied, as the cpu kernel's fakeQuantizeParams.
 */
function fakeQuantCode(plan: FusedPlan, sc: ReturnType<typeof scratchLayout>, threads: number): string {
  const q = plan.quantization!;
  const [qmin, qmax] = levelRange(q.bits, q.symmetric).map(wgslFloat);
  const barrier = 'storageBarrier(); workgroupBarrier();';
  const ranges = plan.widths.map(([I, O], l) => {
    const off = plan.offsets[l];
    return `
    for (var j = tid; j < ${O}; j += ${threads}) {
      var low = 0.0f;
      var high = 0.0f;
      for (var i = 0; i < ${I}; i++) { let v = S[base + ${off} + i * ${O} + j]; low = min(low, v); high = max(high, v); }
      result[scr + ${sc.ranges[l]} + 2 * j] = low;
      result[scr + ${sc.ranges[l]} + 2 * j + 1] = high;
    }`;
  });
  const quantized = plan.widths.map(([I, O], l) => {
    const off = plan.offsets[l];
    const range = (j: string) => `result[scr + ${sc.ranges[l]} + 2 * ${j}], result[scr + ${sc.ranges[l]} + 2 * ${j} + 1]`;
    return `
    {
      var low = 0.0f;
      var high = 0.0f;
      for (var c = 0; c < ${O}; c++) { low = min(low, result[scr + ${sc.ranges[l]} + 2 * c]); high = max(high, result[scr + ${sc.ranges[l]} + 2 * c + 1]); }
      let whole = quantParams(low, high, ${qmin}, ${qmax}, ${q.symmetric});
      for (var k = tid; k < ${I * O}; k += ${threads}) {
        let q = ${q.perNeuron ? `quantParams(${range(`(k % ${O})`)}, ${qmin}, ${qmax}, ${q.symmetric})` : 'whole'};
        result[scr + ${sc.wq + off} + k] = fakeQuant(S[base + ${off} + k], q, ${qmin}, ${qmax});
      }
      for (var j = tid; j < ${O}; j += ${threads}) { result[scr + ${sc.wq + off + I * O} + j] = S[base + ${off + I * O} + j]; }
    }`;
  });
  return `${ranges.join('')}
    ${barrier}
    ${quantized.join('')}
    ${barrier}`;
}

/**
 * Hidden layer l's activation observer: the range kept in the record, widened by this batch's
 * activations `a(k)` (k over rows × units), written back, and the layer's quantization
 * parameters `aq{l}` for the next layer's reads, as torch's MinMaxObserver and the cpu kernel.
 */
function observerCode(plan: FusedPlan, l: number, a: string, threads: number): string {
  const O = plan.widths[l][1];
  const at = plan.observers + 2 * l;
  return `
    {
      var low = 0.0f;
      var high = 0.0f;
      for (var k = tid; k < rows * ${O}; k += ${threads}) { let v = ${a}; low = min(low, v); high = max(high, v); }
      lows[tid] = low;
      highs[tid] = high;
    }
    workgroupBarrier();
    var low${l} = S[base + ${at}];
    var high${l} = S[base + ${at + 1}];
    for (var q = 0; q < ${threads}; q++) { low${l} = min(low${l}, lows[q]); high${l} = max(high${l}, highs[q]); }
    workgroupBarrier();
    if (tid == 0) {
      result[base + ${at}] = low${l};
      result[base + ${at + 1}] = high${l};
    }
    let aq${l} = quantParams(low${l}, high${l}, 0.0f, ${wgslFloat(2 ** ACTIVATION_BITS - 1)}, false);`;
}

/** How many adjacent outputs one thread computes in a loop over n of them: 4, 2 or 1, a divisor of n. */
function block(n: number): number {
  return n % 4 === 0 ? 4 : n % 2 === 0 ? 2 : 1;
}

/**
 * How both shaders begin: the per-thread sums to reduce (`partial`), any other workgroup
 * `declarations`, `stableTanh`, and main's member p, thread tid and the member's row `base`.
 */
function shaderHead(plan: FusedPlan, threads: number, declarations = ''): string {
  return `
  var<workgroup> partial: array<f32, ${2 * threads}>;
  ${declarations}

  fn stableTanh(x: f32) -> f32 {
    let e = exp(-2.0f * abs(x));
    return sign(x) * (1.0f - e) / (1.0f + e);
  }

  // a / b correctly rounded, as the cpu's float32 division: a GPU's division may be off by an
  // ulp or two, and a symmetric quantizer puts its largest negative value exactly on a rounding
  // tie, where one ulp picks the level. One Markstein correction with the exact residual.
  fn divide(a: f32, b: f32) -> f32 {
    let q = a / b;
    return fma(fma(-q, b, a), 1.0f / b, q);
  }

  // Scale, 1/scale and zero point from an observed range widened to include 0 (observerParams).
  fn quantParams(lo: f32, hi: f32, qmin: f32, qmax: f32, symmetric: bool) -> vec3<f32> {
    let low = min(lo, 0.0f);
    let high = max(hi, 0.0f);
    if (symmetric) {
      let scale = max(divide(max(-low, high), (qmax - qmin) / 2.0f), ${wgslFloat(2 ** -23)});
      return vec3<f32>(scale, divide(1.0f, scale), 0.0f);
    }
    let scale = max(divide(high - low, qmax - qmin), ${wgslFloat(2 ** -23)});
    return vec3<f32>(scale, divide(1.0f, scale), clamp(qmin - round(divide(low, scale)), qmin, qmax));
  }

  // The value x stands for on the levels of q (fakeQuantized): round halves to even, as torch.
  fn fakeQuant(x: f32, q: vec3<f32>, qmin: f32, qmax: f32) -> f32 {
    return (clamp(round(x * q.y) + q.z, qmin, qmax) - q.z) * q.x;
  }

  fn main(index: i32) {
    let p = i32(workgroupId.x);
    let tid = i32(localIndex);
    let base = p * ${webgpuWidth(plan)};`;
}

/** Offset of hidden layer l's masks in the step's mask input. */
function maskBase(plan: FusedPlan, l: number): string {
  const before = plan.widths.slice(0, l).reduce((sum, [, units]) => sum + units, 0);
  return `uniforms.members * rows * ${before}`;
}

/**
 * Statements adding one point's loss to `lossPart` and whether it is right to `correctPart`,
 * from its logits `z(k)` and encoded targets `t(k)`, as pointLosses computes them; with
 * `gradient`, the logits are overwritten with scale·dL/dz (`scale` in scope).
 */
function pointLossCode(plan: FusedPlan, z: (k: string) => string, t: (k: string) => string, gradient: boolean): string {
  const K = plan.widths[plan.widths.length - 1][1];
  const write = (statement: string) => (gradient ? statement : '');
  if (plan.kind === 'binary') {
    return `{
      let u = ${t('0')};
      let q = ${z('0')} * u;
      lossPart += max(q, 0.0f) + log(1.0f + exp(-abs(q)));
      correctPart += select(0.0f, 1.0f, q < 0.0f);
      ${write(`${z('0')} = u / (1.0f + exp(-q)) * scale;`)}
    }`;
  }
  if (plan.kind === 'regression') {
    return `{
      let residual = ${z('0')} - ${t('0')};
      lossPart += residual * residual;
      ${write(`${z('0')} = 2.0f * residual * scale;`)}
    }`;
  }
  return `{
      var top = 0;
      var label = 0;
      for (var k = 1; k < ${K}; k++) {
        if (${z('k')} > ${z('top')}) { top = k; }
        if (${t('k')} > ${t('label')}) { label = k; }
      }
      let high = ${z('top')};
      var total = 0.0f;
      var dot = 0.0f;
      for (var k = 0; k < ${K}; k++) { total += exp(${z('k')} - high); dot += ${t('k')} * ${z('k')}; }
      let lse = high + log(total);
      lossPart += lse - dot;
      correctPart += select(0.0f, 1.0f, top == label);
      ${write(`for (var k = 0; k < ${K}; k++) { ${z('k')} = (exp(${z('k')} - lse) - ${t('k')}) * scale; }`)}
    }`;
}

/**
 * Statements adding one point's distillation loss to `lossPart` and whether it is right to
 * `correctPart`, from its logits `z(k)` and target row `t(k)` = [p_T, y], overwriting the
 * logits with scale·dL/dz: as the cpu kernel's distillPointLoss.
 */
function distillLossCode(plan: FusedPlan, z: (k: string) => string, t: (k: string) => string): string {
  const K = plan.widths[plan.widths.length - 1][1];
  const { temperature, alpha } = plan.distill!;
  const [T, a] = [wgslFloat(temperature), wgslFloat(alpha)];
  const label = (k: string) => t(`${K} + ${k}`);
  return `{
      var top = 0;
      var label = 0;
      for (var k = 1; k < ${K}; k++) {
        if (${z('k')} > ${z('top')}) { top = k; }
        if (${label('k')} > ${label('label')}) { label = k; }
      }
      let high = ${z('top')};
      var total = 0.0f;
      var totalT = 0.0f;
      var dot = 0.0f;
      for (var k = 0; k < ${K}; k++) {
        total += exp(${z('k')} - high);
        totalT += exp((${z('k')} - high) / ${T});
        dot += ${label('k')} * ${z('k')};
      }
      let lse = high + log(total);
      let lseT = high / ${T} + log(totalT);
      var kl = 0.0f;
      for (var k = 0; k < ${K}; k++) {
        let p = ${t('k')};
        if (p > 0.0f) { kl += p * (log(p) - (${z('k')} / ${T} - lseT)); }
      }
      lossPart += ${a} * ${T} * ${T} * kl + (1.0f - ${a}) * (lse - dot);
      correctPart += select(0.0f, 1.0f, top == label);
      for (var k = 0; k < ${K}; k++) {
        let soft = exp(${z('k')} / ${T} - lseT) - ${t('k')};
        let hard = exp(${z('k')} - lse) - ${label('k')};
        ${z('k')} = (${a} * ${T} * soft + (1.0f - ${a}) * hard) * scale;
      }
    }`;
}

/** Each point's loss, whether it is right, and its dL/dz in place of its logits `z(k)` (point b); the sums into `partial`. */
function lossCode(plan: FusedPlan, z: (k: string) => string, threads: number): string {
  const width = stepTargetWidth(plan);
  const K = plan.widths[plan.widths.length - 1][1];
  const weights = plan.classWeights;
  // A point's class weight multiplies its loss and its gradient (scale), as the cpu kernel.
  const weighted = weights
    ? `var classWeights = array<f32, ${weights.length}>(${weights.map(wgslFloat).join(', ')});
      ${plan.kind === 'binary' ? 'let label = select(0, 1, T[t] < 0.0f);' : `var label = 0;
      for (var k = 1; k < ${K}; k++) { if (T[t + k] > T[t + label]) { label = k; } }`}
      let weight = classWeights[label];
      let scale = unitScale * weight;
      let lossBefore = lossPart;
      ${pointLossCode(plan, z, (k) => `T[t + ${k}]`, true)}
      lossPart = lossBefore + (lossPart - lossBefore) * weight;`
    : `let scale = unitScale;
      ${plan.distill ? distillLossCode(plan, z, (k) => `T[t + ${k}]`) : pointLossCode(plan, z, (k) => `T[t + ${k}]`, true)}`;
  return `
    let unitScale = 1.0f / f32(rows);
    var lossPart = 0.0f;
    var correctPart = 0.0f;
    for (var b = tid; b < rows; b += ${threads}) {
      let t = (xRow + b) * ${width};
      ${weighted}
    }
    partial[tid] = lossPart;
    partial[${threads} + tid] = correctPart;
    storageBarrier(); workgroupBarrier();`;
}

/**
 * The WGSL of the fused evaluation, one workgroup per member and one validation row per
 * thread at a time, through the network in two private arrays: as `cpuFusedEvaluate`.
 */
export function fusedEvaluateShader(plan: FusedPlan, threads: number): string {
  const { widths } = plan;
  const L = widths.length - 1;
  const K = widths[L][1];
  const largest = Math.max(...widths.flat());
  const layers = widths.map(([I, O], l) => {
    const [from, to] = l % 2 === 0 ? ['h0', 'h1'] : ['h1', 'h0'];
    const f = l < L ? KERNEL_ACTIVATIONS[plan.activations[l]].f(WGSL_MATH, 'sum') : 'sum';
    return `
      for (var j = 0; j < ${O}; j++) {
        var sum = S[base + ${plan.offsets[l] + I * O} + j];
        for (var i = 0; i < ${I}; i++) { sum += ${from}[i] * S[base + ${plan.offsets[l]} + i * ${O} + j]; }
        ${to}[j] = ${f};
      }`;
  });
  const logits = L % 2 === 0 ? 'h1' : 'h0';
  return `${shaderHead(plan, threads)}
    var h0: array<f32, ${largest}>;
    var h1: array<f32, ${largest}>;
    var lossPart = 0.0f;
    var correctPart = 0.0f;
    for (var row = tid; row < uniforms.rows; row += ${threads}) {
      for (var i = 0; i < ${widths[0][0]}; i++) { h0[i] = V[row * ${widths[0][0] + 1} + i]; }
      ${layers.join('')}
      let t = row * ${plan.kind === 'multiclass' ? K : 1};
      ${pointLossCode(plan, (k) => `${logits}[${k}]`, (k) => `W[t + ${k}]`, false)}
    }
    partial[tid] = lossPart;
    partial[${threads} + tid] = correctPart;
    workgroupBarrier();
    if (tid == 0) {
      var lossSum = 0.0f;
      var correctSum = 0.0f;
      for (var q = 0; q < ${threads}; q++) { lossSum += partial[q]; correctSum += partial[${threads} + q]; }
      result[p * 4] = S[base + ${plan.sums}];
      result[p * 4 + 1] = S[base + ${plan.sums + 1}];
      result[p * 4 + 2] = lossSum;
      result[p * 4 + 3] = correctSum;
    }
  }`;
}

/**
 * Shader keys by plan: a step asks for its key thousands of times a second. The member count
 * is no part of a key (the shaders read it from the dispatch and the uniforms): a population
 * that drops members keeps its compiled shaders.
 */
const planKeys = new WeakMap<FusedPlan, string>();

/** The key of a plan's shaders in tfjs' pipeline cache. */
function planKey(plan: FusedPlan): string {
  let key = planKeys.get(plan);
  if (key === undefined) {
    key = JSON.stringify([plan.widths, plan.activations, plan.kind, plan.batch, Array.from(plan.rule.code), plan.dropout, plan.penalties, plan.pruning, plan.clipNorm, plan.quantization, plan.distill, plan.classWeights]);
    planKeys.set(plan, key);
  }
  return key;
}

/**
 * The WebGPU program of the fused evaluation, for runWebGPUProgram with the validation rows
 * as its one uniform. (A shader must read its uniforms: WebGPU's automatic layout drops an
 * unread binding, and the dispatch of tfjs' bind group then fails without a word.)
 */
export function fusedEvaluateProgram(plan: FusedPlan, threads: number) {
  return {
    variableNames: ['S', 'V', 'W'],
    outputShape: [plan.members, 4],
    shaderKey: `tunelabFusedEvaluate_${threads}_${planKey(plan)}`,
    uniforms: 'rows : i32,',
    dispatchLayout: { x: [0, 1] },
    dispatch: [plan.members, 1, 1] as [number, number, number],
    workgroupSize: [threads, 1, 1] as [number, number, number],
    getUserCode: () => fusedEvaluateShader(plan, threads),
  };
}

/** The WebGPU program of a fused step, in the shape tfjs-backend-webgpu's runWebGPUProgram takes. */
export function fusedStepProgram(plan: FusedPlan, threads: number) {
  return {
    variableNames: webgpuInputs(plan),
    outputShape: [plan.members, webgpuWidth(plan)],
    shaderKey: `tunelabFusedStep_${threads}_${planKey(plan)}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [plan.members, 1, 1] as [number, number, number],
    workgroupSize: [threads, 1, 1] as [number, number, number],
    uniforms: STEP_UNIFORMS,
    getUserCode: () => fusedStepShader(plan, threads),
  };
}
