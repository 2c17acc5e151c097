import * as v from 'valibot';
import type { StoredDataset } from '../../core/data/table/types';
import type { StudyRecord, TrialRecord } from '../../core/study/types';
import { isStoredDataset } from '../store/dataset-check';
import { isLessonRecord } from '../store/lesson-check';
import { isRunRecord } from '../store/run-check';
import type { LessonRecord, RunRecord } from '../store/schema';
import { isStudyRecord, isTrialRecord } from '../store/study-check';
import { parseTyped, stringifyTyped } from './typed-json';

/** What a class pack file says it is, first thing in it. */
export const PACK_FORMAT = 'tunelab-class-pack';

/** The version of the pack format this tunelab writes and reads; a newer one is refused with a message. */
export const PACK_VERSION = 1;

/** A study with its trials, as a pack carries it. */
export interface PackStudy {
  study: StudyRecord;
  trials: TrialRecord[];
}

/**
 * A class pack: runs, studies, datasets and lessons chosen to travel together in one file (a
 * teacher's lesson on a USB stick). Records are the store's own, ids included, so a pack
 * imported twice is recognised as already here.
 */
export interface ClassPack {
  format: typeof PACK_FORMAT;
  version: typeof PACK_VERSION;
  createdAt: number;
  runs: RunRecord[];
  studies: PackStudy[];
  datasets: StoredDataset[];
  lessons: LessonRecord[];
}

/** A pack file read: the pack, or why it cannot be imported, in a sentence for the user. */
export type PackReading = { ok: true; pack: ClassPack } | { ok: false; message: string };

const envelope = v.object({
  format: v.literal(PACK_FORMAT),
  version: v.number(),
  createdAt: v.number(),
  runs: v.optional(v.array(v.unknown()), []),
  studies: v.optional(v.array(v.object({ study: v.unknown(), trials: v.array(v.unknown()) })), []),
  datasets: v.optional(v.array(v.unknown()), []),
  lessons: v.optional(v.array(v.unknown()), []),
});

/** The pack as the text of its file. */
export function packText(pack: ClassPack): string {
  return stringifyTyped(pack);
}

/** How the user knows a record: its name or title where it has one, else its place in the pack. */
function nameOf(record: unknown, what: string, k: number): string {
  const r = (record ?? {}) as { name?: unknown; title?: unknown; spec?: { name?: unknown } };
  const name = [r.name, r.title, r.spec?.name].find((n) => typeof n === 'string' && n.trim());
  return name ? `${what} “${String(name).slice(0, 60)}”` : `${what} ${k + 1}`;
}

/** The first record of `records` that fails `check`, named; or the first id held twice. */
function firstProblem(records: unknown[], check: (r: unknown) => boolean, what: string, idOf: (r: never) => string): string | undefined {
  const bad = records.findIndex((r) => !check(r));
  if (bad >= 0) return `${nameOf(records[bad], what, bad)} is damaged or was written by another program`;
  const seen = new Set<string>();
  for (const [k, r] of records.entries()) {
    const id = idOf(r as never);
    if (seen.has(id)) return `${nameOf(r, what, k)} is in it twice`;
    seen.add(id);
  }
  return undefined;
}

/**
 * Reads a class pack file, checking every record with the store's own checks. A file that is not
 * a pack, was made by a newer tunelab, or holds one bad record is refused as a whole, with a
 * sentence that names the problem: nothing of it is imported.
 */
export function readPack(text: string): PackReading {
  let value: unknown;
  try {
    value = parseTyped(text);
  } catch {
    return { ok: false, message: 'This file is not a tunelab class pack: it is not readable JSON.' };
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== PACK_FORMAT) return { ok: false, message: 'This file is not a tunelab class pack.' };
  const version = (value as { version?: unknown }).version;
  if (typeof version === 'number' && version > PACK_VERSION) {
    return { ok: false, message: `This class pack was made by a newer version of tunelab (pack version ${version}): reload tunelab to update it, then import the pack again.` };
  }
  const parsed = v.safeParse(envelope, value);
  if (!parsed.success || parsed.output.version !== PACK_VERSION) return { ok: false, message: 'This class pack is damaged: its list of contents cannot be read.' };
  const { runs, studies, datasets, lessons, createdAt } = parsed.output;
  const problem =
    firstProblem(runs, isRunRecord, 'Run', (r: RunRecord) => r.id) ??
    firstProblem(studies.map((s) => s.study), isStudyRecord, 'Study', (s: StudyRecord) => s.id) ??
    studies.map((s, k) => s.trials.some((t) => !isTrialRecord(t) || t.studyId !== (s.study as StudyRecord).id) ? `A trial of ${nameOf(s.study, 'study', k)} is damaged` : undefined).find(Boolean) ??
    firstProblem(datasets, isStoredDataset, 'Dataset', (d: StoredDataset) => d.id) ??
    firstProblem(lessons, isLessonRecord, 'Lesson', (l: LessonRecord) => l.id);
  if (problem) return { ok: false, message: `This class pack cannot be imported: ${problem}. Nothing was changed.` };
  return {
    ok: true,
    pack: {
      format: PACK_FORMAT, version: PACK_VERSION, createdAt,
      runs: runs as RunRecord[], studies: studies as PackStudy[], datasets: datasets as StoredDataset[], lessons: lessons as LessonRecord[],
    },
  };
}
