import * as tf from '@tensorflow/tfjs-core';
import type { NetworkParams } from '../../model/network';
import { cpuFusedEvaluate, cpuFusedStep } from './cpu-kernel';
import { WasmPopulation, wasmFusedEvaluate, wasmStepFits } from './wasm-kernel';
import { HYPER_COLUMNS, type FusedPlan, type StepWindow } from './plan';
import { fusedEvaluateProgram, fusedStepProgram, webgpuWidth, workgroupThreads } from './webgpu-kernel';

/** The tfjs kernels of a fused training step and of the fused evaluation, registered for the backends below. */
const FUSED_STEP = 'TunelabFusedStep';
const FUSED_EVALUATE = 'TunelabFusedEvaluate';

/** The backends with a fused step; the others train with batched tensor operations. */
export const FUSED_BACKENDS = ['cpu', 'webgpu'] as const;

/** The largest state a fused step keeps in one buffer: WebGPU's default storage-binding limit. */
export const MAX_STATE_BYTES = 128 * 1024 * 1024;

/** What the kernels read from tfjs backends, typed here rather than importing the backends. */
interface CpuBackend {
  data: { get(id: tf.DataId): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}
interface WebGPUBackend {
  adapterInfo?: { architecture?: string };
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: 'float32', uniforms: { type: string; data: number[] }[]): tf.TensorInfo;
}

/** A step's attributes as the kernels receive them. */
interface StepAttrs extends StepWindow {
  plan: FusedPlan;
  width: number;
}

/** An evaluation's attributes: the plan, the state's width and the validation rows. */
interface EvaluateAttrs {
  plan: FusedPlan;
  width: number;
  rows: number;
}

/** A cpu kernel's input arrays by name. */
function cpuArrays(backend: unknown, inputs: tf.NamedTensorInfoMap): (name: string) => Float32Array {
  const cpu = backend as CpuBackend;
  return (name) => cpu.data.get((inputs[name] as tf.TensorInfo).dataId).values;
}

function registerKernels(): void {
  if (tf.getKernel(FUSED_STEP, 'cpu')) return;
  tf.registerKernel({
    kernelName: FUSED_STEP,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const values = cpuArrays(backend, inputs);
      const { plan, width, ...window } = attrs as unknown as StepAttrs;
      const state = cpuFusedStep(plan, {
        state: values('state'), width, x: values('x'), t: values('t'), hypers: values('hypers'),
        corrections: values('corrections'), masks: inputs.masks ? values('masks') : null, keep: inputs.keep ? values('keep') : null,
      }, window);
      return (backend as CpuBackend).makeTensorInfo([plan.members, width], 'float32', state);
    },
  });
  tf.registerKernel({
    kernelName: FUSED_EVALUATE,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const values = cpuArrays(backend, inputs);
      const { plan, width, rows } = attrs as unknown as EvaluateAttrs;
      const evaluate = wasmStepFits(plan) ? wasmFusedEvaluate : cpuFusedEvaluate;
      const sums = evaluate(plan, values('state'), width, values('x'), values('t'), rows);
      return (backend as CpuBackend).makeTensorInfo([plan.members, 4], 'float32', sums);
    },
  });
  tf.registerKernel({
    kernelName: FUSED_EVALUATE,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { plan, rows } = attrs as unknown as EvaluateAttrs;
      const order = ['state', 'x', 't'].map((name) => inputs[name] as tf.TensorInfo);
      const gpu = backend as WebGPUBackend;
      const threads = workgroupThreads(gpu.adapterInfo?.architecture);
      return gpu.runWebGPUProgram(fusedEvaluateProgram(plan, threads), order, 'float32', [{ type: 'int32', data: [rows] }]);
    },
  });
  tf.registerKernel({
    kernelName: FUSED_STEP,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { plan, start, rows, fresh, lrFactor } = attrs as unknown as StepAttrs;
      const order = ['state', 'x', 't', 'hypers', 'corrections', ...(plan.dropout ? ['masks'] : []), ...(plan.pruning ? ['keep'] : [])];
      const gpu = backend as WebGPUBackend;
      return gpu.runWebGPUProgram(fusedStepProgram(plan, workgroupThreads(gpu.adapterInfo?.architecture)), order.map((name) => inputs[name] as tf.TensorInfo), 'float32', [
        { type: 'int32', data: [start] }, { type: 'int32', data: [rows] }, { type: 'int32', data: [fresh] }, { type: 'float32', data: [lrFactor] },
        { type: 'int32', data: [plan.members] },
      ]);
    },
  });
}

/** The row width of the state on `backend`, or null when that backend has no fused step or the state would not fit. */
export function fusedWidth(plan: FusedPlan, backend: string): number | null {
  if (!(FUSED_BACKENDS as readonly string[]).includes(backend)) return null;
  const width = backend === 'webgpu' ? webgpuWidth(plan) : plan.record;
  return plan.members * width * 4 <= MAX_STATE_BYTES ? width : null;
}

/**
 * The fused evaluation of any state [P, width] laid out as {@link FusedPlan} says: [P, 4] of
 * each member's two epoch sums and its loss and right predictions summed over `rows` rows `x`
 * (with a column of ones) and encoded targets `t`. A loss landscape evaluates thousands of
 * parameter vectors this way, each a member whose sums are zero.
 */
export function fusedEvaluate(plan: FusedPlan, width: number, state: tf.Tensor2D, x: tf.Tensor, t: tf.Tensor, rows: number): tf.Tensor2D {
  registerKernels();
  const attrs = { plan, width, rows } as unknown as tf.NamedAttrMap;
  return tf.engine().runKernel(FUSED_EVALUATE, { state, x, t }, attrs) as tf.Tensor2D;
}

/**
 * A population's training state in one tensor [P, width], each row a member's record (see
 * {@link FusedPlan}), and the step that advances it: forward, loss, backward, L1/L2,
 * clipping and the update rule of every member in one kernel, on WebGPU in one dispatch of
 * one workgroup per member, on the cpu in WebAssembly ({@link WasmPopulation}, whose memory
 * holds the records between steps: the tensor is made from it only when something reads the
 * state) or, where that does not fit, in JavaScript. The network's variables are written
 * from the state only when asked ({@link writeTo}), at the epoch's end.
 */
export class FusedStep {
  /** The state, behind the WebAssembly population's memory when {@link stale}; read it through {@link current}. */
  private state: tf.Tensor2D;
  /** On the cpu where the WebAssembly step fits: the records kept in its memory, stepped there. */
  private readonly wasm: WasmPopulation | null;
  /** Whether the WebAssembly population stepped since {@link state} was made. */
  private stale = false;
  private hypers: tf.Tensor2D;
  /** 1 − β1^t and 1 − β2^t of each member, [P, 2]; ones for rules without bias correction. */
  private corrections: tf.Tensor2D;
  /** Each member's weight masks [P, params] when the plan prunes. */
  private keep: tf.Tensor2D | null;
  private steps = 0;

  /**
   * @param computed what is computed, for every member at first
   * @param width the state's row width ({@link fusedWidth})
   * @param members each member's parameters, in `parameterShapes` order
   * @param columns each member's row of {@link HYPER_COLUMNS}
   * @param keep each member's weight masks, parameters in record order (1 keeps, 0 prunes), when the plan prunes
   */
  constructor(
    private computed: FusedPlan,
    private readonly width: number,
    members: Float32Array[][],
    private columns: number[][],
    keep?: Float32Array,
  ) {
    registerKernels();
    const plan = computed;
    const values = new Float32Array(plan.members * width);
    members.forEach((m, p) => {
      plan.widths.forEach(([i, o], l) => {
        values.set(m[2 * l], p * width + plan.offsets[l]);
        values.set(m[2 * l + 1], p * width + plan.offsets[l] + i * o);
      });
    });
    this.state = tf.tensor2d(values, [plan.members, width]);
    this.wasm = tf.getBackend() === 'cpu' && wasmStepFits(plan) ? new WasmPopulation(plan, values, width) : null;
    this.hypers = tf.tensor2d(columns.flat(), [plan.members, HYPER_COLUMNS.length]);
    this.corrections = tf.ones([plan.members, 2]);
    if (plan.pruning !== (keep !== undefined)) throw new Error('A pruning plan needs weight masks, and only it takes them');
    this.keep = keep ? tf.tensor2d(keep, [plan.members, plan.params]) : null;
  }

  /** What is computed, for the members kept ({@link keepRows}). */
  get plan(): FusedPlan {
    return this.computed;
  }

  /**
   * One step of every member on rows [start, start + rows) of the epoch's layout `x`, `t`
   * (batch after batch, each [P, rows, …]), with the hidden layers' keep masks one after
   * another (`masks`, [P, rows, units] each) when the plan has dropout.
   */
  step(x: tf.Tensor, t: tf.Tensor, window: StepWindow, masks: tf.Tensor | null): void {
    this.steps++;
    if (this.plan.rule.biasCorrected) {
      const beta = (p: number, name: 'beta1' | 'beta2') => this.columns[p][HYPER_COLUMNS.indexOf(name)];
      const values = this.columns.flatMap((_, p) => [1 - beta(p, 'beta1') ** this.steps, 1 - beta(p, 'beta2') ** this.steps]);
      this.corrections.dispose();
      this.corrections = tf.tensor2d(values, [this.plan.members, 2]);
    }
    if (this.wasm) {
      // The cpu backend's tensors hold their arrays: read without a copy.
      const values = (tensor: tf.Tensor) => tensor.dataSync() as Float32Array;
      this.wasm.step({
        x: values(x), t: values(t), hypers: values(this.hypers), corrections: values(this.corrections),
        masks: masks && values(masks), keep: this.keep && values(this.keep),
      }, window);
      this.stale = true;
      return;
    }
    const inputs: tf.NamedTensorMap = { state: this.state, x, t, hypers: this.hypers, corrections: this.corrections };
    if (masks) inputs.masks = masks;
    if (this.keep) inputs.keep = this.keep;
    const attrs = { plan: this.plan, width: this.width, ...window } as unknown as tf.NamedAttrMap;
    const next = tf.engine().runKernel(FUSED_STEP, inputs, attrs) as tf.Tensor2D;
    this.state.dispose();
    this.state = next;
  }

  /** The state as it is now: made from the WebAssembly population's memory when that stepped since. */
  private get current(): tf.Tensor2D {
    if (this.stale) {
      this.state.dispose();
      this.state = tf.tensor2d(this.wasm!.read(), [this.plan.members, this.width]);
      this.stale = false;
    }
    return this.state;
  }

  /** Makes `next` the state, and the WebAssembly population's records when there is one. */
  private replace(next: tf.Tensor2D): void {
    this.state.dispose();
    this.state = next;
    this.stale = false;
    this.wasm?.load(this.plan, next.dataSync() as Float32Array, this.width);
  }

  /** Copies every member's parameters into the network's variables. */
  writeTo(net: NetworkParams): void {
    const P = this.plan.members;
    const state = this.current;
    tf.tidy(() => {
      this.plan.widths.forEach(([i, o], l) => {
        net.variables[l].assign(tf.reshape(tf.slice(state, [0, this.plan.offsets[l]], [P, (i + 1) * o]), [P, i + 1, o]));
      });
    });
  }

  /** Takes every member's parameters from the network's variables (after restoring best weights); the rule's state stays. */
  readFrom(net: NetworkParams): void {
    const P = this.plan.members;
    const state = this.current;
    this.replace(tf.tidy(() => tf.concat([...net.variables.map((v) => tf.reshape(v, [P, -1])), tf.slice(state, [0, this.plan.params], [P, -1])], 1)) as tf.Tensor2D);
  }

  /**
   * Every member's epoch sums and its validation sums on `rows` rows `x` (with a column of
   * ones) and encoded targets `t`, in one kernel: [P, 4] of train loss, train right,
   * validation loss and validation right, each summed over its points.
   */
  evaluate(x: tf.Tensor, t: tf.Tensor, rows: number): tf.Tensor2D {
    if (this.wasm) return tf.tensor2d(this.wasm.evaluate(x.dataSync() as Float32Array, t.dataSync() as Float32Array, rows), [this.plan.members, 4]);
    return fusedEvaluate(this.plan, this.width, this.state, x, t, rows);
  }

  /** Each member's learning rate from now on (zero for a member that no longer trains). */
  setLearningRates(lr: number[]): void {
    const k = HYPER_COLUMNS.indexOf('lr');
    this.columns = this.columns.map((row, p) => row.map((v, c) => (c === k ? lr[p] : v)));
    this.hypers.dispose();
    this.hypers = tf.tensor2d(this.columns.flat(), [this.plan.members, HYPER_COLUMNS.length]);
  }

  /**
   * Keeps members `rows` (in this order) and frees the others' records: later steps and
   * evaluations run for the kept members alone (one workgroup each on WebGPU, one pass each
   * on the cpu), each as before.
   */
  keepRows(rows: number[]): void {
    const index = tf.tensor1d(rows, 'int32');
    const state = tf.gather(this.current, index) as tf.Tensor2D;
    const keep = this.keep && (tf.gather(this.keep, index) as tf.Tensor2D);
    index.dispose();
    this.keep?.dispose();
    this.keep = keep;
    this.columns = rows.map((r) => this.columns[r]);
    this.computed = { ...this.computed, members: rows.length };
    this.replace(state);
    this.hypers.dispose();
    this.hypers = tf.tensor2d(this.columns.flat(), [rows.length, HYPER_COLUMNS.length]);
    // Bias-corrected rules remake their corrections at every step; the others keep ones.
    this.corrections.dispose();
    this.corrections = tf.ones([rows.length, 2]);
  }

  /** Frees the state and the hyperparameters, and gives the WebAssembly population's instance back. */
  dispose(): void {
    tf.dispose([this.state, this.hypers, this.corrections, ...(this.keep ? [this.keep] : [])]);
    this.wasm?.release();
  }
}
