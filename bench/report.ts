// Turns the workloads' raw timings into the rows of the benchmark table: what ours did, what the
// baseline did, how many times faster ours is, the target and whether it was met.
import type { BackendName } from '../src/runtime/backend-types';
import type { BatchedVsSingle } from './workloads/landscape';
import type { SliceTiming } from './workloads/trained-slice';
import type { TrainingTime } from './workloads/our-training';
import { BATCH_SIZE, FULL_EPOCHS, TRIALS } from './workloads/sizes';
import type { Timed } from './workloads/timing';

/** Everything one backend's run measured (a workload left out with --only is absent). */
export interface Measurements {
  oneTrial?: { ours: TrainingTime; fit: TrainingTime };
  study?: {
    population: TrainingTime;
    serialFit: Timed;
    /** One entry per worker of the pool, timed concurrently. */
    pool: Timed[];
    plainJs: Timed;
  };
  basinMap?: BatchedVsSingle;
  lrSweep?: BatchedVsSingle;
  trainedSlice?: SliceTiming;
}

/** One line of the table. */
export interface Row {
  workload: string;
  ours: string;
  baseline: string;
  /** How many times faster ours is than the baseline. */
  ratio: number;
  /** The least ratio asked for, where there is one. */
  target?: number;
  met?: boolean;
  /** How the numbers were obtained: scaling down, extrapolation. */
  note?: string;
}

/** Targets that depend on the backend: population against serial model.fit, and against plain JS. */
const STUDY_TARGETS: Partial<Record<BackendName, { fit?: number; plainJs?: number }>> = {
  webgpu: { fit: 20, plainJs: 1 },
  cpu: { fit: 4 },
};

const fixed = (x: number, digits = 1) => x.toFixed(digits);
const perMinute = (trialSeconds: number) => `${fixed(60 / trialSeconds)} trials/min`;

function row(r: Omit<Row, 'met'>): Row {
  return r.target === undefined ? r : { ...r, met: r.ratio >= r.target };
}

/** The table rows of one backend's measurements. */
export function benchRows(backend: BackendName, m: Measurements): Row[] {
  const rate = (t: TrainingTime) => t.steps / t.seconds;
  const epochsNote = (t: TrainingTime) => (t.epochs < FULL_EPOCHS ? `${t.epochs} of ${FULL_EPOCHS} epochs` : `${t.epochs} epochs`);
  const w1 = (ours: TrainingTime, fit: TrainingTime) => row({
    workload: `W1 one trial: Adam, batch ${BATCH_SIZE}`,
    ours: `${fixed(rate(ours))} steps/s`,
    baseline: `model.fit ${fixed(rate(fit))} steps/s`,
    ratio: rate(ours) / rate(fit),
    target: 2,
    note: `ours ${epochsNote(ours)}, model.fit ${epochsNote(fit)} (time budget); both validate every epoch`,
  });

  const w2 = ({ population, serialFit, pool, plainJs }: NonNullable<Measurements['study']>) => {
  const epochs = population.epochs;
  // Seconds per trial of each way; the pool's workers ran at the same time, so their rates add up.
  const popTrial = population.seconds / TRIALS;
  const fitTrial = serialFit.seconds / serialFit.count;
  const poolTrial = 1 / pool.reduce((sum, w) => sum + w.count / w.seconds, 0);
  const jsTrial = plainJs.seconds / plainJs.count;
  const sampled = (t: Timed) => (t.count < TRIALS ? `timed on ${t.count} trials, ×${TRIALS}/${t.count}` : `all ${TRIALS} trials`);
  const targets = STUDY_TARGETS[backend] ?? {};
  const study = `W2 64-trial study, ${epochs}${epochs < FULL_EPOCHS ? ` of ${FULL_EPOCHS}` : ''} epochs`;
  const ourStudy = `population ${fixed(population.seconds)} s, ${perMinute(popTrial)}`;
  const baseline = (name: string, trial: number) => `${name} ${fixed(trial * TRIALS)} s, ${perMinute(trial)}`;
  return [
    row({ workload: study, ours: ourStudy, baseline: baseline('serial model.fit', fitTrial), ratio: fitTrial / popTrial, target: targets.fit, note: `model.fit ${sampled(serialFit)}` }),
    row({
      workload: study,
      ours: ourStudy,
      baseline: baseline(`our step, ${pool.length} workers`, poolTrial),
      ratio: poolTrial / popTrial,
      note: `pool: ${pool.map((w) => `${w.count} trials in ${fixed(w.seconds)} s`).join(' and ')} at once${pool.reduce((n, w) => n + w.count, 0) < TRIALS ? `, extrapolated to ${TRIALS}` : ''}`,
    }),
    row({ workload: study, ours: ourStudy, baseline: baseline('plain JS per example', jsTrial), ratio: jsTrial / popTrial, target: targets.plainJs, note: `plain JS ${sampled(plainJs)}, one worker` }),
  ];
  };

  const landscape = (workload: string, what: string, r: BatchedVsSingle, target?: number) => {
    const single = (r.single.seconds / r.single.count) * r.total;
    return row({
      workload,
      ours: `batched ${fixed(r.batchedSeconds, 2)} s`,
      baseline: `one ${what} at a time ${fixed(single)} s`,
      ratio: single / r.batchedSeconds,
      target,
      note: `singles are trajectory() calls (they also record the path), ${r.single.count < r.total ? `timed on ${r.single.count} of ${r.total}, extrapolated` : `all ${r.total} run`}`,
    });
  };
  const w6 = (r: SliceTiming) => {
    const workload = 'W6 penguins loss slice 51×51';
    const ours = `one population ${fixed(r.oursSeconds, 2)} s`;
    const single = (r.single.seconds / r.single.count) * r.total;
    return [
      row({
        workload, ours, baseline: `one point at a time ${fixed(single)} s`, ratio: single / r.oursSeconds,
        note: `singles are the same kernel on one point, ${r.single.count < r.total ? `timed on ${r.single.count} of ${r.total}, extrapolated` : `all ${r.total} run`}`,
      }),
      row({
        workload, ours, baseline: `batched plain JS ${fixed(r.plainJsSeconds, 2)} s`, ratio: r.plainJsSeconds / r.oursSeconds,
        target: backend === 'cpu' ? 1 : undefined, note: `training and validation loss of every point; largest difference from the peer ${r.largestDifference.toExponential(1)}`,
      }),
    ];
  };
  return [
    ...(m.oneTrial ? [w1(m.oneTrial.ours, m.oneTrial.fit)] : []),
    ...(m.study ? w2(m.study) : []),
    ...(m.basinMap ? [landscape('W3 basin map 128×128, 300 Adam steps', 'start', m.basinMap, 50)] : []),
    ...(m.lrSweep ? [landscape('W4 lr sweep, 64 rates × 300 steps', 'rate', m.lrSweep)] : []),
    ...(m.trainedSlice ? w6(m.trainedSlice) : []),
  ];
}
