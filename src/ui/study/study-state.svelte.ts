import type { ExperimentSpec } from '../../core/spec/experiment';
import { studyReadiness } from '../../core/study/readiness';
import { MULTI_OBJECTIVE_SAMPLER_KINDS } from '../../core/search';
import { validateObjectives } from '../../core/study/objectives';
import type { StudyObjective, StudyRecord, StudySpec, TrialRecord } from '../../core/study/types';
import type { BackendInfo, BackendName } from '../../runtime/backend-types';
import type { DamagedRecord, RunStore, StudyStore } from '../../runtime/store';
import { defaultSpace, experimentSummary, studyName } from '../../core/study/defaults';
import { paramLabel } from './space-rows';
import { lockedIds } from '../../runtime/locks';
import { StudyRunner, StudyRunningElsewhere, studiesRunningHere, type StudyProgress } from '../../runtime/study-runner';
import { saveTrialRun } from '../../runtime/trial-run';
import { defaultWorkers, likelyBackend, workerCap, type WorkerCap } from '../../runtime/worker-cap';

/** How many saved runs the form offers to start from. */
const RECENT_RUNS = 5;

/** An experiment a study may start from, as the form offers it. */
export interface StudySource {
  label: string;
  spec: ExperimentSpec;
}

/** The editor's label of a parameter, for a study's name. */

/** How often the screen looks for studies that other tabs run (ms). */
const ELSEWHERE_POLL = 1500;

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
  /** Saved studies and trials that no longer read: listed to be deleted. */
  damaged = $state.raw<DamagedRecord[]>([]);
  /** Ids of the studies another tab is running now: shown so, and offered no Resume here. */
  elsewhere = $state.raw<ReadonlySet<string>>(new Set());
  /** The studies this page runs now, from this screen or another (the Optimize screen's size studies), with how far each has got. */
  here = $state.raw<ReadonlyMap<string, StudyProgress>>(new Map());
  /** The backend the worker cap is for: the one the last study ran on here, or the one likely to run. */
  capBackend = $state<BackendName>('webgpu');
  /** The most workers that make sense on {@link capBackend}, and why. */
  readonly cap: WorkerCap = $derived(workerCap(this.capBackend, CORES));
  /**
   * The experiments a study may start from: the last trained first (the default), then other
   * recent runs, then the training screen's experiment as it is now.
   */
  sources = $state.raw<StudySource[]>([]);
  /** The index in {@link sources} of the experiment the draft starts from. */
  source = $state(0);
  /** The studies ticked for comparison, with their trials, in the order ticked. */
  compared = $state.raw<{ study: StudyRecord; trials: TrialRecord[] }[]>([]);
  /** The trials of the open study whose trained networks are kept: they open trained. */
  kept = $state.raw<ReadonlySet<number>>(new Set());
  /** The name the user typed; until then the name follows what varies. */
  typedName = $state<string | null>(null);
  // Reactive, so that the controls of a running study appear and Run is disabled while it runs.
  private runner = $state.raw<StudyRunner | null>(null);
  private workersTouched = false;
  private current: ExperimentSpec;
  private recent: StudySource[] = [];
  /** Whether the user picked a source; until then the draft follows the default. */
  private picked = false;

  constructor(
    private readonly store: StudyStore,
    base: ExperimentSpec,
    private readonly runs?: Pick<RunStore, 'listRuns' | 'createRun' | 'appendEpochs' | 'finishRun'>,
  ) {
    this.current = base;
    this.sources = this.sourceList();
    this.draft = {
      version: 1,
      name: '',
      base,
      space: defaultSpace(base),
      // Optuna's default too: the search that learns from the trials before (bench/samplers).
      sampler: { kind: 'tpe' },
      pruner: { kind: 'median' },
      objective: { metric: 'valLoss', direction: 'minimize' },
      nTrials: 24,
      workers: defaultWorkers(this.capBackend, CORES),
      seed: 1,
      folds: 1,
    };
    void this.refresh();
    void this.listDamaged();
    void this.loadRecentRuns();
    setInterval(() => void this.watchOtherTabs(), ELSEWHERE_POLL);
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

  /** Ticks or unticks a study for comparing its optimization history with others. */
  async toggleCompared(record: StudyRecord): Promise<void> {
    if (this.compared.some((c) => c.study.id === record.id)) {
      this.compared = this.compared.filter((c) => c.study.id !== record.id);
      return;
    }
    const trials = await this.store.listTrials(record.id);
    this.compared = [...this.compared, { study: record, trials }];
  }

  /** The study's name: the one typed, else what it varies ('Learning rate and β₁'). */
  get name(): string {
    return this.typedName ?? studyName(this.draft.space as never, paramLabel);
  }

  /** The user picks source `index` to start from. */
  pickSource(index: number): void {
    this.picked = true;
    this.chooseSource(index);
  }

  /** Starts the draft from source `index`: its experiment, and the space that fits it. */
  private chooseSource(index: number): void {
    const chosen = this.sources[index];
    if (!chosen) return;
    this.source = index;
    this.draft.base = structuredClone(chosen.spec);
    this.draft.space = defaultSpace(chosen.spec);
  }

  /**
   * The screen opens with the training screen's experiment as it is now: offered as a source,
   * and followed if it is the one picked; runs trained since are offered too.
   */
  setCurrent(spec: ExperimentSpec): void {
    const following = this.picked && this.sources[this.source]?.spec === this.current;
    this.current = spec;
    this.sources = this.sourceList();
    if (following) this.chooseSource(this.sources.length - 1);
    void this.loadRecentRuns();
  }

  private sourceList(): StudySource[] {
    return [...this.recent, { label: `The training screen: ${experimentSummary(this.current)}`, spec: this.current }];
  }

  /**
   * Offers the recent runs; until the user picks, starts from the default (the last trained,
   * else the training screen's), leaving the space alone when that default has not changed.
   */
  private async loadRecentRuns(): Promise<void> {
    const runs = (await this.runs?.listRuns()) ?? [];
    const trained = runs.filter((r) => r.epochs.length > 0).slice(0, RECENT_RUNS);
    this.recent = trained.map((r, i) => ({
      label: `${i === 0 ? 'Last trained' : new Date(r.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}: ${experimentSummary(r.spec)}`,
      spec: r.spec,
    }));
    this.sources = this.sourceList();
    if (this.picked) return;
    const fallback = this.recent.length ? 0 : this.sources.length - 1;
    if (JSON.stringify(this.sources[fallback].spec) !== JSON.stringify($state.snapshot(this.draft.base))) this.chooseSource(fallback);
    else this.source = fallback;
  }

  /**
   * Weighs several objectives (a list of two or three), or one again (undefined); returns the
   * message for the objectives field, null when the list is valid. Several objectives are
   * searched by NSGA-II (or random search) and not pruned; the validation number among them,
   * or the validation loss, stays what each epoch is judged by.
   */
  setObjectives(objectives: StudyObjective[] | undefined): string | null {
    if (!objectives) {
      delete this.draft.objectives;
      if (!(['random', 'grid', 'tpe', 'genetic'] as string[]).includes(this.draft.sampler.kind)) this.draft.sampler = { kind: 'tpe' };
      return null;
    }
    // Turning several objectives on proposes NSGA-II; random search stays a choice for comparison.
    if (!this.draft.objectives || !(MULTI_OBJECTIVE_SAMPLER_KINDS as readonly string[]).includes(this.draft.sampler.kind)) this.draft.sampler = { kind: 'nsga2' };
    this.draft.objectives = objectives;
    this.draft.pruner = { kind: 'none' };
    const validation = objectives.find((o) => o.metric === 'valLoss' || o.metric === 'valMetric');
    this.draft.objective = validation ? { metric: validation.metric as 'valLoss' | 'valMetric', direction: validation.direction } : { metric: 'valLoss', direction: 'minimize' };
    const checked = validateObjectives(objectives);
    return checked.ok ? null : checked.errors.map((e) => e.message).join(' ');
  }

  /** Whether a study is running in this page. */
  get running(): boolean {
    return this.runner !== null;
  }

  /** Creates the study from the draft and runs it. */
  async start(): Promise<void> {
    const { blocker } = studyReadiness(this.draft);
    if (blocker) {
      this.error = blocker;
      return;
    }
    const record = await this.store.createStudy({ ...($state.snapshot(this.draft) as StudySpec), name: this.name });
    await this.refresh();
    await this.run(record);
  }

  /** Opens a saved study and shows its trials. */
  async show(record: StudyRecord): Promise<void> {
    this.open = record;
    this.status = record.status;
    const [trials, kept] = await Promise.all([this.store.listTrials(record.id), this.store.keptWeights(record.id)]);
    this.trials = trials;
    this.kept = new Set(kept.map((k) => k.number));
  }

  /**
   * Adds a trial's kept network to the saved runs (see saveTrialRun) and gives the new run's
   * id, for the training screen to open it trained; null when its network is not kept, or
   * when it could not be added (the message says why).
   */
  async openTrained(trial: TrialRecord): Promise<string | null> {
    const study = this.open;
    const kept = study && (await this.store.getWeights(study.id, trial.number));
    if (!study || !kept || !this.runs) return null;
    try {
      return await saveTrialRun(this.runs, $state.snapshot(study) as StudyRecord, trial, kept);
    } catch (error) {
      this.error = `Trial ${trial.number} could not be opened trained: ${error instanceof Error ? error.message : String(error)}`;
      return null;
    }
  }

  /** Runs (or resumes, after a reload) a saved study. */
  async run(record: StudyRecord): Promise<void> {
    if (this.runner) return;
    await this.show(record);
    this.error = null;
    const runner = new StudyRunner(this.store, record, {
      onTrials: (trials) => (this.trials = trials),
      onStatus: (status) => (this.status = status),
      // Only while this study is the one open: another opened meanwhile has its own kept networks.
      onKept: (numbers) => this.open?.id === record.id && (this.kept = new Set(numbers)),
      onBackend: (info) => {
        this.backend = info;
        this.setCapBackend(info.name);
      },
    });
    this.runner = runner;
    try {
      await runner.run();
    } catch (error) {
      this.error = error instanceof StudyRunningElsewhere ? error.message : `The study stopped: ${error instanceof Error ? error.message : String(error)}`;
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
    this.compared = this.compared.filter((c) => c.study.id !== id);
    if (this.open?.id === id) {
      this.open = null;
      this.trials = [];
      this.kept = new Set();
    }
    await Promise.all([this.refresh(), this.listDamaged()]);
  }

  /** Adds a finished Optuna study (of one objective or several) from its trials_dataframe() CSV or JSON file and opens it; the draft's experiment and objective frame its trials. */
  async importOptuna(file: File): Promise<void> {
    const { importOptunaStudy } = await import('../../runtime/exports');
    const draft = $state.snapshot(this.draft) as StudySpec;
    const record = await importOptunaStudy(this.store, file, draft.base, draft.objective);
    await this.refresh();
    await this.show(record);
  }

  /** Deletes a saved study or trial that no longer reads. */
  async removeDamaged(record: DamagedRecord): Promise<void> {
    if (record.kind === 'trial') await this.store.deleteTrial(record.id, record.number);
    else await this.store.deleteStudy(record.id);
    await Promise.all([this.refresh(), this.listDamaged()]);
  }

  /**
   * Lists the saved studies and trials that no longer read. A whole scan of the trials, so it
   * runs when the screen opens and after a delete, not at every refresh: records turn damaged
   * only by being read by a newer or broken version, and imports check every record first.
   */
  private async listDamaged(): Promise<void> {
    this.damaged = await this.store.listDamaged();
  }

  /** Reads the saved studies again (after a change here, or a class pack that brought some). */
  async refresh(): Promise<void> {
    const [studies, locked] = await Promise.all([this.store.listStudies(), lockedIds('study')]);
    this.studies = studies;
    this.elsewhere = this.othersOf(locked);
    this.here = new Map(studiesRunningHere());
  }

  /** The locked studies less those this page runs. */
  private othersOf(locked: Set<string>): Set<string> {
    for (const id of studiesRunningHere().keys()) locked.delete(id);
    return locked;
  }

  /** Re-reads the list when a study starts or stops running in another tab or here; follows the progress of those running here. */
  private async watchOtherTabs(): Promise<void> {
    const now = this.othersOf(await lockedIds('study'));
    const here = studiesRunningHere();
    const same = (a: ReadonlySet<string> | ReadonlyMap<string, unknown>, b: ReadonlySet<string> | ReadonlyMap<string, unknown>) => a.size === b.size && [...a.keys()].every((id) => b.has(id));
    if (!same(now, this.elsewhere) || !same(here, this.here)) await this.refresh();
    else if ([...here].some(([id, p]) => this.here.get(id)?.finished !== p.finished)) this.here = new Map(here);
  }
}
