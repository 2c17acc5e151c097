import * as tf from '@tensorflow/tfjs-core';
import { basinMap } from './index';

/**
 * The lab's calibration: a small basin map, the shape of the lab's work, timed on each backend
 * that can run it (WebAssembly on the cpu, the WGSL kernel on WebGPU), warm, so the faster
 * one runs the lab. On a GPU the kernel wins; on a software adapter (SwiftShader) the cpu does.
 */
const CALIBRATION = { surface: 'himmelblau', optimizer: { kind: 'adam' as const, lr: 0.05 }, grid: { size: 64 }, steps: 100 };

/** What {@link fastestBackend} measured: milliseconds per backend, and the winner. */
export interface Calibration {
  fastest: string;
  milliseconds: Record<string, number>;
}

/**
 * Times {@link CALIBRATION} on each of `backends` that is registered and starts, and leaves
 * tfjs on the fastest. Each is warmed up first, so that code generation and pipeline
 * compilation do not count.
 */
export async function fastestBackend(backends: string[]): Promise<Calibration> {
  const milliseconds: Record<string, number> = {};
  for (const backend of backends) {
    if (!tf.findBackendFactory(backend) || !(await tf.setBackend(backend))) continue;
    await basinMap({ ...CALIBRATION, steps: 2 });
    const begin = performance.now();
    await basinMap(CALIBRATION);
    milliseconds[backend] = performance.now() - begin;
  }
  const fastest = Object.keys(milliseconds).reduce((a, b) => (milliseconds[b] < milliseconds[a] ? b : a));
  if (tf.getBackend() !== fastest) await tf.setBackend(fastest);
  return { fastest, milliseconds };
}
