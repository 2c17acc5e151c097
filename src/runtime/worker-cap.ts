import type { BackendName } from './backend-types';

/** The most study workers that make sense on a backend, and why, in words for the worker field. */
export interface WorkerCap {
  max: number;
  reason: string;
}

/**
 * The most study workers worth running on `backend` with `cores` logical cores
 * (navigator.hardwareConcurrency). Every worker needs a core of its own, and the page keeps
 * one: on the CPU each worker computes there, and on a GPU small models are bound by each
 * worker dispatching its kernels. On WebGPU and WebGL every worker's kernels also go to the
 * one queue of the one GPU, so workers beyond two only wait their turn (each holding its own
 * copy of tfjs and its buffers); two keep the queue busy while one of them reads results back
 * or prepares its next batch. So: cores − 1 on the CPU, min(2, cores − 1) on a GPU, at least
 * 1. Population training gives more than workers: compatible trials train as one computation
 * in one worker (measured on 2 cores with SwiftShader's WebGPU, a 24-trial study of 20
 * epochs took 9 s with one worker and 16 s with two).
 */
export function workerCap(backend: BackendName, cores: number): WorkerCap {
  const spare = Math.max(1, Math.floor(cores) - 1);
  if (backend === 'cpu') return { max: spare, reason: `each worker computes on a core of its own, and this device has ${cores} (one stays with the page)` };
  if (spare < 2) return { max: 1, reason: `each worker needs a core of its own to drive the GPU, and this device has ${cores} (one stays with the page)` };
  return { max: 2, reason: 'every worker waits for the same GPU queue, so more than two only contend' };
}

/** Workers a study proposes on `backend`: one per core beyond the page's own, within {@link workerCap}. */
export function defaultWorkers(backend: BackendName, cores: number): number {
  return Math.min(workerCap(backend, cores).max, Math.max(1, Math.floor(cores) - 1));
}

/**
 * The backend study workers will most likely select on 'auto' (see selectBackend), found
 * without loading tfjs into the page: WebGPU when an adapter is offered, else WebGL when a
 * context can be made, else the CPU. The workers' own choice is what runs and is shown.
 */
export async function likelyBackend(): Promise<BackendName> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU } | undefined)?.gpu;
  try {
    if (gpu && (await gpu.requestAdapter())) return 'webgpu';
  } catch {
    // An adapter request that throws means no WebGPU here; try WebGL.
  }
  if (typeof OffscreenCanvas !== 'undefined' && new OffscreenCanvas(1, 1).getContext('webgl2')) return 'webgl';
  return 'cpu';
}
