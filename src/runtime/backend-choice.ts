// The page's memory of backends: the one a screen's user forced, and what a calibration
// measured on this device for a shape of work, so that the next visit neither asks again nor
// measures again. Kept in localStorage (small, synchronous, per site); workers have none, so
// the page reads it and hands the worker what it needs.
import { BACKENDS, type BackendInfo, type BackendMeasurement, type BackendName, type BackendPreference } from './backend-types';

/** Where choices are kept: the page's localStorage, or a stand-in in tests. */
export type ChoiceStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The screens that each remember their own forced backend. */
export type BackendScreen = 'train' | 'lab';

/** localStorage where it can be used (a private window or a worker may lack it), else null. */
function pageStorage(): ChoiceStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

const preferenceKey = (screen: BackendScreen) => `tunelab.backend.${screen}`;
const measurementKey = (device: string, shape: string) => `tunelab.calibration.${device}|${shape}`;

function read(storage: ChoiceStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage: ChoiceStorage | null, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // A full or refused storage only costs the memory: the choice still applies now.
  }
}

const isPreference = (value: unknown): value is BackendPreference => value === 'auto' || (BACKENDS as readonly unknown[]).includes(value);

/** The backend the user forced on `screen`, or 'auto' when none was (or what was kept is unreadable). */
export function loadPreference(screen: BackendScreen, storage = pageStorage()): BackendPreference {
  const value = read(storage, preferenceKey(screen));
  return isPreference(value) ? value : 'auto';
}

/** Keeps the backend forced on `screen` ('auto' included) for the next visit. */
export function savePreference(screen: BackendScreen, preference: BackendPreference, storage = pageStorage()): void {
  write(storage, preferenceKey(screen), preference);
}

/** The backend a measurement found fastest. */
export function fastestMeasured({ milliseconds }: BackendMeasurement): BackendName {
  const measured = BACKENDS.filter((b) => Number.isFinite(milliseconds[b]));
  if (measured.length === 0) throw new Error('a measurement names no backend');
  return measured.reduce((a, b) => (milliseconds[b]! < milliseconds[a]! ? b : a));
}

/** Whether a kept value is a measurement: a unit and finite, positive times of known backends. */
function isMeasurement(value: unknown): value is BackendMeasurement {
  if (typeof value !== 'object' || value === null) return false;
  const { unit, milliseconds } = value as Partial<BackendMeasurement>;
  if (typeof unit !== 'string' || typeof milliseconds !== 'object' || milliseconds === null) return false;
  const entries = Object.entries(milliseconds);
  return entries.length > 0 && entries.every(([b, ms]) => (BACKENDS as readonly string[]).includes(b) && typeof ms === 'number' && ms > 0 && Number.isFinite(ms));
}

/** What a calibration measured on `device` for work of `shape`, or null when nothing (readable) is kept. */
export function rememberedMeasurement(device: string, shape: string, storage = pageStorage()): BackendMeasurement | null {
  const text = read(storage, measurementKey(device, shape));
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isMeasurement(value) ? value : null;
  } catch {
    return null;
  }
}

/** Keeps what a calibration measured on `device` for work of `shape`. */
export function rememberMeasurement(device: string, shape: string, measurement: BackendMeasurement, storage = pageStorage()): void {
  write(storage, measurementKey(device, shape), JSON.stringify(measurement));
}

/** A worker that can name its device and select a backend, measured or not (the landscape and training workers). */
export interface CalibratingWorker {
  /** The device in a few words, the same on every visit: the key a measurement is kept under. */
  device(): Promise<string>;
  /**
   * The backend: the forced one; or, for 'auto', the fastest of the available ones by
   * `remembered` when given (and still covering exactly those), else measured on its work.
   */
  prepare(preference: BackendPreference, remembered?: BackendMeasurement | null): Promise<BackendInfo>;
}

/**
 * Selects a worker's backend the way the page wants it: a forced backend as forced; 'auto' by
 * measurement, which is remembered per device and shape so that it runs once.
 *
 * @example
 * const info = await chooseBackend(api, 'auto', 'lab-basin-map');
 * // { requested: 'auto', name: 'cpu', measured: { unit: 'map', milliseconds: { cpu: 18, webgpu: 61 } } }
 */
export async function chooseBackend(worker: CalibratingWorker, preference: BackendPreference, shape: string, storage = pageStorage()): Promise<BackendInfo> {
  if (preference !== 'auto') return worker.prepare(preference);
  const device = await worker.device();
  const remembered = rememberedMeasurement(device, shape, storage);
  const info = await worker.prepare('auto', remembered);
  // A job too short to time the GPUs for says nothing of them: what was measured of every backend stays kept.
  if (info.measured && !info.measured.earlier && info.measured.units === undefined) rememberMeasurement(device, shape, { unit: info.measured.unit, milliseconds: info.measured.milliseconds }, storage);
  return info;
}
