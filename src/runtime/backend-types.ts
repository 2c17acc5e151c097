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
}

const BACKEND_LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', cpu: 'CPU' };

/** A one-line description for the backend badge: 'WebGPU · SwiftShader', 'CPU (WebGPU unavailable: …)'. */
export function describeBackend(info: BackendInfo): string {
  const name = BACKEND_LABELS[info.name];
  const withAdapter = info.adapter ? `${name} · ${info.adapter}` : name;
  return info.fallbackReason ? `${withAdapter} (${info.fallbackReason})` : withAdapter;
}
