import type { Recipe } from '../data/table/types';
import { checkRecipe } from '../data/table/recipe-check';
import type { ExperimentSpec } from '../spec/experiment';
import { validateExperiment } from '../spec/schema';
import { ioOfShapes, parameterShapes } from './network';

/** A trained model as a run keeps it: its experiment, weights in the order of their shapes, and a table's recipe. */
export interface SavedModel {
  spec: ExperimentSpec;
  weights: Float32Array[];
  weightShapes: number[][];
  recipe?: Recipe;
}

const sameShapes = (a: number[][], b: number[][]) => a.length === b.length && a.every((s, i) => s.length === b[i].length && s.every((n, k) => n === b[i][k]));

/**
 * What is wrong with a model before it is saved as a run, in a sentence for the user, or
 * null when its parts agree: an experiment the schema accepts (a dropout rate of 5 is not);
 * for a table, a recipe that reads (see checkRecipe) and gives as many inputs as the network
 * takes; as many outputs as the task needs (1 for two classes and for regression, K for K
 * classes); weights of the shapes its layers imply, every one a finite number.
 *
 * @example
 * const problem = checkSavedModel({ spec, weights, weightShapes, recipe });
 * if (problem) throw new Error(problem);
 */
export function checkSavedModel(model: SavedModel): string | null {
  const valid = validateExperiment(model.spec);
  if (!valid.ok) return `The model's experiment is not one tunelab can run: ${valid.errors[0].message}`;
  const { spec, weights, weightShapes, recipe } = model;
  if (weightShapes.length < 2 || weightShapes.some((s) => s.some((n) => !Number.isInteger(n) || n < 1))) return 'The model has a layer without inputs or outputs.';
  const io = ioOfShapes(weightShapes);
  let outputs: number;
  let inputs: number;
  if (spec.data.kind === 'table') {
    if (!recipe) return 'This model was trained on a table, but its recipe is missing.';
    const broken = checkRecipe(recipe);
    if (broken) return `The model's recipe is broken: ${broken}`;
    inputs = recipe.inputs.length;
    outputs = recipe.target.kind === 'classes' && recipe.target.classes.length > 2 ? recipe.target.classes.length : 1;
  } else {
    inputs = spec.model.features.length;
    outputs = 1;
  }
  const task = spec.data.kind === 'table' && recipe?.target.kind === 'classes' ? `a task of ${recipe.target.classes.length} classes` : spec.data.kind === 'table' ? 'a regression' : 'a two-class task';
  if (io.outputs !== outputs) return `The model has ${io.outputs} outputs, but ${task} takes ${outputs}.`;
  if (io.inputs !== inputs) return `The model takes ${io.inputs} inputs, but this experiment gives it ${inputs}.`;
  if (!sameShapes(weightShapes, parameterShapes(spec.model, io))) return "The model's weights do not fit the layers of its experiment.";
  if (weights.length !== weightShapes.length || weights.some((w, i) => w.length !== weightShapes[i].reduce((a, b) => a * b, 1))) {
    return "The model's weights do not fill its layers.";
  }
  if (weights.some((w) => w.some((x) => !Number.isFinite(x)))) return "The model's weights hold values that are not numbers (NaN or infinite).";
  return null;
}
