import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { describeBackend, selectBackend } from '../../src/runtime/backend';

/** 1 + 2, [1.5, -2] · 2 and a 2×2 matrix product on the active backend, read back. */
async function smallSums(): Promise<number[][]> {
  const before = tf.memory().numTensors;
  const outputs = tf.tidy((): tf.Tensor[] => [
    tf.add(tf.scalar(1), tf.scalar(2)),
    tf.mul(tf.tensor1d([1.5, -2]), tf.scalar(2)),
    tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]])),
  ]);
  const values = await Promise.all(outputs.map(async (t) => Array.from(await t.data<'float32'>())));
  tf.dispose(outputs);
  expect(tf.memory().numTensors).toBe(before);
  return values;
}
const SMALL_SUMS = [[3], [3, -4], [19, 22, 43, 50]];

const gpu = (navigator as Navigator & { gpu: GPU }).gpu;

// Tests run in order; the last one removes WebGPU from this page's tfjs, as a real failure would.
describe('backend selection in Chromium with --enable-unsafe-webgpu', () => {
  test("'auto' runs on WebGPU and names its adapter, a GPU's or SwiftShader", async () => {
    const info = await selectBackend('auto');
    expect(info).toEqual({ requested: 'auto', name: 'webgpu', adapter: expect.stringMatching(/^\S.*\S$/) });
    expect(info.adapter).not.toMatch(/undefined|null/);
    expect(tf.getBackend()).toBe('webgpu');
    expect(describeBackend(info)).toBe(`WebGPU · ${info.adapter}`);
    expect(await smallSums()).toEqual(SMALL_SUMS);
  });

  test("forcing 'cpu' runs on the CPU with nothing to explain", async () => {
    const info = await selectBackend('cpu');
    expect(info).toEqual({ requested: 'cpu', name: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    expect(describeBackend(info)).toBe('CPU');
    expect(await smallSums()).toEqual(SMALL_SUMS);
  });

  test('without a WebGPU adapter it falls back to WebGL and says why', async () => {
    // An own property over GPU.prototype's method; deleting it brings the real one back.
    Object.defineProperty(gpu, 'requestAdapter', { configurable: true, value: async () => null });
    try {
      const info = await selectBackend('auto');
      expect(info).toEqual({
        requested: 'auto',
        name: 'webgl',
        fallbackReason: 'WebGPU: no adapter (navigator.gpu.requestAdapter returned null)',
      });
      expect(tf.getBackend()).toBe('webgl');
      expect(describeBackend(info)).toBe('WebGL (WebGPU: no adapter (navigator.gpu.requestAdapter returned null))');
      expect(await smallSums()).toEqual(SMALL_SUMS);
    } finally {
      delete (gpu as Partial<GPU>).requestAdapter;
    }
  });

  test('a forced WebGPU whose device fails to start leaves tfjs working on WebGL, and stays failed', async () => {
    // The first test started WebGPU already; registered afresh with tfjs's own factory, it
    // starts again on the next selection, this time with an adapter that refuses a device.
    const factory = tf.findBackendFactory('webgpu')!;
    tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', factory, 3);
    const requestDevice = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = () => Promise.reject(new DOMException('device refused in this test', 'OperationError'));
    const reason = 'WebGPU: failed to start (tf.setBackend returned false)';
    try {
      const info = await selectBackend('webgpu');
      expect(info).toEqual({ requested: 'webgpu', name: 'webgl', fallbackReason: reason });
      expect(tf.getBackend()).toBe('webgl');
      // Removed, so that nothing in tfjs (tf.ready, a lazy tf.backend()) tries it again.
      expect(tf.findBackendFactory('webgpu')).toBeNull();
      expect(await smallSums()).toEqual(SMALL_SUMS);
    } finally {
      GPUAdapter.prototype.requestDevice = requestDevice;
    }
    // The device would start now, but tfjs has dropped the failed backend, so nothing retries
    // it behind our back: the choice stays WebGL and tells the same reason.
    expect(await selectBackend('auto')).toEqual({ requested: 'auto', name: 'webgl', fallbackReason: reason });
    expect(await smallSums()).toEqual(SMALL_SUMS);
  });
});
