/**
 * Tabulates the two real objectives of the sampler suite once, on a grid of their search
 * space: the validation loss after training, by the population engine on tfjs's cpu backend,
 * of every grid point as one member of one population (all members with seed 1, so the table
 * is a function of the hyperparameters alone). The suite and the Optuna reference script both
 * look values up in the committed JSON (see lookup.ts), so both optimize the same function.
 * `node bench/samplers/tabulate.mjs` rewrites bench/samplers/tables/*.json.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { writeFileSync, mkdirSync } from 'node:fs';
import { generatedSplit } from '../../src/core/data/split';
import { tableSplit } from '../../src/core/data/table-split';
import { loadBuiltin } from '../../src/core/data/table/builtins';
import { prepareTable } from '../../src/core/data/table/prepare';
import { defaultPreprocess } from '../../src/core/data/table/task';
import type { DataSpec, SplitDataset } from '../../src/core/data/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { trainPopulation } from '../../src/core/train/population-run';
import type { GridAxis, ObjectiveTable } from './lookup';

/** How one real objective is made: its axes and the experiment of one grid point. */
interface TableRecipe {
  name: string;
  description: string;
  axes: GridAxis[];
  data: () => Promise<SplitDataset>;
  spec: (point: Record<string, number>) => ExperimentSpec;
}

/** `n` grid values from low to high, evenly spaced in the axis's scale (log-spaced when log). */
function axis(name: string, low: number, high: number, n: number, log = false): GridAxis {
  const t = (i: number) => i / (n - 1);
  const values = Array.from({ length: n }, (_, i) =>
    Number((log ? Math.exp(Math.log(low) + t(i) * (Math.log(high) - Math.log(low))) : low + t(i) * (high - low)).toPrecision(6)),
  );
  return { name, log, values };
}

const SPIRAL_DATA: DataSpec = { kind: 'spiral', n: 500, noise: 0, trainRatio: 0.8, seed: 1 };

const spiral: TableRecipe = {
  name: 'spiral',
  description: '500-point spiral, 2-16-16-1 tanh, SGD with momentum, batch 32, 30 epochs: validation loss after the last epoch',
  axes: [axis('lr', 0.001, 3, 17, true), axis('momentum', 0, 0.98, 8), axis('dropout', 0, 0.5, 6)],
  data: async () => generatedSplit(SPIRAL_DATA),
  spec: (p) => ({
    ...structuredClone(DEFAULT_EXPERIMENT),
    data: SPIRAL_DATA,
    model: { features: ['x1', 'x2'], hidden: [16, 16].map((units) => ({ units, activation: 'tanh' as const })), l1: 0, l2: 0, dropout: p.dropout },
    optimizer: { kind: 'momentum', lr: p.lr, momentum: p.momentum },
    training: { batchSize: 32, epochs: 30, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
    seed: 1,
  }),
};

async function penguinsRecipe(): Promise<TableRecipe> {
  const penguins = (await loadBuiltin('builtin:penguins'))!;
  const preprocess = defaultPreprocess(penguins);
  return {
    name: 'penguins',
    description: 'Palmer penguins (species from the default preprocessing), one hidden layer of 8 relu, Adam, batch 16, 30 epochs: validation loss after the last epoch',
    axes: [axis('lr', 0.0001, 1, 17, true), axis('l2', 0, 0.02, 5), axis('dropout', 0, 0.6, 7)],
    data: async () => tableSplit(prepareTable(penguins.table, preprocess)),
    spec: (p) => ({
      ...structuredClone(DEFAULT_EXPERIMENT),
      data: { kind: 'table', dataset: penguins.id, name: penguins.name, preprocess },
      model: { features: ['x1', 'x2'], hidden: [{ units: 8, activation: 'relu' }], l1: 0, l2: p.l2, dropout: p.dropout },
      optimizer: { kind: 'adam', lr: p.lr },
      training: { batchSize: 16, epochs: 30, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
      seed: 1,
    }),
  };
}

/** Every grid point, the first axis varying slowest (the table's row-major order). */
function gridPoints(axes: GridAxis[]): Record<string, number>[] {
  let points: Record<string, number>[] = [{}];
  for (const a of axes) points = points.flatMap((p) => a.values.map((v) => ({ ...p, [a.name]: v })));
  return points;
}

async function tabulate(recipe: TableRecipe): Promise<ObjectiveTable> {
  const points = gridPoints(recipe.axes);
  const outcome = await trainPopulation(points.map(recipe.spec), { data: await recipe.data() });
  const raw = outcome.members.map((m) => m.history.at(-1)?.valLoss ?? NaN);
  const finite = raw.filter(Number.isFinite);
  // A diverged run counts as the worst finite loss of the table: a study records it as failed,
  // and a sampler should learn that the region is bad without an infinite value.
  const worst = Math.max(...finite);
  const values = raw.map((v) => Number((Number.isFinite(v) ? v : worst).toPrecision(6)));
  return { name: recipe.name, description: recipe.description, axes: recipe.axes, values, diverged: raw.length - finite.length };
}

/** Writes both tables to bench/samplers/tables/. */
export async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const dir = new URL('./tables/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  for (const recipe of [spiral, await penguinsRecipe()]) {
    const start = Date.now();
    const table = await tabulate(recipe);
    writeFileSync(`${dir}${recipe.name}.json`, JSON.stringify(table) + '\n');
    console.log(`${recipe.name}: ${table.values.length} points, ${table.diverged} diverged, best ${Math.min(...table.values)}, ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
}
