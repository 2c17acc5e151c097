import { logSpace, resolveSurface, type BasinMap, type Surface, type Trajectory } from '../../core/landscape';
import { labSurface, sweepRange, type LabSpec } from '../../core/landscape/lab-spec';
import { findLesson, validateLessonLab } from '../../core/landscape/lessons';
import type { BackendInfo } from '../../runtime/backend-types';
import { CancelledError, LandscapeClient } from '../../runtime/landscape-client';
import { decodeLab, encodeLab } from './lab-link';
import { classifySweep, pickCurveLrs, type SweepRegion, type SweepRuns } from './sweep-regions';

/** Side of the grid the surface is drawn from. */
export const SURFACE_RES = 160;

/** How fast the paths are revealed, in steps per second. */
export const SPEEDS = { slow: 15, normal: 60, fast: 250 } as const;

/** A sweep of one optimizer, with the regime of each rate. */
export interface OptimizerSweep {
  runs: SweepRuns;
  threshold?: number;
  regions: SweepRegion[];
}

/** What is being computed, for the progress line. */
export interface Progress {
  label: string;
  done: number;
  total: number;
}

/** Rows reversed: the engine's grids start at the lowest y, pictures at the top. */
export function flipRows(values: Float32Array, size: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < size; r++) out.set(values.subarray(r * size, (r + 1) * size), (size - 1 - r) * size);
  return out;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The landscape lab's state: the setup (mirrored in the URL hash), the surface's picture, and
 * what the worker computed for it. Components read it and call its methods; edits that fail
 * validation leave the setup, and the picture, as they were.
 */
export class LabState {
  spec = $state<LabSpec>() as LabSpec;
  /** A refused formula, its message and the character it points at; the previous surface stays. */
  formulaError = $state<{ message: string; position?: number; text: string } | null>(null);
  /** Messages of refused edits, by field path. */
  errors = $state<Record<string, string>>({});
  /** A link that could not be read in full, or a computation that failed. */
  notice = $state<string | null>(null);
  backend = $state<BackendInfo | null>(null);
  /** The surface's heights, row 0 at the top, SURFACE_RES per side. */
  grid = $state.raw<Float32Array | null>(null);
  paths = $state.raw<Trajectory[]>([]);
  basins = $state.raw<(BasinMap | null)[]>([]);
  sweeps = $state.raw<(OptimizerSweep | null)[]>([]);
  /** Steps of the paths revealed so far (the animation), fractional between frames. */
  shown = $state(0);
  playing = $state(false);
  speed = $state<keyof typeof SPEEDS>('normal');
  progress = $state<Progress | null>(null);

  /** The surface as drawn: metadata of the current (valid) setup. */
  surface = $derived.by((): Surface => {
    const r = resolveSurface(labSurface(this.spec));
    if (!r.ok) throw new Error(r.error.message); // validated setups always resolve
    return r.surface;
  });
  /** The lesson the setup came from, if it is a known one. */
  lesson = $derived(findLesson(this.spec.lesson));
  /** The learning rates whose loss curves the sweep overlays: the setup's, or one per regime. */
  curveLrs = $derived.by(() => {
    const focused = this.sweeps[this.spec.focus];
    if (this.spec.curves.length || !focused) return this.spec.curves;
    return pickCurveLrs(focused.runs.lrs, focused.regions);
  });

  private readonly client = new LandscapeClient('auto');
  private done = { grid: '', paths: '', basins: '', sweep: '' };
  private frame = 0;
  private lastFrame = 0;
  /** The computations that follow a dragged control, one at a time; `again` when the setup moved on meanwhile. */
  private live: Promise<void> | null = null;
  private again = false;

  constructor(hash: string) {
    this.spec = this.read(hash);
    void this.client.backendInfo().then(
      (info) => (this.backend = info),
      (error) => (this.notice = `No computing backend could start: ${errorText(error)}`),
    );
    this.writeHash();
    void this.compute();
  }

  /** Loads the setup of a link (the user pasted one, or pressed back). */
  openLink(hash: string): void {
    if (hash === encodeLab(this.spec)) return;
    this.spec = this.read(hash);
    this.formulaError = null;
    this.errors = {};
    void this.compute();
  }

  /**
   * Applies an edit: a valid setup replaces the current one, the link and the picture; an
   * invalid one is refused with its message next to the field. `keepLesson` keeps the lesson's
   * text for edits its text invites (a new start, another view).
   */
  edit(change: (draft: LabSpec) => void, keepLesson = false): boolean {
    const draft = $state.snapshot(this.spec) as LabSpec;
    change(draft);
    if (!keepLesson) Object.assign(draft, { lesson: '', lessonStep: 0 });
    draft.focus = Math.min(draft.focus, draft.optimizers.length - 1);
    const result = validateLessonLab(draft);
    if (!result.ok) {
      const formula = result.errors.find((e) => e.path === 'surface');
      if (formula) {
        const r = resolveSurface(draft.surface);
        this.formulaError = { message: formula.message, position: r.ok ? undefined : r.error.position, text: draft.surface };
      }
      this.errors = Object.fromEntries(result.errors.filter((e) => e.path !== 'surface').map((e) => [e.path, e.message]));
      return false;
    }
    this.formulaError = null;
    this.errors = {};
    this.spec = result.spec;
    this.writeHash();
    void this.compute();
    return true;
  }

  /**
   * Applies a control's value while it moves (a slider being dragged): the paths and the view
   * are recomputed as fast as the worker goes, one computation at a time, each result replacing
   * the previous one only when it is ready. The link is written when the control is let go,
   * by {@link edit}. Invalid values are ignored.
   */
  drag(change: (draft: LabSpec) => void): void {
    const draft = $state.snapshot(this.spec) as LabSpec;
    change(draft);
    Object.assign(draft, { lesson: '', lessonStep: 0 });
    const result = validateLessonLab(draft);
    if (!result.ok) return;
    this.spec = result.spec;
    if (this.live) {
      this.again = true;
      return;
    }
    this.live = (async () => {
      do {
        this.again = false;
        await this.compute(true);
      } while (this.again);
      this.live = null;
    })();
  }

  /** Opens a lesson at its first step: its setup, its text, its link. */
  openLesson(id: string): void {
    if (findLesson(id)) this.goToStep(id, 1);
  }

  /** Shows step `step` (from 1) of a lesson's narrative: the step's whole setup, whatever was changed before. */
  goToStep(id: string, step: number): void {
    const setup = findLesson(id)?.steps[step - 1]?.setup;
    if (setup) this.edit((d) => Object.assign(d, structuredClone(setup)), true);
  }

  /** The open lesson's next step; false when there is none to go to. */
  nextStep(): boolean {
    const lesson = this.lesson;
    if (!lesson || this.spec.lessonStep >= lesson.steps.length) return false;
    this.goToStep(lesson.id, this.spec.lessonStep + 1);
    return true;
  }

  /** The open lesson's step before; false when there is none. */
  previousStep(): boolean {
    const lesson = this.lesson;
    if (!lesson || this.spec.lessonStep <= 1) return false;
    this.goToStep(lesson.id, this.spec.lessonStep - 1);
    return true;
  }

  /** Plays the paths step by step; from the start again when they were all shown. */
  play(): void {
    if (this.shown >= this.spec.steps) this.shown = 0;
    this.playing = true;
    this.lastFrame = performance.now();
    cancelAnimationFrame(this.frame);
    const tick = (now: number) => {
      if (!this.playing) return;
      this.shown = Math.min(this.spec.steps, this.shown + ((now - this.lastFrame) / 1000) * SPEEDS[this.speed]);
      this.lastFrame = now;
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
    this.shown = Math.min(this.spec.steps, Math.floor(this.shown) + 1);
  }

  /** Shows the whole paths at once. */
  showAll(): void {
    this.pause();
    this.shown = this.spec.steps;
  }

  /** Stops the running computation; what was computed before stays. */
  cancel(): void {
    this.client.cancel();
    this.progress = null;
  }

  /** Ends the worker and the animation (the screen is leaving). */
  dispose(): void {
    this.pause();
    this.client.dispose();
  }

  private read(hash: string): LabSpec {
    const { spec, notice } = decodeLab(hash);
    this.notice = notice ?? null;
    return spec;
  }

  private writeHash(): void {
    history.replaceState(history.state, '', encodeLab(this.spec));
  }

  /**
   * A progress listener for the phase `label`: the worker's last report may arrive after the
   * result (another message channel), so a report for a phase that is over is dropped.
   */
  private follow(label: string, total: number) {
    return (done: number) => {
      if (this.progress?.label === label) this.progress = { label, done, total };
    };
  }

  /**
   * Computes what the current view needs and is not yet computed for this setup, in the worker.
   * `live` (a control being dragged): what was drawn stays until its replacement is ready, and
   * the paths are shown whole at once.
   */
  private async compute(live = false): Promise<void> {
    const spec = $state.snapshot(this.spec) as LabSpec;
    const surface = labSurface(spec);
    const keys = {
      grid: JSON.stringify(surface),
      paths: JSON.stringify([surface, spec.optimizers, spec.start, spec.steps]),
      basins: JSON.stringify([surface, spec.optimizers, spec.steps, spec.grid]),
      sweep: JSON.stringify([surface, spec.optimizers, spec.start, spec.steps, spec.rates]),
    };
    try {
      if (keys.grid !== this.done.grid) {
        this.progress = { label: 'Drawing the surface', done: 0, total: 1 };
        this.grid = flipRows(await this.client.surfaceGrid(surface, SURFACE_RES), SURFACE_RES);
        this.done.grid = keys.grid;
      }
      if (keys.paths !== this.done.paths) {
        if (!live) {
          this.pause();
          this.paths = [];
        }
        this.progress = { label: 'Computing the paths', done: 0, total: spec.steps };
        const paths = await this.client.trajectories(
          spec.optimizers.map((optimizer) => ({ surface, optimizer, start: spec.start, steps: spec.steps })),
          this.follow('Computing the paths', spec.steps),
        );
        this.paths = paths;
        this.done.paths = keys.paths;
        if (live) this.showAll();
        else {
          this.shown = 0;
          this.play();
        }
      }
      if (spec.view === 'basins' && keys.basins !== this.done.basins) {
        if (!live) this.basins = spec.optimizers.map(() => null);
        // The optimizer in focus first: its map is the one drawn.
        const order = spec.optimizers.map((_, k) => k).sort((a, b) => (a === spec.focus ? -1 : b === spec.focus ? 1 : a - b));
        for (const [n, k] of order.entries()) {
          const label = `Basin map ${n + 1} of ${order.length} (${spec.grid}×${spec.grid} starts)`;
          this.progress = { label, done: 0, total: spec.steps };
          const map = await this.client.basinMap(
            { surface, optimizer: spec.optimizers[k], grid: { size: spec.grid }, steps: spec.steps },
            this.follow(label, spec.steps),
          );
          this.basins = spec.optimizers.map((_, i) => (i === k ? map : (this.basins[i] ?? null)));
        }
        this.done.basins = keys.basins;
      }
      if (spec.view === 'sweep' && keys.sweep !== this.done.sweep) {
        if (!live) this.sweeps = spec.optimizers.map(() => null);
        const lrs = logSpace(sweepRange(spec));
        for (const [k, optimizer] of spec.optimizers.entries()) {
          const label = `Sweep ${k + 1} of ${spec.optimizers.length} (${lrs.length} learning rates)`;
          this.progress = { label, done: 0, total: 2 * spec.steps };
          // Two batched runs: lrSweep's, then the one that records every step.
          let phase = 0;
          const { sweep, values, path } = await this.client.sweep({ surface, optimizer, start: spec.start, steps: spec.steps, lrs }, (done) => {
            this.progress = { label, done: phase + done, total: 2 * spec.steps };
            if (done === spec.steps) phase = spec.steps;
          });
          const runs: SweepRuns = { lrs: sweep.lrs, diverged: sweep.diverged, steps: spec.steps, values, path };
          const result: OptimizerSweep = { runs, threshold: sweep.threshold, regions: classifySweep(runs) };
          this.sweeps = spec.optimizers.map((_, i) => (i === k ? result : (this.sweeps[i] ?? null)));
        }
        this.done.sweep = keys.sweep;
      }
      this.progress = null;
    } catch (error) {
      if (error instanceof CancelledError) return;
      this.progress = null;
      this.notice = `The computation stopped: ${errorText(error)}`;
    }
  }
}
