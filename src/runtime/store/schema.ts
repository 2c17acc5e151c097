import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { Recipe, StoredDataset, Table } from '../../core/data/table/types';
import type { LabSpec } from '../../core/landscape/lab-spec';
import type { Evaluation } from '../../core/model/evaluation';
import type { ExperimentSpec } from '../../core/spec/experiment';
import type { EpochMetrics, RunStatus } from '../../core/train/types';
import type { WeightPath } from '../../core/train/weight-path';
import type { BackendInfo } from '../backend-types';
import type { StudyRecord, TrialRecord, TrialWeights } from '../../core/study/types';
import type { TableHead, TablePart } from './table-parts';

/** The database name; tests pass their own. */
export const DB_NAME = 'tunelab';

/** A library entry without its table: what the list shows, read without loading any column. */
export interface DatasetSummary extends Omit<StoredDataset, 'table'> {
  rows: number;
  columns: number;
}

/**
 * The records of the `datasets` object store. A dataset's records are written and deleted in one
 * transaction: its summary under "meta:<id>", so that listing the library reads no table; its
 * table's head under "table:<id>"; and the table's cells in parts under "part:<id>:<n>", since
 * one IndexedDB value cannot hold a large table (see table-parts). Tables saved before parts
 * are one record, `table`, under "table:<id>", and are read as they are.
 */
export type DatasetRecord =
  | { id: string; summary: DatasetSummary }
  | { id: string; head: TableHead }
  | { id: string; part: TablePart }
  | { id: string; table: Table };


/** One training run as saved: its spec, where it ran, how it went, and its final weights. */
export interface RunRecord {
  id: string;
  name?: string;
  createdAt: number;
  updatedAt: number;
  spec: ExperimentSpec;
  backend: BackendInfo | null;
  status: RunStatus;
  /** The epoch whose loss was not finite, for 'diverged'. */
  divergedAt?: number;
  /** Something to tell about the run: why it stopped, which epoch's weights were restored. */
  message?: string;
  /** Metrics of every finished epoch, written as each ends. */
  epochs: EpochMetrics[];
  /** Final weights, one array per tensor in parameterShapes order (W0, b0, W1, b1, …). */
  weights?: Float32Array[];
  /** The shape of each array in `weights`, in the same order. */
  weightShapes?: number[][];
  /** The weights before the first step, as `weights` (runs saved before they were kept have none). */
  initialWeights?: Float32Array[];
  /** Weight snapshots after the epochs, at most 200: the training path (absent from older runs). */
  path?: WeightPath;
  /** For a table: the fitted preprocessing, applied again to the rows the user predicts. */
  recipe?: Recipe;
  /** The finished model on the validation part and, for tables, the held-out test part. */
  evaluation?: { val: Evaluation; test?: Evaluation };
  /** Each class's weight in the training loss, when the run trained with class weights (balanced ones as worked out). */
  classWeights?: number[];
}

/** A lesson a teacher saved: a lab setup with a title and the words that go with it, handed out in class packs. */
export interface LessonRecord {
  id: string;
  title: string;
  text: string;
  createdAt: number;
  setup: LabSpec;
}

/** The IndexedDB schema of tunelab, as idb types it. */
export interface TunelabDB extends DBSchema {
  runs: { key: string; value: RunRecord; indexes: { createdAt: number } };
  datasets: { key: string; value: DatasetRecord };
  studies: { key: string; value: StudyRecord; indexes: { createdAt: number } };
  trials: { key: [string, number]; value: TrialRecord; indexes: { studyId: string } };
  lessons: { key: string; value: LessonRecord };
  /** The trained networks of a study's best trials, apart from the trials so that listing them reads no weights. */
  trialWeights: { key: [string, number]; value: TrialWeights; indexes: { studyId: string } };
}

type Upgrade = (db: IDBPDatabase<TunelabDB>, tx: IDBPTransaction<TunelabDB, StoreNames<TunelabDB>[], 'versionchange'>) => void;

/**
 * The schema's history: entry k upgrades a database from version k to k + 1. A new version is
 * one new entry; existing entries never change, so any old database reaches the current one.
 */
export const MIGRATIONS: Upgrade[] = [
  (db) => {
    const runs = db.createObjectStore('runs', { keyPath: 'id' });
    runs.createIndex('createdAt', 'createdAt');
    db.createObjectStore('datasets', { keyPath: 'id' });
  },
  (db) => {
    db.createObjectStore('studies', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
    db.createObjectStore('trials', { keyPath: ['studyId', 'number'] }).createIndex('studyId', 'studyId');
  },
  (db) => {
    db.createObjectStore('lessons', { keyPath: 'id' });
  },
  (db) => {
    db.createObjectStore('trialWeights', { keyPath: ['studyId', 'number'] }).createIndex('studyId', 'studyId');
  },
];

/** The current schema version. */
export const DB_VERSION = MIGRATIONS.length;

/** openDB's upgrade callback for every connection: runs the migrations from `oldVersion` to {@link DB_VERSION} in order. */
export function migrate(
  database: IDBPDatabase<TunelabDB>,
  oldVersion: number,
  _newVersion: number | null,
  tx: IDBPTransaction<TunelabDB, StoreNames<TunelabDB>[], 'versionchange'>,
): void {
  for (let version = oldVersion; version < DB_VERSION; version++) MIGRATIONS[version](database, tx);
}
