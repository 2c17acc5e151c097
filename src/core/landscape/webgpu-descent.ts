import * as tf from '@tensorflow/tfjs-core';
import { hyperRegister, RULE_HYPERS, ruleStatements, type CompiledRule } from '../optim/compiled-rule';
import { wgslFloat } from '../train/fused/scalar-math';
import { instructionsFor, ruleInputs, SURFACE_OPS, X_REGISTER, Y_REGISTER, type CompiledRunSpec, type SurfaceCode } from './surface-code';

/**
 * The landscape lab's runs on WebGPU: the surface's code and the optimizer's compiled rule
 * printed as one WGSL kernel, one thread per start, each thread taking its start through a
 * chunk of steps with its point and optimizer state in registers. A basin map or a sweep is
 * one dispatch per chunk of steps and one read at the end; a run that records its path is one
 * dispatch. Single precision, as WebGPU computes.
 *
 * The state is one row per start: [x, y, each slot of x, each slot of y, f, ‖∇f‖, ‖∇f‖ at the
 * start]; with a path, (x, y, f) per step and start follow all rows, step-major.
 */

/** Threads of a workgroup, one start each. */
const THREADS = 64;

/** The row width of a start's state under `rule`. */
export function stateWidth(rule: CompiledRule): number {
  return 5 + 2 * rule.slots.length;
}

const CALLS: Partial<Record<(typeof SURFACE_OPS)[number], (a: string, b: string) => string>> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `${a} / ${b}`,
  min: (a, b) => `min(${a}, ${b})`,
  max: (a, b) => `max(${a}, ${b})`,
  pow: (a, b) => `pow(${a}, ${b})`,
  neg: (a) => `-${a}`,
  step: (a) => `select(0.0f, 1.0f, ${a} > 0.0f)`,
  // tanh of a large argument is NaN on some WebGPU implementations.
  tanh: (a) => `stableTanh(${a})`,
};

/** The WGSL of the kernel; see the module comment. */
export function descentShader(surface: SurfaceCode, rule: CompiledRule, recordPath: boolean): string {
  const slots = rule.slots.length;
  const W = stateWidth(rule);
  const s = (register: number) => `s${register}`;
  const r = (register: number) => `r${register}`;
  const c = surface.code;
  const statements = (instructions: number[]) =>
    instructions.map((k) => {
      const op = SURFACE_OPS[c[4 * k]];
      const [a, b] = [s(c[4 * k + 1]), s(c[4 * k + 2])];
      return `let ${s(c[4 * k + 3])} = ${(CALLS[op] ?? ((x: string) => `${op}(${x})`))(a, b)};`;
    });
  const gradient = instructionsFor(surface, [surface.dx, surface.dy]);
  const everything = instructionsFor(surface, [surface.value, surface.dx, surface.dy]);
  const valueOnly = instructionsFor(surface, [surface.value], new Set(gradient));
  // lr is the start's own; the bias corrections are the step's.
  const hypers = RULE_HYPERS.flatMap((h, k) => (h === 'lr' || h.startsWith('biasCorrection') ? [] : [`let ${r(hyperRegister(slots, h))} = H[${k}];`]));
  const onAxis = (axis: 0 | 1) => {
    const theta = axis === 0 ? 'x' : 'y';
    const grad = s(axis === 0 ? surface.dx : surface.dy);
    return `{
        let ${r(0)} = ${theta};
        let ${r(1)} = ${grad};
        ${rule.slots.map((_, q) => `let ${r(2 + q)} = slot${axis}_${q};`).join('\n        ')}
        ${ruleStatements(rule, r).join('\n        ')}
        ${theta} = ${r(rule.theta)};
        ${rule.nextSlots.map((register, q) => `slot${axis}_${q} = ${r(register)};`).join('\n        ')}
      }`;
  };
  const point = (names: number[]) => names.map((register) => `let ${s(register)} = ${register === X_REGISTER ? 'x' : 'y'};`);
  const constants = surface.constants.map(([register, value]) => `let ${s(register)} = ${Number.isFinite(value) ? wgslFloat(value) : `${value > 0 ? '' : '-'}bitcast<f32>(0x7f800000u)`};`);
  const path = (step: string, value: string) =>
    recordPath ? `let q = ${W} * uniforms.starts + ((${step}) * uniforms.starts + i) * 3;
      result[q] = x; result[q + 1] = y; result[q + 2] = ${value};` : '';
  return `
  fn stableTanh(v: f32) -> f32 {
    let e = exp(-2.0f * abs(v));
    return sign(v) * (1.0f - e) / (1.0f + e);
  }

  fn main(index: i32) {
    let i = index;
    if (i >= uniforms.starts) { return; }
    let row = i * ${W};
    var x = P[row];
    var y = P[row + 1];
    ${rule.slots.map((_, q) => `var slot0_${q} = P[row + ${2 + q}];\n    var slot1_${q} = P[row + ${2 + slots + q}];`).join('\n    ')}
    var startNorm = P[row + ${W - 1}];
    ${constants.join('\n    ')}
    ${hypers.join('\n    ')}
    let ${r(hyperRegister(slots, 'lr'))} = L[i];
    for (var k = uniforms.firstStep; k < uniforms.endStep; k++) {
      ${point([X_REGISTER, Y_REGISTER]).join(' ')}
      ${statements(gradient).join('\n      ')}
      if (k == 0) { startNorm = sqrt(${s(surface.dx)} * ${s(surface.dx)} + ${s(surface.dy)} * ${s(surface.dy)}); }
      ${recordPath ? `{\n      ${statements(valueOnly).join('\n      ')}\n      ${path('k', s(surface.value))}\n      }` : ''}
      let ${r(hyperRegister(slots, 'biasCorrection1'))} = C[2 * k];
      let ${r(hyperRegister(slots, 'biasCorrection2'))} = C[2 * k + 1];
      ${onAxis(0)}
      ${onAxis(1)}
    }
    ${point([X_REGISTER, Y_REGISTER]).join(' ')}
    ${statements(everything).join('\n    ')}
    result[row] = x;
    result[row + 1] = y;
    ${rule.slots.map((_, q) => `result[row + ${2 + q}] = slot0_${q};\n    result[row + ${2 + slots + q}] = slot1_${q};`).join('\n    ')}
    result[row + ${W - 3}] = ${s(surface.value)};
    result[row + ${W - 2}] = sqrt(${s(surface.dx)} * ${s(surface.dx)} + ${s(surface.dy)} * ${s(surface.dy)});
    result[row + ${W - 1}] = startNorm;
    if (uniforms.endStep == uniforms.steps) {
      ${path('uniforms.steps', s(surface.value))}
    }
  }`;
}

const KERNEL = 'TunelabDescent';

/** What the kernel's attributes carry. */
interface DescentAttrs {
  surface: SurfaceCode;
  rule: CompiledRule;
  recordPath: boolean;
  count: number;
  from: number;
  to: number;
  steps: number;
}

interface WebGPUBackend {
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: 'float32', uniforms: { type: string; data: number[] }[]): tf.TensorInfo;
}

/** Shader keys by surface and rule: the pipeline cache of tfjs is keyed by them. */
const keys = new WeakMap<SurfaceCode, Map<CompiledRule, string>>();

function shaderKey(surface: SurfaceCode, rule: CompiledRule, recordPath: boolean): string {
  let byRule = keys.get(surface);
  if (!byRule) keys.set(surface, (byRule = new Map()));
  let key = byRule.get(rule);
  if (key === undefined) byRule.set(rule, (key = JSON.stringify([surface.constants, Array.from(surface.code), surface.value, surface.dx, surface.dy, Array.from(rule.code)])));
  return `tunelabDescent_${recordPath}_${key}`;
}

function registerKernel(): void {
  if (tf.getKernel(KERNEL, 'webgpu')) return;
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { surface, rule, recordPath, count, from, to, steps } = attrs as unknown as DescentAttrs;
      const size = stateWidth(rule) * count + (recordPath ? 3 * (steps + 1) * count : 0);
      const program = {
        variableNames: ['P', 'L', 'H', 'C'],
        outputShape: [size],
        shaderKey: shaderKey(surface, rule, recordPath),
        dispatchLayout: { x: [0] },
        dispatch: [Math.ceil(count / THREADS), 1, 1] as [number, number, number],
        workgroupSize: [THREADS, 1, 1] as [number, number, number],
        // `from` is a reserved word of WGSL.
        uniforms: 'starts : i32, firstStep : i32, endStep : i32, steps : i32,',
        getUserCode: () => descentShader(surface, rule, recordPath),
      };
      const order = ['state', 'lrs', 'hypers', 'corrections'].map((name) => inputs[name] as tf.TensorInfo);
      return (backend as unknown as WebGPUBackend).runWebGPUProgram(program, order, 'float32', [
        { type: 'int32', data: [count] }, { type: 'int32', data: [from] }, { type: 'int32', data: [to] }, { type: 'int32', data: [steps] },
      ]);
    },
  });
}

/**
 * One batch of starts on WebGPU, advanced with {@link WebGPURun.advance} and read once with
 * {@link WebGPURun.finish}; {@link WebGPURun.dispose} frees its tensors (also after an abort).
 */
export class WebGPURun {
  readonly n: number;
  private readonly rule: CompiledRule;
  private state: tf.Tensor;
  private readonly inputs: tf.Tensor[];
  private done = 0;

  constructor(private readonly spec: CompiledRunSpec) {
    registerKernel();
    const { rule, lr, hypers, corrections } = ruleInputs(spec.optimizer, spec.steps);
    this.rule = rule;
    const n = (this.n = spec.starts.length / 2);
    const W = stateWidth(rule);
    const state = new Float32Array(W * n);
    for (let i = 0; i < n; i++) state.set([spec.starts[2 * i], spec.starts[2 * i + 1]], i * W);
    this.state = tf.tensor1d(state);
    this.inputs = [
      tf.tensor1d(spec.lrs ? Float32Array.from(spec.lrs) : new Float32Array(n).fill(lr)),
      tf.tensor1d(Float32Array.from(hypers)),
      // A shader input is never empty.
      tf.tensor1d(corrections.length ? Float32Array.from(corrections) : new Float32Array(2)),
    ];
  }

  /** Steps dispatched so far. */
  get stepsDone(): number {
    return this.done;
  }

  /** One dispatch: every start `count` steps further (a run with a path goes to its end at once). */
  advance(count: number): void {
    const to = this.spec.recordPath ? this.spec.steps : Math.min(this.spec.steps, this.done + count);
    const [lrs, hypers, corrections] = this.inputs;
    const next = tf.engine().runKernel(KERNEL, { state: this.state, lrs, hypers, corrections }, {
      surface: this.spec.surface, rule: this.rule, recordPath: this.spec.recordPath, count: this.n, from: this.done, to, steps: this.spec.steps,
    } as never) as tf.Tensor;
    this.state.dispose();
    this.state = next;
    this.done = to;
  }

  /** The one read: final points, f, ‖∇f‖, and the path when recorded, widened to double. */
  async finish() {
    if (this.done < this.spec.steps || this.spec.steps === 0) this.advance(this.spec.steps - this.done);
    const data = (await this.state.data()) as Float32Array;
    const { n } = this;
    const W = stateWidth(this.rule);
    const column = (c: number) => Float64Array.from({ length: n }, (_, i) => data[i * W + c]);
    const points = Float64Array.from({ length: 2 * n }, (_, k) => data[(k >> 1) * W + (k & 1)]);
    const result = { points, values: column(W - 3), gradientNorms: column(W - 2), startGradientNorms: column(this.spec.steps > 0 ? W - 1 : W - 2) };
    if (!this.spec.recordPath) return result;
    const steps = this.spec.steps;
    const triples = data.subarray(W * n);
    const path = new Float64Array(2 * (steps + 1) * n);
    const pathValues = new Float64Array((steps + 1) * n);
    for (let k = 0; k < pathValues.length; k++) {
      path[2 * k] = triples[3 * k];
      path[2 * k + 1] = triples[3 * k + 1];
      pathValues[k] = triples[3 * k + 2];
    }
    return { ...result, path, pathValues };
  }

  /** Frees the run's tensors. */
  dispose(): void {
    this.state.dispose();
    this.inputs.forEach((t) => t.dispose());
  }
}
