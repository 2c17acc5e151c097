import type { DataSpec } from '../../src/core/data/types';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { RunController } from '../../src/core/train/controller';
import { runTraining } from '../../src/core/train/run';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function spec(change: (s: ExperimentSpec) => void): ExperimentSpec {
  const s = structuredClone(DEFAULT_EXPERIMENT);
  change(s);
  return s;
}

const circle = spec((s) => {
  s.data = { kind: 'circle', n: 400, noise: 0, trainRatio: 0.5, seed: 3 };
  s.model.hidden = [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }];
  s.optimizer = { kind: 'adam', lr: 0.03 };
  s.training.batchSize = 10;
  s.training.epochs = 40;
});

describe('training', () => {
  test('a circle run reaches 0.95 validation accuracy and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const outcome = await runTraining(circle);
    expect(outcome.status).toBe('complete');
    expect(outcome.history).toHaveLength(40);
    expect(outcome.history.at(-1)!.valMetric).toBeGreaterThanOrEqual(0.95);
    expect(outcome.history.at(-1)!.trainLoss).toBeLessThan(outcome.history[0].trainLoss);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('the same spec and seed replay the same run; another seed does not', async () => {
    const short = spec((s) => Object.assign(s, structuredClone(circle), { training: { ...circle.training, epochs: 3 } }));
    const a = await runTraining(short);
    const b = await runTraining(short);
    const c = await runTraining({ ...short, seed: short.seed + 1 });
    expect(b.history).toEqual(a.history);
    expect(b.weights).toEqual(a.weights);
    expect(c.history.at(-1)!.trainLoss).not.toBe(a.history.at(-1)!.trainLoss);
  });

  test('a run whose loss explodes ends as diverged at the epoch it happened, without throwing', async () => {
    const before = tf.memory().numTensors;
    const outcome = await runTraining(
      spec((s) => {
        s.data = { kind: 'plane', n: 200, noise: 0, trainRatio: 0.5, seed: 1 };
        s.model.hidden = [{ units: 8, activation: 'linear' }];
        s.optimizer = { kind: 'sgd', lr: 5 };
        s.training.epochs = 100;
      }),
    );
    expect(outcome.status).toBe('diverged');
    expect(outcome.divergedAt).toBe(outcome.history.length);
    expect(outcome.divergedAt).toBeLessThan(10);
    expect(Number.isFinite(outcome.history.at(-1)!.trainLoss)).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('early stopping restores the best epoch and says which', async () => {
    const outcome = await runTraining(
      spec((s) => {
        Object.assign(s, structuredClone(circle));
        (s.data as DataSpec).noise = 50;
        (s.data as DataSpec).n = 100;
        s.model.hidden = [{ units: 32, activation: 'relu' }, { units: 32, activation: 'relu' }];
        s.optimizer = { kind: 'adam', lr: 0.05 };
        s.training.epochs = 300;
        s.training.patience = 5;
      }),
    );
    expect(outcome.status).toBe('early-stopped');
    const best = Math.min(...outcome.history.map((m) => m.valLoss));
    expect(outcome.history[outcome.bestEpoch! - 1].valLoss).toBe(best);
    expect(outcome.history.length).toBe(outcome.bestEpoch! + 5);
  });

  test('pause, step a batch, step an epoch and cancel', async () => {
    const controller = new RunController(true);
    const progress: { epoch: number; batch: number; status: string }[] = [];
    const done = runTraining(circle, {
      controller,
      gridSize: 8,
      onProgress: (p) => progress.push({ epoch: p.epoch, batch: p.batchInEpoch, status: p.status }),
    });
    // Waits for each paused state rather than sleeping, so a busy machine cannot fail it.
    const pausedAt = (epoch: number, batch: number) =>
      vi.waitFor(() => expect(progress.at(-1)).toEqual({ epoch, batch, status: 'paused' }), { timeout: 20_000 });
    await pausedAt(0, 0);
    expect(progress).toHaveLength(1);
    controller.step('batch');
    await pausedAt(0, 1);
    controller.step('epoch');
    await pausedAt(1, 0);
    controller.cancel();
    const outcome = await done;
    expect(outcome.status).toBe('cancelled');
    expect(outcome.history).toHaveLength(1);
  });

  test('a paced run shows every epoch and takes at least its epochs over its pace; stepping is never held', async () => {
    const controller = new RunController();
    controller.setPace(25);
    const epochs: number[][] = [];
    const started = performance.now();
    const outcome = await runTraining(spec((s) => Object.assign(s, structuredClone(circle), { training: { ...circle.training, epochs: 6 } })), {
      controller,
      onProgress: (p) => p.newEpochs.length && epochs.push(p.newEpochs.map((m) => m.epoch)),
    });
    // Five waits of 40 ms less each epoch's own time: a busy machine only makes it longer.
    expect(performance.now() - started).toBeGreaterThanOrEqual(5 * 40 - 5);
    expect(outcome.history).toHaveLength(6);
    expect(epochs.slice(0, 5)).toEqual([[1], [2], [3], [4], [5]]);
    expect(controller.epochWait(10)).toBe(30);
    expect(controller.epochWait(50)).toBe(0);
    controller.step('epoch');
    expect(controller.epochWait(0)).toBe(0);
    controller.pause();
    expect(controller.epochWait(0)).toBe(0);
    controller.setPace(null);
    controller.resume();
    expect(controller.epochWait(0)).toBe(0);
    expect(() => controller.setPace(0)).toThrow(RangeError);
  });

  test('the decision grid is a probability per cell, top row first', async () => {
    let grid: Float32Array | undefined;
    await runTraining(spec((s) => Object.assign(s, structuredClone(circle))), {
      gridSize: 16,
      onProgress: (p) => (grid = p.grid),
    });
    expect(grid).toHaveLength(256);
    expect(Math.min(...grid!)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...grid!)).toBeLessThanOrEqual(1);
    // Circle: class 1 (blue) inside radius ~2.5, class 0 outside: centre and corner disagree.
    const centre = grid![8 * 16 + 8];
    const corner = grid![0];
    expect(Math.abs(centre - corner)).toBeGreaterThan(0.8);
  });
});
