// Comlink adapter for the landscape lab: selects the backend and runs core/landscape's paths,
// basin maps, sweeps and surface grids, one request at a time, cancellable, with progress.
import * as tf from '@tensorflow/tfjs-core';
import * as Comlink from 'comlink';
import { basinMap, lrSweep, resolveSurface, surfaceGrid, trajectory, type BasinMapSpec, type LrSweep, type LrSweepSpec, type SurfaceInput, type SurfaceSpec, type TrajectorySpec } from '../core/landscape';
import { timeLabMap } from '../core/landscape/calibrate';
import { descend, type RunControl } from '../core/landscape/descent';
import type { Domain } from '../core/landscape/surfaces';
import { describeDevice, selectBackend, selectMeasured } from '../runtime/backend';
import type { BackendInfo, BackendMeasurement, BackendPreference } from '../runtime/backend-types';

/** Told the steps done so far, every chunk of steps. */
type Progress = (stepsDone: number) => void;

let abort = new AbortController();

/** Runs `work` with a fresh abort signal, so that cancel() stops what runs now. */
function cancellable<T>(onProgress: Progress | undefined, work: (control: RunControl) => Promise<T>): Promise<T> {
  abort = new AbortController();
  return work({ signal: abort.signal, onProgress });
}

/** A sweep with every run's path: the numbers of core's lrSweep and, for the curves, f and the points at every step. */
export interface SweepWithRuns {
  sweep: LrSweep;
  /** f along every run, step-major: (steps + 1) × lrs. */
  values: Float32Array;
  /** Points of every run, step-major: (steps + 1) × lrs × 2. */
  path: Float32Array;
}

/**
 * The backend for the lab: the one asked for when forced; for 'auto', whichever of WebGPU and
 * the cpu runs a small basin map faster here (WebGL runs the lab on the cpu's WebAssembly, so
 * it is not a third contender), by `remembered` when this device measured it before.
 */
function prepare(preference: BackendPreference, remembered?: BackendMeasurement | null): Promise<BackendInfo> {
  if (preference !== 'auto') return selectBackend(preference);
  return selectMeasured(['webgpu', 'cpu'], { unit: 'map', time: () => timeLabMap() }, remembered);
}

const api = {
  prepare,
  device: describeDevice,
  /** Milliseconds of the lab's calibration map on the backend the worker runs: what sizes are offered by. */
  timeMap: () => timeLabMap(),
  trajectories: (specs: TrajectorySpec[], onProgress?: Progress) =>
    cancellable(onProgress, (control) => Promise.all(specs.map((s) => trajectory(s, control)))),
  basinMap: (spec: BasinMapSpec, onProgress?: Progress) =>
    cancellable(onProgress, async (control) => {
      const map = await basinMap(spec, control);
      return Comlink.transfer(map, [map.labels.buffer]);
    }),
  lrSweep: (spec: LrSweepSpec, onProgress?: Progress) => cancellable(onProgress, (control) => lrSweep(spec, control)),
  /**
   * lrSweep's result plus every run step by step, from a second batched run of the same rates
   * (same starts, same rules), so the page can tell zig-zagging runs and draw loss curves.
   */
  sweepWithRuns: (spec: LrSweepSpec & { surface: SurfaceSpec; lrs: number[] }, onProgress?: Progress) =>
    cancellable(onProgress, async (control): Promise<SweepWithRuns> => {
      const sweep = await lrSweep(spec, control);
      const resolved = resolveSurface(spec.surface);
      if (!resolved.ok) throw new Error(resolved.error.message);
      const starts = new Float64Array(2 * sweep.lrs.length);
      for (let r = 0; r < sweep.lrs.length; r++) starts.set(spec.start, 2 * r);
      const runs = await descend({
        surface: resolved.surface,
        optimizer: spec.optimizer,
        starts,
        steps: spec.steps,
        lrs: Float64Array.from(sweep.lrs),
        recordPath: true,
        control,
      });
      const [values, path] = [Float32Array.from(runs.pathValues!), Float32Array.from(runs.path!)];
      return Comlink.transfer({ sweep, values, path }, [values.buffer, path.buffer]);
    }),
  surfaceGrid: async (surface: SurfaceInput, size: number, domain?: Domain) => {
    const grid = await surfaceGrid(surface, size, domain);
    return Comlink.transfer(grid, [grid.buffer]);
  },
  /** Stops the running request at its next chunk of steps. */
  cancel: () => abort.abort(),
  /** Tensors alive in the worker: back to its baseline after every request, finished or cancelled. */
  tensorCount: () => tf.memory().numTensors,
};

/** The landscape worker's interface, as the page sees it through Comlink. */
export type LandscapeWorkerApi = typeof api;

/** The adapter, as workers/tensor.worker exposes it to a worker named 'landscape'. */
export { api as landscapeApi };
