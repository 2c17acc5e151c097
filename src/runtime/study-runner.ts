import * as Comlink from 'comlink';
import { applyParams, type Params, type PopulationPruner } from '../core/search';
import { validateExperiment } from '../core/spec/schema';
import { isMultiObjective, needsCost, objectiveValues, studyObjectives, studySearch, type StudySearch } from '../core/study/objectives';
import { memberEpochCost, studyPruner, type EpochTiming } from '../core/study/pruning';
import { KEEP_WEIGHTS, trialsToKeep, weightBytes } from '../core/study/kept-weights';
import { crossValidatedResult, groupCompatible, minimizedValue } from '../core/study/schedule';
import type { KeptModel } from '../core/study/trained-models';
import type { StudyRecord, TrialRecord } from '../core/study/types';
import { MAX_GROUP, plannedGroup } from '../core/study/group-cap';
import { trainingShape } from '../core/train/training-shape';
import type { EpochMetrics } from '../core/train/types';
import type { StudyWorkerApi } from '../workers/study.worker';
import type { Heartbeat } from '../workers/tensor.worker';
import { tensorWorker } from './tensor-worker';
import { watchWorker, WorkerDied, type HeartbeatOptions, type WorkerWatch } from './worker-watch';
import type { BackendInfo, BackendMeasurement, BackendPreference } from './backend-types';
import { chooseBackend } from './backend-choice';
import { studyLock, tryLock } from './locks';
import type { StudyStore } from './store';

/** What the study screen hears while a study runs. */
export interface StudyListener {
  onTrials(trials: TrialRecord[]): void;
  onStatus(status: StudyRecord['status'], message?: string): void;
  onBackend?(info: BackendInfo): void;
  /** The trials whose trained networks the study keeps now, as better ones replace worse. */
  onKept?(numbers: number[]): void;
}

/** The study is being run by another tab, which holds its lock. */
export class StudyRunningElsewhere extends Error {
  constructor() {
    super('This study is running in another tab; resume it here once it stops there.');
  }
}

/** How far a study running in this page has got: its finished trials of all it will run. */
export interface StudyProgress {
  finished: number;
  total: number;
}

/**
 * The studies this page runs now, whichever screen started them, by id: their locks are held
 * here, so the study screen shows them as running here rather than in another tab.
 */
const runningHere = new Map<string, StudyProgress>();

/** The studies this page runs now, with how far each has got. */
export function studiesRunningHere(): ReadonlyMap<string, StudyProgress> {
  return runningHere;
}

/** Times a trial's group may lose its worker before the trial is given up as failed. */
const MAX_WORKER_DEATHS = 2;

interface Slot {
  worker: Worker;
  api: Comlink.Remote<StudyWorkerApi & Heartbeat>;
  busy: boolean;
  /**
   * The worker's watch: `dead` rejects when it reports an uncaught error (a throw outside
   * Comlink's handling, a lost GPU device that tfjs does not catch) or stops answering its
   * heartbeat (out of memory): its pending calls would never settle, so every call races it.
   */
  watch: WorkerWatch;
}

/**
 * Runs a study in a pool of up to `spec.workers` workers, started as work for them appears:
 * asks the sampler for trials, trains compatible ones together as populations (split among
 * the workers on the cpu, one population per group on a GPU), prunes on intermediate values, stores every trial as it goes, and
 * resumes after a reload from what the store holds (running trials are re-queued; the sampler
 * is rebuilt from every finished trial).
 */
export class StudyRunner {
  private trials: TrialRecord[] = [];
  private slots: Slot[] = [];
  private paused = false;
  private cancelled = false;
  private wake: (() => void) | null = null;
  /** Most members that fit the device's memory, from the base experiment's data; see {@link memoryCap}. */
  private fitting = MAX_GROUP;
  /** The backend the workers run on, once the first has started. */
  private backend: string | null = null;
  /** The trials whose trained networks are kept, with the bytes of their weights. */
  private kept = new Map<number, number>();
  /** How often each trial's worker died under it, by trial number. */
  private deaths = new Map<number, number>();

  /** `heartbeat` says how a dead worker is noticed (tests shorten it). */
  constructor(
    private readonly store: StudyStore,
    private readonly study: StudyRecord,
    private readonly listener: StudyListener,
    private readonly preference: BackendPreference = 'auto',
    private readonly heartbeat?: HeartbeatOptions,
  ) {}

  /**
   * Runs (or resumes) the study until every trial has finished, it is cancelled, or fails;
   * throws {@link StudyRunningElsewhere} when another tab runs it. One writer at a time: the
   * study's lock is held from before its running trials are re-queued until the end.
   */
  async run(): Promise<void> {
    const release = await tryLock(studyLock(this.study.id));
    if (!release) throw new StudyRunningElsewhere();
    runningHere.set(this.study.id, { finished: 0, total: this.study.spec.nTrials });
    try {
      await this.runLocked();
    } finally {
      runningHere.delete(this.study.id);
      await release();
    }
  }

  private async runLocked(): Promise<void> {
    const { spec } = this.study;
    this.trials = await this.store.listTrials(this.study.id);
    for (const t of this.trials) {
      if (t.state === 'running') {
        t.state = 'waiting';
        t.epochs = [];
        await this.store.putTrial(t);
      }
    }
    this.kept = new Map((await this.store.keptWeights(this.study.id)).map((k) => [k.number, k.bytes]));
    const sampler = studySearch(spec, this.trials);
    // As in Optuna, trials of several objectives are not pruned: no one intermediate value judges them.
    const pruner = isMultiObjective(spec) ? null : studyPruner(spec);
    await this.store.setStatus(this.study.id, 'running');
    this.listener.onStatus('running');
    this.publish();
    const running = new Set<Promise<void>>();
    let exhausted = false;
    try {
      this.slots.push(await this.spawn());
      this.fitting = await this.memoryCap(this.slots[0]);
      for (;;) {
        if (this.cancelled) break;
        const finished = this.finished();
        if (finished >= spec.nTrials || (exhausted && !this.trials.some((t) => t.state === 'waiting' || t.state === 'running'))) break;
        let waiting = this.trials.filter((t) => t.state === 'waiting');
        const remaining = spec.nTrials - this.trials.length;
        let slot = this.slots.find((s) => !s.busy);
        // Another worker starts only when every one is busy and trials are left for it.
        if (!slot && !this.paused && this.slots.length < spec.workers && (waiting.length > 0 || (remaining > 0 && !exhausted))) {
          this.slots.push((slot = await this.spawn()));
        }
        if (this.paused || !slot) {
          await this.sleep(running);
          continue;
        }
        // On the cpu every worker is a core, and trials split among them; the GPU backends share
        // one device, where one population of all the trials beats several (a 24-trial study on
        // SwiftShader: 0.9 s in one worker, 2.7 s split between two).
        const share = Math.ceil((remaining + waiting.length) / (this.backend === 'cpu' ? spec.workers : 1));
        const wanted = Math.max(0, Math.min(remaining, this.groupSize(share) - waiting.length));
        if (wanted > 0 && !exhausted) {
          const asked = sampler.askBatch(wanted);
          if (asked.length < wanted && !sampler.generational) exhausted = true;
          for (const { params, generation } of asked) await this.addTrial(params, sampler, generation);
          waiting = this.trials.filter((t) => t.state === 'waiting');
        }
        if (waiting.length === 0) {
          if (running.size === 0) break;
          await this.sleep(running);
          continue;
        }
        const [group] = groupCompatible(waiting.map((t) => t.spec), this.groupSize(share));
        const job = this.train(slot, group.map((i) => waiting[i]), sampler, pruner).finally(() => running.delete(job));
        running.add(job);
      }
      await Promise.all(running);
      const status = this.cancelled ? 'cancelled' : 'complete';
      await this.store.setStatus(this.study.id, status);
      this.listener.onStatus(status);
    } finally {
      this.stopWorkers();
    }
  }

  /** Stops handing out trials; running groups finish. */
  pause(): void {
    this.paused = true;
    this.listener.onStatus('paused');
    void this.store.setStatus(this.study.id, 'paused');
  }

  /** Hands out trials again. */
  resume(): void {
    this.paused = false;
    this.listener.onStatus('running');
    void this.store.setStatus(this.study.id, 'running');
    this.notify();
  }

  /** Ends the study: running groups stop before their next batch; their trials stay as they were. */
  cancel(): void {
    this.cancelled = true;
    this.slots.forEach((s) => void s.api.cancel());
    this.notify();
  }

  /** How many trials one worker takes at a time: see plannedGroup, within what fits the device. */
  private groupSize(share: number): number {
    return Math.max(1, Math.min(this.fitting, plannedGroup(this.study.spec, share)));
  }

  /**
   * The largest population that fits an eighth of the device's memory shared by the study's
   * workers, from the base experiment's rows and network: a table of a million rows trains in
   * populations of about ten, a toy set in populations of 64. The first worker reads and
   * prepares the data for it, so that a large table never freezes the page. When the data
   * cannot be read, the workers will say why; the cap stays at its maximum.
   */
  private async memoryCap(slot: Slot): Promise<number> {
    try {
      return await Promise.race([slot.api.groupCap(this.study.spec.base, this.study.spec.workers), slot.watch.dead]);
    } catch {
      return MAX_GROUP;
    }
  }

  private async addTrial(params: Params, sampler: StudySearch, generation?: number): Promise<void> {
    const spec = applyParams(this.study.spec.base, params);
    const valid = validateExperiment(spec);
    const trial: TrialRecord = {
      studyId: this.study.id,
      number: this.trials.length,
      params,
      spec,
      state: valid.ok ? 'waiting' : 'failed',
      epochs: [],
      message: valid.ok ? undefined : valid.errors.map((e) => e.message).join(' '),
      ...(generation === undefined ? {} : { generation }),
    };
    this.trials.push(trial);
    if (!valid.ok) sampler.tell(trial);
    await this.store.putTrial(trial);
  }

  private async train(slot: Slot, group: TrialRecord[], sampler: StudySearch, pruner: PopulationPruner | null): Promise<void> {
    slot.busy = true;
    const { spec } = this.study;
    const { objective } = spec;
    const now = Date.now();
    for (const t of group) Object.assign(t, { state: 'running', startedAt: now, epochs: [] });
    await Promise.all(group.map((t) => this.store.putTrial(t)));
    this.publish();
    // Each epoch's wall time, from the worker's answer to the next report: what one member-epoch costs.
    const timings: EpochTiming[] = [];
    let since = performance.now();
    const onEpoch = async (epoch: number, metrics: (EpochMetrics | null)[]) => {
      const reported = group.flatMap((_, p) => (metrics[p] ? [p] : []));
      timings.push({ members: reported.length, ms: performance.now() - since });
      for (const p of reported) group[p].epochs.push(metrics[p]!);
      // The members are judged together, every one's value at this epoch in view.
      const members = reported.map((p) => ({ id: group[p].number, value: minimizedValue(metrics[p]!, objective) }));
      const prune = pruner ? pruner.prune(epoch, members, this.prunerView()).map((k) => reported[k]) : [];
      if (pruner) {
        const cost = memberEpochCost(timings) ?? undefined;
        for (const t of group) t.memberEpochMs = cost;
      }
      for (const p of prune) Object.assign(group[p], { state: 'pruned', prunedAt: epoch, finishedAt: Date.now() });
      await Promise.all(group.filter((_, p) => metrics[p]).map((t) => this.store.putTrial(t)));
      this.publish();
      since = performance.now();
      return prune;
    };
    try {
      const keep = { count: spec.keep ?? KEEP_WEIGHTS.count, objective };
      const outcome = await Promise.race([slot.api.run(group.map((t) => t.spec), { k: spec.folds ?? 1, seed: spec.seed }, Comlink.proxy(onEpoch), keep), slot.watch.dead]);
      const objectives = studyObjectives(spec);
      const costly = needsCost(objectives);
      // A group shares one architecture, so one measurement serves all its members.
      const cost = isMultiObjective(spec) && (costly.size || costly.inferenceTime) ? await Promise.race([slot.api.measure(group[0].spec, costly.inferenceTime), slot.watch.dead]) : undefined;
      for (const [p, t] of group.entries()) {
        const members = outcome.folds.map((fold) => fold[p]);
        if (outcome.cancelled && members.some((m) => m.status === 'training')) continue;
        const { state, value, valueStd } = crossValidatedResult(members, objective);
        const values = isMultiObjective(spec) && state === 'complete' ? objectiveValues(members, objectives, cost) : undefined;
        Object.assign(t, { state, value, valueStd, finishedAt: t.finishedAt ?? Date.now() }, values ? { values } : {});
        sampler.tell(t);
      }
      await this.keepTrained(group, outcome.kept);
    } catch (error) {
      // A dead worker is replaced and its trials wait for another turn (a second death fails
      // them: the trial itself may be what kills it); one whose call merely threw (Comlink
      // passes the error back) still works, and its trials fail. The study goes on.
      const died = error instanceof WorkerDied;
      const message = `${died ? 'The worker stopped' : 'Training failed'}: ${error instanceof Error ? error.message : String(error)}`;
      for (const t of group) {
        // A trial pruned before the failure stays pruned.
        if (t.state === 'pruned') {
          sampler.tell(t);
          continue;
        }
        const deaths = died ? (this.deaths.get(t.number) ?? 0) + 1 : 0;
        if (died) this.deaths.set(t.number, deaths);
        if (died && deaths < MAX_WORKER_DEATHS) {
          Object.assign(t, { state: 'waiting', epochs: [], startedAt: undefined, message: `Re-queued: ${message}` });
          continue;
        }
        Object.assign(t, { state: 'failed', finishedAt: Date.now(), message });
        sampler.tell(t);
      }
      if (died) await this.replace(slot);
    }
    await Promise.all(group.map((t) => this.store.putTrial(t)));
    slot.busy = false;
    this.publish();
    this.notify();
  }

  /**
   * Keeps the trained networks of the study's best trials: the group's best (as the worker
   * chose them) join those kept so far, and trialsToKeep decides which stay; the others are
   * let go. The choice is made before any write, so groups that finish together agree.
   */
  private async keepTrained(group: TrialRecord[], models: KeptModel[]): Promise<void> {
    const fresh = models.filter((m) => group[m.member].state === 'complete');
    if (fresh.length === 0) return;
    const offered = fresh.map((m) => ({ number: group[m.member].number, bytes: weightBytes(m.weights) }));
    const bounds = { ...KEEP_WEIGHTS, count: this.study.spec.keep ?? KEEP_WEIGHTS.count };
    const keep = new Set(trialsToKeep(this.study.spec, this.trials, [...[...this.kept].map(([number, bytes]) => ({ number, bytes })), ...offered], bounds));
    const evicted = [...this.kept.keys()].filter((n) => !keep.has(n));
    evicted.forEach((n) => this.kept.delete(n));
    const added = fresh.filter((_, i) => keep.has(offered[i].number));
    added.forEach((m) => this.kept.set(group[m.member].number, weightBytes(m.weights)));
    this.listener.onKept?.([...this.kept.keys()].sort((a, b) => a - b));
    const folds = this.study.spec.folds ?? 1;
    // Space is freed first, so that a full disk takes the better network.
    await Promise.all([
      ...evicted.map((n) => this.store.deleteWeights(this.study.id, n)),
      ...added.map((m) => this.store.putWeights({ studyId: this.study.id, number: group[m.member].number, weights: m.weights, shapes: m.shapes, evaluation: m.evaluation, folds })),
    ]);
  }

  private prunerView() {
    return this.trials.map((t) => ({
      id: t.number,
      state: t.state,
      intermediate: t.epochs.map((m) => minimizedValue(m, this.study.spec.objective)),
    }));
  }

  private async spawn(): Promise<Slot> {
    const worker = tensorWorker('study');
    const api = Comlink.wrap<StudyWorkerApi & Heartbeat>(worker);
    const watch = watchWorker(worker, () => api.ping(), this.heartbeat);
    try {
      const info = await Promise.race([this.prepare(api), watch.dead]);
      this.backend = info.name;
      this.listener.onBackend?.(info);
    } catch (error) {
      watch.stop();
      worker.terminate();
      throw error;
    }
    return { worker, api, busy: false, watch };
  }

  /**
   * A worker's backend: for 'auto', the fastest on a population of the study's own shape, timed
   * once per device and shape (the first worker measures, the others and later visits remember).
   */
  private prepare(api: Comlink.Remote<StudyWorkerApi & Heartbeat>): Promise<BackendInfo> {
    const { base, nTrials } = this.study.spec;
    const members = plannedGroup(this.study.spec, nTrials);
    const worker = {
      device: () => api.device(),
      prepare: (preference: BackendPreference, remembered?: BackendMeasurement | null) => api.prepare(preference, remembered, base, members),
    };
    return chooseBackend(worker, this.preference, `study ${trainingShape(base)} ×${members}`);
  }

  private async replace(slot: Slot): Promise<void> {
    slot.watch.stop();
    slot.worker.terminate();
    const fresh = await this.spawn();
    Object.assign(slot, fresh);
  }

  private stopWorkers(): void {
    this.slots.forEach((s) => {
      s.watch.stop();
      s.worker.terminate();
    });
    this.slots = [];
  }

  private publish(): void {
    // Only while it runs: a group still reporting after a failed run must not list it again.
    if (runningHere.has(this.study.id)) runningHere.set(this.study.id, { finished: this.finished(), total: this.study.spec.nTrials });
    this.listener.onTrials(this.trials.map((t) => ({ ...t, epochs: [...t.epochs] })));
  }

  /** How many trials have finished, whatever their outcome. */
  private finished(): number {
    return this.trials.filter((t) => t.state !== 'waiting' && t.state !== 'running').length;
  }

  private sleep(running: Set<Promise<void>>): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      if (running.size) void Promise.race(running).then(resolve);
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
