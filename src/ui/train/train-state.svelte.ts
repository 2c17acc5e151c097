import { generateDataset } from '../../core/data/generators';
import { splitDataset } from '../../core/data/split';
import type { ExperimentSpec } from '../../core/spec/experiment';
import { validateExperiment, type FieldError } from '../../core/spec/schema';
import type { StepUnit } from '../../core/train/controller';
import type { RunProgress } from '../../core/train/run';
import type { EpochMetrics, RunStatus } from '../../core/train/types';
import type { BackendInfo, BackendPreference } from '../../runtime/backend-types';
import type { RunRecord, RunStore } from '../../runtime/store';
import { TrainClient } from '../../runtime/train-client';

/** Side of the decision-boundary grid the worker predicts on. */
export const GRID_SIZE = 64;

/**
 * The training screen's state and actions: the experiment being edited, the run in progress,
 * and the saved runs. Components read its fields and call its methods; the work happens in
 * the worker (through TrainClient) and the store.
 */
export class TrainState {
  spec = $state<ExperimentSpec>() as ExperimentSpec;
  errors = $state<FieldError[]>([]);
  status = $state<RunStatus | 'idle'>('idle');
  epoch = $state(0);
  batchInEpoch = $state(0);
  batchesPerEpoch = $state(0);
  metrics = $state.raw<EpochMetrics[]>([]);
  grid = $state.raw<Float32Array | null>(null);
  weights = $state.raw<Float32Array[] | null>(null);
  backend = $state<BackendInfo | null>(null);
  preference = $state<BackendPreference>('auto');
  runs = $state.raw<RunRecord[]>([]);
  /** The saved run the screen shows, when one was opened or is training. */
  currentRunId = $state<string | null>(null);
  /** Ids of saved runs whose loss curves are overlaid. */
  overlay = $state<string[]>([]);
  storageProblem = $state<string | null>(null);
  /** Something about the run to tell the user (a failure, a restored best epoch). */
  message = $state<string | null>(null);

  /** The points of the current spec, as the heatmap and the dataset preview draw them. */
  dataset = $derived(splitDataset(generateDataset(this.spec.data), this.spec.data.trainRatio, this.spec.data.seed));

  private readonly client: TrainClient;
  private token = 0;

  constructor(
    initial: ExperimentSpec,
    private readonly store: RunStore,
    private readonly onSpecChange: (spec: ExperimentSpec) => void,
  ) {
    this.spec = initial;
    this.client = new TrainClient(store);
    this.storageProblem = store.problem ?? null;
    store.onProblem((problem) => (this.storageProblem = problem));
    void this.refreshRuns();
  }

  /** The message of the first error on `path`, if any. */
  errorFor(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }

  /** Whether a run is under way (training, or paused mid-run). */
  get active(): boolean {
    return this.status === 'running' || this.status === 'paused';
  }

  /**
   * Applies an edit to the experiment. A valid result replaces the spec and resets the run
   * (as TensorFlow Playground does); an invalid one leaves the spec as it was and shows why.
   */
  edit(change: (draft: ExperimentSpec) => void): void {
    const draft = structuredClone($state.snapshot(this.spec)) as ExperimentSpec;
    change(draft);
    const result = validateExperiment(draft);
    if (!result.ok) {
      this.errors = result.errors;
      return;
    }
    this.errors = [];
    this.spec = result.spec;
    this.onSpecChange(result.spec);
    this.reset();
  }

  /** Plays: resumes a paused run, or starts a new one. */
  play(): void {
    if (this.status === 'paused') {
      this.status = 'running';
      this.client.resume();
    } else if (!this.active) {
      void this.start(false);
    }
  }

  /** Pauses the run before its next batch. */
  pause(): void {
    if (this.status === 'running') this.client.pause();
  }

  /** One batch or one epoch, starting a paused run first when there is none. */
  step(unit: StepUnit): void {
    if (this.status === 'paused') this.client.step(unit);
    else if (!this.active) void this.start(true, unit);
  }

  /** Stops the run (its record keeps what it did) and clears the picture. */
  reset(): void {
    this.token++;
    if (this.active) this.client.cancel();
    this.status = 'idle';
    this.epoch = 0;
    this.batchInEpoch = 0;
    this.metrics = [];
    this.grid = null;
    this.weights = null;
    this.currentRunId = null;
    this.message = null;
  }

  /** Shows a saved run: its setup in the editor and its curves, without training. */
  open(record: RunRecord): void {
    this.edit((draft) => Object.assign(draft, structuredClone(record.spec)));
    this.currentRunId = record.id;
    this.metrics = record.epochs;
    this.epoch = record.epochs.length;
    this.status = record.status;
    this.backend = record.backend;
    this.message = record.message ?? null;
    if (record.weights) this.weights = record.weights;
    const token = this.token;
    void this.client.predict(record, GRID_SIZE).then((grid) => {
      if (grid && token === this.token) this.grid = grid;
    });
  }

  /** Deletes a saved run. */
  async remove(id: string): Promise<void> {
    await this.store.deleteRun(id);
    this.overlay = this.overlay.filter((x) => x !== id);
    if (this.currentRunId === id) this.currentRunId = null;
    await this.refreshRuns();
  }

  /** Adds or removes a saved run from the overlaid loss curves. */
  toggleOverlay(id: string): void {
    this.overlay = this.overlay.includes(id) ? this.overlay.filter((x) => x !== id) : [...this.overlay, id];
  }

  /** Forces a backend for the next run, or 'auto'. */
  setPreference(preference: BackendPreference): void {
    this.preference = preference;
    this.reset();
  }

  private async start(paused: boolean, firstStep?: StepUnit): Promise<void> {
    const token = ++this.token;
    this.status = paused ? 'paused' : 'running';
    this.metrics = [];
    this.message = null;
    const mine = () => token === this.token;
    try {
      const record = await this.client.run($state.snapshot(this.spec) as ExperimentSpec, this.preference, { gridSize: GRID_SIZE, startPaused: paused, firstStep }, {
        onBackend: (info) => mine() && (this.backend = info),
        onSaved: (saved) => {
          if (!mine()) return;
          this.currentRunId = saved.id;
          void this.refreshRuns();
        },
        onProgress: (p) => mine() && this.apply(p),
      });
      if (mine()) {
        this.status = record.status;
        this.message = record.message ?? null;
      }
    } catch (error) {
      if (mine()) {
        this.status = 'cancelled';
        this.message = `Training stopped: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    await this.refreshRuns();
  }

  private apply(p: RunProgress): void {
    this.status = p.status;
    this.epoch = p.epoch;
    this.batchInEpoch = p.batchInEpoch;
    this.batchesPerEpoch = p.batchesPerEpoch;
    if (p.newEpochs.length) this.metrics = [...this.metrics, ...p.newEpochs];
    if (p.grid) this.grid = p.grid;
    if (p.weights) this.weights = p.weights;
  }

  private async refreshRuns(): Promise<void> {
    this.runs = await this.store.listRuns();
  }
}
