// Turns the workloads' raw timings into the rows of the benchmark table: what ours did, what the
// baseline did, how many times faster ours is, the target and whether it was met.
import type { BackendInfo, BackendName } from '../src/runtime/backend-types';
import type { AgainstHand } from './workloads/landscape';
import type { PeerRun, PrunedStudy, W2Pruning } from './workloads/study';
import type { SliceTiming } from './workloads/trained-slice';
import { W5_BITS, W5_EPOCHS, W5_SPARSITIES, type CompressSweepTiming, type SweepWay } from './workloads/compress-sweep';
import type { TrainingTime } from './workloads/our-training';
import { BATCH_SIZE, FULL_EPOCHS, TRIALS } from './workloads/sizes';
import type { Timed } from './workloads/timing';

/** Everything one backend's run measured (a workload left out with --only is absent). */
export interface Measurements {
  /** W1; `rounds` timed runs of ours and of the peer, in turns, the fastest of each counting. */
  oneTrial?: { ours: TrainingTime; fit: TrainingTime; peer: TrainingTime; rounds: number };
  study?: {
    population: TrainingTime;
    serialFit: Timed;
    /** One entry per worker of the pool, timed concurrently. */
    pool: Timed[];
    plainJs: Timed;
    batchedJs: PeerRun;
    /** Timed runs of the population and of the batched peer, in turns; the fastest of each counts. */
    rounds: number;
  };
  /** W2 as one population with successive halving and without pruning, same trials and seeds. */
  pruning?: Record<W2Pruning | 'none', PrunedStudy>;
  basinMap?: AgainstHand;
  lrSweep?: AgainstHand;
  /** W5: the size-against-accuracy study's 16 points. */
  compressSweep?: CompressSweepTiming;
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
const STUDY_TARGETS: Partial<Record<BackendName, { fit?: number; plainJs?: number; batchedJs?: number }>> = {
  webgpu: { fit: 20, plainJs: 1 },
  cpu: { fit: 4, batchedJs: 2 },
};

/** Mean of the finite losses, and how many were not finite. */
function meanLoss(losses: number[]): string {
  const finite = losses.filter(Number.isFinite);
  const mean = finite.reduce((a, b) => a + b, 0) / Math.max(1, finite.length);
  return `${mean.toFixed(4)}${finite.length < losses.length ? ` (${losses.length - finite.length} not finite)` : ''}`;
}

const fixed = (x: number, digits = 1) => x.toFixed(digits);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const perMinute = (trialSeconds: number) => `${fixed(60 / trialSeconds)} trials/min`;

function row(r: Omit<Row, 'met'>): Row {
  return r.target === undefined ? r : { ...r, met: r.ratio >= r.target };
}

/**
 * Targets of the landscape lab against the hand-written loop: at least as fast on the cpu
 * (where it runs as WebAssembly), ten times on a GPU; none on SwiftShader, whose "GPU" is the
 * cores the loop runs on.
 */
function landscapeTarget(info: BackendInfo, gpu: number): number | undefined {
  if (info.name === 'cpu') return 1;
  return info.name === 'webgpu' && info.adapter !== 'SwiftShader' ? gpu : undefined;
}

/** The table rows of one backend's measurements. */
export function benchRows(info: BackendInfo, m: Measurements): Row[] {
  const backend = info.name;
  const rate = (t: TrainingTime) => t.steps / t.seconds;
  const epochsNote = (t: TrainingTime) => (t.epochs < FULL_EPOCHS ? `${t.epochs} of ${FULL_EPOCHS} epochs` : `${t.epochs} epochs`);
  const w1 = ({ ours, fit, peer, rounds }: NonNullable<Measurements['oneTrial']>) => [
    row({
      workload: `W1 one trial: Adam, batch ${BATCH_SIZE}`,
      ours: `${fixed(rate(ours))} steps/s`,
      baseline: `model.fit ${fixed(rate(fit))} steps/s`,
      ratio: rate(ours) / rate(fit),
      target: 2,
      note: `ours ${epochsNote(ours)} (the fastest of ${rounds}), model.fit ${epochsNote(fit)} (time budget, once); both validate every epoch; final training loss ours ${meanLoss(ours.finalTrainLoss)}, model.fit ${meanLoss(fit.finalTrainLoss)}`,
    }),
    row({
      workload: `W1 one trial: Adam, batch ${BATCH_SIZE}`,
      ours: `${fixed(rate(ours))} steps/s`,
      baseline: `batched plain JS ${fixed(rate(peer))} steps/s`,
      ratio: rate(ours) / rate(peer),
      note: `both ${epochsNote(ours)}, whole, each the fastest of ${rounds} run${rounds > 1 ? 's' : ''} in turns; final training loss ours ${meanLoss(ours.finalTrainLoss)}, peer ${meanLoss(peer.finalTrainLoss)} (own initial weights)`,
    }),
  ];

  const w2 = ({ population, serialFit, pool, plainJs, batchedJs, rounds }: NonNullable<Measurements['study']>) => {
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
    row({
      workload: study,
      ours: ourStudy,
      baseline: baseline('batched plain JS', batchedJs.seconds / batchedJs.count),
      ratio: batchedJs.seconds / batchedJs.count / popTrial,
      target: targets.batchedJs,
      note: `batched plain JS: all ${TRIALS} trials whole, one worker; ours and the peer each the fastest of ${rounds} run${rounds > 1 ? 's' : ''} in turns (ours in every W2 row); mean final training loss ours ${meanLoss(population.finalTrainLoss)}, peer ${meanLoss(batchedJs.finalTrainLoss)} (own initial weights)`,
    }),
  ];
  };

  const pruning = (results: NonNullable<Measurements['pruning']>) => {
    const { none } = results;
    const way = (name: string, r: PrunedStudy) => `${name} ${fixed(r.seconds, 2)} s, ${perMinute(r.seconds / TRIALS)}, best val loss ${fixed(r.best, 4)}`;
    const pruners = { asha: 'ASHA (min resource 1, η = 4)', hyperband: 'Hyperband (min resource 1, η = 3, 3 brackets)' } as const;
    return (Object.keys(pruners) as W2Pruning[]).map((name) => row({
      workload: `W2 64-trial study, ${FULL_EPOCHS} epochs, ${name === 'asha' ? 'ASHA' : 'Hyperband'}`,
      ours: way(name === 'asha' ? 'ASHA' : 'Hyperband', results[name]),
      baseline: way('no pruning', none),
      ratio: none.seconds / results[name].seconds,
      note: `${pruners[name]} pruned ${results[name].pruned} of ${TRIALS}, trained ${results[name].memberEpochs} of ${none.memberEpochs} member-epochs; median of 3 runs each, same seeds`,
    }));
  };

  const landscape = (workload: string, what: string, r: AgainstHand, target?: number) =>
    row({
      workload,
      ours: `batched ${fixed(1000 * r.ours, r.ours < 0.01 ? 3 : 1)} ms`,
      baseline: `hand-written loop ${fixed(1000 * r.hand, r.hand < 0.01 ? 3 : 1)} ms`,
      ratio: r.hand / r.ours,
      target,
      note: `both whole, fastest of 3 in turns${r.times > 1 ? ` (each sample ${r.times} runs, per run)` : ''}; ${what} differing: ${r.disagreements} of ${r.total}${r.disagreements ? ' (DISAGREE)' : ''}; ${r.detail}`,
    });

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
        target: info.name === 'cpu' ? 1 : undefined, note: `training and validation loss of every point; largest difference from the peer ${r.largestDifference.toExponential(1)}`,
      }),
    ];
  };
  const w5 = ({ populations, oneAtATime, peer }: CompressSweepTiming) => {
    const points = W5_SPARSITIES.length * W5_BITS.length;
    const workload = `W5 ${points}-point sparsity × bits, ${W5_EPOCHS} epochs each`;
    const accuracy = (w: SweepWay) => {
      const mean = w.accuracies.reduce((a, b) => a + b, 0) / w.accuracies.length;
      return `mean ${pct(mean)}, ${pct(Math.min(...w.accuracies))}–${pct(Math.max(...w.accuracies))}`;
    };
    const ours = `${W5_BITS.length} populations ${fixed(populations.seconds, 2)} s`;
    const differing = (w: SweepWay) => w.accuracies.filter((a, k) => a !== populations.accuracies[k]).length;
    return [
      row({
        workload, ours, baseline: `one at a time ${fixed(oneAtATime.seconds, 2)} s`, ratio: oneAtATime.seconds / populations.seconds,
        note: `both whole; validation accuracy as compressed: populations ${accuracy(populations)}, one at a time ${accuracy(oneAtATime)} (${differing(oneAtATime)} of ${points} points differ)`,
      }),
      row({
        workload, ours, baseline: `batched plain JS ${fixed(peer.seconds, 2)} s`, ratio: peer.seconds / populations.seconds,
        note: `both whole, one worker; validation accuracy as compressed: ours ${accuracy(populations)}, peer ${accuracy(peer)} (own shuffles; per point ${populations.accuracies.map((a, k) => `${pct(a)}/${pct(peer.accuracies[k])}`).join(' ')})`,
      }),
    ];
  };
  return [
    ...(m.oneTrial ? w1(m.oneTrial) : []),
    ...(m.study ? w2(m.study) : []),
    ...(m.pruning ? pruning(m.pruning) : []),
    ...(m.basinMap ? [landscape('W3 basin map 128×128, 300 Adam steps', 'labels', m.basinMap, landscapeTarget(info, 10))] : []),
    ...(m.lrSweep ? [landscape('W4 lr sweep, 64 rates × 300 steps', 'final losses', m.lrSweep, landscapeTarget(info, 1))] : []),
    ...(m.compressSweep ? w5(m.compressSweep) : []),
    ...(m.trainedSlice ? w6(m.trainedSlice) : []),
  ];
}
