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
  /** Bumped by every new computation of a figure: the results of an older one are dropped. */
  private readonly generations: Record<Figure, number> = { line: 0, slice: 0, sharpness: 0 };
  /** Figures being computed now. */
  private pending = 0;

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

  /**
   * The `figures` of the run as the request asks (all by default), one after another; a figure
   * whose control has a problem is cleared. A newer request for a figure drops an older one's
   * result for it, and only for it.
   */
  async compute(figures: Figure[] = ALL_FIGURES): Promise<void> {
    const run = this.run;
    this.failure = null;
    if (!run) return;
    const request = $state.snapshot(this.request) as TrainedLandscapeRequest;
    const other = request.compareWith === 'initial' ? null : (this.runs.find((r) => r.id === (request.compareWith as { runId: string }).runId) ?? null);
    this.problems = requestProblems(request, run, request.compareWith === 'initial' ? undefined : other);
    const blocked = (field: RequestProblem['field']) => this.problems.some((p) => p.field === field || p.field === 'run');
    const jobs: Record<Figure, { blocked: boolean; what: string; work: () => Promise<unknown>; show: (result: never) => void }> = {
      line: { blocked: blocked('compareWith'), what: 'the 1-D line', work: () => this.client.interpolation(run, other), show: (r: Interpolation | null) => (this.interpolation = r) },
      slice: {
        blocked: blocked('res') || blocked('directions'), what: `the ${request.res} × ${request.res} slice`,
        work: () => this.client.slice(run, request.directions, request.seed, request.res), show: (r: SliceResult | null) => (this.slice = r),
      },
      sharpness: { blocked: blocked('run'), what: 'the sharpness', work: () => this.client.sharpness(run), show: (r: { value: number; iterations: number } | null) => (this.sharpness = r) },
    };
    for (const figure of figures) {
      const mine = ++this.generations[figure];
      const job = jobs[figure];
      job.show(null as never);
      if (job.blocked) continue;
      this.pending++;
      this.busy = job.what;
      try {
        this.backend = await this.client.backendInfo();
        const result = await job.work();
        if (mine === this.generations[figure]) job.show(result as never);
      } catch (error) {
        if (mine === this.generations[figure]) this.failure = error instanceof Error ? error.message : String(error);
      } finally {
        if (--this.pending === 0) this.busy = null;
      }
    }
  }

  /** Ends the worker (the screen is leaving). */
  dispose(): void {
    ALL_FIGURES.forEach((f) => this.generations[f]++);
    this.client.dispose();
  }
}
