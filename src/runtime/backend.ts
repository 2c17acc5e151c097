// Backend selection for workers and pages: the fastest backend that really works here, and an
// honest record of which one runs and why it is not the first choice.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { BACKENDS, type BackendInfo, type BackendName, type BackendPreference } from './backend-types';

/** Why WebGPU cannot run here, or null when an adapter is available; also its description. */
async function probeWebGpu(): Promise<{ problem: string | null; adapter?: string }> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { problem: 'WebGPU is not supported by this browser' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { problem: `WebGPU adapter request failed: ${(error as Error).message}` };
  }
  if (!adapter) return { problem: 'WebGPU has no adapter (navigator.gpu.requestAdapter returned null)' };
  // adapter.info is newer than the WebGPU typings tfjs ships with.
  const info = (adapter as GPUAdapter & { info?: { description?: string; vendor?: string; architecture?: string } }).info;
  const parts = [info?.description, info?.vendor, info?.architecture].filter((p) => p && p.length > 0);
  return { problem: null, adapter: parts.length ? parts.join(' · ') : 'unknown adapter' };
}

/** Tries one backend; returns why it failed, or null. Leaves tfjs usable after a failure. */
async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    // setBackend resolves false rather than throwing when the backend cannot initialise.
    const ok = await tf.setBackend(name);
    if (!ok) return `${name} failed to initialise`;
    await tf.ready();
    // A first kernel proves the backend computes, not merely that it registered.
    const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
    const value = (await probe.data())[0];
    probe.dispose();
    return value === 3 ? null : `${name} computed 1 + 2 = ${value}`;
  } catch (error) {
    return `${name} failed: ${(error as Error).message}`;
  }
}

/**
 * Selects the backend: the preferred one when forced, else WebGPU, then WebGL, then the CPU,
 * the first that initialises and computes. Records the one that runs, its adapter, and why
 * the first choice was not taken.
 */
export async function selectBackend(preference: BackendPreference): Promise<BackendInfo> {
  const order: BackendName[] = preference === 'auto' ? [...BACKENDS] : [preference, ...BACKENDS.filter((b) => b !== preference)];
  const reasons: string[] = [];
  let adapter: string | undefined;
  for (const name of order) {
    if (name === 'webgpu') {
      const probe = await probeWebGpu();
      if (probe.problem) {
        reasons.push(probe.problem);
        continue;
      }
      adapter = probe.adapter;
    }
    const problem = await tryBackend(name);
    if (problem) {
      reasons.push(problem);
      continue;
    }
    return {
      requested: preference,
      name,
      ...(name === 'webgpu' && adapter ? { adapter } : {}),
      ...(reasons.length ? { fallbackReason: reasons.join('; ') } : {}),
    };
  }
  throw new Error(`No tfjs backend works here: ${reasons.join('; ')}`);
}
