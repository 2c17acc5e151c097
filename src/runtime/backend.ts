// Backend selection for workers and pages: the fastest backend that really works here, and an
// honest record of which one runs and why it is not the first choice.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { fastestMeasured } from './backend-choice';
import { BACKENDS, type BackendInfo, type BackendMeasurement, type BackendName, type BackendPreference } from './backend-types';

// The badge's one-line text, next to the selection it describes (defined with the types, so the UI need not load tfjs).
export { describeBackend } from './backend-types';

/** GPUAdapter.info, which is newer than the WebGPU typings tfjs ships with. */
interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Vendor ids as WebGPU reports them, spelt as people know them. */
const VENDOR_NAMES: Record<string, string> = {
  amd: 'AMD', apple: 'Apple', arm: 'Arm', google: 'Google', intel: 'Intel', microsoft: 'Microsoft', nvidia: 'NVIDIA', qualcomm: 'Qualcomm',
};

/**
 * The adapter in a few words: the driver's description when it gives one, else vendor and
 * architecture. A software adapter says so, since it is far slower than a GPU.
 */
function describeAdapter(info: AdapterInfo | undefined): string | undefined {
  if (!info) return undefined;
  if (info.architecture === 'swiftshader') return 'SwiftShader';
  const vendor = info.vendor ? (VENDOR_NAMES[info.vendor] ?? info.vendor) : '';
  const name = info.description || [vendor, info.architecture].filter(Boolean).join(' ');
  if (!name) return undefined;
  return info.isFallbackAdapter ? `${name} (software)` : name;
}

type Probe = { problem: string } | { problem: null; adapter?: string };

/** Whether WebGPU can run here, asking for the adapter tfjs itself will ask for. */
async function probeWebGpu(): Promise<Probe> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { problem: 'WebGPU not supported by this browser' };
  const powerPreference = tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance';
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference });
  } catch (error) {
    return { problem: `WebGPU: adapter request failed (${messageOf(error)})` };
  }
  if (!adapter) return { problem: 'WebGPU: no adapter (navigator.gpu.requestAdapter returned null)' };
  return { problem: null, adapter: describeAdapter((adapter as GPUAdapter & { info?: AdapterInfo }).info) };
}

/** Whether WebGL can run here; reading the flag makes tfjs try to create the context it will use. */
function probeWebGl(): Probe {
  return tf.env().getNumber('WEBGL_VERSION') > 0
    ? { problem: null }
    : { problem: 'WebGL: no context (the browser refused to create a WebGL context)' };
}

const PROBES: Record<BackendName, () => Probe | Promise<Probe>> = {
  webgpu: probeWebGpu,
  webgl: probeWebGl,
  cpu: () => ({ problem: null }),
};

const LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', cpu: 'CPU' };

/**
 * Why a backend failed to start in this context. A failed backend is removed from tfjs so
 * that nothing retries it behind our back, so its reason is kept here to be told again.
 */
const failures = new Map<BackendName, string>();

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Makes `name` tfjs's backend; returns why it failed, or null. After a failure tfjs is left with no backend set, ready for the next try. */
async function activate(name: BackendName): Promise<string | null> {
  const label = LABELS[name];
  let problem: string | null;
  try {
    // setBackend resolves false rather than throwing when the backend cannot start.
    if (!(await tf.setBackend(name))) {
      problem = `${label}: failed to start (tf.setBackend returned false)`;
    } else {
      await tf.ready();
      // A first kernel proves the backend computes, not merely that it registered.
      const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
      const value = (await sum.data())[0];
      sum.dispose();
      problem = value === 3 ? null : `${label}: computed 1 + 2 = ${value}`;
    }
  } catch (error) {
    problem = `${label}: ${messageOf(error)}`;
  }
  if (problem) {
    failures.set(name, problem);
    if (tf.findBackendFactory(name)) tf.removeBackend(name);
  }
  return problem;
}

/** Makes `name` tfjs's backend, unless it failed here before: why it cannot, or its adapter where WebGPU names one. */
async function start(name: BackendName): Promise<Probe> {
  const earlier = failures.get(name);
  const probe = earlier ? { problem: earlier } : await PROBES[name]();
  if (probe.problem !== null) return probe;
  const problem = await activate(name);
  return problem ? { problem } : probe;
}

/**
 * Selects the tfjs backend for this page or worker: the preferred one when forced, else
 * WebGPU, then WebGL, then the CPU (a forced one that fails falls back in that order). Returns
 * the backend that actually runs, its adapter for WebGPU, and why the ones before it were not
 * taken. Throws only when not even the CPU backend starts.
 *
 * @example
 * const info = await selectBackend('auto');
 * // { requested: 'auto', name: 'webgl', fallbackReason: 'WebGPU: no adapter (navigator.gpu.requestAdapter returned null)' }
 */
export async function selectBackend(preference: BackendPreference): Promise<BackendInfo> {
  const order: BackendName[] = preference === 'auto' ? [...BACKENDS] : [preference, ...BACKENDS.filter((b) => b !== preference)];
  const reasons: string[] = [];
  for (const name of order) {
    const started = await start(name);
    if (started.problem !== null) {
      reasons.push(started.problem);
      continue;
    }
    const adapter = name === 'webgpu' ? started.adapter : undefined;
    return {
      requested: preference,
      name,
      ...(adapter ? { adapter } : {}),
      ...(reasons.length ? { fallbackReason: reasons.join('; ') } : {}),
    };
  }
  throw new Error(`No tfjs backend works here: ${reasons.join('; ')}`);
}

/**
 * This device in a few words, the same on every visit: the WebGPU adapter (or its absence)
 * and the number of cores. A calibration is remembered under it, so another GPU or machine
 * measures again.
 */
export async function describeDevice(): Promise<string> {
  const probe = await probeWebGpu();
  const gpu = probe.problem === null ? `WebGPU ${probe.adapter ?? 'adapter'}` : 'no WebGPU';
  return `${gpu} · ${globalThis.navigator?.hardwareConcurrency ?? '?'} cores`;
}

/** The work a calibration times on each backend: milliseconds per `unit`, measured warm. */
export interface CalibrationWork {
  unit: string;
  /** Runs the work on tfjs's current backend and returns its milliseconds per unit. */
  time(): Promise<number>;
  /**
   * How many units the whole job runs, where known: a job the CPU finishes within
   * {@link SHORT_WORK_MS} runs there without starting or timing any other backend.
   */
  units?: () => Promise<number>;
}

/**
 * The longest job, in milliseconds on the CPU, that runs there untimed elsewhere: starting a
 * GPU backend and compiling its kernels for a new shape takes about this long or more, and a
 * GPU cannot save more than the CPU's whole time.
 */
export const SHORT_WORK_MS = 1500;

/**
 * Selects the backend for 'auto' by measurement: every one of `candidates` that starts here is
 * timed on `work` (or, when `remembered` covers exactly those, its times are taken instead), and
 * the fastest runs. With one candidate or none available it is {@link selectBackend}('auto').
 * The result carries what was measured, for the badge and to be remembered.
 */
export async function selectMeasured(candidates: readonly BackendName[], work: CalibrationWork, remembered?: BackendMeasurement | null): Promise<BackendInfo> {
  const milliseconds: BackendMeasurement['milliseconds'] = {};
  if (work.units && candidates.includes('cpu') && (await start('cpu')).problem === null) {
    const units = await work.units();
    milliseconds.cpu = await work.time();
    if (milliseconds.cpu * units <= SHORT_WORK_MS) return { requested: 'auto', name: 'cpu', measured: { unit: work.unit, milliseconds: { cpu: milliseconds.cpu }, units } };
  }
  const available: BackendInfo[] = [];
  const reasons: string[] = [];
  for (const name of candidates) {
    const started = await start(name);
    if (started.problem !== null) {
      reasons.push(started.problem);
      continue;
    }
    available.push({ requested: 'auto', name, ...(name === 'webgpu' && started.adapter ? { adapter: started.adapter } : {}) });
  }
  if (available.length < 2) return selectBackend('auto');
  const names = available.map((info) => info.name);
  const known = remembered && Object.keys(remembered.milliseconds).length === names.length && names.every((b) => remembered.milliseconds[b] !== undefined);
  let measured: BackendMeasurement;
  if (known) measured = { unit: remembered.unit, milliseconds: remembered.milliseconds, earlier: true };
  else {
    for (const name of names) {
      if (milliseconds[name] !== undefined) continue;
      await tf.setBackend(name);
      milliseconds[name] = await work.time();
    }
    measured = { unit: work.unit, milliseconds: Object.fromEntries(names.map((name) => [name, milliseconds[name]])) };
  }
  // The measurement names exactly the available backends (measured now, or remembered for the same ones).
  const fastest = fastestMeasured(measured);
  await tf.setBackend(fastest);
  return { ...available.find((info) => info.name === fastest)!, measured, ...(reasons.length ? { fallbackReason: reasons.join('; ') } : {}) };
}
