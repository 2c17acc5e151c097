import * as tf from '@tensorflow/tfjs-core';
import type { NetworkParams } from '../../model/network';
import { cpuFusedEvaluate, cpuFusedStep } from './cpu-kernel';
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
        corrections: values('corrections'), masks: inputs.masks ? values('masks') : null,
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
      const sums = cpuFusedEvaluate(plan, values('state'), width, values('x'), values('t'), rows);
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
      const order = ['state', 'x', 't', 'hypers', 'corrections', ...(plan.dropout ? ['masks'] : [])];
      const gpu = backend as WebGPUBackend;
      return gpu.runWebGPUProgram(fusedStepProgram(plan, workgroupThreads(gpu.adapterInfo?.architecture)), order.map((name) => inputs[name] as tf.TensorInfo), 'float32', [
        { type: 'int32', data: [start] }, { type: 'int32', data: [rows] }, { type: 'int32', data: [fresh] }, { type: 'float32', data: [lrFactor] },
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
 * clipping and the update rule of every member in one kernel, on the cpu in JavaScript, on
 * WebGPU in one dispatch of one workgroup per member. The network's variables are written
 * from the state only when asked ({@link writeTo}), at the epoch's end.
 */
export class FusedStep {
  private state: tf.Tensor2D;
  private hypers: tf.Tensor2D;
  /** 1 − β1^t and 1 − β2^t of each member, [P, 2]; ones for rules without bias correction. */
  private corrections: tf.Tensor2D;
  private steps = 0;

  /**
   * @param plan what is computed
   * @param width the state's row width ({@link fusedWidth})
   * @param members each member's parameters, in `parameterShapes` order
   * @param columns each member's row of {@link HYPER_COLUMNS}
   */
  constructor(
    readonly plan: FusedPlan,
    private readonly width: number,
    members: Float32Array[][],
    private columns: number[][],
  ) {
    registerKernels();
    const values = new Float32Array(plan.members * width);
    members.forEach((m, p) => {
      plan.widths.forEach(([i, o], l) => {
        values.set(m[2 * l], p * width + plan.offsets[l]);
        values.set(m[2 * l + 1], p * width + plan.offsets[l] + i * o);
      });
    });
    this.state = tf.tensor2d(values, [plan.members, width]);
    this.hypers = tf.tensor2d(columns.flat(), [plan.members, HYPER_COLUMNS.length]);
    this.corrections = tf.ones([plan.members, 2]);
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
    const inputs: tf.NamedTensorMap = { state: this.state, x, t, hypers: this.hypers, corrections: this.corrections };
    if (masks) inputs.masks = masks;
    const attrs = { plan: this.plan, width: this.width, ...window } as unknown as tf.NamedAttrMap;
    const next = tf.engine().runKernel(FUSED_STEP, inputs, attrs) as tf.Tensor2D;
    this.state.dispose();
    this.state = next;
  }

  /** Copies every member's parameters into the network's variables. */
  writeTo(net: NetworkParams): void {
    const P = this.plan.members;
    tf.tidy(() => {
      this.plan.widths.forEach(([i, o], l) => {
        net.variables[l].assign(tf.reshape(tf.slice(this.state, [0, this.plan.offsets[l]], [P, (i + 1) * o]), [P, i + 1, o]));
      });
    });
  }

  /** Takes every member's parameters from the network's variables (after restoring best weights); the rule's state stays. */
  readFrom(net: NetworkParams): void {
    const P = this.plan.members;
    const next = tf.tidy(() =>
      tf.concat([...net.variables.map((v) => tf.reshape(v, [P, -1])), tf.slice(this.state, [0, this.plan.params], [P, -1])], 1),
    ) as tf.Tensor2D;
    this.state.dispose();
    this.state = next;
  }

  /**
   * Every member's epoch sums and its validation sums on `rows` rows `x` (with a column of
   * ones) and encoded targets `t`, in one kernel: [P, 4] of train loss, train right,
   * validation loss and validation right, each summed over its points.
   */
  evaluate(x: tf.Tensor, t: tf.Tensor, rows: number): tf.Tensor2D {
    return fusedEvaluate(this.plan, this.width, this.state, x, t, rows);
  }

  /** Each member's learning rate from now on (zero for a member that no longer trains). */
  setLearningRates(lr: number[]): void {
    const k = HYPER_COLUMNS.indexOf('lr');
    this.columns = this.columns.map((row, p) => row.map((v, c) => (c === k ? lr[p] : v)));
    this.hypers.dispose();
    this.hypers = tf.tensor2d(this.columns.flat(), [this.plan.members, HYPER_COLUMNS.length]);
  }

  /** Frees the state and the hyperparameters. */
  dispose(): void {
    tf.dispose([this.state, this.hypers, this.corrections]);
  }
}
