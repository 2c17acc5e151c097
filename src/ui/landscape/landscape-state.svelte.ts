import type { Interpolation } from '../../core/landscape/trained';
import { requestProblems, SLICE_GRID, type RequestProblem, type TrainedLandscapeRequest } from '../../core/landscape/trained-request';
import type { BackendInfo } from '../../runtime/backend-types';
import type { RunRecord, RunStore } from '../../runtime/store';
import { TrainedLandscapeClient } from '../../runtime/trained-landscape-client';
import type { SliceResult } from '../../workers/trained-landscape.worker';

/** The figures of the screen, each computed on its own: a change of the slice's grid does not redo the line. */
export type Figure = 'line' | 'slice' | 'sharpness';
const ALL_FIGURES: Figure[] = ['line', 'slice', 'sharpness'];

/** The run a `#/landscape?run=<id>` link names, if any. */
export function runIdOfLink(hash: string): string | null {
  return new URLSearchParams(hash.split('?')[1] ?? '').get('run');
}

/**
 * The landscape screen's state: which saved run it shows, how (the other end of the line, the
 * slice's directions, seed and grid), and the figures computed for it in the worker.
 */
export class LandscapeState {
  runs = $state.raw<RunRecord[]>([]);
  runId = $state<string | null>(null);
  request = $state<TrainedLandscapeRequest>({ compareWith: 'initial', directions: 'pca', seed: 1, res: SLICE_GRID.initial });
  logScale = $state(false);
  problems = $state.raw<RequestProblem[]>([]);
  interpolation = $state.raw<Interpolation | null>(null);
  slice = $state.raw<SliceResult | null>(null);
  sharpness = $state.raw<{ value: number; iterations: number } | null>(null);
  backend = $state.raw<BackendInfo | null>(null);
  /** What the worker is computing now, for the screen to say; null when idle. */
  busy = $state<string | null>(null);
  failure = $state<string | null>(null);
  /** The saved run shown. */
  run = $derived(this.runs.find((r) => r.id === this.runId) ?? null);
  /** Saved runs that could be the other end of the line: every other run with weights. */
  others = $derived(this.runs.filter((r) => r.id !== this.runId && r.weights));

  private readonly client = new TrainedLandscapeClient();
  /** Bumped by every new computation: the results of an older one are dropped. */
  private generation = 0;

  constructor(private readonly store: RunStore, runId: string | null) {
    this.runId = runId;
  }

  /** Reads the saved runs; opens the newest with weights when no run was named. */
  async load(): Promise<void> {
    this.runs = await this.store.listRuns();
    if (!this.runId) this.runId = this.runs.find((r) => r.weights)?.id ?? this.runs[0]?.id ?? null;
    await this.compute();
  }

  /** Shows another run, taking its initial weights as the line's other end. */
  async open(runId: string): Promise<void> {
    this.runId = runId;
    this.request.compareWith = 'initial';
    await this.compute();
  }

  /** Changes the request and computes again the figures it changes (the log scale only redraws). */
  async edit(change: (request: TrainedLandscapeRequest) => void, figures: Figure[]): Promise<void> {
    change(this.request);
    await this.compute(figures);
  }

  /** The message of the problem with `field`, if any. */
  problemWith(field: RequestProblem['field']): string | undefined {
    return this.problems.find((p) => p.field === field)?.message;
  }

  /** The `figures` of the run as the request asks (all by default); a figure whose control has a problem is cleared. */
  async compute(figures: Figure[] = ALL_FIGURES): Promise<void> {
    const run = this.run;
    const generation = ++this.generation;
    this.failure = null;
    if (!run) return;
    const request = $state.snapshot(this.request) as TrainedLandscapeRequest;
    const other = request.compareWith === 'initial' ? null : (this.runs.find((r) => r.id === (request.compareWith as { runId: string }).runId) ?? null);
    this.problems = requestProblems(request, run, request.compareWith === 'initial' ? undefined : other);
    const blocked = (field: RequestProblem['field']) => this.problems.some((p) => p.field === field || p.field === 'run');
    const current = () => generation === this.generation;
    try {
      this.backend = await this.client.backendInfo();
      if (figures.includes('line')) this.interpolation = null;
      if (figures.includes('line') && !blocked('compareWith')) {
        this.busy = 'the 1-D line';
        const line = await this.client.interpolation(run, other);
        if (!current()) return;
        this.interpolation = line;
      }
      if (figures.includes('slice')) this.slice = null;
      if (figures.includes('slice') && !blocked('res') && !blocked('directions')) {
        this.busy = `the ${request.res} × ${request.res} slice`;
        const slice = await this.client.slice(run, request.directions, request.seed, request.res);
        if (!current()) return;
        this.slice = slice;
      }
      if (figures.includes('sharpness')) this.sharpness = null;
      if (figures.includes('sharpness') && !blocked('run')) {
        this.busy = 'the sharpness';
        const sharpness = await this.client.sharpness(run);
        if (!current()) return;
        this.sharpness = sharpness;
      }
    } catch (error) {
      if (current()) this.failure = error instanceof Error ? error.message : String(error);
    } finally {
      if (current()) this.busy = null;
    }
  }

  /** Ends the worker (the screen is leaving). */
  dispose(): void {
    this.generation++;
    this.client.dispose();
  }
}
