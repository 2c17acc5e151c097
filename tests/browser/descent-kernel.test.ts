import { beforeAll, expect } from 'vitest';
import { selectBackend } from '../../src/runtime/backend';
import { describeDescentKernel } from '../support/descent-cases';

beforeAll(async () => {
  // Registers the webgpu and cpu backends and checks that WebGPU is there.
  expect((await selectBackend('webgpu')).name).toBe('webgpu');
});

describeDescentKernel('webgpu');
