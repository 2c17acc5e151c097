import { predictorNetwork } from '../../core/export/predictor-folder';
import { readCsv } from '../../core/export/predictor.js';
import { monitorBaseline, monitorRows, simulateShift, type ColumnProblem, type MonitorBaseline, type MonitorReport, type Shift } from '../../core/monitor';
import { loadDataset } from '../../runtime/datasets';
import type { RunRecord } from '../../runtime/store';

/**
 * The Monitor panel of a finished table run: the baseline (training and test parts, the
 * model), the report on dropped rows or why they do not fit, and the shift simulator. Reading
 * a file changes nothing saved.
 */
export class MonitorState {
  baseline = $state.raw<MonitorBaseline | null>(null);
  /** Why the baseline could not be made (the table is gone from this browser, say). */
  problem = $state<string | null>(null);
  fileName = $state<string | null>(null);
  report = $state.raw<MonitorReport | null>(null);
  columnProblems = $state.raw<ColumnProblem[]>([]);
  shift = $state<Shift>({ column: '', shift: 0, scale: 1, mix: 0 });
  simulated = $derived(this.baseline && this.shift.column ? simulateShift(this.baseline, $state.snapshot(this.shift) as Shift) : null);

  constructor(private readonly record: RunRecord) {
    void this.load();
  }

  private async load(): Promise<void> {
    const { spec, recipe, weights } = this.record;
    if (spec.data.kind !== 'table' || !recipe || !weights) return;
    try {
      const dataset = await loadDataset(spec.data.dataset);
      this.baseline = monitorBaseline(dataset.table, recipe, predictorNetwork(spec.model, weights));
      this.shift.column = recipe.columns.find((c) => c.kind !== 'date')?.name ?? '';
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  /** Reports on a CSV file of new rows, with or without the target column. */
  async readFile(file: File): Promise<void> {
    if (!this.baseline) return;
    this.fileName = file.name;
    const { header, rows } = readCsv(await file.text());
    const outcome = monitorRows(this.baseline, header, rows.map((cells) => Object.fromEntries(header.map((h, c) => [h, cells[c] ?? '']))));
    if ('problems' in outcome) {
      this.report = null;
      this.columnProblems = outcome.problems;
    } else {
      this.report = outcome.report;
      this.columnProblems = outcome.report.notes;
    }
  }
}
