import type { Recipe } from '../core/data/table/types';
import { kerasArtifacts, readKerasArtifacts, type WeightFileOptions } from '../core/model/keras';
import { ioOfShapes, parameterShapes } from '../core/model/network';
import { checkSavedModel } from '../core/model/saved-model-check';
import type { ExperimentSpec } from '../core/spec/experiment';
import { validateExperiment } from '../core/spec/schema';
import { problemOfData } from '../core/train/training-data';
import type { RunRecord } from './store';

/** What an imported model brings: enough for a run record that predicts and draws its picture. */
export interface ImportedModel {
  spec: ExperimentSpec;
  weights: Float32Array[];
  weightShapes: number[][];
  recipe?: Recipe;
}

/** tf.io, loaded when a model is first exported or imported: the page's first load goes without tfjs. */
const tfIo = async () => (await import('@tensorflow/tfjs-core')).io;

/** Saves a file the page made, as the browser saves a download. */
function saveText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Downloads a finished run's model as `<name>.json` + `<name>.weights.bin` through tf.io's
 * `downloads://` handler (a Keras Sequential model that tf.loadLayersModel and
 * tensorflowjs_converter read), and for a table its recipe as `<name>.recipe.json`. The
 * experiment and recipe also ride in the model's metadata, so importing the model alone
 * restores them. `file` stores the weights smaller in tf.io's own quantized format (uint8,
 * uint16 or float16), which tf.loadLayersModel reads unchanged. Gives the names of the files saved.
 */
export async function downloadModel(record: RunRecord, name = 'tunelab-model', file?: WeightFileOptions): Promise<string[]> {
  const shapes = record.weightShapes;
  if (!record.weights || !shapes) throw new Error('This run has no saved model to export.');
  const artifacts = kerasArtifacts(record.spec.model, ioOfShapes(shapes), problemOfData(record.spec.data), record.weights, {
    tunelab: { spec: record.spec, recipe: record.recipe },
  }, file);
  const [handler] = (await tfIo()).getSaveHandlers(`downloads://${name}`);
  await handler.save!(artifacts as never);
  if (record.recipe) saveText(`${name}.recipe.json`, JSON.stringify(record.recipe, null, 2));
  return [`${name}.json`, `${name}.weights.bin`, ...(record.recipe ? [`${name}.recipe.json`] : [])];
}

/**
 * Reads a model the user picked: model.json with its weights file(s), and optionally a
 * recipe.json. The experiment comes from the model's tunelab metadata when it has one, else
 * from `current` with the model's layers. Everything is checked before anything is saved (see
 * checkSavedModel): throws an Error that says what is wrong.
 */
export async function readModelFiles(files: File[], current: ExperimentSpec): Promise<ImportedModel> {
  const jsons = files.filter((f) => f.name.endsWith('.json'));
  const texts = await Promise.all(jsons.map((f) => f.text()));
  const parsed = texts.map((t) => {
    try {
      return JSON.parse(t) as Record<string, unknown>;
    } catch {
      return null;
    }
  });
  const modelAt = parsed.findIndex((p) => p !== null && 'modelTopology' in p);
  if (modelAt < 0) throw new Error('Pick the model.json file (with its .weights.bin beside it).');
  const bins = files.filter((f) => !f.name.endsWith('.json'));
  if (bins.length === 0) throw new Error('Pick the weights file (.weights.bin) together with model.json.');
  let artifacts;
  try {
    artifacts = await (await tfIo()).browserFiles([jsons[modelAt], ...bins]).load!();
  } catch (error) {
    throw new Error(`The model files could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const net = readKerasArtifacts(artifacts);
  const saved = (net.metadata?.tunelab ?? {}) as { spec?: unknown; recipe?: Recipe };
  const recipeFile = parsed.find((p, i) => i !== modelAt && p !== null && 'inputs' in p && 'columns' in p) as Recipe | undefined;
  const checked = validateExperiment(saved.spec);
  const spec: ExperimentSpec = checked.ok
    ? checked.spec
    : { ...current, model: { ...current.model, hidden: net.hidden, dropout: net.dropout } };
  const recipe = recipeFile ?? saved.recipe;
  if (spec.data.kind === 'table' && !recipe) throw new Error('This model was trained on a table: pick its recipe.json too.');
  // The saved experiment must agree with the layers the file has, not only with itself.
  const layers = { ...spec, model: { ...spec.model, hidden: net.hidden, dropout: net.dropout } };
  const model = { spec: layers, weights: net.weights, weightShapes: parameterShapes(layers.model, net.io), recipe };
  const problem = checkSavedModel(model);
  if (problem) throw new Error(problem);
  return model;
}
