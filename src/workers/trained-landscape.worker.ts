// Comlink adapter for a saved run's own loss landscape: selects the backend, loads the run's
// data, and runs core/landscape/trained's interpolation, slice, path and sharpness.
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import {
  flattenWeights, interpolationCurve, landscapeGradient, largestHessianEigenvalue, lossSlice, pathPlane, pathSlicePlane, randomDirection,
  type Interpolation, type LandscapeModel,
} from '../core/landscape/trained';
import type { SavedNetwork } from '../core/landscape/trained-request';
import { ioOfShapes } from '../core/model/network';
import { selectBackend } from '../runtime/backend';
import type { BackendPreference } from '../runtime/backend-types';
import { loadExperimentData } from '../runtime/experiment-data';

/** The last run's data, kept: the view asks for several figures of one run in a row. */
let loaded: { key: string; model: Promise<LandscapeModel> } | null = null;

/** The run's network and data, loaded once per experiment data. */
function modelOf(run: SavedNetwork): Promise<LandscapeModel> {
  const key = JSON.stringify([run.spec, run.weightShapes]);
  if (loaded?.key !== key) {
    const model = loadExperimentData(run.spec).then(({ data }) => ({ spec: run.spec, io: ioOfShapes(run.weightShapes!), data }));
    loaded = { key, model };
  }
  return loaded.model;
}

/** A run's final weights as one vector. */
const finalOf = (run: SavedNetwork) => flattenWeights(run.weights!);

/** A 2-D slice, with the path on it when its directions are the path's principal axes. */
export interface SliceResult {
  res: number;
  train: Float32Array;
  val: Float32Array;
  /** For PCA directions: each axis's explained variance, the scale of the axes, and the path in their units. */
  pca?: { explained: [number, number]; scale: number; coordinates: [number, number][]; offPlane: number; randomWalkOffPlane: number };
}

const api = {
  prepare: (preference: BackendPreference) => selectBackend(preference),

  /** Losses along the line from the run's initial weights, or from `other`'s final weights, to its final weights. */
  async interpolation(run: SavedNetwork, other: SavedNetwork | null): Promise<Interpolation> {
    const from = other ? finalOf(other) : flattenWeights(run.initialWeights!);
    return interpolationCurve(await modelOf(run), from, finalOf(run));
  },

  /** The res × res slice through the final weights along seeded random or PCA directions. */
  async slice(run: SavedNetwork, directions: 'random' | 'pca', seed: number, res: number): Promise<SliceResult> {
    const model = await modelOf(run);
    const final = finalOf(run);
    if (directions === 'random') {
      const axes: [Float32Array, Float32Array] = [randomDirection(run.weights!, run.weightShapes!, seed), randomDirection(run.weights!, run.weightShapes!, seed + 1)];
      const { train, val } = await lossSlice(model, final, axes, res);
      return Comlink.transfer({ res, train, val }, [train.buffer, val.buffer]);
    }
    const snapshots = [flattenWeights(run.initialWeights ?? run.weights!), ...run.path!.weights];
    const plane = pathPlane(snapshots, final, seed);
    const scaled = pathSlicePlane(plane);
    const { train, val } = await lossSlice(model, final, scaled.directions, res);
    const pca = { explained: plane.explained, scale: scaled.scale, coordinates: scaled.coordinates, offPlane: plane.offPlane, randomWalkOffPlane: plane.randomWalkOffPlane };
    return Comlink.transfer({ res, train, val, pca }, [train.buffer, val.buffer]);
  },

  /** The largest Hessian eigenvalue of the training loss at the final weights. */
  async sharpness(run: SavedNetwork): Promise<{ value: number; iterations: number }> {
    return largestHessianEigenvalue(landscapeGradient(await modelOf(run)), finalOf(run), { tolerance: 1e-4, iterations: 200 });
  },

  /** Tensors alive in the worker: back to its baseline after every request. */
  tensorCount: () => tf.memory().numTensors,
};

/** The trained-landscape worker's interface, as the page sees it through Comlink. */
export type TrainedLandscapeWorkerApi = typeof api;

/** The adapter, as workers/tensor.worker exposes it to a worker named 'trained'. */
export { api as trainedLandscapeApi };
