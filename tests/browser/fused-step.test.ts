import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { selectBackend } from '../../src/runtime/backend';
import { describeFusedStep } from '../support/fused-cases';

beforeAll(async () => {
  // Registers the webgpu and cpu backends and checks that WebGPU is there.
  expect((await selectBackend('webgpu')).name).toBe('webgpu');
});

// As the adapter is: 4 threads a workgroup on SwiftShader.
describeFusedStep('webgpu');

describe('with the 64 threads a workgroup of a hardware GPU', () => {
  let architecture: string | undefined;
  const info = () => (tf.engine().findBackend('webgpu') as unknown as { adapterInfo: { architecture?: string } }).adapterInfo;
  beforeAll(() => {
    architecture = info().architecture;
    info().architecture = 'a hardware GPU';
  });
  afterAll(() => {
    info().architecture = architecture;
  });
  describeFusedStep('webgpu');
});
