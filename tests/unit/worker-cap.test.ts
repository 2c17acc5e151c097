import { describe, expect, test } from 'vitest';
import { defaultWorkers, workerCap } from '../../src/runtime/worker-cap';

describe('worker cap', () => {
  test('on the CPU, one worker per core beyond the page, at least one', () => {
    expect(workerCap('cpu', 8).max).toBe(7);
    expect(workerCap('cpu', 2).max).toBe(1);
    expect(workerCap('cpu', 1).max).toBe(1);
    expect(workerCap('cpu', 8).reason).toContain('8');
  });

  test('on a GPU backend, two (one queue serves every worker), and never more than the spare cores', () => {
    for (const backend of ['webgpu', 'webgl'] as const) {
      expect(workerCap(backend, 16).max).toBe(2);
      expect(workerCap(backend, 16).reason).toMatch(/GPU queue/);
      expect(workerCap(backend, 3).max).toBe(2);
      expect(workerCap(backend, 2).max).toBe(1);
      expect(workerCap(backend, 2).reason).toMatch(/core of its own/);
    }
  });

  test('the default is one per core beyond the page, within the cap', () => {
    expect(defaultWorkers('webgpu', 16)).toBe(2);
    expect(defaultWorkers('webgpu', 2)).toBe(1);
    expect(defaultWorkers('cpu', 4)).toBe(3);
    expect(defaultWorkers('cpu', 1)).toBe(1);
  });
});
