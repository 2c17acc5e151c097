import { datasetFromCsv } from './dataset';
import type { StoredDataset } from './types';

/** A table shipped with the site: its library entry, and its CSV text, loaded on first use. */
export interface BuiltinTable {
  id: string;
  name: string;
  /** Where the data comes from and its licence, shown wherever the table is. */
  credit: string;
  suggestedTarget: string;
  /** Size of the CSV text in bytes, and its rows: what the library lists before the table is loaded. */
  bytes: number;
  rows: number;
  /** The CSV text, from its own chunk of the build: fetched once, then kept offline by the browser cache. */
  load: () => Promise<string>;
}

/** The built-in tables (see builtin/README.md for their sources and licences). */
export const BUILTIN_TABLES: BuiltinTable[] = [
  {
    id: 'builtin:penguins',
    name: 'Palmer penguins',
    credit:
      'Palmer Archipelago (Antarctica) penguin data, collected by Dr. Kristen Gorman and the Palmer Station Antarctica LTER; ' +
      'packaged as palmerpenguins by Allison Horst, Alison Hill and Kristen Gorman. CC0 1.0. Via vega-datasets.',
    suggestedTarget: 'Species',
    bytes: 13486,
    rows: 344,
    load: () => import('./builtin/penguins.csv?raw').then((m) => m.default),
  },
  {
    id: 'builtin:iris',
    name: 'Iris',
    credit:
      'R. A. Fisher (1936), “The use of multiple measurements in taxonomic problems”, Annals of Eugenics 7; ' +
      'as distributed by the UCI Machine Learning Repository (Iris, 1988). CC BY 4.0.',
    suggestedTarget: 'Species',
    bytes: 3878,
    rows: 150,
    load: () => import('./builtin/iris.csv?raw').then((m) => m.default),
  },
  {
    id: 'builtin:cars',
    name: 'Cars (fuel economy)',
    credit:
      'StatLib Datasets Archive, Carnegie Mellon University (lib.stat.cmu.edu/datasets), distributed in 1982 for ' +
      'educational and scientific purposes; as vega-datasets provides it, with Year as the model year.',
    suggestedTarget: 'Miles_per_Gallon',
    bytes: 20140,
    rows: 406,
    load: () => import('./builtin/cars.csv?raw').then((m) => m.default),
  },
];

/** A built-in table as a library dataset, or undefined for an id that names none. */
export async function loadBuiltin(id: string): Promise<StoredDataset | undefined> {
  const builtin = BUILTIN_TABLES.find((b) => b.id === id);
  if (!builtin) return undefined;
  const { name, credit, suggestedTarget, bytes } = builtin;
  const made = await datasetFromCsv(await builtin.load(), { id, name, credit, suggestedTarget, bytes, source: 'builtin', createdAt: 0 });
  if (!made.ok) throw new Error(`The built-in table ${builtin.name} does not read: ${made.problem.message}`);
  return made.dataset;
}
