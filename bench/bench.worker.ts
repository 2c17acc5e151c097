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
import { timePlainJs, timePopulation, timeSerialFit, timeSerialOurs } from './workloads/study';
import { timeTrainedSlice } from './workloads/trained-slice';

const api = {
  /** Selects the backend; the answer says which one really runs. */
  prepare(backend: BackendName): Promise<BackendInfo> {
    return selectBackend(backend);
  },

  /** W1: one Adam trial, our trainer and model.fit, each warmed up and then timed within `budget` seconds. */
  async oneTrial(budget: number) {
    const spec = spiralSpec({ kind: 'adam', lr: 0.01 }, FULL_EPOCHS);
    const data = spiralData(spec);
    await warmUpOurs([spec], data);
    const ours = await trainOurs([spec], data, budget);
    await trainWithFit({ ...spec, training: { ...spec.training, epochs: 1 } }, data);
    const fit = await trainWithFit(spec, data, budget);
    return { ours, fit };
  },

  /** W2 (a): the 64 trials as one population. */
  population: timePopulation,
  /** W2 (b): model.fit one trial at a time. */
  serialFit: timeSerialFit,
  /** W2 (c): our single-trial step one trial at a time (one worker of the pool). */
  serialOurs: timeSerialOurs,
  /** W2 (d): the plain-JavaScript per-example network. */
  plainJs: timePlainJs,
  /** W3: the basin map. */
  basinMap: timeBasinMap,
  /** W4: the learning-rate sweep. */
  lrSweep: timeLrSweep,
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
