// The optimize stage's figures for the penguins model: test accuracy and weight-file size of the
// dense network, pruned to 50/80/90 % with fine-tuning, quantized to 8/4/2 bits per tensor and
// per neuron, and distilled into a student half its width. Run: `npm run bench:compress`.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { distill, optimizeModel, type OptimizeSettings } from '../../src/core/compress';
import { loadBuiltin } from '../../src/core/data/table/builtins';
import { prepareTable } from '../../src/core/data/table/prepare';
import { tableSplit } from '../../src/core/data/table-split';
import { kerasArtifacts } from '../../src/core/model/keras';
import { ioOfShapes } from '../../src/core/model/network';
import { WEIGHT_DTYPES } from '../../src/core/model/weight-encoding';
import { runTraining } from '../../src/core/train/run';
import { PENGUINS_MODEL as SPEC } from './penguins-model';

const pct = (v: number | undefined) => `${((v ?? 0) * 100).toFixed(1)} %`;

async function main() {
  await tf.setBackend('cpu');
  const table = (await loadBuiltin('builtin:penguins'))!;
  const data = tableSplit(prepareTable(table.table, SPEC.data.kind === 'table' ? SPEC.data.preprocess : (undefined as never)));
  const trained = await runTraining(SPEC, { data });
  const shapes = trained.weightShapes;
  const io = ioOfShapes(shapes);
  // model.json as tf.io writes it: the topology and the weights' manifest.
  const json = (dtype: (typeof WEIGHT_DTYPES)[number]) => {
    const a = kerasArtifacts(SPEC.model, io, 'classification', trained.weights, undefined, { dtype });
    const { modelTopology, format, generatedBy, convertedBy, weightSpecs } = a;
    return JSON.stringify({ modelTopology, format, generatedBy, convertedBy, weightsManifest: [{ paths: ['./tunelab-model.weights.bin'], weights: weightSpecs }] }).length;
  };
  const rows: string[][] = [['model', 'test accuracy', 'sparsity', 'packed bytes', 'weights file float32 / float16 / uint16 / uint8 (bytes)']];
  const add = (name: string, r: Awaited<ReturnType<typeof optimizeModel>>['after']) =>
    rows.push([name, pct(r.evaluation.accuracy), pct(r.sparsity), String(r.packedBytes), WEIGHT_DTYPES.map((d) => r.fileBytes[d]).join(' / ')]);
  const run = (settings: OptimizeSettings) => optimizeModel(SPEC, data, trained.weights, shapes, settings);
  const dense = await run({ prune: null, quantize: null });
  add('dense float32', dense.before);
  for (const amount of [0.5, 0.8, 0.9]) {
    add(`pruned ${amount * 100} % (magnitude per layer, 3 rounds × 5 epochs)`, (await run({ prune: { method: 'layer', amount, rounds: 3, fineTuneEpochs: 5, rewind: false }, quantize: null })).after);
    add(`pruned ${amount * 100} % (global, one shot, 5 epochs)`, (await run({ prune: { method: 'global', amount, rounds: 1, fineTuneEpochs: 5, rewind: false }, quantize: null })).after);
  }
  add('pruned 80 %, survivors rewound to their initial values and retrained 15 epochs (lottery ticket)', (await run({ prune: { method: 'layer', amount: 0.8, rounds: 1, fineTuneEpochs: 15, rewind: true }, quantize: null })).after);
  for (const bits of [8, 4, 2]) {
    for (const perNeuron of [false, true]) {
      add(`${bits}-bit per ${perNeuron ? 'neuron' : 'tensor'} (asymmetric)`, (await run({ prune: null, quantize: { bits, symmetric: false, perNeuron, awareEpochs: 0, activations: false } })).after);
    }
  }
  for (const activations of [false, true]) {
    const what = activations ? 'weights and 8-bit activations' : 'weights';
    add(`2-bit per tensor after 5 epochs of quantization-aware training (${what})`, (await run({ prune: null, quantize: { bits: 2, symmetric: false, perNeuron: false, awareEpochs: 5, activations } })).after);
  }
  add('pruned 80 % + 8-bit per tensor', (await run({ prune: { method: 'layer', amount: 0.8, rounds: 3, fineTuneEpochs: 5, rewind: false }, quantize: { bits: 8, symmetric: false, perNeuron: false, awareEpochs: 0, activations: false } })).after);
  const seeds = [1, 2, 3, 4, 5];
  const student = await distill(SPEC, data, trained.weights, { hidden: [{ units: 8, activation: 'relu' }, { units: 4, activation: 'relu' }], temperature: 2, alpha: 0.7, epochs: 15, seeds });
  const stats = (v: number[]) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
    return `${pct(mean)} ± ${(sd * 100).toFixed(1)}`;
  };
  const studentParams = (9 + 1) * 8 + (8 + 1) * 4 + (4 + 1) * 3;
  rows.push(['student 8-4 alone (5 seeds, mean ± sd)', stats(student.alone), '0.0 %', String(studentParams * 4), [4, 2, 2, 1].map((b) => b * studentParams).join(' / ')]);
  rows.push(['student 8-4 distilled, T = 2, α = 0.7', stats(student.distilled), '0.0 %', String(studentParams * 4), [4, 2, 2, 1].map((b) => b * studentParams).join(' / ')]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join(' | '));
  console.log(`\nmodel.json (topology and manifest): ${WEIGHT_DTYPES.map((d) => `${json(d)} bytes with ${d} weights`).join(', ')}; penguins test rows: ${data.test?.n}`);
}

await main();
