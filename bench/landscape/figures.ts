// The figures of a trained network's landscape on the spiral: the sharpness of the same
// network trained with batch 8 and with the full batch (Keskar et al. 2017), and the 1-D
// barrier between the minima of two seeds. Runs on the cpu backend in Node.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { generatedSplit, type DataSpec } from '../../src/core/data';
import { flattenWeights, interpolationCurve, landscapeGradient, largestHessianEigenvalue, type LandscapeModel } from '../../src/core/landscape/trained';
import { ioOfShapes } from '../../src/core/model/network';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { runTraining, type RunOutcome } from '../../src/core/train/run';
import { spiralSpec } from '../workloads/spiral';

/** Epochs of every run: enough for batch 8 to fit the spiral. */
const EPOCHS = 300;

function spec(batchSize: number, seed: number): ExperimentSpec {
  const s = spiralSpec({ kind: 'adam', lr: 0.01 }, EPOCHS, seed);
  return { ...s, training: { ...s.training, batchSize } };
}

async function train(s: ExperimentSpec): Promise<{ outcome: RunOutcome; model: LandscapeModel }> {
  const data = generatedSplit(s.data as DataSpec);
  const outcome = await runTraining(s, { data });
  return { outcome, model: { spec: s, io: ioOfShapes(outcome.weightShapes), data } };
}

const last = (o: RunOutcome) => o.history[o.history.length - 1];
const fixed = (x: number, digits = 4) => x.toFixed(digits);

/** Trains the four runs and prints their figures. */
export async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const full = generatedSplit(spec(8, 1).data as DataSpec).train.n;
  const runs = { small: await train(spec(8, 1)), large: await train(spec(full, 1)), otherSeed: await train(spec(8, 2)) };
  console.log(`spiral, 500 points (${full} for training), 2-16-16-1 tanh, Adam lr 0.01, ${EPOCHS} epochs, cpu backend`);
  console.log('run                     train loss  val loss  val acc  largest Hessian eigenvalue');
  for (const [name, { outcome, model }] of [['batch 8, seed 1', runs.small], [`full batch (${full}), seed 1`, runs.large], ['batch 8, seed 2', runs.otherSeed]] as const) {
    const sharp = await largestHessianEigenvalue(landscapeGradient(model), flattenWeights(outcome.weights), { tolerance: 1e-5, iterations: 500 });
    const m = last(outcome);
    console.log(`${name.padEnd(24)}${fixed(m.trainLoss).padStart(10)}${fixed(m.valLoss).padStart(10)}${fixed(m.valMetric, 3).padStart(9)}  ${fixed(sharp.value, 3)} (${sharp.iterations} iterations)`);
  }
  const line = await interpolationCurve(runs.small.model, flattenWeights(runs.otherSeed.outcome.weights), flattenWeights(runs.small.outcome.weights));
  const at = (alpha: number) => line.alphas.indexOf(alpha);
  console.log(`1-D line between the batch-8 minima of seeds 2 (α = 0) and 1 (α = 1), 401 points of [−0.5, 1.5]:`);
  console.log(`  training loss at α = 0, 0.5, 1: ${[0, 0.5, 1].map((a) => fixed(line.train[at(a)])).join(', ')}; barrier ${fixed(line.barrier.train.height)} at α = ${line.barrier.train.alpha}`);
  console.log(`  validation loss at α = 0, 0.5, 1: ${[0, 0.5, 1].map((a) => fixed(line.val[at(a)])).join(', ')}; barrier ${fixed(line.barrier.val.height)} at α = ${line.barrier.val.alpha}`);
}
