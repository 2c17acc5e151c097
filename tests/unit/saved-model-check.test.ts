import { describe, expect, test } from 'vitest';
import { loadBuiltin } from '../../src/core/data/table/builtins';
import { prepareTable } from '../../src/core/data/table/prepare';
import { defaultPreprocess } from '../../src/core/data/table/task';
import type { Recipe } from '../../src/core/data/table/types';
import { initialParameters, networkIO, parameterShapes } from '../../src/core/model/network';
import { checkSavedModel, type SavedModel } from '../../src/core/model/saved-model-check';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';

/** A toy experiment's model: two inputs, one hidden layer of 4, one output. */
function toyModel(outputs = 1): SavedModel {
  const spec: ExperimentSpec = { ...structuredClone(DEFAULT_EXPERIMENT), model: { ...DEFAULT_EXPERIMENT.model, hidden: [{ units: 4, activation: 'tanh' }] } };
  const io = { inputs: spec.model.features.length, outputs };
  return { spec, weights: initialParameters(spec.model, io, 1), weightShapes: parameterShapes(spec.model, io) };
}

async function penguinsModel(): Promise<SavedModel> {
  const dataset = (await loadBuiltin('builtin:penguins'))!;
  const preprocess = defaultPreprocess(dataset);
  const { recipe } = prepareTable(dataset.table, preprocess);
  const spec: ExperimentSpec = {
    ...structuredClone(DEFAULT_EXPERIMENT),
    data: { kind: 'table', dataset: 'builtin:penguins', name: 'Palmer penguins', preprocess },
    model: { ...DEFAULT_EXPERIMENT.model, hidden: [{ units: 8, activation: 'relu' }] },
  };
  const io = networkIO(recipe.inputs.length, 3);
  return { spec, weights: initialParameters(spec.model, io, 1), weightShapes: parameterShapes(spec.model, io), recipe };
}

describe('a model is checked whole before it is saved', () => {
  test('a toy model and a penguins model whose parts agree pass', async () => {
    expect(checkSavedModel(toyModel())).toBeNull();
    expect(checkSavedModel(await penguinsModel())).toBeNull();
  });

  test('a dropout rate of 5 is refused with the schema\'s message', () => {
    const model = toyModel();
    model.spec.model.dropout = 5;
    expect(checkSavedModel(model)).toMatch(/^The model's experiment is not one tunelab can run: Dropout/);
  });

  test('an output width of 0 and 7 outputs for a two-class task are refused', () => {
    const empty = toyModel();
    empty.weightShapes = [[2, 4], [4], [4, 0], [0]];
    expect(checkSavedModel(empty)).toBe('The model has a layer without inputs or outputs.');
    expect(checkSavedModel(toyModel(7))).toBe('The model has 7 outputs, but a two-class task takes 1.');
  });

  test('three species need three outputs, and weights that are not numbers are refused', async () => {
    const model = await penguinsModel();
    const io = networkIO(model.recipe!.inputs.length, 2);
    expect(checkSavedModel({ ...model, weights: initialParameters(model.spec.model, io, 1), weightShapes: parameterShapes(model.spec.model, io) })).toBe(
      'The model has 1 outputs, but a task of 3 classes takes 3.',
    );
    const nan = structuredClone(model);
    nan.weights[2][5] = NaN;
    expect(checkSavedModel(nan)).toBe("The model's weights hold values that are not numbers (NaN or infinite).");
    const short = structuredClone(model);
    short.weights[0] = short.weights[0].subarray(1);
    expect(checkSavedModel(short)).toBe("The model's weights do not fill its layers.");
  });

  test('a broken recipe is refused, saying what in it is broken', async () => {
    const model = await penguinsModel();
    const zeroScale = structuredClone(model);
    const numeric = zeroScale.recipe!.columns.findIndex((c) => c.kind === 'numeric');
    (zeroScale.recipe!.columns[numeric] as { scale: number }).scale = 0;
    expect(checkSavedModel(zeroScale)).toBe(`The model's recipe is broken: columns.${numeric}.scale: a scale of 0`);
    const missingInput = structuredClone(model);
    missingInput.recipe!.inputs.pop();
    expect(checkSavedModel(missingInput)).toBe("The model's recipe is broken: its columns make 9 inputs, but it names 8.");
    const noRecipe = { ...model, recipe: undefined };
    expect(checkSavedModel(noRecipe)).toBe('This model was trained on a table, but its recipe is missing.');
    const oneClass = structuredClone(model);
    (oneClass.recipe as Recipe).target = { kind: 'classes', classes: ['Adelie'] };
    expect(checkSavedModel(oneClass)).toMatch(/^The model's recipe is broken: target/);
  });
});
