import * as Comlink from 'comlink';
import type { BasinMap, LrSweep, Trajectory } from '../../core/landscape';
import { labSurface, validateLab, type LabSpec } from '../../core/landscape/lab-spec';
import { resolveSurface } from '../../core/landscape/surface-spec';
import type { Surface } from '../../core/landscape/surfaces';
import type { BackendInfo } from '../../runtime/backend-types';
import { labHash } from '../../runtime/lab-url';
import type { LandscapeWorkerApi } from '../../workers/landscape.worker';

/** Side of the grid the surface is drawn from, and of the basin maps (128 × 128 starts, as the issue of record asks). */
export const SURFACE_RES = 160;
export const BASIN_RES = 128;
/** Learning rates of a sweep, log-spaced from 1e-4 to 10. */
export const SWEEP = { low: 1e-4, high: 10, count: 64 };

/**
 * The landscape lab's state: the setup (mirrored in the URL), the surface's picture, and what the
 * worker computed for the current view. Components read it and call its methods.
 */
export class LabState {
  spec = $state<LabSpec>() as LabSpec;
  /** A refused formula's message and the character it points at; the previous surface stays. */
  formulaError = $state<{ message: string; position?: number; text: string } | null>(null);
  /** Errors of other fields, by path. */
  errors = $state<Record<string, string>>({});
  grid = $state.raw<Float32Array | null>(null);
  paths = $state.raw<Trajectory[]>([]);
  /** Steps of the paths revealed so far (the animation). */
  shown = $state(0);
  playing = $state(false);
  /** Steps revealed per animation frame. */
  speed = $state(1);
  basins = $state.raw<(BasinMap | null)[]>([]);
  /** Which optimizer's basin map is drawn. */
  basinOf = $state(0);
  sweep = $state.raw<LrSweep | null>(null);
  backend = $state<BackendInfo | null>(null);
  busy = $state(false);
  notice = $state<string | null>(null);

  surface = $derived.by((): Surface | null => {
    const r = resolveSurface(labSurface(this.spec));
    return r.ok ? r.surface : null;
  });

  private readonly api: Comlink.Remote<LandscapeWorkerApi>;
  private frame = 0;
  private generation = 0;

  constructor(hash: string) {
    // '#/lab' alone is the default lab; the settings are what follows '?'.
    const { spec, notice } = labHash.decode(hash.includes('?') ? hash : '');
    this.spec = spec;
    this.notice = notice ?? null;
    const worker = new Worker(new URL('../../workers/landscape.worker.ts', import.meta.url), { type: 'module' });
    this.api = Comlink.wrap<LandscapeWorkerApi>(worker);
    void this.api.prepare('auto').then((info) => {
      this.backend = info;
      return this.compute();
    });
  }

  /**
   * Applies an edit: a valid setup replaces the current one (and the link) and is recomputed;
   * an invalid one is refused with its message next to the field, and the picture stays.
   */
  edit(change: (draft: LabSpec) => void): void {
    const draft = structuredClone($state.snapshot(this.spec)) as LabSpec;
    change(draft);
    const result = validateLab(draft);
    if (!result.ok) {
      const formula = result.errors.find((e) => e.path === 'surface');
      if (formula) {
        const r = resolveSurface(draft.surface);
        this.formulaError = { message: formula.message, position: r.ok ? undefined : r.error.position, text: draft.surface };
      }
      this.errors = Object.fromEntries(result.errors.filter((e) => e.path !== 'surface').map((e) => [e.path, e.message]));
      return;
    }
    this.formulaError = null;
    this.errors = {};
    const surfaceChanged = draft.surface !== this.spec.surface || draft.condition !== this.spec.condition || draft.rotation !== this.spec.rotation;
    this.spec = result.spec;
    history.replaceState(null, '', `#/lab?${labHash.encode(result.spec)}`);
    void this.compute(surfaceChanged || !this.grid);
  }

  /** Plays the paths step by step; from the start again when they were all shown. */
  play(): void {
    if (this.shown >= this.spec.steps) this.shown = 0;
    this.playing = true;
    const tick = () => {
      if (!this.playing) return;
      this.shown = Math.min(this.spec.steps, this.shown + this.speed);
      if (this.shown >= this.spec.steps) this.playing = false;
      else this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  /** Stops the animation where it is. */
  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.frame);
  }

  /** Shows one more step. */
  step(): void {
    this.pause();
    this.shown = Math.min(this.spec.steps, this.shown + 1);
  }

  private async compute(surfaceChanged = true): Promise<void> {
    const generation = ++this.generation;
    const spec = $state.snapshot(this.spec) as LabSpec;
    const surface = labSurface(spec);
    this.busy = true;
    await this.api.cancel();
    try {
      if (surfaceChanged) {
        const values = await this.api.surfaceGrid(surface, SURFACE_RES);
        if (generation === this.generation) this.grid = flipRows(values, SURFACE_RES);
      }
      if (spec.view === 'paths') {
        const paths = await this.api.trajectories(spec.optimizers.map((optimizer) => ({ surface, optimizer, start: spec.start, steps: spec.steps })));
        if (generation !== this.generation) return;
        this.paths = paths;
        this.shown = 0;
        this.play();
      } else if (spec.view === 'basins') {
        this.basins = spec.optimizers.map(() => null);
        for (const [k, optimizer] of spec.optimizers.entries()) {
          const map = await this.api.basinMap({ surface, optimizer, grid: { size: BASIN_RES }, steps: spec.steps });
          if (generation !== this.generation) return;
          this.basins = this.basins.map((b, i) => (i === k ? map : b));
        }
      } else {
        const sweep = await this.api.lrSweep({ surface, optimizer: spec.optimizers[0], start: spec.start, steps: spec.steps, lrs: SWEEP });
        if (generation === this.generation) this.sweep = sweep;
      }
    } catch (error) {
      if (generation === this.generation && !String(error).includes('abort')) this.notice = `The computation stopped: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      if (generation === this.generation) this.busy = false;
    }
  }
}

/** Rows reversed: the engine's grids start at the lowest y, pictures at the top. */
function flipRows(values: Float32Array, size: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < size; r++) out.set(values.subarray(r * size, (r + 1) * size), (size - 1 - r) * size);
  return out;
}
