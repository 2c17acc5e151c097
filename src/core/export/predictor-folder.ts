import type { Recipe } from '../data/table/types';
import { kerasArtifacts } from '../model/keras';
import { ioOfShapes } from '../model/network';
import type { ModelSpec } from '../model/types';
import type { ExperimentSpec } from '../spec/experiment';
import engine from './predictor.js?raw';
import page from './predictor-page.js?raw';
import type { PredictorNetwork } from './predictor.js';
import type { ArchiveFile } from './zip';

/** A saved table model: what a finished run keeps. */
export interface SavedTableModel {
  spec: ExperimentSpec;
  weights: Float32Array[];
  weightShapes: number[][];
  recipe: Recipe;
}

/** A saved network in the predictor's form: Dense layers with the model's activations, the output linear. */
export function predictorNetwork(model: ModelSpec, weights: Float32Array[]): PredictorNetwork {
  const layers: PredictorNetwork['layers'] = [];
  for (let k = 0; k < weights.length; k += 2) {
    layers.push({ kernel: weights[k], bias: weights[k + 1], activation: model.hidden[k / 2]?.activation ?? 'linear' });
  }
  return { layers };
}

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Predictor</title>
<link rel="icon" href="data:," />
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d2a3a; }
  h1 { font-size: 1.3rem; } h2 { font-size: 1rem; margin-top: 1.6rem; }
  #fields { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5rem; }
  label { display: flex; flex-direction: column; font-size: 0.8rem; color: #556; }
  input, select, button { font: inherit; }
  button { margin-top: 0.6rem; }
  #drop { border: 2px dashed #9ab; border-radius: 8px; padding: 1.2rem; text-align: center; }
  .error { color: #b3261e; }
  small { color: #667; }
</style>
</head>
<body>
<h1 id="title">Predictor</h1>
<p><small>Predicts <strong id="target"></strong> with a network trained in tunelab. Everything runs in this page; nothing is sent anywhere.</small></p>
<h2>One row</h2>
<form id="row"><div id="fields"></div><button type="submit">Predict</button></form>
<div id="result" role="status"></div>
<h2>A CSV file</h2>
<div id="drop">Drop a CSV file here, or <input id="file" type="file" accept=".csv,.tsv,.txt" aria-label="CSV file" /></div>
<p id="file-status" role="status"></p>
<p><a id="download" hidden></a></p>
<script src="model.js"></script>
<script src="predictor.js"></script>
<script src="page.js"></script>
</body>
</html>
`;

const README = (name: string) => `${name}: a predictor exported from tunelab

Open index.html in a browser (double-click works; so does any static web host). It needs no
network: the model, its preprocessing recipe and the code are in this folder.

- index.html, page.js: the page (a form for one row; a CSV file gets a prediction column).
- predictor.js: the engine: the recipe's preprocessing and the network's forward pass.
- model.js: the model and recipe as one script, so the page works from disk.
- model.json + model.weights.bin: the same network as a Keras Sequential model (tf.loadLayersModel).
- recipe.json: how a row of the table becomes the network's inputs.
`;

/**
 * The files of a self-contained predictor folder for a saved table model, under `folder/`:
 * a page that opens from disk or any static host and works offline, its plain-script engine,
 * the model (as a script for the page, and as Keras model.json + weights) and the recipe.
 *
 * @example
 * const bytes = zipFiles(predictorFolder(saved, 'penguins-predictor'));
 */
export function predictorFolder(saved: SavedTableModel, folder: string, name = folder): ArchiveFile[] {
  const { spec, weights, weightShapes, recipe } = saved;
  const io = ioOfShapes(weightShapes);
  const problem = recipe.target.kind === 'value' ? 'regression' : 'classification';
  const artifacts = kerasArtifacts(spec.model, io, problem, weights, { tunelab: { spec, recipe } });
  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: ['model.weights.bin'], weights: artifacts.weightSpecs }],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };
  const network = predictorNetwork(spec.model, weights);
  const data = { name, recipe, network: { layers: network.layers.map((l) => ({ ...l, kernel: Array.from(l.kernel), bias: Array.from(l.bias) })) } };
  return [
    { path: `${folder}/index.html`, content: INDEX_HTML },
    { path: `${folder}/page.js`, content: page },
    // A classic script: the engine's functions become globals of the page.
    { path: `${folder}/predictor.js`, content: engine.replace(/^export /gm, '') },
    { path: `${folder}/model.js`, content: `var TUNELAB_MODEL = ${JSON.stringify(data)};\n` },
    { path: `${folder}/model.json`, content: JSON.stringify(modelJson) },
    { path: `${folder}/model.weights.bin`, content: new Uint8Array(artifacts.weightData) },
    { path: `${folder}/recipe.json`, content: JSON.stringify(recipe, null, 2) },
    { path: `${folder}/README.txt`, content: README(name) },
  ];
}
