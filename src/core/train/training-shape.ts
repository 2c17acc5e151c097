import type { ExperimentSpec } from '../spec/experiment';

/**
 * What makes two experiments cost the same per step, and so share a backend calibration: the
 * network (its inputs, layers and dropout), the batch size, the optimizer and the data (a
 * table and its columns, or the generated sets, whose size does not vary). Seeds, rates and
 * epochs do not change a step's cost and are left out.
 *
 * @example
 * trainingShape(spec); // 'train {"features":["x1","x2"],"hidden":[…],"dropout":0,"batch":32,"optimizer":"adam","data":"generated"}'
 */
export function trainingShape(spec: ExperimentSpec): string {
  const { features, hidden, dropout } = spec.model;
  const data = spec.data.kind === 'table' ? { table: spec.data.dataset, features: spec.data.preprocess.features, target: spec.data.preprocess.target } : 'generated';
  return `train ${JSON.stringify({ features, hidden, dropout, batch: spec.training.batchSize, optimizer: spec.optimizer.kind, data })}`;
}
