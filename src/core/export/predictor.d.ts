// Types of predictor.js, the exported predictor's plain-JavaScript engine.
import type { Recipe } from '../data/table/types';
import type { Activation } from '../model/types';

/** A network as the predictor reads it: Dense layers, kernel [in, out] row-major, bias [out]. */
export interface PredictorNetwork {
  layers: { kernel: ArrayLike<number>; bias: ArrayLike<number>; activation: Activation | 'linear' }[];
}
/** A prediction: the class and every class's probability, or the value in the target's units. */
export type RowPrediction = { label: string; probabilities: number[] } | { value: number };

export function missingCell(cell: string): boolean;
export function cellNumber(cell: string): number;
export function cellDate(cell: string): { year: number; month: number; day: number } | null;
export function dateInputs(column: Extract<Recipe['columns'][number], { kind: 'date' }>, date: { year: number; month: number; day: number } | null): number[];
export function rowInputs(recipe: Recipe, row: Record<string, string>): Float32Array;
export function networkOutputs(network: PredictorNetwork, x: ArrayLike<number>): number[];
export function predictRow(network: PredictorNetwork, recipe: Recipe, row: Record<string, string>): RowPrediction;
export function readCsv(text: string): { header: string[]; rows: string[][]; delimiter: string };
export function csvLine(cells: string[], delimiter?: string): string;
export function predictCsv(network: PredictorNetwork, recipe: Recipe, text: string): string;
