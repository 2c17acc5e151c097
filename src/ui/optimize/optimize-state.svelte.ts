// The pure parts of core/compress by module: its index also carries the training engine, which
// the page loads only in the worker.
import { weightHistogram, type WeightHistogram } from '../../core/compress/histogram';
import type { AugmentOutcome, AugmentSettings } from '../../core/compress/augment-data';
import type { DistillResult, OptimizeResult } from '../../core/compress/optimize';
import type { RebalanceResult } from '../../core/compress/rebalance';
import { denseReference, sizeAccuracyStudy } from '../../core/compress/size-study';
import { problemOfData } from '../../core/train/training-data';
import {
  DEFAULT_AUGMENT, DEFAULT_DISTILL, DEFAULT_OPTIMIZE, DEFAULT_REBALANCE, DEFAULT_SWEEP, validateRebalance, validateSweep, type RebalanceSpec, type SweepSpec, optimizeSettings, sourceProblem, studentLayers, teacherProblem, validateAugment, validateDistill, validateOptimize,
  type DistillSpec, type OptimizeSpec,
} from '../../core/compress/spec';
import type { FieldError } from '../../core/spec/schema';
import type { StudyRecord, TrialRecord } from '../../core/study/types';
import { downloadOptimized, OptimizeClient } from '../../runtime/optimize-client';
import type { RunRecord, RunStore, StudyStore } from '../../runtime/store';
import { StudyRunner } from '../../runtime/study-runner';
import { saveTrialRun } from '../../runtime/trial-run';

/** Field path → message, for the fields of the screen. */
type Errors = Record<string, string>;

const byPath = (errors: FieldError[], prefix = ''): Errors => Object.fromEntries(errors.map((e) => [`${prefix}${e.path}`, e.message]));

/** One kernel's weights before and after, as histograms. */
export interface LayerHistograms {
  name: string;
  before: WeightHistogram;
  after: WeightHistogram;
}

/**
 * The optimize screen's state: the saved runs, the chosen run and settings with their errors,
 * and the results of pruning and quantization and of distillation. The work happens in a
 * training worker (OptimizeClient); nothing saved is changed, an optimized network is added as
 * a new run only when asked.
 */
export class OptimizeState {
  runs = $state.raw<RunRecord[]>([]);
  runId = $state<string | null>(null);
  spec = $state<OptimizeSpec>(structuredClone(DEFAULT_OPTIMIZE));
  distillSpec = $state<DistillSpec>(structuredClone(DEFAULT_DISTILL));
  teacherId = $state<string | null>(null);
  errors = $state<Errors>({});
  augmentSpec = $state<AugmentSettings>(structuredClone(DEFAULT_AUGMENT));
  augmented = $state.raw<{ plain: AugmentOutcome; augmented: AugmentOutcome } | null>(null);
  rebalanceSpec = $state<RebalanceSpec>(structuredClone(DEFAULT_REBALANCE));
  sweepSpec = $state<SweepSpec>(structuredClone(DEFAULT_SWEEP));
  /** The size-against-accuracy study started here (saved like any study), its trials as they arrive, and the dense network it is drawn against. */
  sizeStudy = $state.raw<StudyRecord | null>(null);
  sizeTrials = $state.raw<TrialRecord[]>([]);
  sizeDense = $state.raw<{ score: number; bytes: number } | null>(null);
  rebalanced = $state.raw<RebalanceResult | null>(null);
  status = $state<'idle' | 'running' | 'distilling' | 'augmenting' | 'rebalancing' | 'sweeping'>('idle');
  /** Sparsity after each pruning round so far. */
  rounds = $state<number[]>([]);
  result = $state.raw<OptimizeResult | null>(null);
  histograms = $state.raw<LayerHistograms[]>([]);
  distilled = $state.raw<DistillResult | null>(null);
  message = $state<string | null>(null);
  private readonly client = new OptimizeClient();

  /** `onStudy` hears that a study was added or finished, for the study screen's list. */
  constructor(
    private readonly store: RunStore,
    private readonly studies: StudyStore,
    private readonly onStudy?: () => void,
  ) {}

  /** The chosen run. */
  get run(): RunRecord | undefined {
    return this.runs.find((r) => r.id === this.runId);
  }

  /** Reads the saved runs; picks the newest with weights when none is chosen. */
  async refresh(): Promise<void> {
    this.runs = await this.store.listRuns();
    if (!this.run) this.runId = this.runs.find((r) => r.weights)?.id ?? this.runs[0]?.id ?? null;
    if (!this.runs.some((r) => r.id === this.teacherId)) this.teacherId = this.runId;
  }

  /** Picks the run to optimize, forgetting the previous results. */
  choose(id: string): void {
    this.runId = id;
    this.result = null;
    this.histograms = [];
    this.distilled = null;
    this.augmented = null;
    this.rebalanced = null;
    this.sizeStudy = null;
    this.sizeTrials = [];
    this.sizeDense = null;
    this.errors = {};
    const problem = sourceProblem(this.run);
    if (problem) this.errors = { [problem.path]: problem.message };
  }

  /** Prunes and quantizes the chosen run's network as the settings say, after checking them. */
  async optimize(): Promise<void> {
    const run = this.run;
    const checked = validateOptimize($state.snapshot(this.spec));
    const problem = sourceProblem(run);
    this.errors = { ...(checked.ok ? {} : byPath(checked.errors)), ...(problem ? { [problem.path]: problem.message } : {}) };
    if (!checked.ok || problem || !run) return;
    this.status = 'running';
    this.rounds = [];
    this.message = null;
    try {
      const result = await this.client.optimize(run, optimizeSettings(checked.spec), (_, sparsity) => (this.rounds = [...this.rounds, sparsity]));
      this.result = result;
      const shapes = run.weightShapes!;
      this.histograms = shapes.flatMap((s, k) =>
        s.length === 2 ? [{ name: `Layer ${k / 2 + 1} (${s[0]}×${s[1]})`, before: weightHistogram(run.weights![k], 40), after: weightHistogram(result.weights[k], 40) }] : [],
      );
    } catch (error) {
      this.message = `The network could not be optimized: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.status = 'idle';
    }
  }

  /** Downloads the optimized network as tf.io files. */
  async exportModel(): Promise<void> {
    const run = this.run;
    if (!run || !this.result) return;
    try {
      await downloadOptimized(run, this.result, this.spec.export.dtype);
    } catch (error) {
      this.message = `The model could not be exported: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** What was done to the network, in words. */
  get summary(): string {
    const { prune, quantize } = this.spec;
    const parts = [
      prune.enabled ? `pruned ${Math.round(prune.amount * 100)} % (${prune.method})` : '',
      quantize.enabled ? `${quantize.bits}-bit per ${quantize.perNeuron ? 'neuron' : 'tensor'}` : '',
      quantize.enabled && quantize.awareEpochs > 0 ? `${quantize.awareEpochs} epochs quantization-aware${quantize.activations ? ' with 8-bit activations' : ''}` : '',
    ].filter(Boolean);
    return parts.join(', ') || 'unchanged';
  }

  /** Adds the optimized network to the saved runs, beside the one it came from; returns the new run's id. */
  async saveAsRun(): Promise<string | null> {
    return this.result ? this.saveWeights(this.result.weights, this.summary) : null;
  }

  /**
   * Adds a point of the size-against-accuracy study (its trial number) to the saved runs with
   * its compressed network, as the study kept it, to open it; returns the new run's id.
   */
  async openSweepPoint(trial: number): Promise<string | null> {
    const study = this.sizeStudy;
    const record = this.sizeTrials.find((t) => t.number === trial);
    const kept = study && record && (await this.studies.getWeights(study.id, trial));
    if (!study || !record || !kept) {
      this.message = `The network of point ${trial} was not kept.`;
      return null;
    }
    const id = await saveTrialRun(this.store, study, record, kept);
    await this.refresh();
    return id;
  }

  /** Saves `weights` as a new run of the chosen run's network, described as `what`. */
  private async saveWeights(weights: Float32Array[], what: string): Promise<string | null> {
    const run = this.run;
    if (!run) return null;
    const created = await this.store.createRun(run.spec, run.backend);
    await this.store.finishRun(created.id, {
      status: 'complete',
      message: `Optimized (${what}) from the run of ${new Date(run.createdAt).toLocaleString()}.`,
      weights,
      weightShapes: run.weightShapes,
      recipe: run.recipe,
    });
    await this.refresh();
    return created.id;
  }

  /**
   * Starts the size-against-accuracy study of the chosen run, after checking the settings (and,
   * with students, the distillation's): saved as a study, run by the study engine here, its
   * points arriving population by population; the study screen reads it too.
   */
  async sweep(): Promise<void> {
    const run = this.run;
    const checked = validateSweep($state.snapshot(this.sweepSpec));
    const distill = validateDistill($state.snapshot(this.distillSpec));
    const students = checked.ok && checked.spec.distilled;
    const refusal = sourceProblem(run) ?? (run && students ? teacherProblem(run, run) : null);
    this.errors = {
      ...(checked.ok ? {} : byPath(checked.errors, 'sweep.')),
      ...(students && !distill.ok ? byPath(distill.errors, 'distill.') : {}),
      ...(refusal ? { [refusal.path === 'teacher' ? 'sweep.distilled' : refusal.path]: refusal.message } : {}),
    };
    if (!checked.ok || refusal || !run || (students && !distill.ok)) return;
    const d = distill.ok ? distill.spec : DEFAULT_DISTILL;
    const spec = sizeAccuracyStudy({ id: run.id, spec: run.spec }, {
      sparsities: checked.sparsities!, bits: checked.bits!, distilled: checked.spec.distilled, epochs: checked.spec.epochs,
      distill: { widthFactor: d.widthFactor, temperature: d.temperature, alpha: d.alpha, epochs: d.epochs },
    });
    this.status = 'sweeping';
    this.message = null;
    this.sizeTrials = [];
    this.sizeDense = denseReference({ weights: run.weights!, evaluation: run.evaluation, epochs: run.epochs });
    try {
      this.sizeStudy = await this.studies.createStudy(spec);
      this.onStudy?.();
      await new StudyRunner(this.studies, this.sizeStudy, { onTrials: (trials) => (this.sizeTrials = trials), onStatus: () => {} }).run();
      const failed = this.sizeTrials.find((t) => t.state === 'failed');
      if (failed) this.message = `Point ${failed.number} failed: ${failed.message ?? 'no reason given'}`;
    } catch (error) {
      this.message = `The study stopped: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.status = 'idle';
      this.onStudy?.();
    }
  }

  /** The chosen run's classes: a table's, 2 for a generated classification set, 0 when it predicts a value (or none is chosen). */
  get classCount(): number {
    const d = this.run?.spec.data;
    const target = this.run?.recipe?.target;
    return !d || problemOfData(d) === 'regression' ? 0 : d.kind === 'table' ? (target?.kind === 'classes' ? target.classes.length : 0) : 2;
  }

  /** The chosen run's class names (a table's recipe), or "class k". */
  get classNames(): string[] {
    const target = this.run?.recipe?.target;
    return target?.kind === 'classes' ? target.classes : (this.rebalanced?.classWeights ?? []).map((_, k) => `class ${k}`);
  }

  /** Retrains the chosen run's network with class weights, after checking the settings; per-class recall before and after. */
  async rebalance(): Promise<void> {
    const run = this.run;
    const problem = sourceProblem(run);
    const classes = this.classCount;
    const checked = validateRebalance($state.snapshot(this.rebalanceSpec), classes);
    const notClasses = run && !problem && classes < 2 ? { path: 'run', message: 'Class weights need a classification: this run predicts a value.' } : null;
    const refusal = problem ?? notClasses;
    this.errors = { ...(checked.ok ? {} : byPath(checked.errors, 'rebalance.')), ...(refusal ? { [refusal.path]: refusal.message } : {}) };
    if (!checked.ok || refusal || !run) return;
    this.status = 'rebalancing';
    this.message = null;
    try {
      this.rebalanced = await this.client.rebalance(run, checked.weights ?? null, checked.spec.epochs);
    } catch (error) {
      this.message = `Retraining with class weights failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.status = 'idle';
    }
  }

  /** Sets augmentation to the small-data preset, where the gap between training and validation loss visibly closes. */
  smallDataPreset(): void {
    this.augmentSpec = structuredClone(DEFAULT_AUGMENT);
    this.errors = Object.fromEntries(Object.entries(this.errors).filter(([path]) => !path.startsWith('augment.')));
  }

  /** Trains the run's network on a few plain and on the same rows augmented, after checking the settings. */
  async augment(): Promise<void> {
    const run = this.run;
    const checked = validateAugment($state.snapshot(this.augmentSpec));
    // Augmentation retrains from scratch: any run will do, with weights or not.
    const problem = run ? null : sourceProblem(undefined);
    this.errors = { ...(checked.ok ? {} : byPath(checked.errors, 'augment.')), ...(problem ? { [problem.path]: problem.message } : {}) };
    if (!checked.ok || !run) return;
    this.status = 'augmenting';
    this.message = null;
    try {
      this.augmented = await this.client.augment(run, checked.spec);
    } catch (error) {
      this.message = `Augmentation failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.status = 'idle';
    }
  }

  /** Trains the smaller student alone and distilled from the teacher, after checking both runs and the settings. */
  async distill(): Promise<void> {
    const run = this.run;
    const teacher = this.runs.find((r) => r.id === this.teacherId);
    const checked = validateDistill($state.snapshot(this.distillSpec));
    const problem = run ? teacherProblem(teacher, run) : sourceProblem(run);
    this.errors = { ...(checked.ok ? {} : byPath(checked.errors, 'distill.')), ...(problem ? { [problem.path]: problem.message } : {}) };
    if (!checked.ok || problem || !teacher) return;
    this.status = 'distilling';
    this.message = null;
    try {
      const s = checked.spec;
      this.distilled = await this.client.distill(teacher, {
        hidden: studentLayers(teacher.spec, s.widthFactor), temperature: s.temperature, alpha: s.alpha, epochs: s.epochs,
        seeds: Array.from({ length: s.seeds }, (_, i) => teacher.spec.seed + i + 1),
      });
    } catch (error) {
      this.message = `Distillation failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.status = 'idle';
    }
  }
}
