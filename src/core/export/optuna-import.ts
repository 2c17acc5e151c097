import { applyParams, type ParamDef, type SearchSpace } from '../search';
import type { ExperimentSpec } from '../spec/experiment';
import type { StudySpec, TrialRecord, TrialState } from '../study/types';
import { readCsv } from './predictor.js';

/** One trial as Optuna's `trials_dataframe()` lists it. */
export interface OptunaTrial {
  number: number;
  state: TrialState;
  value?: number;
  params: Record<string, string | number | boolean>;
  startedAt?: number;
  finishedAt?: number;
}

/** Optuna's trial states in tunelab's words. */
const STATES: Record<string, TrialState> = { COMPLETE: 'complete', PRUNED: 'pruned', FAIL: 'failed', RUNNING: 'running', WAITING: 'waiting' };

/** A cell as the value it spells: a number, True/False, or the text itself. */
function cellValue(cell: unknown): string | number | boolean | undefined {
  if (cell === null || cell === undefined || cell === '') return undefined;
  if (typeof cell === 'number' || typeof cell === 'boolean') return cell;
  const text = String(cell);
  if (text === 'True' || text === 'true') return true;
  if (text === 'False' || text === 'false') return false;
  const n = Number(text);
  return Number.isFinite(n) && text.trim() !== '' ? n : text;
}

/** A date cell (Optuna writes "2026-12-01 12:08:48.275"), as milliseconds since 1970; undefined when unreadable. */
function timeOf(cell: unknown): number | undefined {
  if (cell === null || cell === undefined || cell === '') return undefined;
  const t = typeof cell === 'number' ? cell : Date.parse(String(cell).replace(' ', 'T'));
  return Number.isFinite(t) ? t : undefined;
}

/**
 * The trials of a finished Optuna study from its `trials_dataframe()`, written as CSV
 * (`to_csv`) or JSON (`to_json(orient="records")`, or a list of such records under "trials"):
 * number, state, value and every `params_*` column. Throws an Error saying what is missing.
 */
export function readOptunaTrials(text: string): OptunaTrial[] {
  let records: Record<string, unknown>[];
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new Error('The file is not valid JSON.');
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { trials?: unknown }).trials;
    if (!Array.isArray(list)) throw new Error('The JSON holds no list of trials.');
    records = list as Record<string, unknown>[];
  } else {
    const { header, rows } = readCsv(text);
    records = rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
  }
  if (records.length === 0) throw new Error('The file lists no trials.');
  const first = records[0];
  for (const column of ['number', 'state']) {
    if (!(column in first)) throw new Error(`The file has no “${column}” column: export the study with study.trials_dataframe().`);
  }
  if (!Object.keys(first).some((k) => k.startsWith('params_'))) throw new Error('The file has no params_ columns: the study had no parameters.');
  return records.map((record, i) => {
    const state = STATES[String(record.state).replace(/^TrialState\./, '')];
    if (!state) throw new Error(`Trial ${i + 1} has the unknown state “${String(record.state).slice(0, 40)}”.`);
    const params: OptunaTrial['params'] = {};
    for (const [key, cell] of Object.entries(record)) {
      const value = cellValue(cell);
      if (key.startsWith('params_') && value !== undefined) params[key.slice('params_'.length)] = value;
    }
    const value = cellValue(record.value);
    return {
      number: Number(record.number),
      state,
      value: typeof value === 'number' ? value : undefined,
      params,
      startedAt: timeOf(record.datetime_start),
      finishedAt: timeOf(record.datetime_complete),
    };
  });
}

/** The space the trials explored: a numeric range (integer when every value is) or the choices seen, per parameter. */
export function spaceOfTrials(trials: OptunaTrial[]): SearchSpace {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  return Object.fromEntries(
    names.map((name): [string, ParamDef] => {
      const values = trials.map((t) => t.params[name]).filter((v) => v !== undefined);
      if (values.every((v) => typeof v === 'number')) {
        const numbers = values as number[];
        const low = Math.min(...numbers);
        const high = Math.max(...numbers);
        const log = low > 0 && high / low >= 100;
        return [name, { type: numbers.every(Number.isInteger) ? 'int' : 'float', low, high: high > low ? high : low + 1, ...(log ? { log } : {}) }];
      }
      return [name, { type: 'categorical', choices: [...new Set(values)] }];
    }),
  );
}

/**
 * A finished Optuna study as a tunelab study and its trials, to read in the study view: each
 * trial's experiment is `base` with its parameters applied; the sampler is recorded as random
 * (Optuna's is not stored in the table) and the objective as `objective` says.
 */
export function importedStudy(
  name: string,
  trials: OptunaTrial[],
  base: ExperimentSpec,
  objective: StudySpec['objective'],
): { spec: StudySpec; trials: Omit<TrialRecord, 'studyId'>[] } {
  const spec: StudySpec = {
    version: 1, name, base, space: spaceOfTrials(trials), sampler: { kind: 'random' }, pruner: { kind: 'none' },
    objective, nTrials: trials.length, workers: 1, seed: 0,
  };
  return {
    spec,
    trials: trials.map((t) => ({
      number: t.number,
      params: t.params,
      spec: applyParams(base, t.params),
      state: t.state,
      value: t.value,
      epochs: [],
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      message: 'Imported from Optuna.',
    })),
  };
}
