import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { expect, test } from 'vitest';
import { classPicture } from '../../src/core/model/predict';

test("a multiclass decision picture is the softmax's argMax plus its largest probability (at most 0.999), ties to the first class", async () => {
  await tf.setBackend('cpu');
  const rows = [
    [2, 0.5, -1, 0.3, 0.1],
    [-3, -3, 4, 4, 0],
    [0, 0, 0, 0, 0],
    [12, -5, 0, 1, 2],
    [-0.2, 0.7, 0.69, -4, 0.71],
  ];
  const before = tf.memory().numTensors;
  const logits = tf.tensor2d(rows);
  const picture = classPicture(logits);
  const probabilities = tf.softmax(logits);
  const reference = tf.tidy(() => tf.add(tf.cast(tf.argMax(probabilities, 1), 'float32'), tf.minimum(tf.max(probabilities, 1), 0.999)));
  const [ours, theirs] = [await picture.data(), await reference.data()];
  Array.from(ours).forEach((v, i) => expect(v).toBeCloseTo(theirs[i], 6));
  // Class 0 at 0.49, the first of the tied pair (2), a five-way tie (class 0 at 0.2), a certainty capped, class 4.
  expect(Array.from(ours, (v) => Math.floor(v))).toEqual([0, 2, 0, 0, 4]);
  expect(ours[2]).toBeCloseTo(0.2, 6);
  expect(ours[3]).toBeCloseTo(0.999, 6);
  tf.dispose([logits, picture, probabilities, reference]);
  expect(tf.memory().numTensors).toBe(before);
});
