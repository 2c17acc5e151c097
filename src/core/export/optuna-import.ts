import { applyParams, type ParamDef, type SearchSpace } from '../search';
import type { ExperimentSpec } from '../spec/experiment';
import { NATURAL_DIRECTION, OBJECTIVE_METRICS, validateObjectives } from '../study/objectives';
import type { ObjectiveMetric, StudyObjective, StudySpec, TrialRecord, TrialState } from '../study/types';
import { readCsv } from './predictor.js';

/** One trial as Optuna's `trials_dataframe()` lists it. */
export interface OptunaTrial {
  number: number;
  state: TrialState;
  value?: number;
  /** In a study of several objectives: each objective's value, in the study's order (`values_0`, `values_1`, … or a `values` list). */
  values?: number[];
  params: Record<string, string | number | boolean>;
  /** The numeric `user_attrs_*` cells, by name (the exported study.py writes valLoss, valMetric, paramCount, modelBytes, inferenceTime). */
  attrs?: Record<string, number>;
  /** The NSGA-II generation Optuna bred the trial in (`system_attrs_nsga2:generation`), when it says. */
  generation?: number;
  startedAt?: number;
  finishedAt?: number;
}

/**
 * A finished Optuna study as a file holds it: its trials and, where the file says (a JSON
 * object with `directions`, and `objectives` or `metric_names` beside its `trials`, or
 * `values_<name>` columns), its directions and the names of its objectives.
 */
export interface OptunaStudyFile {
  trials: OptunaTrial[];
  directions?: StudyObjective['direction'][];
  names?: string[];
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

/** The objectives' columns of a record: `values_0`, `values_1`, … or `values_<name>`, in the file's order. */
function valueColumns(record: Record<string, unknown>): string[] {
  const columns = Object.keys(record).filter((k) => k.startsWith('values_'));
  const numbered = columns.every((k) => /^values_\d+$/.test(k));
  return numbered ? columns.sort((a, b) => Number(a.slice(7)) - Number(b.slice(7))) : columns;
}

/** A direction as Optuna writes it ("minimize", "MINIMIZE", "StudyDirection.MINIMIZE", 1 or 2), or undefined. */
function directionOf(cell: unknown): StudyObjective['direction'] | undefined {
  const text = String(cell).replace(/^StudyDirection\./, '').toLowerCase();
  if (text === 'minimize' || text === '1') return 'minimize';
  if (text === 'maximize' || text === '2') return 'maximize';
  return undefined;
}

/** The records of a JSON file: a list, or an object's `trials`, with the object's directions and objective names. */
function jsonRecords(text: string): { records: Record<string, unknown>[]; directions?: StudyObjective['direction'][]; names?: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('The file is not valid JSON.');
  }
  const study = (Array.isArray(parsed) ? {} : parsed) as { trials?: unknown; directions?: unknown; objectives?: unknown; metric_names?: unknown };
  const list = Array.isArray(parsed) ? parsed : study.trials;
  if (!Array.isArray(list)) throw new Error('The JSON holds no list of trials.');
  let directions: StudyObjective['direction'][] | undefined;
  if (study.directions !== undefined) {
    const read = Array.isArray(study.directions) ? study.directions.map(directionOf) : [];
    if (read.length === 0 || read.some((d) => d === undefined)) throw new Error(`The study's “directions” are not a list of minimize and maximize (got ${JSON.stringify(study.directions).slice(0, 60)}).`);
    directions = read as StudyObjective['direction'][];
  }
  const names = study.objectives ?? study.metric_names;
  return { records: list as Record<string, unknown>[], directions, names: Array.isArray(names) ? names.map(String) : undefined };
}

/**
 * A finished Optuna study from its `trials_dataframe()`, written as CSV (`to_csv`) or JSON
 * (`to_json(orient="records")`, or a list of such records under "trials" beside the study's
 * "directions"): number, state, value (or one `values_*` column per objective), every
 * `params_*` and numeric `user_attrs_*` column. Throws an Error saying what is missing.
 */
export function readOptunaStudy(text: string): OptunaStudyFile {
  const trimmed = text.trim();
  const file: { records: Record<string, unknown>[]; directions?: StudyObjective['direction'][]; names?: string[] } =
    trimmed.startsWith('[') || trimmed.startsWith('{')
      ? jsonRecords(trimmed)
      : (() => {
          const { header, rows } = readCsv(text);
          return { records: rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']))) };
        })();
  const { records } = file;
  if (records.length === 0) throw new Error('The file lists no trials.');
  const first = records[0];
  for (const column of ['number', 'state']) {
    if (!(column in first)) throw new Error(`The file has no “${column}” column: export the study with study.trials_dataframe().`);
  }
  if (!Object.keys(first).some((k) => k.startsWith('params_'))) throw new Error('The file has no params_ columns: the study had no parameters.');
  const columns = valueColumns(first);
  const named = columns.some((k) => !/^values_\d+$/.test(k));
  const trials = records.map((record, i): OptunaTrial => {
    const state = STATES[String(record.state).replace(/^TrialState\./, '')];
    if (!state) throw new Error(`Trial ${i + 1} has the unknown state “${String(record.state).slice(0, 40)}”.`);
    const params: OptunaTrial['params'] = {};
    const attrs: Record<string, number> = {};
    for (const [key, cell] of Object.entries(record)) {
      const value = cellValue(cell);
      if (key.startsWith('params_') && value !== undefined) params[key.slice('params_'.length)] = value;
      if (key.startsWith('user_attrs_') && typeof value === 'number') attrs[key.slice('user_attrs_'.length)] = value;
    }
    const value = cellValue(record.value);
    const listed = Array.isArray(record.values) ? record.values.map(cellValue) : columns.map((k) => cellValue(record[k]));
    const values = listed.length > 0 && listed.every((x): x is number => typeof x === 'number') ? listed : undefined;
    const generation = cellValue(record['system_attrs_nsga2:generation']);
    return {
      number: Number(record.number),
      state,
      value: typeof value === 'number' ? value : undefined,
      ...(values ? { values } : {}),
      params,
      ...(Object.keys(attrs).length ? { attrs } : {}),
      ...(typeof generation === 'number' ? { generation } : {}),
      startedAt: timeOf(record.datetime_start),
      finishedAt: timeOf(record.datetime_complete),
    };
  });
  const names = file.names ?? (named ? columns.map((k) => k.slice('values_'.length)) : undefined);
  return { trials, ...(file.directions ? { directions: file.directions } : {}), ...(names ? { names } : {}) };
}

/** The trials of a finished Optuna study (readOptunaStudy's, without what it says of the study). */
export function readOptunaTrials(text: string): OptunaTrial[] {
  return readOptunaStudy(text).trials;
}

/** How many objectives a study's file weighs: the most values a trial has, else its directions' (0 for a single-objective study). */
function objectiveCount(file: OptunaStudyFile): number {
  const most = Math.max(0, ...file.trials.map((t) => t.values?.length ?? 0));
  const count = most || (file.directions?.length ?? 0);
  return count > 1 ? count : 0;
}

/** Whether two numbers are the same measure, allowing for the digits a JSON export drops. */
const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * The tunelab objective that objective `index` of the file is: the one the file names, else the
 * one whose user attribute (as the exported study.py writes it) equals that value in every
 * trial that has both. Undefined when neither says.
 */
function metricOf(file: OptunaStudyFile, index: number): ObjectiveMetric | undefined {
  const name = file.names?.[index];
  if (name !== undefined) return (OBJECTIVE_METRICS as readonly string[]).includes(name) ? (name as ObjectiveMetric) : undefined;
  const matching = OBJECTIVE_METRICS.filter((metric) => {
    const pairs = file.trials.filter((t) => t.values?.[index] !== undefined && t.attrs?.[metric] !== undefined);
    return pairs.length > 0 && pairs.every((t) => same(t.values![index], t.attrs![metric]));
  });
  return matching.length === 1 ? matching[0] : undefined;
}

/**
 * The objectives of a study of several, in tunelab's terms: each of the file's objectives mapped
 * onto validation loss or accuracy, parameter count, model bytes or inference time (by name, or
 * by the user attribute the exported study.py sets equal to it), in the file's directions or
 * else the usual one of each. Undefined for a single-objective study; throws an Error saying
 * which objective cannot be mapped and why.
 */
export function objectivesOfStudy(file: OptunaStudyFile): StudyObjective[] | undefined {
  const count = objectiveCount(file);
  if (count === 0) return undefined;
  if (count > 3) throw new Error(`The study weighs ${count} objectives; tunelab weighs two or three.`);
  if (file.directions && file.directions.length !== count) throw new Error(`The study has ${file.directions.length} directions but its trials ${count} values each.`);
  const objectives = Array.from({ length: count }, (_, i): StudyObjective => {
    const metric = metricOf(file, i);
    if (!metric) {
      const said = file.names?.[i] !== undefined ? ` is “${file.names[i].slice(0, 40)}”, which` : '';
      throw new Error(
        `Objective ${i + 1} of the study${said} is none of tunelab's (${OBJECTIVE_METRICS.join(', ')}): import a study exported from tunelab, whose trials carry these as user_attrs, or name the objectives in the JSON's “objectives”.`,
      );
    }
    return { metric, direction: file.directions?.[i] ?? NATURAL_DIRECTION[metric] };
  });
  const checked = validateObjectives(objectives);
  if (!checked.ok) throw new Error(`The study's objectives cannot be read as tunelab's: ${checked.errors[0].message}`);
  return checked.spec;
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
 * (Optuna's is not stored in the table) and the objective as `objective` says. With `objectives`
 * (objectivesOfStudy's) it is a study of several: each trial keeps its values and generation,
 * and its `value` is that of the validation objective among them (else `objective`'s user attribute).
 */
export function importedStudy(
  name: string,
  trials: OptunaTrial[],
  base: ExperimentSpec,
  objective: StudySpec['objective'],
  objectives?: StudyObjective[],
): { spec: StudySpec; trials: Omit<TrialRecord, 'studyId'>[] } {
  const validation = objectives?.find((o): o is StudySpec['objective'] => o.metric === 'valLoss' || o.metric === 'valMetric') ?? objective;
  const at = objectives?.findIndex((o) => o.metric === validation.metric) ?? -1;
  const valueOf = (t: OptunaTrial) => (!objectives ? t.value : at >= 0 ? t.values?.[at] : t.attrs?.[validation.metric]);
  const spec: StudySpec = {
    version: 1, name, base, space: spaceOfTrials(trials), sampler: { kind: 'random' }, pruner: { kind: 'none' },
    objective: validation, ...(objectives ? { objectives } : {}), nTrials: trials.length, workers: 1, seed: 0,
  };
  return {
    spec,
    trials: trials.map((t) => ({
      number: t.number,
      params: t.params,
      spec: applyParams(base, t.params),
      state: t.state,
      value: valueOf(t),
      ...(objectives && t.values?.length === objectives.length ? { values: t.values } : {}),
      ...(objectives && t.generation !== undefined ? { generation: t.generation } : {}),
      epochs: [],
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      message: 'Imported from Optuna.',
    })),
  };
}
