/** The tfjs backends tunelab can run on, fastest first. */
export const BACKENDS = ['webgpu', 'webgl', 'cpu'] as const;
/** One of {@link BACKENDS}. */
export type BackendName = (typeof BACKENDS)[number];
/** What the user asked for: the best available, or one backend forced. */
export type BackendPreference = 'auto' | BackendName;

/** The backend that actually ran, recorded with every run; `fallbackReason` says why it is not the one asked for or the first choice. */
export interface BackendInfo {
  requested: BackendPreference;
  name: BackendName;
  /** The GPU adapter's description, where WebGPU gives one. */
  adapter?: string;
  fallbackReason?: string;
  /** For 'auto' where more than one backend was available: what the calibration that chose it measured. */
  measured?: BackendMeasurement;
}

/**
 * What a calibration measured: milliseconds per `unit` of work (a training step, a basin map)
 * on each backend that ran it; `earlier` when it was read from this device's memory rather
 * than measured now; `units` when the whole job was so short on the CPU (that many units) that
 * no other backend was timed.
 */
export interface BackendMeasurement {
  unit: string;
  milliseconds: Partial<Record<BackendName, number>>;
  earlier?: boolean;
  units?: number;
}

const BACKEND_LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', cpu: 'CPU' };

/** Milliseconds as a badge shows them: two significant digits, whole from 10 on. */
function formatMs(ms: number): string {
  return ms >= 10 ? String(Math.round(ms)) : String(Number(ms.toPrecision(2)));
}

/** A duration as a badge shows it: milliseconds below a second, else seconds to two significant digits. */
function formatDuration(ms: number): string {
  return ms < 1000 ? `${formatMs(ms)} ms` : `${Number((ms / 1000).toPrecision(2))} s`;
}

/** What chose the backend, in words: 'CPU: 0.7 ms/step vs WebGPU 3.1 ms — measured'. */
function describeMeasurement(info: BackendInfo, measured: BackendMeasurement): string {
  const own = measured.milliseconds[info.name];
  if (measured.units !== undefined && own !== undefined) {
    return `: ${formatMs(own)} ms/${measured.unit} × ${measured.units} ≈ ${formatDuration(own * measured.units)} — measured; too short for a GPU`;
  }
  const others = BACKENDS.filter((b) => b !== info.name && measured.milliseconds[b] !== undefined).map((b) => `${BACKEND_LABELS[b]} ${formatMs(measured.milliseconds[b]!)} ms`);
  const head = own === undefined ? '' : `: ${formatMs(own)} ms/${measured.unit}`;
  return `${head}${others.length ? ` vs ${others.join(', ')}` : ''} — measured${measured.earlier ? ' on this device before' : ''}`;
}

/** A one-line description for the backend badge: 'WebGPU · SwiftShader', 'CPU (WebGPU unavailable: …)', 'CPU: 0.7 ms/step vs WebGPU 3.1 ms — measured'. */
export function describeBackend(info: BackendInfo): string {
  const name = BACKEND_LABELS[info.name];
  const withAdapter = info.adapter ? `${name} · ${info.adapter}` : name;
  const measured = info.measured ? describeMeasurement(info, info.measured) : '';
  return info.fallbackReason ? `${withAdapter}${measured} (${info.fallbackReason})` : `${withAdapter}${measured}`;
}
