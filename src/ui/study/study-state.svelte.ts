import type { ExperimentSpec } from '../../core/spec/experiment';
import type { StudyRecord, StudySpec, TrialRecord } from '../../core/study/types';
import type { BackendInfo, BackendName } from '../../runtime/backend-types';
import type { StudyStore } from '../../runtime/store';
import { StudyRunner } from '../../runtime/study-runner';
import { defaultWorkers, likelyBackend, workerCap, type WorkerCap } from '../../runtime/worker-cap';

/** Logical cores of this device, as the browser tells them (2 when it does not). */
const CORES = globalThis.navigator?.hardwareConcurrency ?? 2;

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
  /** The backend the worker cap is for: the one the last study ran on here, or the one likely to run. */
  capBackend = $state<BackendName>('webgpu');
  /** The most workers that make sense on {@link capBackend}, and why. */
  readonly cap: WorkerCap = $derived(workerCap(this.capBackend, CORES));
  private runner: StudyRunner | null = null;
  private workersTouched = false;

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
      workers: defaultWorkers(this.capBackend, CORES),
      seed: 1,
      folds: 1,
    };
    void this.refresh();
    void likelyBackend().then((name) => this.setCapBackend(name));
  }

  /**
   * Asks for `n` workers; more than the cap gets the cap and the reason, as a message for the
   * worker field (null when `n` is taken as it is).
   */
  setWorkers(n: number): string | null {
    this.workersTouched = true;
    const wanted = Math.max(1, Math.round(n) || 1);
    this.draft.workers = Math.min(wanted, this.cap.max);
    return wanted > this.cap.max ? `${wanted} asked; at most ${this.cap.max} on ${this.capBackend}: ${this.cap.reason}.` : null;
  }

  private setCapBackend(name: BackendName): void {
    this.capBackend = name;
    if (!this.workersTouched) this.draft.workers = defaultWorkers(name, CORES);
    else this.draft.workers = Math.min(this.draft.workers, this.cap.max);
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
      onBackend: (info) => {
        this.backend = info;
        this.setCapBackend(info.name);
      },
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

  /** Adds a finished Optuna study from its trials_dataframe() CSV or JSON file and opens it; the draft's experiment and objective frame its trials. */
  async importOptuna(file: File): Promise<void> {
    const { importOptunaStudy } = await import('../../runtime/exports');
    const draft = $state.snapshot(this.draft) as StudySpec;
    const record = await importOptunaStudy(this.store, file, draft.base, draft.objective);
    await this.refresh();
    await this.show(record);
  }

  private async refresh(): Promise<void> {
    this.studies = await this.store.listStudies();
  }
}
