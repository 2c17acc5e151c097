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
