import { BUILTIN_TABLES } from '../../core/data/table/builtins';
import { checkPreprocess, type PreprocessField } from '../../core/data/table/check';
import { retypeColumn } from '../../core/data/table/dataset';
import { defaultPreprocess, proposeTask } from '../../core/data/table/task';
import type { ColumnType, ImportProblem, PreprocessSpec, StoredDataset } from '../../core/data/table/types';
import type { TableDataSpec } from '../../core/data/types';
import { loadDataset } from '../../runtime/datasets';
import { importCsvFile } from '../../runtime/import-client';
import { keepData, openDatasetStore, storageInfo, type DatasetStore, type DatasetSummary, type StorageInfo } from '../../runtime/store/dataset-store';
import { DB_NAME } from '../../runtime/store/schema';

/** Said beside an import whose bytes were not UTF-8 and were read as Windows-1252. */
const WINDOWS_1252_NOTE =
  'Read as Windows-1252 (Western European), since the file is not UTF-8. If letters in the preview look wrong, save it as “CSV UTF-8” and import it again.';

/** An import under way: the file's name and the share read. */
export interface ImportProgress {
  fileName: string;
  fraction: number;
}

/**
 * The Data screen's state and actions: the library (built-in and imported tables), the import
 * under way, the selected dataset and the preprocessing being edited for it. Components read
 * its fields and call its methods; parsing happens in the import worker, saving in the store.
 */
export class DataState {
  /** Imported datasets, newest first. */
  library = $state.raw<DatasetSummary[]>([]);
  /** Why imported datasets cannot be kept or changed (no IndexedDB, a failed write), for the library panel. */
  libraryProblem = $state<string | null>(null);
  importing = $state<ImportProgress | null>(null);
  /** Why the last file could not be imported, shown by the drop zone. */
  importProblem = $state<{ fileName: string; problem: ImportProblem } | null>(null);
  /** What the last import should tell beside its success: a file read as Windows-1252. */
  importNote = $state<{ fileName: string; message: string } | null>(null);
  storage = $state<StorageInfo | undefined>(undefined);
  selected = $state.raw<StoredDataset | null>(null);
  /** Whether the selected dataset is in the library, where training loads it from. */
  selectedSaved = $state(true);
  /** Something a change of column type cost, or why the selection could not be loaded. */
  selectionNotice = $state<string | null>(null);
  spec = $state<PreprocessSpec | null>(null);

  /** The spec's problems by field, or what it will use. */
  check = $derived(this.selected && this.spec ? checkPreprocess(this.selected.table, this.spec) : null);

  private store: DatasetStore | null = null;
  private abort: AbortController | null = null;

  /** The tables shipped with the site. */
  readonly builtins = BUILTIN_TABLES;

  /** Opens the library (once) and reads it and what the browser stores again. */
  async open(): Promise<void> {
    try {
      this.store ??= await openDatasetStore();
      await this.refresh();
    } catch (error) {
      this.libraryProblem = `${(error as Error).message} The built-in datasets still work.`;
    }
    this.storage = await storageInfo();
  }

  /** The message of the spec's problem with `field`, if any. */
  problemFor(field: PreprocessField): string | undefined {
    return this.check && !this.check.ok ? this.check.problems.find((p) => p.field === field)?.message : undefined;
  }

  /** Imports a file in the worker, which saves it in the library, and selects it. */
  async importFile(file: File): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.importProblem = null;
    this.importNote = null;
    this.importing = { fileName: file.name, fraction: 0 };
    try {
      const outcome = await importCsvFile(file, {
        signal: abort.signal,
        onProgress: (fraction) => (this.importing = { fileName: file.name, fraction }),
        saveIn: this.store ? DB_NAME : undefined,
      });
      if (!outcome.ok) {
        this.importProblem = { fileName: file.name, problem: outcome.problem };
        return;
      }
      if (outcome.encoding === 'windows-1252') this.importNote = { fileName: file.name, message: WINDOWS_1252_NOTE };
      const saved = outcome.saved ?? { ok: false, message: this.libraryProblem ?? '' };
      if (!saved.ok) this.importProblem = { fileName: file.name, problem: { message: saved.message } };
      this.show(outcome.dataset, saved.ok);
      await this.refresh();
    } catch (error) {
      if ((error as DOMException).name !== 'AbortError') this.importProblem = { fileName: file.name, problem: { message: (error as Error).message } };
    } finally {
      if (this.abort === abort) {
        this.importing = null;
        this.abort = null;
      }
    }
  }

  /** Stops the import under way. */
  cancelImport(): void {
    this.abort?.abort();
  }

  /**
   * Shows the table the training experiment uses, with its preprocessing, when that table has
   * changed since the screen last followed it (a shared link, an imported model): otherwise
   * the user's own choice on this screen stands.
   */
  async followExperiment(table: TableDataSpec | undefined): Promise<void> {
    const key = table ? JSON.stringify(table) : null;
    if (!table || key === this.followed) return;
    this.followed = key;
    const shown = this.selected?.id === table.dataset && JSON.stringify(this.spec) === JSON.stringify(table.preprocess);
    if (shown) return;
    await this.select(table.dataset);
    if (this.selected?.id === table.dataset) this.spec = structuredClone(table.preprocess);
  }

  /** Shows a dataset of the library or a built-in one. */
  async select(id: string): Promise<void> {
    this.selectionNotice = null;
    try {
      this.show(await loadDataset(id), true);
    } catch (error) {
      this.selectionNotice = (error as Error).message;
    }
  }

  /** Changes a column's type (an imported dataset's, saved at once) and keeps the features in step. */
  async retype(column: string, type: ColumnType): Promise<void> {
    if (!this.selected) return;
    const { dataset, note } = retypeColumn(this.selected, column, type);
    this.selectionNotice = note ?? null;
    this.selected = dataset;
    if (this.spec && column !== this.spec.target) {
      const others = this.spec.features.filter((f) => f !== column);
      this.spec.features = type === 'ignore' ? others : dataset.profiles.filter((p) => p.name === column || others.includes(p.name)).map((p) => p.name);
    } else if (this.spec) {
      this.spec.task = proposeTask(dataset.table, dataset.profiles, column);
    }
    if (this.store && dataset.source === 'file') {
      const saved = await this.store.put(dataset);
      if (!saved.ok) this.selectionNotice = saved.message;
    }
  }

  /** Sets the target and proposes its task; the new target leaves the features, the old one (unless ignored) joins them. */
  setTarget(target: string): void {
    if (!this.selected || !this.spec) return;
    const previous = this.selected.profiles.find((p) => p.name === this.spec!.target);
    this.spec.target = target;
    this.spec.task = proposeTask(this.selected.table, this.selected.profiles, target);
    if (previous && previous.type !== 'ignore') this.toggleFeature(previous.name, true);
    this.toggleFeature(target, false);
  }

  /** Adds or removes a feature, keeping the table's column order. */
  toggleFeature(name: string, on: boolean): void {
    if (!this.selected || !this.spec) return;
    const features = new Set(this.spec.features);
    if (on) features.add(name);
    else features.delete(name);
    this.spec.features = this.selected.profiles.map((p) => p.name).filter((n) => features.has(n));
  }

  /** The experiment data for the selected dataset and spec, when the spec passes its check. */
  trainingData(): TableDataSpec | null {
    if (!this.selected || !this.spec || !this.check?.ok || !this.selectedSaved) return null;
    return { kind: 'table', dataset: this.selected.id, name: this.selected.name, preprocess: $state.snapshot(this.spec) as PreprocessSpec };
  }

  /** Renames an imported dataset. */
  async rename(id: string, name: string): Promise<string | undefined> {
    if (!this.store) return this.libraryProblem ?? undefined;
    const saved = await this.store.rename(id, name);
    if (!saved.ok) return saved.message;
    if (this.selected?.id === id) this.selected = { ...this.selected, name: name.trim() };
    await this.refresh();
  }

  /** Deletes an imported dataset. */
  async remove(id: string): Promise<void> {
    if (!this.store) return;
    const deleted = await this.store.delete(id);
    this.libraryProblem = deleted.ok ? null : deleted.message;
    if (this.selected?.id === id) {
      this.selected = null;
      this.spec = null;
    }
    await this.refresh();
  }

  /** Downloads an imported dataset as a CSV file. */
  async exportCsv(summary: DatasetSummary): Promise<void> {
    const blob = await this.store?.exportCsv(summary.id);
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const link = Object.assign(document.createElement('a'), { href: url, download: `${summary.name}.csv` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /** Asks the browser to keep the site's data, then reads the storage figures again. */
  async keepData(): Promise<void> {
    await keepData();
    this.storage = await storageInfo();
  }

  /** The experiment table {@link followExperiment} last followed, as JSON. */
  private followed: string | null = null;

  private show(dataset: StoredDataset, saved: boolean): void {
    this.selected = dataset;
    this.selectedSaved = saved;
    this.spec = defaultPreprocess(dataset);
  }

  private async refresh(): Promise<void> {
    if (!this.store) return;
    this.library = await this.store.list();
    this.storage = await storageInfo();
  }
}
