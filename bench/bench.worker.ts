// Comlink adapter of the benchmark: runs each workload in a module worker, where the app trains,
// on the backend the page asks for, and returns raw timings. The page turns them into rows.
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/runtime/backend';
import type { BackendInfo, BackendName } from '../src/runtime/backend-types';
import { timeBasinMap, timeLrSweep } from './workloads/landscape';
import { trainWithFit } from './workloads/model-fit';
import { trainOurs, warmUpOurs } from './workloads/our-training';
import { FULL_EPOCHS } from './workloads/sizes';
import { spiralData, spiralSpec } from './workloads/spiral';
import { timePlainJs, timePopulationAndPeer, timePruning, timeSerialFit, timeSerialOurs, trainBatchedPeer } from './workloads/study';
import { fastestInTurns, seconds, warmUp } from './workloads/timing';
import { timeTrainedSlice } from './workloads/trained-slice';
import { timeCompressSweep } from './workloads/compress-sweep';

const api = {
  /** Selects the backend; the answer says which one really runs. */
  prepare(backend: BackendName): Promise<BackendInfo> {
    return selectBackend(backend);
  },

  /**
   * W1: one Adam trial, our trainer, model.fit and the batched plain-JavaScript peer, each
   * warmed up; model.fit timed once within `budget` seconds, ours and the peer in turns up to
   * three times each while ours stays within it, the fastest of each counting (a trial takes
   * a few hundredths of a second: one run of either moved by a factor of two with whatever else ran).
   */
  async oneTrial(budget: number) {
    const spec = spiralSpec({ kind: 'adam', lr: 0.01 }, FULL_EPOCHS);
    const data = spiralData(spec);
    await warmUpOurs([spec], data);
    const first = await trainOurs([spec], data, budget);
    await warmUp(() => trainWithFit({ ...spec, training: { ...spec.training, epochs: 1 } }, data));
    const fit = await trainWithFit(spec, data, budget);
    // The peer at one member, the same epochs as ours, after a warm-up of one-epoch runs.
    const adam = { kind: 'adam' as const, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    await warmUp(() => trainBatchedPeer(data, adam, spec.seed, 1));
    const peerRun = () => {
      const begin = seconds();
      const peerLoss = trainBatchedPeer(data, adam, spec.seed, first.epochs);
      return { epochs: first.epochs, steps: first.steps, seconds: seconds() - begin, finalTrainLoss: [peerLoss] };
    };
    const { ours, peer, rounds } = await fastestInTurns(first, () => trainOurs([spec], data, budget), peerRun, budget);
    return { ours, fit, peer, rounds };
  },

  /** W2 (a) and (e): the 64 trials as one population, and the batched plain-JavaScript peer, in turns. */
  populationAndPeer: timePopulationAndPeer,
  /** W2 (b): model.fit one trial at a time. */
  serialFit: timeSerialFit,
  /** W2 (c): our single-trial step one trial at a time (one worker of the pool). */
  serialOurs: timeSerialOurs,
  /** W2 (d): the plain-JavaScript per-example network. */
  plainJs: timePlainJs,
  /** W2 with successive halving and with Hyperband against no pruning. */
  pruning: timePruning,
  /** W3: the basin map against the hand-written loop. */
  basinMap: timeBasinMap,
  /** W4: the learning-rate sweep against the hand-written loop. */
  lrSweep: timeLrSweep,
  /** W5: the 16-point sparsity × bits study of the penguins model, as populations, one at a time and by the peer. */
  compressSweep: timeCompressSweep,
  /** W6: a trained network's 51 × 51 loss slice. */
  trainedSlice: timeTrainedSlice,

  /** Tensors alive in this worker: after every workload it should be back where it started. */
  tensorCount(): number {
    return tf.memory().numTensors;
  },
};

/** The benchmark worker's interface, as the page sees it through Comlink. */
export type BenchWorkerApi = typeof api;

Comlink.expose(api);
