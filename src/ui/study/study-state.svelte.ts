import type { ExperimentSpec } from '../../core/spec/experiment';
import type { StudyRecord, StudySpec, TrialRecord } from '../../core/study/types';
import type { BackendInfo } from '../../runtime/backend-types';
import type { StudyStore } from '../../runtime/store';
import { StudyRunner } from '../../runtime/study-runner';

/** Workers a study proposes: one per core beyond the page's own, at most four. */
export const DEFAULT_WORKERS = Math.max(1, Math.min(4, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1));

/**
 * The study screen's state: the study being set up, the saved studies, and the one open with
 * its trials as they arrive. The runner does the work; this forwards and keeps what it shows.
 */
export class StudyState {
  draft = $state<StudySpec>() as StudySpec;
  studies = $state.raw<StudyRecord[]>([]);
  open = $state<StudyRecord | null>(null);
  trials = $state.raw<TrialRecord[]>([]);
  status = $state<StudyRecord['status'] | null>(null);
  backend = $state<BackendInfo | null>(null);
  error = $state<string | null>(null);
  private runner: StudyRunner | null = null;

  constructor(
    private readonly store: StudyStore,
    base: ExperimentSpec,
  ) {
    this.draft = {
      version: 1,
      name: 'Learning rate and momentum',
      base: { ...base, optimizer: { kind: 'momentum', lr: 0.01 }, training: { ...base.training, epochs: 20 } },
      space: {
        'optimizer.lr': { type: 'float', low: 1e-3, high: 1, log: true },
        'optimizer.momentum': { type: 'float', low: 0, high: 0.99 },
      },
      sampler: { kind: 'random' },
      pruner: { kind: 'median' },
      objective: { metric: 'valLoss', direction: 'minimize' },
      nTrials: 24,
      workers: DEFAULT_WORKERS,
      seed: 1,
    };
    void this.refresh();
  }

  /** Whether a study is running in this page. */
  get running(): boolean {
    return this.runner !== null;
  }

  /** Creates the study from the draft and runs it. */
  async start(): Promise<void> {
    const record = await this.store.createStudy($state.snapshot(this.draft) as StudySpec);
    await this.refresh();
    await this.run(record);
  }

  /** Opens a saved study and shows its trials. */
  async show(record: StudyRecord): Promise<void> {
    this.open = record;
    this.status = record.status;
    this.trials = await this.store.listTrials(record.id);
  }

  /** Runs (or resumes, after a reload) a saved study. */
  async run(record: StudyRecord): Promise<void> {
    if (this.runner) return;
    await this.show(record);
    this.error = null;
    const runner = new StudyRunner(this.store, record, {
      onTrials: (trials) => (this.trials = trials),
      onStatus: (status) => (this.status = status),
      onBackend: (info) => (this.backend = info),
    });
    this.runner = runner;
    try {
      await runner.run();
    } catch (error) {
      this.error = `The study stopped: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.runner = null;
      await this.refresh();
    }
  }

  /** Stops handing out trials. */
  pause(): void {
    this.runner?.pause();
  }
  /** Hands out trials again. */
  resume(): void {
    this.runner?.resume();
  }
  /** Ends the study. */
  cancel(): void {
    this.runner?.cancel();
  }

  /** Deletes a saved study and its trials. */
  async remove(id: string): Promise<void> {
    await this.store.deleteStudy(id);
    if (this.open?.id === id) {
      this.open = null;
      this.trials = [];
    }
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    this.studies = await this.store.listStudies();
  }
}
