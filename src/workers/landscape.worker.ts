// Comlink adapter for the landscape lab: selects the backend and runs core/landscape's paths,
// basin maps, sweeps and surface grids, one request at a time, cancellable.
import * as Comlink from 'comlink';
import { basinMap, lrSweep, surfaceGrid, trajectory, type BasinMapSpec, type LrSweepSpec, type SurfaceInput, type TrajectorySpec } from '../core/landscape';
import type { Domain } from '../core/landscape/surfaces';
import { selectBackend } from '../runtime/backend';
import type { BackendPreference } from '../runtime/backend-types';

let abort = new AbortController();

/** Runs `work` with a fresh abort signal, so that cancel() stops what runs now. */
function cancellable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  abort = new AbortController();
  return work(abort.signal);
}

const api = {
  prepare: (preference: BackendPreference) => selectBackend(preference),
  trajectories: (specs: TrajectorySpec[]) => cancellable((signal) => Promise.all(specs.map((s) => trajectory(s, { signal })))),
  basinMap: (spec: BasinMapSpec) => cancellable(async (signal) => {
    const map = await basinMap(spec, { signal });
    return Comlink.transfer(map, [map.labels.buffer]);
  }),
  lrSweep: (spec: LrSweepSpec) => cancellable((signal) => lrSweep(spec, { signal })),
  surfaceGrid: async (surface: SurfaceInput, size: number, domain?: Domain) => {
    const grid = await surfaceGrid(surface, size, domain);
    return Comlink.transfer(grid, [grid.buffer]);
  },
  /** Stops the running request at its next chunk of steps. */
  cancel: () => abort.abort(),
};

/** The landscape worker's interface, as the page sees it through Comlink. */
export type LandscapeWorkerApi = typeof api;

Comlink.expose(api);
