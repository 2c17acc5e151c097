/** How a column of an imported table is used: as a number, as categories, as yes/no, as dates, or not at all. */
export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'date' | 'ignore';

/**
 * One column of an imported table, kept in the cheapest form that loses nothing the user may
 * still ask for: numbers as a Float64Array (NaN where the cell was empty), everything else as
 * codes into a list of levels (−1 where the cell was empty). A text column whose levels are all
 * dates, used as dates, says so with `date`: preparing it makes date features of it.
 */
export type TableColumn =
  | { name: string; kind: 'number'; values: Float64Array }
  | { name: string; kind: 'text'; codes: Int32Array; levels: string[]; date?: true };

/** An imported table: named columns of `rows` cells each. */
export interface Table {
  columns: TableColumn[];
  rows: number;
}

/**
 * What the import learned of a column, shown in the preview. `type` starts as `detected` and
 * is what the user chose.
 */
export interface ColumnProfile {
  name: string;
  detected: ColumnType;
  type: ColumnType;
  /** Empty cells. */
  missing: number;
  /** Distinct non-empty values. */
  distinct: number;
  /** Numeric columns: counts in equal-width bins from lo to hi. */
  histogram?: { lo: number; hi: number; counts: number[] };
  /** Other columns: the most frequent values, most frequent first. */
  top?: { value: string; count: number }[];
  /** Date columns: the first and the last date, as ISO text. */
  dates?: { first: string; last: string };
}

/** Why a file could not be imported, with the 1-based line of the file where that was seen. */
export interface ImportProblem {
  message: string;
  line?: number;
}

/** A dataset of the library, as IndexedDB keeps it. */
export interface StoredDataset {
  id: string;
  name: string;
  /** A file the user imported, or a table shipped with the site. */
  source: 'file' | 'builtin';
  createdAt: number;
  /** Size of the original file in bytes. */
  bytes: number;
  table: Table;
  profiles: ColumnProfile[];
  /** Where the data comes from and its licence, for built-in tables. */
  credit?: string;
  /** The column a built-in table is meant to predict, proposed as the target. */
  suggestedTarget?: string;
}

/**
 * Longest name of a column or a dataset, in UTF-16 units: the experiment schema allows no more,
 * so an import refuses longer column names and shortens a longer file name.
 */
export const MAX_NAME_LENGTH = 200;

/** The three kinds of problem a table can pose. */
export type TaskKind = 'binary' | 'multiclass' | 'regression';

/** How a table becomes a network's inputs and target: data, stored with the dataset and the run. */
export interface PreprocessSpec {
  target: string;
  task: TaskKind;
  /** Feature columns, in order. */
  features: string[];
  /** Rows with an empty feature cell: dropped, or filled with a statistic of the training part. */
  missing: 'drop' | 'mean' | 'median' | 'most-frequent';
  /** Numeric features: (v − mean)/std, (v − min)/(max − min), or as they are. */
  scaling: 'standardize' | 'minmax' | 'none';
  /** Shares of the rows for training, validation and test; they sum to 1. */
  split: { train: number; val: number; test: number };
  /** Seed of the (stratified, for classification) split. */
  seed: number;
}

/** How one feature column turns into network inputs, with statistics of the training part only. */
export type RecipeColumn =
  /** One input: ((value, or fill when empty) − shift) / scale. */
  | { name: string; kind: 'numeric'; fill: number; shift: number; scale: number }
  /**
   * One input per level (one-hot); an empty cell takes `fill`, an unknown level gives all zeros.
   * With `other`, a column of more levels than {@link MAX_CATEGORY_INPUTS} allows: one more
   * input, after the levels, takes every level not among them (rarer in training, or unseen).
   */
  | { name: string; kind: 'categorical'; fill: string; levels: string[]; other?: true }
  /**
   * Five inputs (see DATE_FEATURES): the year as ((year of the date, or of fill when empty) −
   * shift) / scale, then the month and the day of the week as sin/cos pairs. `fill` is an ISO date.
   */
  | { name: string; kind: 'date'; fill: string; shift: number; scale: number };

/**
 * Most inputs one categorical column makes: an identifier-like column of thousands of values
 * would otherwise make thousands of inputs. Beyond, its most frequent levels keep an input
 * each and the rest share an "other" one.
 */
export const MAX_CATEGORY_INPUTS = 50;

/**
 * A fitted preprocessing: applied to new rows at prediction time it gives the very features
 * the network was trained on.
 */
export interface Recipe {
  spec: PreprocessSpec;
  columns: RecipeColumn[];
  /** The network's input names in order: a numeric column's name, "column=level" for one-hot inputs, "column:year" and the like for a date's. */
  inputs: string[];
  /** Classification: the class names, index k is class k. Regression: y was standardized as (y − mean)/std. */
  target: { kind: 'classes'; classes: string[] } | { kind: 'value'; mean: number; std: number };
}

/** Rows ready for a network: inputs row-major [n, recipe.inputs.length], targets as class index or standardized value. */
export interface TabularSet {
  n: number;
  x: Float32Array;
  y: Float32Array;
}

/** A table prepared by a recipe, cut into its three parts. */
export interface PreparedTable {
  recipe: Recipe;
  train: TabularSet;
  val: TabularSet;
  test: TabularSet;
}
