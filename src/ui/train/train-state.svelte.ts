import { generatedSplit } from '../../core/data/split';
import { applyRecipe, rawTarget } from '../../core/data/table/recipe';
import type { Recipe } from '../../core/data/table/types';
import type { SplitDataset, TableDataSpec } from '../../core/data/types';
import { compressionNote } from '../../core/compress/size-study';
import type { Evaluation } from '../../core/model/evaluation';
import type { ExperimentSpec } from '../../core/spec/experiment';
import { validateExperiment, type FieldError } from '../../core/spec/schema';
import { classWeightsProblem } from '../../core/train/class-weights';
import type { StepUnit } from '../../core/train/controller';
import type { RunProgress } from '../../core/train/run';
import type { EpochMetrics, RunStatus } from '../../core/train/types';
import { loadPreference, savePreference } from '../../runtime/backend-choice';
import type { BackendInfo, BackendPreference } from '../../runtime/backend-types';
import type { DamagedRecord, RunRecord, RunStore } from '../../runtime/store';
import { TrainClient } from '../../runtime/train-client';
import { WorkerDied } from '../../runtime/worker-watch';

/**
 * The inputs a table's picture starts with: the first two numeric columns, which spread the
 * rows out (one-hot inputs put every row on a corner), else the first two inputs.
 */
function defaultAxes(recipe: Recipe): [number, number] {
  const numeric = recipe.inputs.flatMap((name, i) => (recipe.columns.some((c) => c.kind === 'numeric' && c.name === name) ? [i] : []));
  const picks = [...numeric, ...recipe.inputs.keys()].filter((i, k, all) => all.indexOf(i) === k);
  return [picks[0] ?? 0, picks[1] ?? Math.min(1, recipe.inputs.length - 1)];
}

/** A model's answer for one row, or why there is none. */
export type Prediction =
  | { classes: { name: string; probability: number }[] }
  | { value: number }
  | { error: string };

/** What a table experiment shows until its table is prepared: no points. */
const NO_DATA: SplitDataset = {
  train: { problem: 'classification', n: 0, x: new Float32Array(0), y: new Float32Array(0), dims: 0, classes: 2 },
  val: { problem: 'classification', n: 0, x: new Float32Array(0), y: new Float32Array(0), dims: 0, classes: 2 },
};

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
  /** The backend the user forced, or 'auto' (chosen by measurement); kept for the next visit. */
  preference = $state<BackendPreference>(loadPreference('train'));
  /** Most epochs a second a playing run trains, so that its picture can be watched forming; null for full speed. */
  pace = $state<number | null>(null);
  runs = $state.raw<RunRecord[]>([]);
  /** Saved records that do not read back: listed apart, so that they can be deleted. */
  damaged = $state.raw<DamagedRecord[]>([]);
  /** The saved run the screen shows, when one was opened or is training. */
  currentRunId = $state<string | null>(null);
  /** Ids of saved runs whose loss curves are overlaid. */
  overlay = $state<string[]>([]);
  storageProblem = $state<string | null>(null);
  /** Something about the run to tell the user (a failure, a restored best epoch). */
  message = $state<string | null>(null);

  /**
   * A table experiment's data as prepared in the worker (for the picture's points, the input
   * names and the prediction form), keyed by the data spec it was prepared for; or why it
   * could not be.
   */
  table = $state.raw<{ key: string; data?: SplitDataset; recipe?: Recipe; error?: string } | null>(null);
  /** The points of the current spec, as the heatmap and the dataset preview draw them (none while a table loads). */
  dataset = $derived(this.spec.data.kind === 'table' ? (this.table?.data ?? NO_DATA) : generatedSplit(this.spec.data));
  /** A table's inputs on the decision picture's axes; the others are held at their mean. */
  axes = $state<[number, number]>([0, 1]);
  /** The run on screen measured at its end: validation, and the test part for tables. */
  evaluation = $state.raw<{ val: Evaluation; test?: Evaluation } | null>(null);
  /** The recipe of the run on screen, for predicting new rows with its model. */
  recipe = $state.raw<Recipe | null>(null);
  /** The class weights the run on screen trained with, in class order, or null. */
  classWeights = $state.raw<number[] | null>(null);

  private readonly client: TrainClient;
  private token = 0;
  /** Fields whose errors a component shows beside them (see errorFor). */
  private readonly shownFields = new Set<string>();

  constructor(
    initial: ExperimentSpec,
    private readonly store: RunStore,
    private readonly onSpecChange: (spec: ExperimentSpec) => void,
  ) {
    this.spec = initial;
    this.client = new TrainClient(store);
    this.storageProblem = store.problem ?? null;
    store.onProblem((problem) => (this.storageProblem = problem ?? null));
    void this.refreshRuns();
    void this.loadTable();
  }

  /** Trains on a table of the library: its preprocessing as the data, a network sized for tables. */
  useTable(data: TableDataSpec): void {
    this.edit((draft) => {
      draft.data = data;
      draft.model.hidden = [{ units: 16, activation: 'relu' }, { units: 8, activation: 'relu' }];
      draft.optimizer = { kind: 'adam', lr: 0.01 };
      // Class weights belong to the classes of the table they were set for.
      const { classWeights: _, ...training } = draft.training;
      draft.training = { ...training, batchSize: 32, epochs: 100, patience: 0 };
    });
  }

  /** Shows a table's decision picture through inputs `axes`, for the run that trains or the one opened. */
  setAxes(axes: [number, number]): void {
    this.axes = axes;
    if (this.active) this.client.setAxes(axes);
    else if (this.currentRunId) {
      const record = this.runs.find((r) => r.id === this.currentRunId);
      if (record) this.showPicture(record);
    }
  }

  /**
   * The opened or finished run's prediction for one row typed as in the CSV: the recipe turns
   * it into inputs, the model in the worker answers. Class probabilities, or the value in the
   * target's units; or what was wrong with the row.
   */
  async predict(row: Record<string, string>): Promise<Prediction> {
    const record = this.runs.find((r) => r.id === this.currentRunId);
    const recipe = record?.recipe;
    if (!record || !recipe) return { error: 'Train a model on a table first: a finished run predicts.' };
    let inputs: Float32Array;
    try {
      inputs = applyRecipe(recipe, row);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
    const out = await this.client.predictRows(record, inputs);
    if (recipe.target.kind === 'value') return { value: rawTarget(recipe)(out[0]) };
    const { classes } = recipe.target;
    const probabilities = classes.length > 2 ? Array.from(out) : [1 - out[0], out[0]];
    return { classes: classes.map((name, k) => ({ name, probability: probabilities[k] })) };
  }

  /**
   * Downloads the model on screen (Keras model.json + weights, and the recipe of a table),
   * named after its data and network; gives the names of the files saved.
   */
  async exportModel(): Promise<string[]> {
    const record = this.runs.find((r) => r.id === this.currentRunId);
    if (!record) return [];
    try {
      const [{ downloadModel }, { modelName }] = await Promise.all([import('../../runtime/model-files'), import('../../runtime/exports')]);
      return await downloadModel(record, modelName(record.spec));
    } catch (error) {
      this.message = `The model could not be exported: ${error instanceof Error ? error.message : String(error)}`;
      return [];
    }
  }

  /** Adds a model from files to the runs and opens it; says what was wrong with the files otherwise. */
  async importModel(files: File[]): Promise<string | null> {
    try {
      const { readModelFiles } = await import('../../runtime/model-files');
      const model = await readModelFiles(files, $state.snapshot(this.spec) as ExperimentSpec);
      const created = await this.store.createRun(model.spec, null);
      const saved = await this.store.finishRun(created.id, {
        status: 'complete', message: 'Imported from model files.', weights: model.weights, weightShapes: model.weightShapes, recipe: model.recipe,
      });
      await this.refreshRuns();
      this.reset();
      this.open(saved ?? { ...created, status: 'complete', weights: model.weights, weightShapes: model.weightShapes, recipe: model.recipe });
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** Prepares the current table (in the worker) when the data spec changed; keeps the last result otherwise. */
  private async loadTable(): Promise<void> {
    const spec = $state.snapshot(this.spec) as ExperimentSpec;
    if (spec.data.kind !== 'table') return;
    const key = JSON.stringify(spec.data);
    if (this.table?.key === key) return;
    try {
      const { data, recipe } = await this.client.prepareData(spec);
      this.table = { key, data, recipe };
      this.axes = recipe ? defaultAxes(recipe) : [0, 1];
    } catch (error) {
      this.table = { key, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The message of the first error on `path`, if any; asking marks `path` as a field the screen shows. */
  errorFor(path: string): string | undefined {
    this.shownFields.add(path);
    return this.errors.find((e) => e.path === path)?.message;
  }

  /**
   * Errors of the last refused edit on fields the screen does not show (a table's name, a
   * column's): shown as a notice, so that a refused edit never passes for the old experiment.
   */
  get hiddenErrors(): FieldError[] {
    return this.errors.filter((e) => !this.shownFields.has(e.path));
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
    // Typed class weights against the table's classes, once the table is prepared for this data.
    const prepared = this.table?.key === JSON.stringify(result.spec.data) ? this.table.data : undefined;
    const weightsProblem = prepared ? classWeightsProblem(result.spec.training.classWeights, prepared.train) : null;
    if (weightsProblem) {
      this.errors = [weightsProblem];
      return;
    }
    this.errors = [];
    this.spec = result.spec;
    this.onSpecChange(result.spec);
    void this.loadTable();
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
    this.evaluation = null;
    this.recipe = null;
    this.classWeights = null;
  }

  /** Shows a saved run: its setup in the editor and its curves, without training. */
  open(record: RunRecord): void {
    this.edit((draft) => {
      Object.assign(draft, structuredClone(record.spec));
      // Training here trains the experiment anew, which no compression is part of; the record keeps how its network was made.
      delete draft.compress;
    });
    this.currentRunId = record.id;
    this.metrics = record.epochs;
    this.epoch = record.epochs.length;
    this.status = record.status;
    this.backend = record.backend;
    const compress = record.spec.compress;
    const source = compress && this.runs.find((r) => r.id === compress.run);
    const note = compress && compressionNote(compress, source ? `the run of ${new Date(source.createdAt).toLocaleString()}` : 'a run since deleted');
    this.message = [record.message, note].filter(Boolean).join(' ') || null;
    if (record.weights) this.weights = record.weights;
    this.evaluation = record.evaluation ?? null;
    this.recipe = record.recipe ?? null;
    this.classWeights = record.classWeights ?? null;
    this.showPicture(record);
  }

  private showPicture(record: RunRecord): void {
    const token = this.token;
    void this.client.predict(record, GRID_SIZE, $state.snapshot(this.axes) as [number, number]).then((grid) => {
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

  /** Sets the pace of this run and the next ({@link TrainState.pace}). */
  setPace(epochsPerSecond: number | null): void {
    this.pace = epochsPerSecond;
    this.client.setPace(epochsPerSecond);
  }

  /** Forces a backend for the next run, or 'auto'; kept for the next visit. */
  setPreference(preference: BackendPreference): void {
    savePreference('train', preference);
    this.preference = preference;
    this.reset();
  }

  private async start(paused: boolean, firstStep?: StepUnit): Promise<void> {
    const token = ++this.token;
    this.status = paused ? 'paused' : 'running';
    this.metrics = [];
    this.message = null;
    this.evaluation = null;
    this.recipe = null;
    const mine = () => token === this.token;
    try {
      const record = await this.client.run($state.snapshot(this.spec) as ExperimentSpec, this.preference, { gridSize: GRID_SIZE, startPaused: paused, firstStep, axes: $state.snapshot(this.axes) as [number, number] }, {
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
        this.evaluation = record.evaluation ?? null;
        this.recipe = record.recipe ?? null;
        this.classWeights = record.classWeights ?? null;
      }
    } catch (error) {
      if (mine()) {
        this.status = error instanceof WorkerDied ? 'interrupted' : 'cancelled';
        this.message = `Training stopped: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    await this.refreshRuns();
  }

  private apply(p: RunProgress): void {
    // A run's end is shown once its record is saved (start), not when the worker reports it:
    // until then a reload would find it unfinished.
    this.status = p.status === 'paused' ? 'paused' : 'running';
    this.epoch = p.epoch;
    this.batchInEpoch = p.batchInEpoch;
    this.batchesPerEpoch = p.batchesPerEpoch;
    if (p.newEpochs.length) this.metrics = [...this.metrics, ...p.newEpochs];
    if (p.grid) this.grid = p.grid;
    if (p.weights) this.weights = p.weights;
  }

  /** Reads the saved runs again (after a run, or a class pack that brought some), and the damaged records. */
  async refreshRuns(): Promise<void> {
    [this.runs, this.damaged] = await Promise.all([this.store.listRuns(), this.store.listDamaged()]);
  }

  /** Opens a run another screen saved (an optimized network), reading the saved runs again first. */
  async openSaved(id: string): Promise<void> {
    await this.refreshRuns();
    const record = this.runs.find((r) => r.id === id);
    if (record) this.open(record);
  }
}
