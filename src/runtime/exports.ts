import { prepareTable } from '../core/data/table/prepare';
import { importedStudy, predictorFolder, pythonProject, objectivesOfStudy, readOptunaStudy, zipFiles, type ArchiveFile } from '../core/export';
import type { ExperimentSpec } from '../core/spec/experiment';
import type { StudyRecord, StudySpec } from '../core/study/types';
import { loadDataset } from './datasets';
import type { RunRecord, StudyStore } from './store';

/** Hands the page's archive to the browser as a download named `name`. */
export function saveArchive(name: string, files: ArchiveFile[]): void {
  const bytes = zipFiles(files);
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file-system-safe form of a name, for the folder and archive it is exported as. */
export function slug(name: string): string {
  // Study names say 'β₁' and 'Momentum μ': spelled out, so the file name keeps them.
  const spelled = name.normalize('NFKD').replace(/[αβμ]/g, (c) => GREEK[c]);
  return spelled.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'tunelab';
}

/**
 * The file name of a run's model: its data, layer widths and optimizer, so that downloads of
 * several runs tell themselves apart ("palmer-penguins-16-8-adam").
 */
export function modelName(spec: ExperimentSpec): string {
  const data = slug(spec.data.kind === 'table' ? spec.data.name : spec.data.kind);
  const layers = spec.model.hidden.map((l) => l.units).join('-') || 'linear';
  return `${data}-${layers}-${spec.optimizer.kind}`;
}

/** The Greek letters of hyperparameter labels, as file names spell them. */
const GREEK: Record<string, string> = { α: 'alpha', β: 'beta', μ: 'mu' };

/**
 * Downloads a finished table run as a self-contained predictor folder, zipped: unzip it, open
 * index.html (from disk or any static host) and it predicts offline.
 */
export function downloadPredictor(record: RunRecord): void {
  if (!record.weights || !record.weightShapes || !record.recipe) throw new Error('Only a finished run on a table can be exported as a predictor.');
  const name = `${slug(record.spec.data.kind === 'table' ? record.spec.data.name : 'model')}-predictor`;
  saveArchive(`${name}.zip`, predictorFolder({ spec: record.spec, weights: record.weights, weightShapes: record.weightShapes, recipe: record.recipe }, name));
}

/**
 * Downloads an experiment on a table, or a study of one, as a Python project (PyTorch, and
 * Optuna for a study), zipped. The table comes from this browser's library and is prepared
 * as the app prepares it, so the recipe and the split are the app's own.
 */
export async function downloadPythonProject(experiment: ExperimentSpec, study?: StudySpec): Promise<void> {
  if (experiment.data.kind !== 'table') throw new Error('Only an experiment on a table exports as a Python project: pick a table on the Data screen.');
  const dataset = await loadDataset(experiment.data.dataset);
  const { recipe } = prepareTable(dataset.table, experiment.data.preprocess);
  const name = slug(study ? `${study.name}-study` : `${experiment.data.name}-experiment`);
  saveArchive(`${name}.zip`, pythonProject({ experiment, table: dataset.table, recipe, study }, name));
}

/**
 * Adds a finished Optuna study, from its trials_dataframe() CSV or JSON file, to the saved
 * studies: its trials on `base` with their parameters, for the study view; a study of several
 * objectives keeps them, so its Pareto front shows. Throws an Error saying what the file lacks
 * (or which objective is none of tunelab's); nothing is saved then.
 */
export async function importOptunaStudy(store: StudyStore, file: File, base: ExperimentSpec, objective: StudySpec['objective']): Promise<StudyRecord> {
  const study = readOptunaStudy(await file.text());
  const imported = importedStudy(file.name.replace(/\.(csv|json)$/i, ''), study.trials, base, objective, objectivesOfStudy(study));
  const record = await store.createStudy(imported.spec);
  for (const trial of imported.trials) await store.putTrial({ ...trial, studyId: record.id });
  await store.setStatus(record.id, 'complete');
  return { ...record, status: 'complete' };
}
