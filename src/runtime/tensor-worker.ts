import type { TensorWorkerRole } from '../workers/tensor.worker';

/**
 * A worker running the adapter of `role`: the one worker script that holds tfjs (see
 * workers/tensor.worker), started under the role's name.
 *
 * @example
 * const api = Comlink.wrap<TrainWorkerApi>(tensorWorker('train'));
 */
export function tensorWorker(role: TensorWorkerRole): Worker {
  return new Worker(new URL('../workers/tensor.worker.ts', import.meta.url), { type: 'module', name: role });
}
