import { describe, expect, test } from 'vitest';
import {
  chooseBackend,
  fastestMeasured,
  loadPreference,
  rememberedMeasurement,
  rememberMeasurement,
  savePreference,
  type CalibratingWorker,
  type ChoiceStorage,
} from '../../src/runtime/backend-choice';
import { describeBackend, type BackendInfo, type BackendMeasurement, type BackendPreference } from '../../src/runtime/backend-types';

/** localStorage's behaviour over a Map. */
function memoryStorage(): ChoiceStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, String(v)) };
}

/**
 * A worker whose calibration measures `times` (cpu and webgpu available), recording each
 * prepare it was asked for.
 */
function fakeWorker(times: BackendMeasurement['milliseconds'], device = 'WebGPU SwiftShader · 2 cores') {
  const calls: { preference: BackendPreference; remembered: BackendMeasurement | null | undefined }[] = [];
  const worker: CalibratingWorker = {
    device: async () => device,
    prepare: async (preference, remembered) => {
      calls.push({ preference, remembered });
      if (preference !== 'auto') return { requested: preference, name: preference };
      const measured: BackendMeasurement = remembered ? { ...remembered, earlier: true } : { unit: 'step', milliseconds: times };
      return { requested: 'auto', name: fastestMeasured(measured), measured };
    },
  };
  return { worker, calls };
}

describe('the forced backend', () => {
  test("is 'auto' until one is forced, then that one, per screen, across visits", () => {
    const storage = memoryStorage();
    expect(loadPreference('lab', storage)).toBe('auto');
    savePreference('lab', 'cpu', storage);
    expect(loadPreference('lab', storage)).toBe('cpu');
    expect(loadPreference('train', storage)).toBe('auto');
    savePreference('lab', 'auto', storage);
    expect(loadPreference('lab', storage)).toBe('auto');
  });

  test("reads a kept value that is no backend as 'auto', and a storage that refuses as none", () => {
    const storage = memoryStorage();
    storage.items.set('tunelab.backend.train', 'tpu');
    expect(loadPreference('train', storage)).toBe('auto');
    const refusing: ChoiceStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(() => savePreference('train', 'webgl', refusing)).not.toThrow();
    expect(loadPreference('train', refusing)).toBe('auto');
  });

  test('goes to the worker as forced, with no calibration and nothing remembered', async () => {
    const storage = memoryStorage();
    const { worker, calls } = fakeWorker({ cpu: 1, webgpu: 2 });
    expect(await chooseBackend(worker, 'webgl', 'mlp', storage)).toEqual({ requested: 'webgl', name: 'webgl' });
    expect(calls).toEqual([{ preference: 'webgl', remembered: undefined }]);
    expect(storage.items.size).toBe(0);
  });
});

describe('the measured choice', () => {
  test('is the backend with the fewest milliseconds among those measured', () => {
    expect(fastestMeasured({ unit: 'step', milliseconds: { webgpu: 3.1, cpu: 0.7 } })).toBe('cpu');
    expect(fastestMeasured({ unit: 'step', milliseconds: { webgpu: 0.2, webgl: 0.9, cpu: 0.7 } })).toBe('webgpu');
    expect(() => fastestMeasured({ unit: 'step', milliseconds: {} })).toThrow('names no backend');
  });

  test('is measured once per device and shape, then taken from memory', async () => {
    const storage = memoryStorage();
    const { worker, calls } = fakeWorker({ webgpu: 3.1, cpu: 0.7 });
    const first = await chooseBackend(worker, 'auto', '2-16-16-1 batch 32', storage);
    expect(first).toEqual({ requested: 'auto', name: 'cpu', measured: { unit: 'step', milliseconds: { webgpu: 3.1, cpu: 0.7 } } });
    expect(rememberedMeasurement('WebGPU SwiftShader · 2 cores', '2-16-16-1 batch 32', storage)).toEqual({ unit: 'step', milliseconds: { webgpu: 3.1, cpu: 0.7 } });

    const again = await chooseBackend(worker, 'auto', '2-16-16-1 batch 32', storage);
    expect(again.name).toBe('cpu');
    expect(again.measured?.earlier).toBe(true);
    expect(calls[1].remembered).toEqual({ unit: 'step', milliseconds: { webgpu: 3.1, cpu: 0.7 } });

    // Another shape, or another device, measures anew.
    await chooseBackend(worker, 'auto', '9-64-3 batch 128', storage);
    expect(calls[2].remembered).toBeNull();
    const other = fakeWorker({ webgpu: 0.2, cpu: 0.7 }, 'WebGPU NVIDIA · 16 cores');
    expect((await chooseBackend(other.worker, 'auto', '2-16-16-1 batch 32', storage)).name).toBe('webgpu');
    expect(other.calls[0].remembered).toBeNull();
  });

  test('a job too short to time the GPUs for keeps what was measured of every backend', async () => {
    const storage = memoryStorage();
    const device = 'WebGPU SwiftShader · 2 cores';
    rememberMeasurement(device, 'mlp', { unit: 'step', milliseconds: { webgpu: 0.2, cpu: 0.7 } }, storage);
    const short: CalibratingWorker = {
      device: async () => device,
      prepare: async () => ({ requested: 'auto', name: 'cpu', measured: { unit: 'step', milliseconds: { cpu: 0.03 }, units: 5000 } }),
    };
    expect((await chooseBackend(short, 'auto', 'mlp', storage)).name).toBe('cpu');
    expect(rememberedMeasurement(device, 'mlp', storage)).toEqual({ unit: 'step', milliseconds: { webgpu: 0.2, cpu: 0.7 } });
  });

  test('kept in a form it cannot read is measured again and overwritten', async () => {
    const storage = memoryStorage();
    const device = 'WebGPU SwiftShader · 2 cores';
    for (const kept of ['{not json', '{"unit":"step","milliseconds":{"cpu":-1}}', '{"unit":"step","milliseconds":{"tpu":1}}', '{"milliseconds":{"cpu":1}}']) {
      storage.items.set(`tunelab.calibration.${device}|lab`, kept);
      expect(rememberedMeasurement(device, 'lab', storage)).toBeNull();
    }
    const { worker } = fakeWorker({ webgpu: 61, cpu: 18 });
    await chooseBackend(worker, 'auto', 'lab', storage);
    rememberMeasurement(device, 'other', { unit: 'map', milliseconds: { cpu: 5 } }, storage);
    expect(rememberedMeasurement(device, 'lab', storage)).toEqual({ unit: 'step', milliseconds: { webgpu: 61, cpu: 18 } });
    expect(rememberedMeasurement(device, 'other', storage)).toEqual({ unit: 'map', milliseconds: { cpu: 5 } });
  });
});

describe('the badge', () => {
  const info = (extra: Partial<BackendInfo>): BackendInfo => ({ requested: 'auto', name: 'cpu', ...extra });

  test('says what was measured, the chosen backend first', () => {
    expect(describeBackend(info({ measured: { unit: 'step', milliseconds: { webgpu: 3.14, cpu: 0.71 } } }))).toBe('CPU: 0.71 ms/step vs WebGPU 3.1 ms — measured');
    expect(describeBackend(info({ name: 'webgpu', adapter: 'NVIDIA', measured: { unit: 'map', milliseconds: { webgpu: 4.2, cpu: 18.4 } } }))).toBe(
      'WebGPU · NVIDIA: 4.2 ms/map vs CPU 18 ms — measured',
    );
    expect(describeBackend(info({ measured: { unit: 'step', milliseconds: { webgl: 12, cpu: 0.7 }, earlier: true } }))).toBe(
      'CPU: 0.7 ms/step vs WebGL 12 ms — measured on this device before',
    );
    // A run the CPU ends sooner than a GPU would start: its whole time, and why nothing else was timed.
    expect(describeBackend(info({ measured: { unit: 'step', milliseconds: { cpu: 0.04 }, units: 5000 } }))).toBe(
      'CPU: 0.04 ms/step × 5000 ≈ 200 ms — measured; too short for a GPU',
    );
    expect(describeBackend(info({ measured: { unit: 'step', milliseconds: { cpu: 0.25 }, units: 5000 } }))).toBe(
      'CPU: 0.25 ms/step × 5000 ≈ 1.3 s — measured; too short for a GPU',
    );
  });

  test('keeps saying why a backend could not start, and says nothing of measuring where nothing was', () => {
    expect(describeBackend(info({ measured: { unit: 'step', milliseconds: { webgl: 9, cpu: 0.7 } }, fallbackReason: 'WebGPU not supported by this browser' }))).toBe(
      'CPU: 0.7 ms/step vs WebGL 9 ms — measured (WebGPU not supported by this browser)',
    );
    expect(describeBackend(info({ requested: 'cpu' }))).toBe('CPU');
  });
});
