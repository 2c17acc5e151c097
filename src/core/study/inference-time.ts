import * as tf from '@tensorflow/tfjs-core';
import { featurize } from '../data/features';
import type { SplitDataset } from '../data/types';
import { compressedBytes } from '../compress/model';
import { initialParameters, NetworkParams, parameterShapes } from '../model/network';
import type { ExperimentSpec } from '../spec/experiment';
import { modelBytes, networkIOOf, parameterCount, type TrialCost } from './objectives';

/** How an inference time is taken: rows per forward pass and timed passes (after one untimed warm-up). */
export interface TimingOptions {
  rows?: number;
  repeats?: number;
  /** The clock, in milliseconds (performance.now by default). */
  now?: () => number;
}

/**
 * What a trial's network costs: its parameter count and weight bytes (packed, for a compressed
 * trial: see compressedBytes), and, when `time` is set, its inference
 * time per row on the current tfjs backend. The time is the median over `repeats` forward
 * passes of `rows` validation rows (repeated to fill them) through a network of the trial's
 * architecture, each pass read back to the host so that a GPU's queue is included, over
 * `rows`; one untimed pass first compiles the kernels. The network carries the trial's initial
 * weights, not its trained ones: a dense forward pass costs the same for any weights, and the
 * trained ones live inside the population's batched state. Small networks are bound by
 * per-operation dispatch, so the figure is a fixed cost spread over the rows plus a share per
 * row; it compares trials measured on one device and backend.
 */
export async function measureCost(spec: ExperimentSpec, data: SplitDataset, time: boolean, options: TimingOptions = {}): Promise<TrialCost> {
  const io = networkIOOf(spec, data);
  const paramCount = parameterCount(spec, io);
  const size = { paramCount, modelBytes: spec.compress ? compressedBytes(spec.compress, parameterShapes(spec.model, io)) : modelBytes(paramCount) };
  if (!time) return size;
  const { rows = 1024, repeats = 5, now = () => performance.now() } = options;
  const source = data.val.n > 0 ? data.val : data.train;
  const inputs = spec.data.kind === 'table' ? source.x : featurize(source.x, spec.model.features);
  const x = new Float32Array(rows * io.inputs);
  for (let r = 0; r < rows; r++) x.set(inputs.subarray(((r % source.n) * io.inputs), ((r % source.n) + 1) * io.inputs), r * io.inputs);
  const net = new NetworkParams(spec.model, io, [initialParameters(spec.model, io, spec.seed)]);
  const batch = tf.tensor2d(x, [rows, io.inputs]);
  try {
    const pass = async () => {
      const out = tf.tidy(() => net.forward(batch));
      await out.data();
      out.dispose();
    };
    await pass();
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = now();
      await pass();
      times.push(now() - start);
    }
    times.sort((a, b) => a - b);
    return { ...size, inferenceTime: times[times.length >> 1] / rows };
  } finally {
    batch.dispose();
    net.dispose();
  }
}
